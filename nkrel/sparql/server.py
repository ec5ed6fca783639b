"""`nkrel serve`: a local read-only SPARQL endpoint over the build, run by the Oxigraph
server (the PyPI package `oxigraph`, a native binary) behind a small guard.

The dataset is bulk-loaded with `oxigraph load` into a temporary folder and served by
`oxigraph serve-read-only --union-default-graph` on a private loopback port, so queries
see the named graphs the way `nkrel query` does locally. In front of it, on the address
the user asked for, a guard (a Python HTTP proxy) accepts only requests whose Host is
an IP address, localhost or a name given with --allow-host (a page that rebinds its own
DNS name to 127.0.0.1 is refused), refuses queries that would reach elsewhere (SERVICE,
FROM; see nkrel/sparql/safety.py) and every write, and forwards the rest, YASGUI's
query page included. The Oxigraph process itself cannot open a connection
(nkrel/sparql/sandbox.py), so even a query the guard let through cannot make it relay
requests. SIGINT, SIGTERM and SIGHUP stop both; on Linux the server also stops if nkrel
dies (PR_SET_PDEATHSIG), so no process is left behind.
"""

from __future__ import annotations

import http.client
import http.server
import ipaddress
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
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


def _server_preexec():
    """A preexec_fn for the Oxigraph server: SIGTERM if nkrel dies, and no outgoing connections."""
    from .sandbox import NO_CONNECTIONS, deny

    prctl = None
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            prctl = None

    def preexec():
        if prctl is not None:
            prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        deny(NO_CONNECTIONS)

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


def host_allowed(host: str | None, port: int, names: frozenset[str] = frozenset()) -> bool:
    """Whether a request's Host header names this server: an IP address, localhost, or a
    name the user allowed, with this server's port. A DNS name the user did not allow is
    refused: that is how a page rebinding its own name to 127.0.0.1 would arrive."""
    if not host:
        return False
    m = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::([0-9]{1,5}))?", host.strip())
    if not m:
        return False
    name, given = m.group(1).strip("[]").lower().rstrip("."), m.group(2)
    if (int(given) if given else 80) != port:
        return False
    if name == "localhost" or name in names:
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "host", "content-length"}  # fmt: skip
MAX_BODY = 16 * 1024 * 1024


class _Guard(http.server.BaseHTTPRequestHandler):
    """The guard in front of the Oxigraph server: Host check, query check, read-only."""

    protocol_version = "HTTP/1.0"  # one request per connection; the answer ends when the connection closes
    server_version = "nkrel-serve"
    sys_version = ""

    def log_message(self, format, *args):  # no access log on the terminal
        pass

    def do_GET(self):
        self._handle(b"")

    def do_HEAD(self):
        self._handle(b"")

    def do_POST(self):
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return self._refuse(413 if length.isdigit() else 411, "a request body of at most 16 MiB, with its length")
        self._handle(self.rfile.read(int(length)))

    def do_PUT(self):
        self._refuse(403, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self, status: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self, body: bytes) -> None:
        from .query import PREFIXES
        from .safety import UnsafeQuery, check_query, with_prefixes

        server = self.server
        if not host_allowed(self.headers.get("Host"), server.public_port, server.allowed_names):
            return self._refuse(403, "this Host is not allowed (nkrel serve --allow-host NAME to allow a name)")
        path, _, query_string = self.path.partition("?")
        if path.rstrip("/") == "/update":
            return self._refuse(403, "this endpoint is read-only")
        if self.command == "POST" and path not in ("/query", "/sparql"):
            return self._refuse(403, "this endpoint is read-only")
        if path in ("/query", "/sparql"):
            params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
            kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if self.command == "POST" and kind == "application/x-www-form-urlencoded":
                params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
            if "update" in params or kind == "application/sparql-update":
                return self._refuse(403, "updates are refused: this endpoint is read-only")
            texts = params.get("query", [])
            if self.command == "POST" and kind == "application/sparql-query":
                texts = [body.decode("utf-8", "replace")]
            if len(texts) != 1:
                return self._refuse(400, "give exactly one query")
            try:
                check_query(texts[0], PREFIXES)
            except UnsafeQuery as e:
                return self._refuse(400 if str(e).startswith("SPARQL syntax") else 403, str(e))
            # sent on as a form, with the prefixes nkrel declares written out for the server
            params["query"] = [with_prefixes(texts[0], PREFIXES)]
            form = urllib.parse.urlencode(params, doseq=True).encode("utf-8")
            return self._forward("POST", path, form, "application/x-www-form-urlencoded")
        self._forward(self.command, self.path, body, None)

    def _forward(self, method: str, path: str, body: bytes, content_type: str | None) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.backend_port, timeout=self.server.timeout_s)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if content_type:
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP_BY_HOP and not key.lower().startswith("access-control-"):
                    self.send_header(key, value)
            self.end_headers()
            while chunk := response.read(1 << 16):
                self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            self.close_connection = True
        finally:
            connection.close()


class _GuardServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _guard(bind: str, port: int, backend_port: int, timeout: float, allowed: frozenset[str]) -> _GuardServer:
    server_class = _GuardServer
    if ":" in bind:
        server_class = type("_GuardServer6", (_GuardServer,), {"address_family": socket.AF_INET6})
    try:
        server = server_class((bind, port), _Guard)
    except OSError as e:
        raise ServeError(f"cannot listen on {_bind_arg(bind, port)}: {e.strerror}; choose another --port") from None
    except (socket.gaierror, UnicodeError) as e:
        raise ServeError(f"cannot bind to {bind!r}: {e}") from None
    server.public_port = server.server_address[1]
    server.backend_port = backend_port
    server.timeout_s = timeout + 5
    server.allowed_names = allowed
    return server


def serve(quads, bind: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, echo=print, warn=print,
          allow_hosts=()) -> int:  # fmt: skip
    """Serve a list of quads (read-only) until a signal; return the exit code.

    echo(line) prints the URLs once the server answers; warn(line) goes to stderr.
    """
    import pyoxigraph as ox

    exe = find_oxigraph()
    if not is_loopback(bind):
        warn(f"nkrel: warning: listening on {bind}, not loopback: anyone who can reach it can query the graph")
    backend_port = reserve_port("127.0.0.1", 0)
    allowed = frozenset(h.lower().rstrip(".") for h in allow_hosts)
    guard = _guard(bind, port, backend_port, timeout, allowed)
    port = guard.public_port
    tmp = Path(tempfile.mkdtemp(prefix="nkrel-serve-"))
    child = None
    serving = False
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
        command = [str(exe), "serve-read-only", "--location", str(db), "--bind", f"127.0.0.1:{backend_port}",
                   "--union-default-graph", "--timeout-s", str(max(1, round(timeout)))]  # fmt: skip
        with open(log, "wb") as log_fh:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_fh, stderr=subprocess.STDOUT,
                                     preexec_fn=_server_preexec())  # fmt: skip
        deadline = time.monotonic() + 20
        while not _answers(f"http://127.0.0.1:{backend_port}/query"):
            if stopping:
                break
            if child.poll() is not None:
                raise ServeError(f"the Oxigraph server stopped at start (exit {child.returncode}): {_tail(log)}")
            if time.monotonic() > deadline:
                raise ServeError(f"the Oxigraph server did not answer within 20 s: {_tail(log)}")
            time.sleep(0.05)
        threading.Thread(target=guard.serve_forever, daemon=True).start()
        serving = True
        base = f"http://{_host_for_url(bind)}:{port}"
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
        if serving:
            guard.shutdown()
        guard.server_close()
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
