"""`nkrel serve`: a local read-only SPARQL endpoint over the build, run by the Oxigraph
server (the PyPI package `oxigraph`, a native binary) behind a small guard.

The dataset is bulk-loaded with `oxigraph load` into a temporary folder and served by
`oxigraph serve-read-only --union-default-graph` on a private loopback port, so queries
see the named graphs the way `nkrel query` does locally. In front of it, on the address
the user asked for, a guard (a Python HTTP proxy) accepts only requests whose Host is
an IP address, localhost or a name given with --allow-host (a page that rebinds its own
DNS name to 127.0.0.1 is refused), refuses queries that would reach elsewhere (SERVICE,
FROM; see nkrel/sparql/safety.py, run by worker processes bounded in time and memory,
nkrel/sparql/checker.py) and every write, and forwards the rest, YASGUI's query page
included. The guard is bounded too: a fixed pool of threads, a queue, 1 MiB bodies, a
deadline to send the request (408), and answers read whole before they are sent, so
a runaway query ends as an HTTP error (504) instead of a dropped connection. The
Oxigraph process cannot open a connection (nkrel/core/sandbox.py), so even a query
the guard let through cannot make it relay requests, and it lives in a network
namespace of its own that nothing but the guard can reach (nkrel/sparql/backend.py).
SIGINT, SIGTERM and SIGHUP stop both; on Linux the server also stops if nkrel
dies (PR_SET_PDEATHSIG), so no process is left behind.
"""

from __future__ import annotations

import http.client
import http.server
import io
import ipaddress
import os
import queue
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
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
    from ..core.sandbox import NO_CONNECTIONS, deny

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


def _answers(connector) -> bool:
    connection = _BackendConnection(connector, 2)
    try:
        connection.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


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
MAX_BODY = 1024 * 1024  # a request body (a query) of at most 1 MiB
MAX_ANSWER = 256 * 1024 * 1024  # an answer of at most 256 MiB, spooled to disk beyond 1 MiB
READ_TIMEOUT = 10.0  # seconds a client has to send its whole request
WRITE_TIMEOUT = 30.0  # seconds a client may take to accept each piece of the answer
THREADS = 16  # requests handled at once; the rest wait in the queue
QUEUE = 512  # connections waiting for a thread; beyond that, an immediate 503
QUEUE_WAIT = 120.0  # seconds a request may wait for a free check worker before a 503
_BUSY_TEXT = b"the server is busy: try again in a moment\n"
_BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
         b"Content-Length: %d\r\n\r\n%s" % (len(_BUSY_TEXT), _BUSY_TEXT))  # fmt: skip


