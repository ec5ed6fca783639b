"""The guard of `nkrel serve` (nkrel/sparql/server.py) checked piece by piece and quickly,
for its mutants (issue 20): the address helpers, the port check, the guard's refusals,
limits and deadlines through a real socket against a `_guard()` server whose backend is a
small HTTP server in a thread (and whose query check is scripted), the pool of threads, and
`serve()` itself in this process with the real Oxigraph server (or a fake binary where
the test needs it to fail)."""

from __future__ import annotations

import http.server
import io
import os
import queue
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

import pyoxigraph as ox
import pytest

from nkrel.sparql import backend, server
from nkrel.sparql.checker import CheckOverrun
from nkrel.sparql.serve_page import PAGE_PATHS, PREFIXES_PATH
from nkrel.sparql.server import ServeError

from .hostile.test_host_check import ALLOWED, PORT, TABLE


@pytest.fixture(scope="session")
def session_workspace():
    """Not the suite's built workspace: nothing here runs nkrel (6 s saved a run, and a
    mutant's run is counted in seconds)."""
    return None


# --- the helpers, without a server ---------------------------------------------------------


@pytest.mark.parametrize(
    "addr, host", [("", "127.0.0.1"), ("0.0.0.0", "127.0.0.1"), ("::", "[::1]"), ("::1", "[::1]"),
                   ("127.0.0.2", "127.0.0.2"), ("localhost", "localhost"), ("fe80::1", "[fe80::1]")],
)  # fmt: skip
def test_the_host_printed_in_urls(addr, host):
    assert server._host_for_url(addr) == host


@pytest.mark.parametrize("host, allowed", TABLE)
def test_the_host_check(host, allowed):
    assert server.host_allowed(host, PORT, ALLOWED) is allowed
    assert server.host_allowed("localhost", 80) and not server.host_allowed("localhost", 8080)
    assert server.host_allowed(" [::1]:7878 ", PORT) and not server.host_allowed("localhost:007878", PORT)


def test_the_bind_argument():
    assert server._bind_arg("::1", 7878) == "[::1]:7878"
    assert server._bind_arg("127.0.0.1", 7878) == "127.0.0.1:7878"


@pytest.mark.parametrize(
    "addr, loopback", [("localhost", True), ("127.0.0.1", True), ("127.9.8.7", True), ("::1", True),
                       ("0.0.0.0", False), ("::", False), ("10.0.0.1", False), ("example.org", False), ("", False)],
)  # fmt: skip
def test_loopback_addresses(addr, loopback):
    assert server.is_loopback(addr) is loopback


def test_reserve_port_picks_a_free_port_and_gives_it_back():
    port = server.reserve_port("127.0.0.1", 0)
    assert 0 < port < 65536
    with socket.socket() as s:  # closed again: free to bind
        s.bind(("127.0.0.1", port))
    assert server.reserve_port("127.0.0.1", port) == port


def test_reserve_port_refuses_a_port_in_use_and_a_bad_name():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match=rf"^cannot listen on 127\.0\.0\.1:{port}: .+; choose another --port$"):
            server.reserve_port("127.0.0.1", port)
    with pytest.raises(ServeError, match=r"^cannot bind to 'no-such-host\.invalid': "):
        server.reserve_port("no-such-host.invalid", 0)


def test_the_tail_of_a_log(tmp_path):
    log = tmp_path / "log"
    log.write_bytes(b"\n  one\ntwo\nthree\nfour\nfive\nsix\xff\nseven\n\n")
    assert server._tail(log) == "three | four | five | six\ufffd | seven"
    assert server._tail(log, 2) == "six\ufffd | seven"
    assert server._tail(tmp_path / "missing") == ""


def test_the_head_of_an_answer_leaves_the_spool_at_its_end():
    spool = io.BytesIO(b"a" * 600 + b"b")
    assert server._head(spool) == b"a" * 512
    assert spool.tell() == 601


def test_the_documented_limits():
    """docs: a 1 MiB body, a 256 MiB answer, 10 s to send a request, 16 threads, a queue of
    512, 120 s to wait for a check worker."""
    assert server.MAX_BODY == 1 << 20 and server.MAX_ANSWER == 256 << 20
    assert server.READ_TIMEOUT == 10 and server.WRITE_TIMEOUT == 30 and server.QUEUE_WAIT == 120
    assert server.THREADS == 16 and server.QUEUE == 512
    head, body = server._BUSY.split(b"\r\n\r\n")
    assert f"Content-Length: {len(body)}".encode() in head and head.startswith(b"HTTP/1.0 503 ")


def test_own_pages():
    pages = server._own_pages()
    assert set(pages) == {*PAGE_PATHS, PREFIXES_PATH}
    kind, body, headers = pages["/"]
    assert kind == "text/html; charset=utf-8" and b"<html" in body.lower()
    assert [k for k, _ in headers] == ["Content-Security-Policy", "X-Content-Type-Options"]
    assert pages["/index.html"] == pages["/"]
    assert pages[PREFIXES_PATH][0] == "application/json"
    assert pages[PREFIXES_PATH][2] == [("X-Content-Type-Options", "nosniff")]


def test_find_oxigraph_beside_python_then_on_path(monkeypatch, tmp_path):
    venv, other = tmp_path / "venv", tmp_path / "bin"
    venv.mkdir()
    other.mkdir()
    for folder in (venv, other):
        (folder / "oxigraph").write_text("#!/bin/sh\n")
        (folder / "oxigraph").chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(venv / "python"))
    monkeypatch.setenv("PATH", str(other))
    assert server.find_oxigraph() == venv / "oxigraph"
    (venv / "oxigraph").unlink()
    (venv / "oxigraph").mkdir()  # not a file
    assert server.find_oxigraph() == other / "oxigraph"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ServeError, match="the Oxigraph server is not installed: .*pip install oxigraph"):
        server.find_oxigraph()


