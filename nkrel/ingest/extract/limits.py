"""Run an extractor in a child process with a time and memory limit.

A PDF bomb (a small stream that inflates to gigabytes) or deeply nested HTML must be
refused quickly and leave the caller standing: the child's address space is capped
(RLIMIT_AS), it may not open sockets (the query sandbox's filter), and it is killed
at the deadline. It answers with JSON only, never a pickle: the child is the side
that parses untrusted bytes.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time

MEMORY = 1536 * 1024 * 1024  # bytes of address space the child may grow by
TIMEOUT = 60.0  # seconds


class LimitError(Exception):
    """The extractor ran out of time or memory, or failed; the message says which."""


def run_limited(func, *args, timeout: float = TIMEOUT, memory: int = MEMORY):
    """func(*args) in a forked child; its JSON-able result, or LimitError."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(write_end, func, args, memory)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + timeout)
    finally:
        os.close(read_end)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if data is None:
        raise LimitError(f"took longer than {timeout:g} s")
    if not data:
        why = "ran out of memory" if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 3 else "failed"
        raise LimitError(f"{why} (limit {memory // (1024 * 1024)} MB)")
    answer = json.loads(data)
    if "error" in answer:
        raise LimitError(answer["error"])
    return answer["result"]


def _child(fd: int, func, args, memory: int) -> None:
    code = 0
    try:
        import resource

        from ...core.sandbox import deny

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        deny()
        try:
            payload = {"result": func(*args)}
        except MemoryError:
            payload, code = None, 3
        except ValueError as e:  # the extractor's own refusal, worded for the user
            payload = {"error": str(e)[:500]}
        except Exception as e:  # a parser's failure on malformed bytes
            payload = {"error": f"cannot be read ({type(e).__name__}: {e})"[:500]}
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
    except MemoryError:
        code = 3
    finally:
        os._exit(code)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All the child writes until it closes the pipe; None when the deadline passes first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