class _DeadlineReader(io.RawIOBase):
    """A socket read that fails with TimeoutError once the request's deadline has passed,
    however slowly the client sends (a client that stops sending is answered 408)."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.deadline, self.expired = sock, deadline, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("the request was not sent in time")
        self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            self.expired = True
            raise


class _Refusal(Exception):
    """An HTTP error answer with a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Guard(http.server.BaseHTTPRequestHandler):
    """The guard in front of the Oxigraph server: Host check, query check, read-only,
    bounded in time and size; every failure is an HTTP error with a plain message."""

    protocol_version = "HTTP/1.0"  # one request per connection
    server_version = "nkrel-serve"
    sys_version = ""

    def log_message(self, format, *args):  # no access log on the terminal
        pass

    def setup(self):
        self.connection = self.request
        self.reader = _DeadlineReader(self.connection, time.monotonic() + self.server.read_timeout)
        self.rfile = io.BufferedReader(self.reader)
        self.wfile = socketserver._SocketWriter(self.connection)
        self.answered = False

    def handle(self):
        self.handle_one_request()
        if self.reader.expired and not self.answered:
            self.close_connection = True
            try:
                self.connection.settimeout(1)
                self._refuse(408, f"the request was not sent within {self.server.read_timeout:g} s")
            except OSError:
                pass

    def send_response(self, code, message=None):
        self.answered = True
        super().send_response(code, message)

    def do_GET(self):
        self._handle(b"")

    def do_HEAD(self):
        self._handle(b"")

    def do_POST(self):
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > self.server.max_body:
            status = 413 if length.isdigit() else 411
            self._refuse(status, f"a request body of at most {self.server.max_body} bytes, with its length")
            return self._discard(int(length) if length.isdigit() else 0)
        self._handle(self.rfile.read(int(length)))

    def _discard(self, length: int) -> None:
        """Read and drop a refused body (within the read deadline, 64 MiB at most), so the
        client, still sending, reads the answer instead of a reset connection."""
        left = min(length, 64 << 20)
        try:
            while left > 0 and (chunk := self.rfile.read1(min(left, 1 << 16))):
                left -= len(chunk)
        except OSError:
            pass

    def do_PUT(self):
        self._refuse(403, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self, status: int, message: str, headers=()) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)

    def _send(self, status: int, content_type: str, body: bytes, headers=()) -> None:
        """An answer the guard gives itself (a refusal, one of nkrel's own pages)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self, body: bytes) -> None:
        self.connection.settimeout(WRITE_TIMEOUT)  # the request is read; from here on, the answer
        try:
            if self._answer_own_page():
                return
            method, path, body, content_type = self._request_to_forward(body)
            self._forward(method, path, body, content_type, time.monotonic())
        except _Refusal as refusal:
            retry = [("Retry-After", "1")] if refusal.status == 503 else []
            self._refuse(refusal.status, str(refusal), retry)

    def _answer_own_page(self) -> bool:
        """Answer a GET of one of nkrel's own pages (after the Host check); False otherwise."""
        own = self.server.pages.get(self.path.partition("?")[0]) if self.command in ("GET", "HEAD") else None
        if own is None:
            return False
        if not host_allowed(self.headers.get("Host"), self.server.public_port, self.server.allowed_names):
            raise _Refusal(403, "this Host is not allowed (nkrel serve --allow-host NAME to allow a name)")
        self._send(200, *own)
        return True

    def _request_to_forward(self, body: bytes):
        """What to send to the Oxigraph server, or a _Refusal."""
        server = self.server
        if not host_allowed(self.headers.get("Host"), server.public_port, server.allowed_names):
            raise _Refusal(403, "this Host is not allowed (nkrel serve --allow-host NAME to allow a name)")
        path, _, query_string = self.path.partition("?")
        if path.rstrip("/") == "/update" or (self.command == "POST" and path not in ("/query", "/sparql")):
            raise _Refusal(403, "this endpoint is read-only")
        if path not in ("/query", "/sparql"):
            return self.command, self.path, body, None
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if self.command == "POST" and kind == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
        if "update" in params or kind == "application/sparql-update":
            raise _Refusal(403, "updates are refused: this endpoint is read-only")
        texts = params.get("query", [])
        if self.command == "POST" and kind == "application/sparql-query":
            texts = [body.decode("utf-8", "replace")]
        if len(texts) != 1:
            raise _Refusal(400, "give exactly one query")
        # sent on as a form, with the prefixes nkrel declares written out for the server
        params["query"] = [self._checked(texts[0])]
        return "POST", path, urllib.parse.urlencode(params, doseq=True).encode("utf-8"), FORM

    def _checked(self, text: str) -> str:
        """The query with nkrel's prefixes, once a check worker has passed it (in time)."""
        from .checker import CheckOverrun

        server = self.server
        try:
            verdict = server.checks.check(text, server.query_timeout, QUEUE_WAIT)
        except queue.Empty:
            raise _Refusal(503, "the server is busy checking other queries: try again in a moment") from None
        except CheckOverrun as e:
            if str(e) == "timeout":
                raise _Refusal(504, f"checking the query took longer than the {server.query_timeout:g} s timeout; "
                               "it was stopped (nkrel serve --timeout)") from None  # fmt: skip
            raise _Refusal(503, f"checking the query needed more than the {server.memory_mb} MiB memory "
                           "limit; it was stopped (nkrel serve --memory)") from None  # fmt: skip
        if verdict["status"] != 200:
            raise _Refusal(verdict["status"], verdict["message"])
        return verdict["text"]

    def _forward(self, method: str, path: str, body: bytes, content_type: str | None, start: float) -> None:
        """Ask the Oxigraph server and pass its whole answer on, or an HTTP error: the answer
        is read to its end (spooled to disk beyond 1 MiB) before anything is sent."""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if content_type:
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            headers["Content-Type"] = content_type
        with tempfile.SpooledTemporaryFile(max_size=1 << 20, dir=self.server.tmp) as spool:
            status, reason, answer_headers = _ask_backend(self.server, method, path, body, headers, spool, start)
            self.send_response(status, reason)
            for key, value in answer_headers:
                if key.lower() not in _HOP_BY_HOP and not key.lower().startswith("access-control-"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(spool.tell()))
            self.end_headers()
            if self.command != "HEAD":
                spool.seek(0)
                shutil.copyfileobj(spool, self.wfile, 1 << 16)


FORM = "application/x-www-form-urlencoded"


