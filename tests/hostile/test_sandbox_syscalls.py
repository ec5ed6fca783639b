"""The second line of defence call by call: inside the isolated process that runs a
query (runner.run_isolated), every system call nkrel/sparql/sandbox.py says it denies
fails with EPERM: no socket of any family is made, and one the process inherited can
neither bind, listen, accept nor send. The
same probe run without the filter shows each call succeeding (or failing otherwise),
so every check here can fail."""

from __future__ import annotations

import ctypes
import errno
import platform
import socket

import pytest

from nkrel.sparql import sandbox
from nkrel.sparql.runner import run_isolated

FAMILIES = {"AF_UNIX": socket.AF_UNIX, "AF_INET": socket.AF_INET, "AF_INET6": socket.AF_INET6}
TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM}
IO_URING_SETUP = 425  # the same number on x86_64 and aarch64


def _errno_of(call) -> int:
    """0 when the call succeeded, else its errno."""
    try:
        call()
    except OSError as e:
        return e.errno
    return 0


def _libc_errno(result: int) -> int:
    return ctypes.get_errno() if result < 0 else 0


def probe(inherited: dict[str, socket.socket], target: tuple[str, int]) -> dict[str, int]:
    """Each call the sandbox is about to refuse, made for real: name -> errno (0 = done)."""
    libc = ctypes.CDLL(None, use_errno=True)
    out = {}
    for fname, family in FAMILIES.items():
        for tname, kind in TYPES.items():
            out[f"socket {fname} {tname}"] = _errno_of(lambda f=family, k=kind: socket.socket(f, k).close())
    tcp, udp, unix = inherited["tcp"], inherited["udp"], inherited["unix"]
    out["bind AF_INET"] = _errno_of(lambda: tcp.bind(("127.0.0.1", 0)))
    out["listen AF_INET"] = _errno_of(lambda: tcp.listen())
    out["bind AF_UNIX"] = _errno_of(lambda: unix.bind("\0nkrel-sandbox-test"))  # abstract: no file made
    out["accept"] = _errno_of(lambda: inherited["listening"].accept())
    out["accept4"] = _libc_errno(libc.accept4(inherited["listening"].fileno(), None, None, socket.SOCK_NONBLOCK))
    out["connect"] = _errno_of(lambda: udp.connect(target))
    out["sendto"] = _errno_of(lambda: udp.sendto(b"x", target))
    out["sendmsg"] = _errno_of(lambda: udp.sendmsg([b"x"], [], 0, target))
    out["sendmmsg"] = _libc_errno(libc.sendmmsg(udp.fileno(), None, 0, 0))
    params = ctypes.create_string_buffer(120)  # struct io_uring_params
    out["io_uring_setup"] = _libc_errno(libc.syscall(IO_URING_SETUP, 1, params))
    if platform.machine() == "x86_64":  # socket() through the x32 ABI's number
        out["x32 socket"] = _libc_errno(libc.syscall(0x40000000 | 41, socket.AF_INET, socket.SOCK_STREAM, 0))
    return out


@pytest.fixture
def sockets():
    """A factory of sockets made before the fork (the query process inherits them), and
    an address that would answer."""
    made = []

    def new() -> dict[str, socket.socket]:
        fresh = {"tcp": socket.socket(socket.AF_INET, socket.SOCK_STREAM),
                 "udp": socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
                 "unix": socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
                 "listening": socket.create_server(("127.0.0.1", 0))}  # fmt: skip
        fresh["listening"].setblocking(False)  # accept answers EAGAIN at once when not refused
        made.extend(fresh.values())
        return fresh

    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    made.append(sink)
    yield new, sink.getsockname()
    for s in made:
        s.close()


def test_the_filter_is_available_here():
    """The tests below would prove nothing on a machine without the filter: say so."""
    assert sandbox.available(), f"no seccomp filter for {platform.machine()}"


def test_every_denied_call_fails_with_eperm_in_the_query_process(sockets, monkeypatch):
    new, target = sockets
    inherited = new()
    filtered = run_isolated(lambda: probe(inherited, target), timeout=60)
    assert filtered == dict.fromkeys(filtered, errno.EPERM)
    tried = {name.split()[0] for name in filtered}  # every call the module lists is tried
    assert set(sandbox.NO_SOCKETS) <= tried, set(sandbox.NO_SOCKETS) - tried
    # the same probe without the filter: no answer is EPERM, so each check above can fail
    monkeypatch.setattr(sandbox, "deny", lambda *a, **k: False)
    inherited = new()
    plain = run_isolated(lambda: probe(inherited, target), timeout=60)
    assert set(plain) == set(filtered)
    assert [name for name, code in plain.items() if code == errno.EPERM] == []


def server_probe(target: tuple[str, int]) -> dict[str, int]:
    """What the server's filter lets through (listening) and refuses (dialling)."""
    sandbox.deny(sandbox.NO_CONNECTIONS)
    out = {}
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    out["bind"] = _errno_of(lambda: listener.bind(("127.0.0.1", 0)))
    out["listen"] = _errno_of(lambda: listener.listen())
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out["connect"] = _errno_of(lambda: udp.connect(target))
    out["sendto"] = _errno_of(lambda: udp.sendto(b"x", target))
    out["sendmsg"] = _errno_of(lambda: udp.sendmsg([b"x"], [], 0, target))
    return out


def test_the_server_filter_listens_but_never_dials(sockets, monkeypatch):
    target = sockets[1]
    monkeypatch.setattr(sandbox, "deny", _deny_only_servers(sandbox.deny))
    answers = run_isolated(lambda: server_probe(target), timeout=60)
    assert answers == {"bind": 0, "listen": 0, "connect": errno.EPERM, "sendto": errno.EPERM,
                       "sendmsg": errno.EPERM}  # fmt: skip


def _deny_only_servers(real):
    """run_isolated's own query filter off, so that the probe gets the server's filter alone."""

    def deny(refused=sandbox.NO_SOCKETS):
        return real(refused) if refused == sandbox.NO_CONNECTIONS else False

    return deny
