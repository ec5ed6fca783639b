"""The test command cosmic-ray runs for each mutant: pytest -x on the given tests.

Usage: python tests/mutation/run_tests.py TEST [TEST ...]

The tests start `nkrel` (and query processes, servers) as subprocesses. A mutant that
makes them hang must not leave them running, nor keep cosmic-ray waiting on a pipe one
of them still holds: pytest runs in its own process group, and after
$NKREL_MUTANT_TIMEOUT seconds the whole group is killed. Exit code: pytest's, or 124
after a timeout, with TIMEOUT_MARK in the output so the report can count timeouts
apart from failures (cosmic-ray counts both as killed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile

TIMEOUT_MARK = "nkrel-mutation: timed out"


def main(tests: list[str]) -> int:
    timeout = float(os.environ.get("NKREL_MUTANT_TIMEOUT", "600"))
    # A run started in the background (or under nohup) inherits SIGINT or SIGHUP
    # ignored, and so would nkrel; the tests send it these and expect it to stop.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)
    # one process (-n 0, not the suite's two workers): -x stops at the first failure at once
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", "0", *tests]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip

        def stop(signum, frame):  # stopped (mutate.py stopping): stop the tests too
            os.killpg(proc.pid, signal.SIGKILL)
            sys.exit(128 + signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        try:  # whatever the tests left behind (they should leave nothing)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    sys.stdout.write(output[-6000:])
    if code is None:
        print(f"\n{TIMEOUT_MARK} after {timeout:.0f} s")
        return 124
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
