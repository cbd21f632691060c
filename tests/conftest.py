"""Test-wide setup: no test ever writes into the real user's history.

`coach run` records live and typed sessions in `$XDG_DATA_HOME/voice-coach`; the
tests (and the `coach` processes they start, which inherit the environment)
point that at a throwaway folder instead, removed when the tests end.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_DATA = tempfile.mkdtemp(prefix="voice-coach-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
