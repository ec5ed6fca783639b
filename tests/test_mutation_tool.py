"""tests/mutation/mutate.py, the mutation testing driver: a stop leaves nothing running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

MUTATION = Path(__file__).resolve().parent / "mutation"

# A stand-in for a run: mutate.py starts cosmic-ray in a session of its own, which starts
# the test command (run_tests.py) in another, which starts pytest in a third.
DRIVER = """
import subprocess, sys
sys.path.insert(0, sys.argv[1])
import mutate
LEAF = "import time; time.sleep(60)"
MIDDLE = f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {LEAF!r}], start_new_session=True); print(p.pid, flush=True); time.sleep(60)"
TOP = f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {MIDDLE!r}], start_new_session=True, stdout=sys.stdout); print(p.pid, flush=True); time.sleep(60)"
top = subprocess.Popen([sys.executable, "-c", TOP], start_new_session=True, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
pids = [top.pid, int(top.stdout.readline()), int(top.stdout.readline())]
print(*pids, flush=True)
mutate.kill_tree()
top.wait()
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="mutate.py reads /proc (Linux)")
def test_a_stop_kills_every_process_of_the_run_in_all_their_sessions():
    done = subprocess.run([sys.executable, "-c", DRIVER, str(MUTATION)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 3 and len(set(pids)) == 3
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)  # the orphans are reaped by init
    left = [pid for pid in pids if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left