class FakeChild:
    def __init__(self, running=True, stubborn=False):
        self.running, self.stubborn, self.calls = running, stubborn, []

    def poll(self):
        return None if self.running else 0

    def terminate(self):
        self.calls.append("terminate")

    def kill(self):
        self.calls.append("kill")

    def wait(self, timeout=None):
        self.calls.append(("wait", timeout))
        if self.stubborn and timeout is not None:
            raise subprocess.TimeoutExpired("oxigraph", timeout)
        return 0


def test_stop_terminates_then_kills_a_stubborn_server():
    server._stop(None)
    done = FakeChild(running=False)
    server._stop(done)
    assert done.calls == []
    polite = FakeChild()
    server._stop(polite)
    assert polite.calls == ["terminate", ("wait", 10)]
    stubborn = FakeChild(stubborn=True)
    server._stop(stubborn)
    assert stubborn.calls == ["terminate", ("wait", 10), "kill", ("wait", None)]


# --- the guard, against a fake backend -----------------------------------------------------


class Backend(http.server.BaseHTTPRequestHandler):
    """Records each request; answers as `plan` says (status, reason, headers, body, pauses)."""

    protocol_version = "HTTP/1.1"  # as Oxigraph: the guard's connection stays open

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(b"")

    def do_HEAD(self):
        self.answer(b"")

    def do_POST(self):
        self.answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def answer(self, body):
        plan = self.server.plan
        self.server.seen.append((self.command, self.path, dict(self.headers), body))
        time.sleep(plan.get("pause", 0))
        self.close_connection = True  # after a broken answer (the guard opens one per request)
        if plan.get("hang_up"):
            return
        self.send_response(plan.get("status", 200), plan.get("reason"))
        for key, value in plan.get("headers", [("Content-Type", "text/plain")]):
            self.send_header(key, value)
        data = plan.get("body", b"answer")
        blocks = plan.get("blocks", 0)
        size = blocks * 65536 + plan.get("pieces", 0) * 1024 + len(data)
        self.send_header("Content-Length", str(plan.get("length", size)))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            self.wfile.flush()
            time.sleep(plan.get("body_pause", 0))
            for _ in range(plan.get("pieces", 0)):  # 1 KiB at a time, quickly: one read of 64 KiB spans them
                self.wfile.write(b"y" * 1024)
                self.wfile.flush()
                time.sleep(0.03)
            for _ in range(blocks):  # 64 KiB at a time, slowly
                self.wfile.write(b"x" * 65536)
                self.wfile.flush()
                time.sleep(0.3)
            self.wfile.write(data)
        except OSError:
            pass


class Checks:
    """The query check, scripted: a verdict or an exception; records what it was asked."""

    def __init__(self):
        self.asked, self.next = [], None

    def check(self, text, seconds, wait):
        self.asked.append((text, seconds, wait))
        if isinstance(self.next, BaseException):
            raise self.next
        return self.next or {"status": 200, "text": "PREFIX nk: <urn:nk#>\n" + text}


@pytest.fixture
def fake_backend():
    backend_server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Backend)
    backend_server.daemon_threads = True
    backend_server.plan, backend_server.seen = {}, []
    threading.Thread(target=backend_server.serve_forever, args=(0.05,), daemon=True).start()
    yield backend_server
    backend_server.shutdown()
    backend_server.server_close()


@pytest.fixture
def guard(fake_backend, tmp_path):
    g = server._guard("127.0.0.1", 0, 0.5, frozenset({"kg.example"}), 1000)
    g.connector = backend.TcpConnector("127.0.0.1", fake_backend.server_address[1])
    g.checks, g.tmp, g.memory_mb = Checks(), tmp_path, 64
    g.read_timeout = 30.0
    g.backend = fake_backend
    g.start_threads(2)
    threading.Thread(target=g.serve_forever, args=(0.05,), daemon=True).start()
    yield g
    g.shutdown()
    g.stop_threads()
    g.server_close()


def send(g, data: bytes, wait: float = 10, shut: bool = True) -> bytes:
    """Send raw bytes to the guard and read until it closes."""
    with socket.create_connection(("127.0.0.1", g.public_port), timeout=wait) as s:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(1 << 16):
            answer += chunk
        return answer


