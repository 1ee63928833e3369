"""``python -m reserve_planner`` is the ``reserve-planner`` command."""

import sys

from .cli import main

sys.exit(main())
