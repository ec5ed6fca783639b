"""The second line of defence call by call: inside the isolated process that runs a
query (runner.run_isolated), every system call nkrel/core/sandbox.py says it denies
fails with EPERM: no socket of any family is made, and one the process inherited can
neither bind, listen, accept nor send. The
same probe run without the filter shows each call succeeding (or failing otherwise),
so every check here can fail."""

from __future__ import annotations

import ctypes
import errno
import mmap
import platform
import re
import socket
import struct
from pathlib import Path

import pytest

from nkrel.core import sandbox
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


def addressed_probe(target: tuple[str, int]) -> dict[str, int]:
    """The server's filter on sendto(): an address anywhere in memory is refused, even one
    whose low or high 32 bits are zero; no address (how send() reaches the kernel) is let through,
    whatever the unused length says."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.sendto.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_void_p,
                            ctypes.c_uint]  # fmt: skip
    local, remote = socket.socketpair()  # connected before the filter, as the server's clients are
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sandbox.deny(sandbox.NO_CONNECTIONS)
    out = {"send": _errno_of(lambda: local.send(b"x"))}
    null_with_length = libc.sendto(local.fileno(), b"y", 1, 0, None, 16)
    out["sendto NULL, length 16"] = _libc_errno(null_with_length)
    # an address whose low half is zero: a page at 4 GiB x 0x2000 (MAP_FIXED_NOREPLACE)
    page = libc.mmap(0x2000_0000_0000, 4096, 3, 0x22 | 0x100000, -1, 0)
    assert page == 0x2000_0000_0000, "no page at the address asked for"
    addr = socket.inet_aton(target[0])
    sockaddr = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(target[1]), addr)
    ctypes.memmove(page, sockaddr, len(sockaddr))
    out["sendto a low-zero address"] = _libc_errno(libc.sendto(udp.fileno(), b"z", 1, 0, page, len(sockaddr)))
    low = libc.mmap(0x7000_0000, 4096, 3, 0x22 | 0x100000, -1, 0)  # and one below 4 GiB: high half zero
    assert low == 0x7000_0000, "no page at the address asked for"
    ctypes.memmove(low, sockaddr, len(sockaddr))
    out["sendto an address below 4 GiB"] = _libc_errno(libc.sendto(udp.fileno(), b"z", 1, 0, low, len(sockaddr)))
    remote.setblocking(False)  # nothing sent must not hang the test
    try:
        out["received"] = len(remote.recv(10))
    except BlockingIOError:
        out["received"] = 0
    return out


def test_the_server_filter_refuses_every_address_and_lets_replies_through(sockets, monkeypatch):
    target = sockets[1]
    monkeypatch.setattr(sandbox, "deny", _deny_only_servers(sandbox.deny))
    answers = run_isolated(lambda: addressed_probe(target), timeout=60)
    assert answers == {"send": 0, "sendto NULL, length 16": 0, "sendto a low-zero address": errno.EPERM,
                       "sendto an address below 4 GiB": errno.EPERM, "received": 2}  # fmt: skip


def test_no_filter_where_it_is_not_available(monkeypatch):
    """On another OS or CPU deny() installs nothing and says so; sockets still work."""
    monkeypatch.setattr(sandbox, "available", lambda: False)

    def probe():
        installed = sandbox.deny()
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
        return installed

    assert run_isolated(probe, timeout=60) is False
    monkeypatch.undo()  # and where it is, deny() says it installed it
    assert run_isolated(lambda: sandbox.deny(sandbox.NO_CONNECTIONS), timeout=60) is True


HEADERS = {
    "x86_64": "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
    "aarch64": "/usr/include/asm-generic/unistd.h",  # aarch64 uses the generic table
}


def _defines(path: str) -> dict[str, str]:
    text = Path(path).read_text(encoding="utf-8")
    return dict(re.findall(r"^#define\s+(\w+)\s+(.+?)\s*(?:/\*.*)?$", text, re.M))


@pytest.mark.parametrize("machine", sorted(HEADERS))
def test_the_syscall_numbers_are_the_kernels(machine):
    """Both CPUs' tables, checked against the kernel's headers (linux-libc-dev): the one
    not running here is never exercised by the tests above."""
    if not Path(HEADERS[machine]).is_file() or not Path("/usr/include/linux/audit.h").is_file():
        pytest.fail("no kernel headers here: `make test-deps` installs them (Debian's linux-libc-dev)")
    arch, numbers = sandbox._ARCHES[machine]
    defines = _defines(HEADERS[machine])
    assert numbers == {name: int(defines[f"__NR_{name}"]) for name in numbers}
    em = _defines("/usr/include/linux/elf-em.h")[{"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}[machine]]
    audit = _defines("/usr/include/linux/audit.h")
    expected = int(em) | int(audit["__AUDIT_ARCH_64BIT"], 16) | int(audit["__AUDIT_ARCH_LE"], 16)
    assert arch == expected


# socket(AF_INET, SOCK_STREAM, 0) through the i386 ABI (int 0x80, number 359), rbx kept
I386_SOCKET = bytes.fromhex("53b867010000bb02000000b90100000031d2cd805bc3")


def i386_socket() -> int:
    code = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    code.write(I386_SOCKET)
    return ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(code)))()


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the i386 ABI is x86_64's")
def test_a_32_bit_system_call_cannot_bypass_the_filter(monkeypatch):
    """The filter is keyed on x86_64's numbers: a call through another ABI is refused whole."""
    monkeypatch.setattr(sandbox, "deny", lambda *a, **k: False)
    plain = run_isolated(i386_socket, timeout=60)
    if plain == -errno.ENOSYS:
        pytest.skip("this kernel has no i386 emulation")
    assert plain >= 0  # without the filter the call makes a socket: the check below can fail
    monkeypatch.undo()
    assert run_isolated(i386_socket, timeout=60) == -errno.EPERM
