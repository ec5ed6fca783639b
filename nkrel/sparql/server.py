"""`nkrel serve`: a local read-only SPARQL endpoint over the build, run by the Oxigraph
server (the PyPI package `oxigraph`, a native binary).

The dataset is bulk-loaded with `oxigraph load` into a temporary folder, then served by
`oxigraph serve-read-only --union-default-graph`, so queries see the named graphs the
way `nkrel query` does locally. SIGINT, SIGTERM and SIGHUP are forwarded to the
server; nkrel waits for it and removes the temporary folder. On Linux the server is
also told to stop if nkrel itself dies (PR_SET_PDEATHSIG), so no process is left
behind.
"""

from __future__ import annotations

import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


class ServeError(Exception):
    """The server cannot start: no binary, port in use, load failed, early exit."""


def find_oxigraph() -> Path:
    """The `oxigraph` binary installed next to this Python (pip install oxigraph), or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServeError(
        "the Oxigraph server is not installed: no `oxigraph` binary next to "
        f"{sys.executable} or on PATH; install it with `pip install oxigraph`"
    )


def _host_for_url(addr: str) -> str:
    """The host to print in URLs: a wildcard address is reached through loopback."""
    if addr in ("", "0.0.0.0"):
        return "127.0.0.1"
    if addr == "::":
        return "[::1]"
    return f"[{addr}]" if ":" in addr else addr


def _bind_arg(addr: str, port: int) -> str:
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def is_loopback(addr: str) -> bool:
    if addr == "localhost":
        return True
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


def reserve_port(addr: str, port: int) -> int:
    """Check that ADDR:PORT can be bound (port 0: pick a free one) and return the port."""
    try:
        infos = socket.getaddrinfo(addr, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ServeError(f"cannot bind to {addr!r}: {e.strerror}") from None
    family, _, _, _, sockaddr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(sockaddr)
        except OSError as e:
            raise ServeError(f"cannot listen on {_bind_arg(addr, port)}: {e.strerror}; choose another --port") from None
        return s.getsockname()[1]


def _die_with_parent():
    """A preexec_fn: the child gets SIGTERM if nkrel dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def preexec():
        prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG

    return preexec


def _answers(query_url: str) -> bool:
    request = urllib.request.Request(
        query_url + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def serve(quads, bind: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, echo=print, warn=print) -> int:
    """Serve a list of quads (read-only) until a signal; return the exit code.

    echo(line) prints the URLs once the server answers; warn(line) goes to stderr.
    """
    import pyoxigraph as ox

    exe = find_oxigraph()
    if not is_loopback(bind):
        warn(
            f"nkrel: warning: listening on {bind}, not loopback: anyone who can reach it can query, "
            "and SERVICE in a query makes the server fetch URLs"
        )
    port = reserve_port(bind, port)
    tmp = Path(tempfile.mkdtemp(prefix="nkrel-serve-"))
    child = None
    stopping: list[int] = []
    previous = {}

    def forward(signum, frame):
        stopping.append(signum)
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)
        elif child is None:
            raise KeyboardInterrupt

    try:
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                previous[sig] = signal.signal(sig, forward)
        dump = tmp / "nkrel.nq"
        ox.serialize(quads, str(dump), format=ox.RdfFormat.N_QUADS)
        n_quads = len(set(quads))
        n_graphs = len({q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        db = tmp / "db"
        loaded = subprocess.run(
            [str(exe), "load", "--location", str(db), "--file", str(dump)], capture_output=True, text=True
        )
        if loaded.returncode != 0:
            raise ServeError(f"`oxigraph load` failed (exit {loaded.returncode}): {loaded.stderr.strip()}")
        dump.unlink()
        log = tmp / "oxigraph.log"
        command = [str(exe), "serve-read-only", "--location", str(db), "--bind", _bind_arg(bind, port),
                   "--union-default-graph", "--timeout-s", str(max(1, round(timeout)))]  # fmt: skip
        with open(log, "wb") as log_fh:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_fh, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent())  # fmt: skip
        base = f"http://{_host_for_url(bind)}:{port}"
        deadline = time.monotonic() + 20
        while not _answers(base + "/query"):
            if stopping:
                break
            if child.poll() is not None:
                raise ServeError(f"the Oxigraph server stopped at start (exit {child.returncode}): {_tail(log)}")
            if time.monotonic() > deadline:
                raise ServeError(f"the Oxigraph server did not answer at {base}/query within 20 s: {_tail(log)}")
            time.sleep(0.05)
        if not stopping:
            warn(f"Oxigraph server (PID {child.pid}) serving {n_graphs} named graphs ({n_quads} quads), read-only")
            echo(f"SPARQL query endpoint:    {base}/query")
            echo(f"Graph store (read-only):  {base}/store")
            echo(f"Query page:               {base}/")
            echo("Press Ctrl-C to stop.")
        code = child.wait()
        if stopping:
            warn(f"Stopped (signal {signal.Signals(stopping[0]).name}).")
            return 0
        raise ServeError(f"the Oxigraph server stopped by itself (exit {code}): {_tail(log)}")
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(tmp, ignore_errors=True)
