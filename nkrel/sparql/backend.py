"""The Oxigraph server behind `nkrel serve`, reachable by the guard only.

A web page can steer a browser to any loopback port (DNS rebinding: the page's own
name resolves to 127.0.0.1), and the Oxigraph server answers whatever Host a request
names. So, on Linux, the server runs in a network namespace of its own (an unprivileged
user namespace): it listens on that namespace's loopback, which nothing else on the
machine can reach. A small helper process that has joined the namespace opens each
connection for the guard and hands it over a Unix socket pair (SCM_RIGHTS).

Where user namespaces are not available (another OS, or a system that forbids them),
the server listens on a random port of a random 127.x.y.z address and `serve` says so:
about 2^40 places to guess through DNS rebinding, a hurdle rather than a wall.
"""

from __future__ import annotations

import ctypes
import os
import random
import signal
import socket
import struct
import sys
import threading

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
INSIDE_PORT = 7878  # the server's port inside its own namespace, where nothing else listens


def _libc():
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def namespaces_possible() -> bool:
    return sys.platform.startswith("linux") and os.environ.get("NKREL_SERVE_NO_NAMESPACE", "") in ("", "0")


def own_network_preexec(deny_calls):
    """A preexec_fn: a user and network namespace of its own with loopback up, SIGTERM if
    nkrel dies, then the seccomp filter (deny_calls). Raises in the child if refused."""
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()

    def preexec():
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare")
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w", encoding="ascii") as fh:
                fh.write(text)
        _loopback_up()
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
        deny_calls()

    return preexec


def _loopback_up() -> None:
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | _IFF_UP))


def random_loopback_address() -> str:
    """A random 127.x.y.z other than 127.0.0.1, if this system can bind it; else 127.0.0.1."""
    rng = random.SystemRandom()
    addr = f"127.{rng.randrange(1, 255)}.{rng.randrange(1, 255)}.{rng.randrange(1, 255)}"
    try:
        with socket.socket() as s:
            s.bind((addr, 0))
        return addr
    except OSError:
        return "127.0.0.1"


class TcpConnector:
    """Connections to a server on a loopback address and port (the fallback)."""

    def __init__(self, addr: str, port: int):
        self.addr, self.port = addr, port

    def connect(self, timeout: float) -> socket.socket:
        return socket.create_connection((self.addr, self.port), timeout=timeout)

    def close(self) -> None:
        pass


class NamespaceConnector:
    """Connections into the server's network namespace, opened by a helper process."""

    def __init__(self, server_pid: int):
        ours, theirs = socket.socketpair()
        libc = _libc()
        pid = os.fork()  # called before the guard starts its threads
        if pid == 0:
            try:
                ours.close()
                _helper(libc, server_pid, theirs)
            finally:
                os._exit(0)
        theirs.close()
        self.pid = pid
        self._sock = ours
        self._lock = threading.Lock()
        ours.settimeout(10)
        try:
            self.joined = ours.recv(1) == b"J"  # the helper did join the namespace
        except OSError:
            self.joined = False
        ours.settimeout(None)

    def connect(self, timeout: float) -> socket.socket:
        with self._lock:
            self._sock.sendall(b"c")
            _, fds, _, _ = socket.recv_fds(self._sock, 1, 1)
        if not fds:
            raise ConnectionRefusedError("the Oxigraph server refused a connection")
        conn = socket.socket(fileno=fds[0])
        conn.settimeout(timeout)
        return conn

    def close(self) -> None:
        self._sock.close()  # the helper reads end-of-file and exits
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _helper(libc, server_pid: int, channel: socket.socket) -> None:
    """In the forked helper: join the server's namespaces, then connect on each request."""
    libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # not nkrel's handlers
        signal.signal(sig, signal.SIG_DFL)
    for kind, flag in (("user", _CLONE_NEWUSER), ("net", _CLONE_NEWNET)):
        fd = os.open(f"/proc/{server_pid}/ns/{kind}", os.O_RDONLY)
        if libc.setns(fd, flag) != 0:
            channel.sendall(b"N")
            return
        os.close(fd)
    channel.sendall(b"J")
    while channel.recv(1):
        try:
            with socket.create_connection(("127.0.0.1", INSIDE_PORT), timeout=5) as conn:
                socket.send_fds(channel, [b"1"], [conn.fileno()])
        except OSError:
            channel.sendall(b"0")
