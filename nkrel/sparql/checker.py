"""The query check of `nkrel serve`, run by worker processes bounded in time and memory.

Parsing a SPARQL text can take seconds and gigabytes (100,000 VALUES rows), so the
guard never parses in its own process. A few long-lived workers (`python -m
nkrel.sparql.checker MEMORY_MB`) run the check of nkrel/sparql/safety.py with no
sockets (seccomp) and a memory limit; the guard sends a text, waits until the query's
deadline, and kills and replaces a worker that overruns or dies. The answer is JSON.

Protocol on stdin/stdout: a 4-byte big-endian length, then that many bytes (UTF-8
query text in, a JSON object out: {"status": 200, "text": query with prefixes} or
{"status": 400/403/503, "message": why}).
"""

from __future__ import annotations

import json
import os
import queue
import re
import selectors
import subprocess
import sys
import threading
import time


class CheckOverrun(Exception):
    """The worker ran past the deadline or died; it has been replaced."""


def _limit_memory(extra_mb: int) -> None:
    import resource

    with open("/proc/self/status", encoding="ascii") as fh:
        size = next((int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:")), 0)
    limit = size + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def used_prefixes(text: str) -> dict[str, str]:
    """nkrel's prefixes that the text may use: parsing twelve unused PREFIX lines costs
    more than most queries (14 ms instead of 135 ms for ASK { ?s ?p ?o })."""
    from .query import PREFIXES

    return {p: iri for p, iri in PREFIXES.items() if re.search(rf"(?<![\w.-]){re.escape(p)}:", text)}


def _verdict(text: str, memory_mb: int) -> dict:
    from .safety import UnsafeQuery, check_query, with_prefixes

    try:
        prefixes = used_prefixes(text)
        check_query(text, prefixes)
        return {"status": 200, "text": with_prefixes(text, prefixes)}
    except UnsafeQuery as e:
        return {"status": 400 if str(e).startswith("SPARQL syntax") else 403, "message": str(e)}
    except MemoryError:
        return {"status": 503, "message": f"the query check needed more than {memory_mb} MiB and was stopped"}


def main() -> None:
    """The worker: check each text read from stdin, answer on stdout, until end of input."""
    from ..core.sandbox import NO_SOCKETS, deny
    from .query import PREFIXES  # noqa: F401 - imported before the limit, once
    from .safety import check_query

    memory_mb = int(sys.argv[1])
    check_query("ASK {}")  # load the parser before the memory limit is set
    deny(NO_SOCKETS)
    if sys.platform.startswith("linux"):
        _limit_memory(memory_mb)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")  # ready
    stdout.flush()
    while len(head := stdin.read(4)) == 4:
        text = stdin.read(int.from_bytes(head, "big")).decode("utf-8", "replace")
        answer = json.dumps(_verdict(text, memory_mb)).encode("utf-8")
        stdout.write(len(answer).to_bytes(4, "big") + answer)
        stdout.flush()
        if b'"status": 503' in answer[:20]:
            return  # after a MemoryError, start afresh


class _Worker:
    def __init__(self, memory_mb: int):
        command = [sys.executable, "-m", "nkrel.sparql.checker", str(memory_mb)]
        pipe = subprocess.PIPE
        self.proc = subprocess.Popen(command, stdin=pipe, stdout=pipe, stderr=subprocess.DEVNULL)
        os.set_blocking(self.proc.stdin.fileno(), False)

    def ready(self, seconds: float = 60) -> bool:
        """Wait for the worker's first byte: it has loaded the parser and set its limits."""
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            return bool(sel.select(seconds)) and os.read(self.proc.stdout.fileno(), 1) == b"R"

    def ask(self, text: str, deadline: float) -> dict:
        data = text.encode("utf-8")
        out = memoryview(len(data).to_bytes(4, "big") + data)
        answer, need = b"", None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdin, selectors.EVENT_WRITE)
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while need is None or len(answer) < need + 4:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CheckOverrun("timeout")
                for key, _ in sel.select(left):
                    if key.fileobj is self.proc.stdin:
                        out = out[os.write(key.fd, out) :]
                        if not out:
                            sel.unregister(self.proc.stdin)
                        continue
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        raise CheckOverrun("died")
                    answer += chunk
                    if need is None and len(answer) >= 4:
                        need = int.from_bytes(answer[:4], "big")
        return json.loads(answer[4:])

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class CheckPool:
    """A fixed number of check workers, shared by the guard's threads."""

    def __init__(self, size: int, memory_mb: int):
        self.memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._start()

    def _start(self) -> None:
        """A new worker, put to use once ready (a thread waits for it, not a request)."""
        with self._lock:
            if self._closed:
                return
            worker = _Worker(self.memory_mb)
            self._all.append(worker)

        def wait_ready():
            try:
                ready = worker.ready()
            except (OSError, ValueError):  # the pool was closed (the worker's pipes) while it started
                ready = False
            if ready:
                self._idle.put(worker)
            else:
                self._retire(worker)

        threading.Thread(target=wait_ready, daemon=True).start()

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        self._start()

    def check(self, text: str, seconds: float, wait: float) -> dict:
        """The worker's verdict, or CheckOverrun (over `seconds`, or out of memory), or
        queue.Empty (no worker free within `wait` seconds)."""
        worker = self._idle.get(timeout=wait)
        try:
            answer = worker.ask(text, time.monotonic() + seconds)
        except (CheckOverrun, OSError, ValueError) as e:
            self._retire(worker)
            raise CheckOverrun("timeout" if str(e) == "timeout" else "died") from None
        if answer.get("status") == 503:  # out of memory: that worker has ended
            self._retire(worker)
        else:
            self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in self._all:
                worker.stop()
            self._all.clear()


if __name__ == "__main__":
    main()