class _BackendConnection(http.client.HTTPConnection):
    """An HTTP connection whose socket comes from the backend's connector."""

    def __init__(self, connector, timeout: float):
        super().__init__("127.0.0.1", timeout=timeout)
        self.connector = connector

    def connect(self):
        self.sock = self.connector.connect(self.timeout)


def _ask_backend(server, method, path, body, headers, spool, start):
    """Send a request to the Oxigraph server and copy its answer into spool; return its
    status, reason and headers, or raise _Refusal (too slow, too large, broken off)."""
    deadline = start + server.query_timeout + 1  # Oxigraph's own timeout, if it fires, comes first
    connection = _BackendConnection(server.connector, server.query_timeout + 1)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            connection.sock.settimeout(left)
            chunk = response.read(1 << 16)
            if not chunk:
                if response.length:  # http.client ends a body cut short quietly
                    raise http.client.IncompleteRead(b"", response.length)
                break
            spool.write(chunk)
            if spool.tell() > server.max_answer:
                raise _Refusal(507, f"the answer is larger than {server.max_answer // (1 << 20)} MiB: "
                               "add a LIMIT or narrow the query")  # fmt: skip
        if response.status == 500 and b"timeout" in _head(spool).lower():
            raise TimeoutError
        return response.status, response.reason, response.getheaders()
    except TimeoutError:
        raise _Refusal(504, f"the query ran longer than the {server.query_timeout:g} s timeout and was stopped "
                       "(nkrel serve --timeout)") from None  # fmt: skip
    except (OSError, http.client.HTTPException) as e:
        if time.monotonic() - start >= server.query_timeout:
            raise _Refusal(504, f"the query ran longer than the {server.query_timeout:g} s timeout and was stopped "
                           "(nkrel serve --timeout)") from None  # fmt: skip
        raise _Refusal(502, f"the Oxigraph server broke off its answer ({type(e).__name__})") from None
    finally:
        connection.close()


def _head(spool) -> bytes:
    spool.seek(0)
    data = spool.read(512)
    spool.seek(0, io.SEEK_END)
    return data


