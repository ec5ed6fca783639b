"""Run untrusted work (a user's SPARQL query) in a child process bounded in time,
memory and reach.

The child is forked; it cannot open a network connection (nkrel/core/sandbox.py),
its address space may grow by at most a set amount (RLIMIT_AS), it dies with its
parent (PR_SET_PDEATHSIG), and its stderr is captured, so nothing it prints reaches
the terminal. Its answer is data, never code: JSON (bytes and decimals tagged), read
by the parent within the memory limit, so a child subverted by a flaw in a parser or
the store still cannot run anything in the unsandboxed parent. The parent waits until
a deadline and kills it; Ctrl-C, SIGTERM and SIGHUP kill it too before nkrel exits.
No process is left behind on any signal.
"""

from __future__ import annotations

import base64
import binascii
import decimal
import faulthandler
import json
import math
import os
import selectors
import signal
import sys
import time

DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 86400.0
DEFAULT_MEMORY_MB = 2048
_PR_SET_PDEATHSIG = 1


class RunError(Exception):
    """The work could not finish: timed out, over its memory, or it failed."""


class Stopped(BaseException):
    """nkrel was asked to stop (SIGTERM, SIGHUP) while waiting for the child."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


def check_timeout(value: float) -> float:
    """A usable timeout in seconds, or ValueError: finite, above 0, at most a day."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT:
        raise ValueError(f"must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, got {value!r}")
    return float(value)


def check_memory(value: int) -> int:
    if not isinstance(value, int) or not 64 <= value <= 1 << 20:
        raise ValueError(f"must be a number of MiB from 64 to 1048576, got {value!r}")
    return value


def _limit_memory(extra_mb: int) -> None:
    """Let the address space grow by extra_mb MiB beyond what the forked child already maps."""
    import resource

    current = 0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    current = int(line.split()[1]) * 1024
    except OSError:
        pass
    limit = current + extra_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def run_isolated(func, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB, what: str = "query",
                 reported=()):  # fmt: skip
    """Run func() in a bounded, network-less child; return its result or raise RunError.

    Exceptions of the classes in `reported` (and RunError) are the user's errors: raised
    again in the parent as the same class with the same message; any other exception
    becomes RunError("<what> failed: ...")."""
    from ..core.sandbox import NO_SOCKETS, deny

    reported = tuple(reported)
    if not hasattr(os, "fork"):  # Windows: no isolation available
        return func()
    parent = os.getpid()
    result_r, result_w = os.pipe()
    err_r, err_w = os.pipe()
    # The stop signals are blocked across the fork and their handlers set before it: a
    # signal in between is held until the parent waits (and kills the child) or the child
    # has its default handlers back, never lost nor run by the wrong process.
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in (signal.SIGTERM, signal.SIGHUP)}
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        _restore(previous)
        raise
    if pid == 0:  # child
        try:
            os.close(result_r)
            os.close(err_r)
            os.dup2(err_w, 2)
            faulthandler.disable()  # a crash is reported in one line by the parent, never as a dump
            for sig in _STOP_SIGNALS:
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
            _die_with_parent(parent)
            deny(NO_SOCKETS)
            _limit_memory(memory_mb)
            try:
                payload = ("ok", func())
            except RunError as e:
                payload = ("error", str(e))
            except reported as e:  # raised again in the parent as the same class, named by its place
                payload = ("reported", [next(i for i, c in enumerate(reported) if isinstance(e, c)), str(e)])
            except MemoryError:
                payload = ("memory", "")
            except Exception as e:  # noqa: BLE001 - one line, never a traceback
                payload = ("error", f"{what} failed: {e}")
            try:
                data = encode(payload)
            except (TypeError, ValueError) as e:
                data = encode(("error", f"{what} failed: its answer is not data ({e})"))
            with os.fdopen(result_w, "wb") as fh:
                fh.write(data)
        finally:
            os._exit(0)
    os.close(result_w)
    os.close(err_w)
    try:
        return _wait(pid, result_r, err_r, timeout, memory_mb, what, unblocked, reported)
    finally:
        _restore(previous)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _raise_stopped(signum, frame):
    raise Stopped(signum)