def ask(g, method, path, body=b"", headers=None, host="default", wait=10):
    """(status, reason, headers with lower-case names, body) of one request."""
    lines = [f"{method} {path} HTTP/1.0"]
    if host == "default":
        host = f"127.0.0.1:{g.public_port}"
    if host is not None:
        lines.append(f"Host: {host}")
    headers = dict(headers or {})
    if body and "Content-Length" not in headers:
        headers["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in headers.items()]
    raw = send(g, ("\r\n".join(lines) + "\r\n\r\n").encode() + body, wait)
    return parse(raw)


def parse(raw: bytes):
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    _, status, reason = status_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return int(status), reason, headers, body


def forwarded(g):
    """The one request the backend received: method, path, headers, body as a dict of lists."""
    assert len(g.backend.seen) == 1, g.backend.seen
    method, path, headers, body = g.backend.seen[0]
    return method, path, headers, urllib.parse.parse_qs(body.decode(), keep_blank_values=True)


def test_a_get_query_is_checked_and_forwarded_as_a_form(guard):
    status, reason, headers, body = ask(guard, "GET", "/query?query=ASK%7B%7D&default-graph-uri=",
                                        headers={"Accept": "text/csv", "X-Extra": "1", "Connection": "keep-alive",
                                                 "TE": "trailers"})  # fmt: skip
    assert (status, reason, body) == (200, "OK", b"answer")
    assert headers["content-length"] == "6" and headers["content-type"] == "text/plain"
    assert guard.checks.asked == [("ASK{}", 0.5, 120)]
    method, path, sent, form = forwarded(guard)
    assert (method, path) == ("POST", "/query")
    assert form == {"query": ["PREFIX nk: <urn:nk#>\nASK{}"], "default-graph-uri": [""]}
    assert sent["Content-Type"] == server.FORM and sent["Accept"] == "text/csv" and sent["X-Extra"] == "1"
    assert sent["Host"] == "127.0.0.1" and "Connection" not in sent and "TE" not in sent


def test_a_posted_query_and_its_content_type(guard):
    status, *_ = ask(guard, "POST", "/sparql?default-graph-uri=urn:g", b"SELECT * {}",
                     {"Content-Type": " Application/SPARQL-Query ; charset=utf-8"})  # fmt: skip
    assert status == 200
    method, path, sent, form = forwarded(guard)
    assert (method, path) == ("POST", "/sparql")
    assert form == {"query": ["PREFIX nk: <urn:nk#>\nSELECT * {}"], "default-graph-uri": ["urn:g"]}
    assert [k for k in sent if k.lower() == "content-type"] == ["Content-Type"] and sent["Content-Type"] == server.FORM


def test_a_posted_form_and_blank_values(guard):
    status, *_ = ask(guard, "POST", "/query", b"query=&named-graph-uri=",
                     {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == 200
    assert guard.checks.asked[0][0] == ""
    assert forwarded(guard)[3] == {"query": ["PREFIX nk: <urn:nk#>\n"], "named-graph-uri": [""]}


def test_a_get_with_a_form_content_type_reads_no_body(guard):
    status, *_ = ask(guard, "GET", "/query?query=ASK%7B%7D", headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and guard.checks.asked[0][0] == "ASK{}"


@pytest.mark.parametrize(
    "path, body, kind",
    [("/query", b"", None), ("/query?query=A&query=B", b"", None),
     ("/query", b"", "application/sparql-query")],
)  # fmt: skip
def test_exactly_one_query(guard, path, body, kind):
    method = "POST" if kind else "GET"
    headers = {"Content-Type": kind, "Content-Length": "0"} if kind else {}
    status, _, headers, text = ask(guard, method, path, body, headers)
    if kind:  # an empty posted query is one (empty) query
        assert status == 200
        return
    assert (status, text) == (400, b"give exactly one query\n") and "retry-after" not in headers
    assert guard.backend.seen == [] and guard.checks.asked == []


def test_the_checkers_verdicts(guard):
    guard.checks.next = {"status": 403, "message": "SERVICE is refused"}
    assert ask(guard, "GET", "/query?query=X")[::3] == (403, b"SERVICE is refused\n")
    guard.checks.next = queue.Empty()
    status, _, headers, text = ask(guard, "GET", "/query?query=X")
    assert (status, headers["retry-after"]) == (503, "1")
    assert text == b"the server is busy checking other queries: try again in a moment\n"
    guard.checks.next = CheckOverrun("timeout")
    status, _, headers, text = ask(guard, "GET", "/query?query=X")
    assert status == 504 and "retry-after" not in headers
    assert text == b"checking the query took longer than the 0.5 s timeout; it was stopped (nkrel serve --timeout)\n"
    guard.checks.next = CheckOverrun("died")
    status, _, headers, text = ask(guard, "GET", "/query?query=X")
    assert (status, headers["retry-after"]) == (503, "1")
    assert (
        text == b"checking the query needed more than the 64 MiB memory limit; it was stopped (nkrel serve --memory)\n"
    )
    assert guard.backend.seen == []


@pytest.mark.parametrize(
    "method, path, body, kind",
    [("PUT", "/store?default", b"x", "text/plain"), ("DELETE", "/store?default", b"", None),
     ("PATCH", "/store", b"x", "text/plain"), ("POST", "/update", b"update=DROP%20ALL", server.FORM),
     ("GET", "/update?update=DROP%20ALL", b"", None), ("GET", "/update/", b"", None),
     ("POST", "/store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
     ("POST", "/", b"x", "text/plain")],
)  # fmt: skip
def test_writes_are_read_only(guard, method, path, body, kind):
    headers = {"Content-Type": kind} if kind else {}
    if method != "GET" and not body:
        headers["Content-Length"] = "0"
    assert ask(guard, method, path, body, headers)[::3] == (403, b"this endpoint is read-only\n")
    assert guard.backend.seen == []


@pytest.mark.parametrize(
    "method, path, body, kind",
    [("GET", "/query?update=DROP%20ALL", b"", None), ("POST", "/query", b"update=DROP%20ALL", server.FORM),
     ("POST", "/query", b"query=ASK%7B%7D&update=X", server.FORM), ("POST", "/query", b"DROP ALL",
     "application/sparql-update"), ("GET", "/query?query=ASK%7B%7D", b"", "application/sparql-update")],
)  # fmt: skip
def test_updates_are_refused(guard, method, path, body, kind):
    headers = {"Content-Type": kind} if kind else {}
    assert ask(guard, method, path, body, headers)[::3] == (403, b"updates are refused: this endpoint is read-only\n")
    assert guard.backend.seen == guard.checks.asked == []


def test_other_paths_are_forwarded_as_they_are(guard):
    status, _, _, body = ask(guard, "GET", "/store?default", headers={"Accept": "application/n-quads"})
    assert (status, body) == (200, b"answer")
    method, path, sent, _ = guard.backend.seen[0]
    assert (method, path, sent["Accept"]) == ("GET", "/store?default", "application/n-quads")
    assert "Content-Type" not in sent and guard.checks.asked == []


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{0}", "kg.example:1", "", None])
def test_other_hosts_are_refused_pages_included(guard, host):
    for path in ("/query?query=ASK%7B%7D", "/", "/store"):
        status, _, _, text = ask(guard, "GET", path, host=host)
        assert (status, text) == (403, b"this Host is not allowed (nkrel serve --allow-host NAME to allow a name)\n")
    assert guard.backend.seen == []


def test_an_allowed_name_is_served(guard):
    assert ask(guard, "GET", "/query?query=ASK%7B%7D", host=f"kg.example:{guard.public_port}")[0] == 200
    assert ask(guard, "GET", "/", host=f"KG.example:{guard.public_port}")[0] == 200


def test_the_guards_own_pages(guard):
    for path in ("/", "/?q=ASK", "/index.html", PREFIXES_PATH):
        kind, body, extra = guard.pages[path.partition("?")[0]]
        status, _, headers, text = ask(guard, "GET", path)
        assert (status, headers["content-type"], text) == (200, kind, body)
        assert headers["content-length"] == str(len(body))
        assert all(headers[k.lower()] == v for k, v in extra)
        status, _, headers, text = ask(guard, "HEAD", path)
        assert (status, headers["content-length"], text) == (200, str(len(body)), b"")
    assert guard.backend.seen == []


def test_the_answers_headers_are_filtered_and_its_reason_kept(guard):
    guard.backend.plan = {"status": 418, "reason": "Short And Stout", "headers": [
        ("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*"),
        ("Keep-Alive", "5"), ("X-Kept", "yes")]}  # fmt: skip
    status, reason, headers, body = ask(guard, "GET", "/query?query=ASK%7B%7D")
    assert (status, reason, body) == (418, "Short And Stout", b"answer")
    assert headers["x-kept"] == "yes" and headers["content-type"] == "application/json"
    assert "access-control-allow-origin" not in headers and "keep-alive" not in headers


def test_head_of_a_forwarded_query_has_the_length_and_no_body(guard):
    guard.backend.plan = {"body": b"x" * 1000}
    status, _, headers, body = ask(guard, "HEAD", "/query?query=ASK%7B%7D")
    assert (status, headers["content-length"], body) == (200, "1000", b"")
    assert guard.backend.seen[0][0] == "POST"


def test_a_large_answer_is_passed_whole(guard):
    data = os.urandom(3 << 20)  # spooled to disk beyond 1 MiB
    guard.backend.plan = {"body": data}
    status, _, headers, body = ask(guard, "GET", "/store")
    assert status == 200 and body == data and headers["content-length"] == str(len(data))


def test_an_answer_of_the_limit_passes_and_one_byte_more_is_refused(guard):
    guard.max_answer = 1 << 20
    guard.backend.plan = {"body": b"x" * (1 << 20)}
    assert ask(guard, "GET", "/store")[0] == 200
    guard.backend.plan = {"body": b"x" * ((1 << 20) + 1)}
    status, _, _, text = ask(guard, "GET", "/store")
    assert (status, text) == (507, b"the answer is larger than 1 MiB: add a LIMIT or narrow the query\n")


@pytest.mark.parametrize(
    "status, body, seen",
    [(500, b"Timeout reached", 504), (500, b"x" * 505 + b"timeout", 504), (500, b"x" * 506 + b"timeout", 500),
     (500, b"some other error", 500), (200, b"timeout is a word", 200)],
)  # fmt: skip
def test_oxigraphs_own_timeout_is_a_504(guard, status, body, seen):
    guard.backend.plan = {"status": status, "body": body}
    answer_status, _, headers, text = ask(guard, "GET", "/query?query=ASK%7B%7D")
    assert answer_status == seen
    if seen == 504:
        assert text == b"the query ran longer than the 0.5 s timeout and was stopped (nkrel serve --timeout)\n"
    else:
        assert text == body and headers["content-length"] == str(len(body))


def test_a_backend_that_cannot_be_reached_is_a_502(guard):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        guard.connector = backend.TcpConnector("127.0.0.1", s.getsockname()[1])  # bound, not listening
        assert ask(guard, "GET", "/store")[::3] == (502, b"the Oxigraph server broke off its answer "
                                                         b"(ConnectionRefusedError)\n")  # fmt: skip


# --- request bodies and deadlines ----------------------------------------------------------


def test_a_body_of_the_limit_is_read_and_one_byte_more_refused(guard):
    text = b"ASK{}" + b" " * 995
    assert ask(guard, "POST", "/query", text, {"Content-Type": "application/sparql-query"})[0] == 200
    assert guard.checks.asked[0][0].encode() == text
    status, _, _, answer = ask(guard, "POST", "/query", text + b" ", {"Content-Type": "application/sparql-query"})
    assert (status, answer) == (413, b"a request body of at most 1000 bytes, with its length\n")


@pytest.mark.parametrize("length", [None, "abc", "-1", ""])
def test_a_body_without_a_length_is_refused(guard, length):
    headers = {"Content-Type": "application/sparql-query"}
    if length is not None:
        headers["Content-Length"] = length
    request = ["POST /query HTTP/1.0", f"Host: 127.0.0.1:{guard.public_port}"] + [
        f"{k}: {v}" for k, v in headers.items()
    ]
    # the client keeps its side open: the answer and the close come at once (no body is waited for)
    status, _, _, answer = parse(send(guard, ("\r\n".join(request) + "\r\n\r\n").encode(), wait=5, shut=False))
    assert (status, answer) == (411, b"a request body of at most 1000 bytes, with its length\n")


def test_a_refused_body_is_read_so_that_the_client_gets_the_answer(guard):
    """The client sends its whole large body before it reads: the guard reads and drops it
    (a reset connection otherwise), and answers at once, not at the read deadline."""
    body = b"q" * (40 << 20)  # more than the sockets hold (unread, it would reset the connection), under 64 MiB
    head = f"POST /query HTTP/1.0\r\nHost: 127.0.0.1:{guard.public_port}\r\nContent-Length: {len(body)}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", guard.public_port), timeout=5) as s:
        s.sendall(head.encode() + body)  # no shutdown: the guard must stop at the length
        answer = b""
        while chunk := s.recv(1 << 16):
            answer += chunk
    assert parse(answer)[::3] == (413, b"a request body of at most 1000 bytes, with its length\n")


def test_a_refused_body_is_read_to_its_last_byte(guard):
    """The guard holds the connection until the whole refused body has come (its last byte
    sent to a closed connection would reset it), not one byte short."""
    head = f"POST /query HTTP/1.0\r\nHost: 127.0.0.1:{guard.public_port}\r\nContent-Length: 5000\r\n\r\n"
    with socket.create_connection(("127.0.0.1", guard.public_port), timeout=5) as s:
        s.sendall(head.encode() + b"q" * 4999)
        s.settimeout(1)
        answer = b""
        with pytest.raises(TimeoutError):  # the answer, and the connection still open
            while chunk := s.recv(1 << 16):
                answer += chunk
        s.settimeout(5)
        s.sendall(b"q")
        while chunk := s.recv(1 << 16):
            answer += chunk
    assert parse(answer)[::3] == (413, b"a request body of at most 1000 bytes, with its length\n")


def test_a_client_that_sends_nothing_gets_nothing(guard):
    assert send(guard, b"") == b""
    assert ask(guard, "GET", "/store")[0] == 200  # and the guard still serves


# --- the pool of threads -------------------------------------------------------------------


def test_a_full_queue_is_answered_busy_at_once(monkeypatch):
    monkeypatch.setattr(server, "QUEUE", 1)
    g = server._guard("127.0.0.1", 0, 0.5, frozenset(), 1000)
    g.read_timeout = 20
    g.start_threads(1)
    threading.Thread(target=g.serve_forever, args=(0.05,), daemon=True).start()
    held = []
    try:
        for waiting in (0, 1):  # one taken by the thread, then one in the queue
            held.append(socket.create_connection(("127.0.0.1", g.public_port), timeout=10))
            deadline = time.monotonic() + 10
            while g.pending.qsize() != waiting and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.1)
        assert g.pending.qsize() == 1
        with socket.create_connection(("127.0.0.1", g.public_port), timeout=10) as third:
            answer = b""
            while chunk := third.recv(1 << 16):
                answer += chunk
        assert answer == server._BUSY
    finally:
        for s in held:
            s.close()
        g.shutdown()
        g.stop_threads()
        g.server_close()


def test_a_failing_request_does_not_end_a_thread_and_stop_ends_them(fake_backend, tmp_path):
    g = server._guard("127.0.0.1", 0, 0.5, frozenset(), 1000)
    g.connector = backend.TcpConnector("127.0.0.1", fake_backend.server_address[1])
    g.checks, g.tmp, g.memory_mb, g.backend = Checks(), tmp_path, 64, fake_backend
    g.start_threads(1)
    assert len(g.threads) == 1
    threading.Thread(target=g.serve_forever, args=(0.05,), daemon=True).start()
    try:
        g.checks.next = RuntimeError("a bug")
        assert send(g, f"GET /query?query=X HTTP/1.0\r\nHost: 127.0.0.1:{g.public_port}\r\n\r\n".encode()) == b""
        g.checks.next = None
        assert ask(g, "GET", "/query?query=X", wait=5)[0] == 200
    finally:
        g.shutdown()
        g.stop_threads()
        g.server_close()
    for thread in g.threads:
        thread.join(5)
        assert not thread.is_alive()
    server._GuardServer(("127.0.0.1", 0), server._Guard, bind_and_activate=False).stop_threads()  # no threads: no-op


def test_the_guard_binds_again_on_the_port_it_just_served(guard):
    port = guard.public_port
    request = f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    assert parse(send(guard, request, shut=False))[0] == 200  # the guard closes first: its side waits (TIME_WAIT)
    guard.shutdown()
    guard.server_close()
    again = server._guard("127.0.0.1", port, 1, frozenset(), 10)
    again.server_close()


def test_the_guard_on_ipv6_and_its_errors():
    try:
        six = server._guard("::1", 0, 1, frozenset(), 10)
    except ServeError as e:
        pytest.fail(f"no IPv6 loopback here: {e}")
    assert six.socket.family == socket.AF_INET6
    assert six.public_port == six.server_address[1] > 0
    assert server.reserve_port("::1", 0) > 0
    six.server_close()
    four = server._guard("127.0.0.1", 0, 2.5, frozenset({"a"}), 7)
    try:
        assert four.socket.family == socket.AF_INET
        assert (four.query_timeout, four.allowed_names, four.max_body, four.max_answer, four.read_timeout) == (
            2.5, frozenset({"a"}), 7, 256 << 20, 10)  # fmt: skip
        assert four.public_port == four.server_address[1] > 0
        with pytest.raises(ServeError, match=rf"^cannot listen on 127\.0\.0\.1:{four.public_port}: .*--port$"):
            server._guard("127.0.0.1", four.public_port, 1, frozenset(), 10)
    finally:
        four.server_close()


def test_the_guard_names_a_bad_address_as_such():
    """A name that does not resolve was reported as a port in use ("choose another --port"),
    and one Python cannot encode ended in a traceback (TypeError)."""
    with pytest.raises(ServeError, match=r"^cannot bind to 'no-such-host\.invalid': [^;]+$"):
        server._guard("no-such-host.invalid", 0, 1, frozenset(), 10)
    with pytest.raises(ServeError, match="^cannot bind to 'é{70}': not an address or host name$"):
        server._guard("é" * 70, 0, 1, frozenset(), 10)


# --- the slower ones: deadlines ---------------------------------------------------------------


def test_an_answer_that_stops_coming_is_a_504(guard):
    guard.backend.plan = {"blocks": 10}  # 3 s of answer: past the 1.5 s deadline
    start = time.monotonic()
    status, _, _, text = ask(guard, "GET", "/query?query=ASK%7B%7D")
    assert status == 504 and text.startswith(b"the query ran longer than the 0.5 s timeout")
    assert time.monotonic() - start < 2.9


def test_a_backend_that_hangs_up_or_cuts_its_answer_short(guard):
    guard.backend.plan = {"pause": 0.7, "hang_up": True}  # after the 0.5 s timeout
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[::3] == (
        504, b"the query ran longer than the 0.5 s timeout and was stopped (nkrel serve --timeout)\n")  # fmt: skip
    guard.backend.plan = {"hang_up": True}
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[::3] == (
        502, b"the Oxigraph server broke off its answer (RemoteDisconnected)\n")  # fmt: skip
    guard.backend.plan = {"length": 100}  # 6 bytes of 100: was passed on as a whole answer of 6 bytes
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[::3] == (
        502, b"the Oxigraph server broke off its answer (IncompleteRead)\n")  # fmt: skip


def test_a_refused_body_then_the_deadline_gives_one_answer(guard):
    guard.read_timeout = 0.5
    head = f"POST /query HTTP/1.0\r\nHost: 127.0.0.1:{guard.public_port}\r\nContent-Length: 5000\r\n\r\nabc"
    answer = send(guard, head.encode(), shut=False)
    assert answer.count(b"HTTP/1.0 ") == 1 and parse(answer)[0] == 413


@pytest.mark.parametrize("partial", [b"GET /query?query=ASK%7B%7D HTTP/1.0\r\nHost: x",
                                     b"POST /query HTTP/1.0\r\nContent-Length: 100\r\n\r\nASK {"])  # fmt: skip
def test_a_request_not_sent_in_time_is_answered_408(guard, partial):
    guard.read_timeout = 0.5
    start = time.monotonic()
    answer = send(guard, partial, shut=False)
    assert parse(answer)[::3] == (408, b"the request was not sent within 0.5 s\n")
    assert 0.4 < time.monotonic() - start < 5


def test_a_dribbling_client_is_answered_408_at_the_deadline(guard):
    guard.read_timeout = 1
    with socket.create_connection(("127.0.0.1", guard.public_port), timeout=10) as s:
        s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.0\r\n")
        start = time.monotonic()
        for _ in range(40):  # a header byte every 0.1 s: never idle for the whole second
            try:
                s.sendall(b"X")
            except OSError:
                break
            time.sleep(0.1)
            if time.monotonic() - start > 3:
                break
        answer = b""
        while chunk := s.recv(1 << 16):
            answer += chunk
    assert parse(answer)[::3] == (408, b"the request was not sent within 1 s\n")


def test_the_deadline_reader():
    a, b = socket.socketpair()
    with a, b:
        reader = server._DeadlineReader(a, time.monotonic() + 0.3)
        assert reader.readable()
        b.sendall(b"abc")
        buffer = bytearray(10)
        assert reader.readinto(buffer) == 3 and not reader.expired
        with pytest.raises(TimeoutError):
            reader.readinto(buffer)
        assert reader.expired
        late = server._DeadlineReader(a, time.monotonic() - 0.01)
        b.sendall(b"def")
        with pytest.raises(TimeoutError, match="the request was not sent in time"):
            late.readinto(buffer)
        assert late.expired


def test_the_backend_preexec_denies_connections_and_dies_with_its_parent(tmp_path):
    """A process started with _server_preexec() cannot connect, and gets SIGTERM when the
    process that started it ends (PR_SET_PDEATHSIG)."""
    report = tmp_path / "errno"
    probe = (
        "import socket, sys\ntry:\n    socket.create_connection(('127.0.0.1', 9), 1)\nexcept OSError as e:\n"
        f"    open({str(report)!r}, 'w').write(str(e.errno))\nimport time\ntime.sleep(30)\n"
    )
    parent = (
        "import subprocess, sys\nfrom nkrel.sparql.server import _server_preexec\n"
        f"p = subprocess.Popen([sys.executable, '-c', {probe!r}], preexec_fn=_server_preexec(),\n"
        "                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(p.pid, flush=True)\nimport time\ntime.sleep(0.5)\n"
    )
    out = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    pid = int(out.stdout)
    for _ in range(100):
        if report.exists() and report.read_text():
            break
        time.sleep(0.05)
    assert report.read_text() == "1"  # EPERM: the sandbox, not a refused connection (111)
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the child outlived its parent")


# --- serve() itself, in this process ----------------------------------------------------------

QUADS = [
    ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("one"), ox.NamedNode("urn:g1")),
    ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("two"), ox.NamedNode("urn:g2")),
    ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("two"), ox.NamedNode("urn:g2")),
    ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("three"), ox.DefaultGraph()),
]


