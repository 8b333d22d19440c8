"""Components started by `lunch run` end when it ends, even when it is killed with SIGKILL.

The supervisor passes its pid in ``LUNCH_SUPERVISOR_PID``; a component started that way asks
Linux to send it SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), which it handles as a
normal stop. Elsewhere this is a no-op, and the pid file of ``ops.runfile`` remains the net.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Mapping

PR_SET_PDEATHSIG = 1
SUPERVISOR_PID = "LUNCH_SUPERVISOR_PID"


def die_with_parent(environ: Mapping[str, str]) -> bool:
    """Arrange SIGTERM on the parent's death; exit now if the parent is already gone."""
    expected = environ.get(SUPERVISOR_PID, "")
    if not expected.isdigit() or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return False
    # The parent may have died between fork and prctl: then nobody would signal us.
    if os.getppid() != int(expected):
        raise SystemExit(0)
    return True
