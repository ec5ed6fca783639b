"""Shared checks of the hostile suite: every attack ends in a clear refusal, with the
output folder untouched and no traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) with its sha256."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An output folder holding an earlier build's stand-in, to prove nothing changes."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "nkrel.nq").write_text("<urn:old> <urn:build> <urn:here> .\n", encoding="utf-8")
    return out


def assert_refused(result, before: dict[str, str], out: Path, *, code: int = 1, mentions: str | None = None) -> None:
    """Exit code as given, one-line errors, no traceback, and `out` exactly as it was."""
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert result.stderr.startswith("nkrel: error: "), result.stderr
    if mentions is not None:
        assert mentions in result.stderr, result.stderr
    assert snapshot(out) == before, "the output folder changed"


class Listener:
    """A loopback TCP listener that counts connection attempts (a stand-in for any host)."""

    def __init__(self):
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x"
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def children_of(pid: int) -> set[int]:
    """PIDs whose parent is pid (Linux /proc)."""
    out = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                out.add(int(status.parent.name))
    return out


def process_gone(pid: int, wait: float = 10.0) -> bool:
    """Within `wait` seconds: no such process, or only a zombie."""
    import time

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
                return True
        except OSError:
            return True
        time.sleep(0.05)
    return False