class _GuardServer(socketserver.TCPServer):
    """A fixed pool of threads serving a bounded queue of connections; a listen backlog
    large enough that a burst of clients waits instead of being reset."""

    allow_reuse_address = True
    request_queue_size = 1024

    def start_threads(self, count: int) -> None:
        self.pending: queue.Queue = queue.Queue(QUEUE)
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def process_request(self, request, client_address):
        try:
            self.pending.put_nowait((request, client_address))
        except queue.Full:
            try:
                request.settimeout(0.5)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)

    def _work(self) -> None:
        while (item := self.pending.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - one client's failure must not end the thread
                pass
            finally:
                self.shutdown_request(request)

    def stop_threads(self) -> None:
        for _ in getattr(self, "threads", ()):
            self.pending.put(None)


def _guard(bind: str, port: int, timeout: float, allowed: frozenset[str], max_body: int) -> _GuardServer:
    server_class = _GuardServer
    if ":" in bind:
        server_class = type("_GuardServer6", (_GuardServer,), {"address_family": socket.AF_INET6})
    try:
        server = server_class((bind, port), _Guard)
    except socket.gaierror as e:  # before OSError, its base class
        raise ServeError(f"cannot bind to {bind!r}: {e.strerror}") from None
    except (UnicodeError, TypeError):  # Python cannot encode the name (not ASCII, too long)
        raise ServeError(f"cannot bind to {bind!r}: not an address or host name") from None
    except OSError as e:
        raise ServeError(f"cannot listen on {_bind_arg(bind, port)}: {e.strerror}; choose another --port") from None
    server.public_port = server.server_address[1]
    server.query_timeout = timeout
    server.allowed_names = allowed
    server.max_body = max_body
    server.max_answer = MAX_ANSWER
    server.read_timeout = READ_TIMEOUT
    server.pages = _own_pages()
    return server


def _own_pages() -> dict[str, tuple[str, bytes, list[tuple[str, str]]]]:
    """What the guard answers itself instead of Oxigraph: nkrel's query page (serve_page.py)
    and the prefixes it completes; by path, with content type and headers."""
    from .serve_page import PAGE_PATHS, PREFIXES_PATH, page, prefixes_json

    body, csp = page()
    nosniff = ("X-Content-Type-Options", "nosniff")
    pages = dict.fromkeys(PAGE_PATHS, ("text/html; charset=utf-8", body, [("Content-Security-Policy", csp), nosniff]))
    pages[PREFIXES_PATH] = ("application/json", prefixes_json(), [nosniff])
    return pages


def _load(exe: Path, quads, tmp: Path) -> tuple[Path, int, int]:
    """Bulk-load the quads into an Oxigraph store in tmp; the store, its quads and named graphs."""
    import pyoxigraph as ox

    dump = tmp / "nkrel.nq"
    ox.serialize(quads, str(dump), format=ox.RdfFormat.N_QUADS)
    n_quads = len(set(quads))
    n_graphs = len({q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    db = tmp / "db"
    loaded = subprocess.run([str(exe), "load", "--location", str(db), "--file", str(dump)], capture_output=True,
                            text=True)  # fmt: skip
    if loaded.returncode != 0:
        raise ServeError(f"`oxigraph load` failed (exit {loaded.returncode}): {loaded.stderr.strip()}")
    dump.unlink()
    return db, n_quads, n_graphs


def _start_backend(exe: Path, db: Path, log: Path, timeout: float, warn):
    """Start `oxigraph serve-read-only`, in a network namespace of its own where possible
    (nkrel/sparql/backend.py); return the process and a connector to reach it."""
    from ..core.sandbox import NO_CONNECTIONS, deny
    from . import backend

    def command(bind: str) -> list[str]:
        return [str(exe), "serve-read-only", "--location", str(db), "--bind", bind, "--union-default-graph",
                "--timeout-s", str(max(1, round(timeout)))]  # fmt: skip

    def start(bind: str, preexec) -> subprocess.Popen:
        with open(log, "wb") as log_fh:
            return subprocess.Popen(command(bind), stdin=subprocess.DEVNULL, stdout=log_fh,
                                    stderr=subprocess.STDOUT, preexec_fn=preexec)  # fmt: skip

    if backend.namespaces_possible():
        try:
            child = start(f"127.0.0.1:{backend.INSIDE_PORT}", backend.own_network_preexec(lambda: deny(NO_CONNECTIONS)))
        except (subprocess.SubprocessError, OSError):
            child = None
        if child is not None:
            connector = backend.NamespaceConnector(child.pid)
            if connector.joined:
                return child, connector
            connector.close()
            _stop(child)
    addr = backend.random_loopback_address()
    backend_port = reserve_port(addr, 0)
    warn(f"nkrel: note: no network namespace available for the Oxigraph server; it listens on a random "
         f"loopback address and port ({addr}:{backend_port}), which a web page would have to guess")  # fmt: skip
    return start(_bind_arg(addr, backend_port), _server_preexec()), backend.TcpConnector(addr, backend_port)


def _wait_ready(child: subprocess.Popen, connector, log: Path, stopping: list) -> None:
    deadline = time.monotonic() + 20
    while not _answers(connector):
        if stopping:
            return
        if child.poll() is not None:
            raise ServeError(f"the Oxigraph server stopped at start (exit {child.returncode}): {_tail(log)}")
        if time.monotonic() > deadline:
            raise ServeError(f"the Oxigraph server did not answer within 20 s: {_tail(log)}")
        time.sleep(0.05)


def serve(quads, bind: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, echo=print, warn=print,
          allow_hosts=(), memory_mb: int = 2048, max_body: int = MAX_BODY) -> int:  # fmt: skip
    """Serve a list of quads (read-only) until a signal; return the exit code.

    echo(line) prints the URLs once the server answers; warn(line) goes to stderr.
    """
    from .checker import CheckPool

    exe = find_oxigraph()
    if not is_loopback(bind):
        warn(f"nkrel: warning: listening on {bind}, not loopback: anyone who can reach it can query the graph")
    allowed = frozenset(h.lower().rstrip(".") for h in allow_hosts)
    guard = _guard(bind, port, timeout, allowed, max_body)
    port = guard.public_port
    tmp = Path(tempfile.mkdtemp(prefix="nkrel-serve-"))
    child = connector = checks = None
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
        db, n_quads, n_graphs = _load(exe, quads, tmp)
        log = tmp / "oxigraph.log"
        child, connector = _start_backend(exe, db, log, timeout, warn)
        checks = CheckPool(min(4, max(2, os.cpu_count() or 2)), memory_mb)
        _wait_ready(child, connector, log, stopping)
        guard.connector, guard.checks, guard.tmp, guard.memory_mb = connector, checks, tmp, memory_mb
        guard.start_threads(THREADS)
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
            guard.stop_threads()
        guard.server_close()
        _stop(child)
        for part in (checks, connector):
            if part is not None:
                part.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(tmp, ignore_errors=True)


def _stop(child: subprocess.Popen | None) -> None:
    if child is not None and child.poll() is None:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
