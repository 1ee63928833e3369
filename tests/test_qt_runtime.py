"""The Qt binding we depend on must not corrupt the interpreter.

shiboken6 6.12 returns None from wrapped void functions without taking a reference; on
Python < 3.12 a few thousand calls deallocate None and abort the process. pyproject.toml
pins PySide6-Essentials below 6.12 on those Pythons; this test fails if a bad build slips in.
"""

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(5000):
    o.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_void_calls_keep_none_alive():
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-500:]
    assert abs(int(proc.stdout.strip())) < 50
