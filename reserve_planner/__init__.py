"""Reserve Planner: size a US strategic rare earth reserve and producer price floors.

The package is layered: ``model`` (frozen dataclasses, no I/O) <- ``optimize`` (scipy/HiGHS)
<- ``io`` and ``report`` <- ``cli`` and ``gui`` (the only Qt users).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reserve-planner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