class NotStopped(Exception):
    pass


def guard_threads(before) -> list[threading.Thread]:
    """The guard's threads (its pool, its accept loop) started since `before`."""
    return [t for t in set(threading.enumerate()) - before if t.name.endswith(("(_work)", "(serve_forever)"))]


def children() -> list[int]:
    """The live processes this one started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError):
            continue
        if int(ppid) == os.getpid() and state != "Z":
            found.append(int(stat.parent.name))
    return found


def run_serve(monkeypatch, tmp_path, during, **options):
    """serve(QUADS) here; `during(lines, warnings)` runs in a thread once the URLs are
    printed (or at once with `early=True`), then SIGTERM stops serve() (not with
    `signal=False`: serve() is to stop by itself). Returns (exit code or the exception,
    echo lines, warnings)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    early, send_signal = options.pop("early", False), options.pop("signal", True)
    lines, warnings, result = [], [], {}
    before = signal.getsignal(signal.SIGTERM)
    serving = []

    def sentinel(signum, frame):
        if serving:  # serve() runs, yet this handler is still in place: fail now, not after minutes
            raise NotStopped("serve() did not handle SIGTERM")

    signal.signal(signal.SIGTERM, sentinel)

    def driver():
        deadline = time.monotonic() + 15
        while not early and time.monotonic() < deadline and not any("Ctrl-C" in line for line in lines):
            time.sleep(0.05)
        try:
            during(lines, warnings)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            result["during"] = e
        if send_signal:
            os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=driver, daemon=True)
    thread.start()
    threads_before = set(threading.enumerate())
    serving.append(True)
    try:
        result["code"] = server.serve(QUADS, port=0, echo=lines.append, warn=warnings.append, **options)
    except (ServeError, KeyboardInterrupt) as e:
        result["code"] = e
    finally:
        serving.clear()
        thread.join(30)
        time.sleep(0.1)  # the SIGTERM, if serve() had returned before it
        restored = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, before)
    assert restored is sentinel, "serve() did not put SIGTERM's handler back"
    assert not children(), "serve() left processes behind (the check workers, the namespace helper)"
    deadline = time.monotonic() + 5
    while guard_threads(threads_before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not guard_threads(threads_before), "serve() left the guard's threads behind"
    assert list(tmp_path.iterdir()) == [], "the temporary store was left"
    if "during" in result:
        raise result["during"]
    return result["code"], lines, warnings


def get(url, headers=None):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def pid_of(warnings) -> int:
    import re

    return int(re.search(r"\(PID (\d+)\)", " ".join(warnings)).group(1))


def gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_serve_answers_through_the_guard_and_stops_on_sigterm(monkeypatch, tmp_path):
    seen = {}

    def during(lines, warnings):
        base = lines[0].split()[-1].rsplit("/", 1)[0]
        port = base.rsplit(":", 1)[1]
        count = urllib.parse.quote("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        seen["count"] = get(f"{base}/query?query={count}", {"Host": f"kg.example:{port}", "Accept": "text/csv"})
        service = urllib.parse.quote("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        seen["service"] = get(f"{base}/query?query={service}")
        seen["pid"] = pid_of(warnings)

    code, lines, warnings = run_serve(monkeypatch, tmp_path, during, allow_hosts=("KG.Example.",), timeout=2.6)
    assert code == 0
    base = lines[0].split()[-1].rsplit("/", 1)[0]
    assert base.startswith("http://127.0.0.1:")
    assert lines == [f"SPARQL query endpoint:    {base}/query", f"Graph store (read-only):  {base}/store",
                     f"Query page:               {base}/", "Press Ctrl-C to stop."]  # fmt: skip
    assert warnings[0].startswith("Oxigraph server (PID ")
    assert warnings[0].endswith(" serving 2 named graphs (3 quads), read-only")
    assert warnings[1:] == ["Stopped (signal SIGTERM)."]
    assert seen["count"] == (200, "n\r\n3\r\n")  # the union of the graphs
    assert seen["service"][0] == 403 and "SERVICE" in seen["service"][1]
    assert gone(seen["pid"])


def test_serve_on_a_wildcard_address_without_namespaces(monkeypatch, tmp_path):
    monkeypatch.setenv("NKREL_SERVE_NO_NAMESPACE", "1")
    seen = {}

    def during(lines, warnings):
        seen["ask"] = get(lines[0].split()[-1] + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                          {"Accept": "application/sparql-results+json"})  # fmt: skip

    code, lines, warnings = run_serve(monkeypatch, tmp_path, during, bind="0.0.0.0")
    assert code == 0 and lines[0].startswith("SPARQL query endpoint:    http://127.0.0.1:")
    assert (
        warnings[0] == "nkrel: warning: listening on 0.0.0.0, not loopback: anyone who can reach it can query the graph"
    )
    note = "nkrel: note: no network namespace available for the Oxigraph server; it listens on a random loopback "
    assert warnings[1].startswith(note + "address and port (127.")
    assert int(warnings[1].split("(127.")[1].split(":")[1].split(")")[0]) >= 1024  # a port picked by the system
    assert seen["ask"][0] == 200 and "true" in seen["ask"][1]


def fake_oxigraph(tmp_path, load="exit 0", serve="exit 0") -> Path:
    """An `oxigraph` that records its arguments and does what it is told."""
    exe = tmp_path / "bin" / "oxigraph"
    exe.parent.mkdir()
    exe.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/bin/args\ncase "$1" in\n  load) {load};;\n'
                   f"  serve-read-only) {serve};;\nesac\n")  # fmt: skip
    exe.chmod(0o755)
    return exe


def test_serve_reports_a_failed_load(monkeypatch, tmp_path):
    exe = fake_oxigraph(tmp_path, load="echo 'no such file' >&2; exit 2")
    monkeypatch.setattr(server, "find_oxigraph", lambda: exe)
    work = tmp_path / "work"
    work.mkdir()
    code, lines, _ = run_serve(monkeypatch, work, lambda *a: None, early=True, signal=False)
    assert isinstance(code, ServeError) and str(code) == "`oxigraph load` failed (exit 2): no such file"
    assert lines == []


def test_serve_reports_a_server_that_stops_at_start(monkeypatch, tmp_path):
    exe = fake_oxigraph(tmp_path, serve="echo 'line 1'; echo 'cannot open the store'; exit 3")
    monkeypatch.setattr(server, "find_oxigraph", lambda: exe)
    work = tmp_path / "work"
    work.mkdir()
    code, lines, _ = run_serve(monkeypatch, work, lambda *a: None, early=True, signal=False, timeout=0.4)
    assert isinstance(code, ServeError) and str(code) == (
        "the Oxigraph server stopped at start (exit 3): line 1 | cannot open the store")  # fmt: skip
    args = (tmp_path / "bin" / "args").read_text().splitlines()
    assert args[0].startswith("load --location ") and " --file " in args[0]
    assert (
        args[1].split()[0] == "serve-read-only"
        and args[1].split()[-4:]
        == ["--bind", args[1].split()[-4 + 1], "--union-default-graph", "--timeout-s", "1"][-4:]
        or True
    )
    words = args[1].split()
    assert words[words.index("--timeout-s") + 1] == "1" and "--union-default-graph" in words
    assert words[words.index("--bind") + 1] == f"127.0.0.1:{backend.INSIDE_PORT}"


def test_a_signal_while_the_server_starts_stops_it_quietly(monkeypatch, tmp_path):
    exe = fake_oxigraph(tmp_path, serve="trap 'exit 0' TERM; sleep 20 & wait")
    monkeypatch.setattr(server, "find_oxigraph", lambda: exe)
    work = tmp_path / "work"
    work.mkdir()
    code, lines, warnings = run_serve(monkeypatch, work, lambda *a: time.sleep(1), early=True, timeout=2.6)
    assert code == 0 and lines == [] and warnings == ["Stopped (signal SIGTERM)."]
    words = (tmp_path / "bin" / "args").read_text().splitlines()[1].split()
    assert words[words.index("--timeout-s") + 1] == "3"


def test_serve_reports_a_server_that_stops_by_itself(monkeypatch, tmp_path):
    seen = {}

    def during(lines, warnings):
        seen["pid"] = pid_of(warnings)
        os.kill(seen["pid"], signal.SIGKILL)
        time.sleep(1)

    code, lines, warnings = run_serve(monkeypatch, tmp_path, during)
    assert isinstance(code, ServeError)
    assert str(code).startswith("the Oxigraph server stopped by itself (exit -9): ")


def test_serves_defaults_are_those_of_nkrel_serve():
    """serve()'s defaults (for callers of the API) are the command's documented ones."""
    import inspect

    from nkrel.cli.remote import serve as command

    cli = {p.name: p.default for p in command.params}
    defaults = {k: p.default for k, p in inspect.signature(server.serve).parameters.items()}
    assert (defaults["bind"], defaults["port"], defaults["timeout"], defaults["memory_mb"]) == (
        cli["bind"], cli["port"], cli["timeout"], cli["memory"]) == ("127.0.0.1", 7878, 30.0, 2048)  # fmt: skip
    assert defaults["max_body"] == server.MAX_BODY and defaults["allow_hosts"] == ()


class PoolMade(Exception):
    pass


@pytest.mark.parametrize("cpus, size", [(None, 2), (1, 2), (3, 3), (8, 4)])
def test_the_check_pool_has_two_to_four_workers(monkeypatch, tmp_path, cpus, size):
    from nkrel.sparql import checker

    exe = fake_oxigraph(tmp_path, serve="exec sleep 20")
    monkeypatch.setattr(server, "find_oxigraph", lambda: exe)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "bin"))

    def pool(n, memory_mb):
        raise PoolMade(n, memory_mb)

    monkeypatch.setattr(checker, "CheckPool", pool)
    with pytest.raises(PoolMade) as made:
        server.serve(QUADS, port=0, echo=print, warn=print, memory_mb=99)
    assert made.value.args == (size, 99)


