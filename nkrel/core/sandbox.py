"""The second line of defence: processes that run SPARQL cannot open network connections.

Whatever the query check lets through, the process that executes a query (a forked
child of `nkrel query`) and the Oxigraph server behind `nkrel serve` run under a
seccomp filter installed here (Linux, x86_64 and aarch64): the system calls that
create or connect sockets fail with EPERM, so SERVICE, or anything else, cannot reach
a host. The server keeps the listening socket it needs: its filter refuses connect()
and sending to an address, not socket() itself.

Elsewhere (another OS or CPU) the filter is not available; `available()` says so and
the first line of defence (nkrel/sparql/safety.py) stands alone.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys

# seccomp constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K

# machine -> (audit arch, {syscall name: number})
# fmt: off
_ARCHES = {
    "x86_64": (
        0xC000003E,
        {"socket": 41, "connect": 42, "sendto": 44, "sendmsg": 46, "sendmmsg": 307, "io_uring_setup": 425,
         "accept": 43, "bind": 49, "listen": 50, "accept4": 288},
    ),
    "aarch64": (
        0xC00000B7,
        {"socket": 198, "connect": 203, "sendto": 206, "sendmsg": 211, "sendmmsg": 269, "io_uring_setup": 425,
         "bind": 200, "listen": 201, "accept": 202, "accept4": 242},
    ),
}
# fmt: on
_X32_BIT = 0x40000000  # x86_64's x32 ABI numbers: refused wholesale, so they cannot bypass the filter

# which calls each kind of process may not make
# a query process: no new socket, and none it inherited may listen, accept or dial
NO_SOCKETS = ("socket", "connect", "sendto", "sendmsg", "sendmmsg", "io_uring_setup", "bind", "listen", "accept",
              "accept4")  # fmt: skip
NO_CONNECTIONS = ("connect", "sendmsg", "sendmmsg", "io_uring_setup")  # a server: it listens, never dials


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def available() -> bool:
    return sys.platform.startswith("linux") and platform.machine() in _ARCHES


def _program(refused: tuple[str, ...], addressed_sendto: bool) -> list[tuple[int, int, int, int]]:
    arch, numbers = _ARCHES[platform.machine()]
    deny = [numbers[name] for name in refused]
    code = [(_LD_W_ABS, 0, 0, 4)]  # seccomp_data.arch
    code.append((_JEQ_K, 1, 0, arch))
    code.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))  # another ABI: refuse
    code.append((_LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    if platform.machine() == "x86_64":
        code.append((_JGE_K, 0, 1, _X32_BIT))
        code.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))
    for nr in deny:
        code.append((_JEQ_K, 0, 1, nr))
        code.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))
    if addressed_sendto:  # sendto(fd, buf, len, flags, dest_addr, addrlen): refuse a non-NULL dest_addr
        offset = 16 + 8 * 4  # seccomp_data.args[4], little-endian halves
        code.append((_JEQ_K, 0, 5, numbers["sendto"]))
        code.append((_LD_W_ABS, 0, 0, offset))
        code.append((_JEQ_K, 0, 2, 0))
        code.append((_LD_W_ABS, 0, 0, offset + 4))
        code.append((_JEQ_K, 1, 0, 0))
        code.append((_RET_K, 0, 0, _RET_ERRNO | errno.EPERM))
    code.append((_RET_K, 0, 0, _RET_ALLOW))
    return code


def deny(refused: tuple[str, ...] = NO_SOCKETS) -> bool:
    """Install the filter in this process (and everything it starts). True if installed.

    Irreversible: call it in a child process (after fork, or as a preexec_fn)."""
    if not available() or sys.byteorder != "little":
        return False
    code = _program(refused, addressed_sendto="sendto" not in refused)
    filters = (_Filter * len(code))(*[_Filter(*c) for c in code])
    program = _Program(len(code), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
