"""Attacks through remote endpoints and store URLs: slow or huge or broken answers,
escape sequences, passwords in URLs."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from ..conftest import nkrel


class Hostile(http.server.BaseHTTPRequestHandler):
    mode = "slow"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = type(self).mode
        if mode == "slow":  # one byte a second, forever
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            for _ in range(120):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        elif mode == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            chunk = b" " * (1 << 20)
            for _ in range(300):
                self.wfile.write(chunk)
        elif mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["x"]},"results":{"bind')
        elif mode == "escapes":
            self.send_response(500, "Boom\x1b[2J")
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"\x1b]0;pwned\x07\x1b[31mred\n")

    do_PUT = do_POST


@pytest.fixture
def hostile():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Hostile
    server.shutdown()
    server.server_close()


def test_endpoint_timeout_is_a_total_deadline(hostile):
    url, handler = hostile
    handler.mode = "slow"
    start = time.monotonic()
    result = nkrel("query", "ASK { ?s ?p ?o }", "--endpoint", url + "/sparql", "--timeout", "2", timeout=60)
    elapsed = time.monotonic() - start
    assert result.returncode == 2 and "did not answer in time" in result.stderr, result.stderr
    assert elapsed < 30, f"--timeout 2 took {elapsed:.0f} s"


def test_a_huge_endpoint_reply_is_cut_at_the_memory_limit(hostile):
    url, handler = hostile
    handler.mode = "huge"
    result = nkrel("query", "ASK { ?s ?p ?o }", "--endpoint", url + "/sparql", "--memory", "64", timeout=120)
    assert result.returncode == 2 and "sent more than 64 MiB" in result.stderr, result.stderr


def test_a_truncated_endpoint_reply_is_a_clean_error(hostile):
    url, handler = hostile
    handler.mode = "truncated"
    result = nkrel("query", "ASK { ?s ?p ?o }", "--endpoint", url + "/sparql", timeout=60)
    assert result.returncode == 2 and "incomplete" in result.stderr and "Traceback" not in result.stderr


def test_escape_sequences_from_a_server_never_reach_the_terminal(hostile):
    url, handler = hostile
    handler.mode = "escapes"
    for args in (["query", "ASK { ?s ?p ?o }", "--endpoint", url + "/sparql"], ["push", url + "/store"]):
        result = nkrel(*args, timeout=60)
        assert result.returncode in (1, 2) and "\x1b" not in result.stderr + result.stdout, result.stderr
        assert "\\x1b" in result.stderr


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://127.0.0.1:99999/sparql", "not a valid URL"),
        ("http://127.0.0.1:80 80/sparql", "must not contain spaces"),
        ("http://exa mple.org/sparql", "must not contain spaces"),
        ("ftp://example.org/sparql", "must be an http(s) URL"),
        ("http:///sparql", "must be an http(s) URL"),
    ],
)
def test_malformed_endpoint_urls_are_usage_errors(url, message):
    result = nkrel("query", "ASK { ?s ?p ?o }", "--endpoint", url, timeout=60)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    push = nkrel("push", url, "--dry-run", timeout=60)
    assert push.returncode == 2 and "Traceback" not in push.stderr


def test_passwords_in_urls_are_never_printed(hostile):
    url, handler = hostile
    handler.mode = "escapes"
    secret_url = url.replace("http://", "http://analyst:s3cret-pw@") + "/store"
    for args in (["push", secret_url, "--dry-run"], ["push", secret_url],
                 ["query", "ASK { ?s ?p ?o }", "--endpoint", secret_url]):  # fmt: skip
        result = nkrel(*args, timeout=60)
        shown = result.stdout + result.stderr
        assert "s3cret-pw" not in shown, (args, result.stdout, result.stderr)
        # the URL is named masked, or (a push, which sends user:password as HTTP authentication) without them
        assert "analyst:***@" in shown or (args[:2] == ["push", secret_url] and url.split("//")[1] in shown), shown