def _restore(previous) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _wait(pid: int, result_r: int, err_r: int, timeout: float, memory_mb: int, what: str, unblocked, reported):
    chunks, errors = [], []
    received = 0
    status = None
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)  # a signal held since the fork is raised here
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(result_r, selectors.EVENT_READ, chunks)
            sel.register(err_r, selectors.EVENT_READ, errors)
            open_fds = 2
            while open_fds:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RunError(f"the {what} ran longer than the {timeout:g} s timeout and was stopped (--timeout)")
                for key, _ in sel.select(left):
                    chunk = os.read(key.fd, 1 << 16)
                    if chunk:
                        if key.data is errors and sum(map(len, errors)) >= 1 << 16:
                            continue
                        key.data.append(chunk)
                        received += len(chunk) if key.data is chunks else 0
                        if received > memory_mb << 20:
                            raise RunError(f"the {what}'s answer is larger than the {memory_mb} MiB memory limit "
                                           "(--memory)")  # fmt: skip
                    else:
                        sel.unregister(key.fd)
                        open_fds -= 1
        _, status = os.waitpid(pid, 0)
    finally:
        if status is None:  # timed out, interrupted or stopped: the child must not outlive this
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        os.close(result_r)
        os.close(err_r)
    stderr = b"".join(errors).decode("utf-8", "replace")
    kind, value = _answer(b"".join(chunks), what)
    if kind == "ok":
        return value
    if kind == "error":
        raise RunError(value)
    if kind == "reported":
        index, message = value
        if type(index) is int and 0 <= index < len(reported) and type(message) is str:
            raise reported[index](message)
        raise RunError(f"the {what} process gave an answer that is not well-formed data")
    if kind == "memory" or kind_is_memory(stderr):
        raise RunError(f"the {what} needed more than the {memory_mb} MiB memory limit and was stopped (--memory)")
    if status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) in _CRASH_SIGNALS:
        # Native code under RLIMIT_AS often aborts without saying why: name the likely cause.
        raise RunError(f"the {what} process died ({_describe(status)}), most likely at the {memory_mb} MiB "
                       "memory limit: raise it with --memory")  # fmt: skip
    raise RunError(f"the {what} process died ({_describe(status)})")


_CRASH_SIGNALS = (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS)

# What native code prints when an allocation fails under RLIMIT_AS: Rust's allocator, C++'s
# bad_alloc, and RocksDB's threads that cannot get a stack (pthread_create's EAGAIN).
_MEMORY_MESSAGES = ("memory allocation", "MemoryError", "out of memory", "std::bad_alloc",
                    "Resource temporarily unavailable")  # fmt: skip


def kind_is_memory(stderr: str) -> bool:
    lowered = stderr.lower()
    return any(message.lower() in lowered for message in _MEMORY_MESSAGES)


def _describe(status) -> str:
    if status is None:
        return "no status"
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit {os.WEXITSTATUS(status)}"


# ---- the child's answer: JSON, with the few non-JSON values tagged ------------------------


def encode(payload) -> bytes:
    """A (kind, value) answer as JSON; bytes, Decimals and tuples tagged so they come back."""
    return json.dumps(_tag(payload), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _tag(value):
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    if type(value) is decimal.Decimal:
        return {"d": str(value)}
    if type(value) in (list, tuple):
        items = [_tag(v) for v in value]
        return {"t": items} if type(value) is tuple else items
    if type(value) is dict and all(type(k) is str for k in value):
        return {"m": {k: _tag(v) for k, v in value.items()}}
    raise TypeError(f"{type(value).__name__} is not one of the data types an answer may hold")


def decode(data: bytes):
    return _untag(json.loads(data))


def _untag(value):
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError("an unknown tag")
        ((tag, inner),) = value.items()
        if tag == "b":
            return base64.b64decode(inner, validate=True)
        if tag == "d":
            return decimal.Decimal(inner)
        if tag == "t":
            return tuple(_untag(v) for v in inner)
        if tag == "m" and isinstance(inner, dict):
            return {k: _untag(v) for k, v in inner.items()}
        raise ValueError("an unknown tag")
    return value


def _answer(data: bytes, what: str):
    """(kind, value) from the child's answer; ("none", None) if it gave none."""
    if not data:
        return "none", None
    try:
        kind, value = decode(data)
    except (ValueError, TypeError, RecursionError, decimal.InvalidOperation, binascii.Error):
        raise RunError(f"the {what} process gave an answer that is not well-formed data") from None
    if kind not in ("ok", "error", "reported", "memory") or (kind == "error" and type(value) is not str):
        raise RunError(f"the {what} process gave an answer that is not well-formed data")
    return kind, value
