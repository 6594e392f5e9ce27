"""Run a command and wait for its whole process tree: ``python tests/tree_cpu.py CMD ARGS…``.

The tests bound the CPU time of a build, never its wall time (the machines are shared and
noisy), and read it with ``getrusage(RUSAGE_CHILDREN)`` (conftest.run_with_cpu). That counts a
process only once its parent has waited for it, and the build's parse pool runs under
multiprocessing's forkserver, which mkdocs never waits for: half of a build's CPU time went
uncounted. This runner makes itself the subreaper of its descendants (Linux), so orphans are
re-parented to it, and waits for every one of them before it exits with the command's status.
If the runner is killed (a test's timeout), the command is killed with it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def main(cmd: list[str]) -> int:
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(err)}")
    code = subprocess.call(cmd, preexec_fn=_die_with_parent)
    while True:  # the orphans: the forkserver and anything else the command left running
        try:
            os.wait()
        except ChildProcessError:
            return 128 - code if code < 0 else code  # killed by a signal: as a shell says so


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