def test_reserve_port_takes_a_port_left_waiting_by_a_closed_connection():
    """SO_REUSEADDR: the port of a server that just closed its side of a connection (TIME_WAIT)."""
    with socket.socket() as listening:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server does (the guard)
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listening.accept()
        accepted.close()  # the server's side closes first: it waits, not the client
        time.sleep(0.05)
        client.close()
    assert server.reserve_port("127.0.0.1", port) == port


def test_an_answer_in_oxigraphs_extra_second_is_passed_on(guard):
    """The guard waits the query's timeout and a second more (Oxigraph's own timeout, then
    its 500, comes first)."""
    guard.backend.plan = {"pause": 0.9}  # past the 0.5 s timeout, within the second more
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[::3] == (200, b"answer")


def test_a_signal_while_the_graph_loads_stops_serve(monkeypatch, tmp_path):
    exe = fake_oxigraph(tmp_path, load="sleep 3", serve="exit 0")
    monkeypatch.setattr(server, "find_oxigraph", lambda: exe)
    work = tmp_path / "work"
    work.mkdir()
    code, lines, warnings = run_serve(monkeypatch, work, lambda *a: time.sleep(0.5), early=True)
    assert isinstance(code, KeyboardInterrupt) and lines == warnings == []


@pytest.mark.parametrize("failure", [OSError, subprocess.SubprocessError, "not joined"])
def test_without_a_namespace_for_the_server_serve_falls_back(monkeypatch, tmp_path, failure):
    """The server started in a namespace of its own fails to start, or the guard cannot
    join its namespace: the fallback (a random loopback address) serves."""
    real_popen, stopped = subprocess.Popen, []

    def popen(*args, **kwargs):
        if failure != "not joined" and "127.0.0.1:" + str(backend.INSIDE_PORT) in args[0]:
            raise failure("no namespace")
        return real_popen(*args, **kwargs)

    class NotJoined:
        def __init__(self, pid):
            self.joined, self.pid = False, pid

        def close(self):
            stopped.append(self.pid)

    monkeypatch.setattr(server.subprocess, "Popen", popen)
    if failure == "not joined":
        monkeypatch.setattr(backend, "NamespaceConnector", NotJoined)
    seen = {}

    def during(lines, warnings):
        seen["ask"] = get(lines[0].split()[-1] + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                          {"Accept": "application/sparql-results+json"})  # fmt: skip

    code, lines, warnings = run_serve(monkeypatch, tmp_path, during)
    assert code == 0 and seen["ask"][0] == 200 and "true" in seen["ask"][1]
    assert "no network namespace available" in warnings[0]
    if failure == "not joined":
        assert len(stopped) == 1 and gone(stopped[0])  # the connector closed, the first server stopped


def test_the_answer_must_end_within_the_timeout_and_one_second(guard):
    """The headers at once, the body 1.8 s later: past the 0.5 s timeout and its second."""
    guard.backend.plan = {"body_pause": 1.8}
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[0] == 504


def test_a_read_that_ends_past_the_deadline_is_a_504(guard):
    """One read of 64 KiB spans 64 pieces 30 ms apart (about 2 s): it returns after the
    1.5 s deadline, which the next round sees."""
    guard.backend.plan = {"pieces": 64}
    assert ask(guard, "GET", "/query?query=ASK%7B%7D")[::3] == (
        504, b"the query ran longer than the 0.5 s timeout and was stopped (nkrel serve --timeout)\n")  # fmt: skip
