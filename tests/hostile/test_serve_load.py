"""`nkrel serve` under load and under requests meant to exhaust it (issue 19, items 5 and
6): many clients at once, runaway queries, huge bodies, clients that stop sending, and
queries whose check alone would run for minutes. Loopback only; every count and wait is
bounded, and the server is stopped at the end."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..benchmark_serve import RUNAWAY, memory_kib, run_load, start_serve, stop_serve
from .conftest import children_of

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 2  # nkrel serve --timeout
MEMORY = 256  # nkrel serve --memory


@pytest.fixture(scope="module")
def served():
    proc, base = start_serve(["--graph", str(ROOT / "graphs" / "nkrel.nq"), "--timeout", str(TIMEOUT),
                              "--memory", str(MEMORY)])  # fmt: skip
    yield {"base": base, "port": int(base.rsplit(":", 1)[1]), "pid": proc.pid}
    stop_serve(proc)


def call(url, data=None, headers=None):
    """Status and text of the answer; an answer that does not end within 60 s or 1 MiB fails."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            status, body = r.status, r.read(1 << 20)
            assert not r.read(1), "the answer did not end within 1 MiB"
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    return status, body.decode("utf-8", "replace")


def raw(port: int, data: bytes, wait: float = 30) -> bytes:
    """Send bytes as they are, then read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(1 << 16):
            answer += chunk
        return answer


def test_fifty_clients_and_mixed_queries_lose_no_request(served):
    """Issue 19 item 6: 50 clients, 2,730 cheap queries: 112 failed (reset or timeout)."""
    results = run_load(served["base"], clients=50, requests=1200, runaway=6)
    assert results.lost == [], results.lost[:5]
    assert results.unexpected == [], results.unexpected[:5]
    assert len(results.latencies) == 1200
    assert results.statuses["runaway"] == {504: 6}


def test_a_burst_of_connections_waits_instead_of_being_reset(served):
    """The guard listened with a backlog of 5: a burst of 300 connections at once."""
    request = (f"GET /query?query=ASK%7B%7D HTTP/1.0\r\nHost: 127.0.0.1:{served['port']}\r\n\r\n").encode()
    sockets = []
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", served["port"]), timeout=60)
        s.sendall(request)
        sockets.append(s)
    firsts = []
    for s in sockets:
        with s:
            firsts.append(s.recv(64).split(b"\r\n")[0])
    assert firsts == [b"HTTP/1.0 200 OK"] * 300


def test_a_runaway_query_is_answered_504_not_dropped(served):
    """A runaway query ended as a dropped connection (or an endless answer), never an HTTP error."""
    start = time.monotonic()
    status, message = call(served["base"] + "/query?" + urllib.parse.urlencode({"query": RUNAWAY}))
    assert status == 504
    assert message == f"the query ran longer than the {TIMEOUT} s timeout and was stopped (nkrel serve --timeout)\n"
    assert time.monotonic() - start < TIMEOUT + 5


def test_a_query_whose_check_would_run_for_minutes_is_answered_504(served):
    """Item 5: the query check ran before, and outside, the time limit (100,000 VALUES rows)."""
    rows = " ".join(f"({i})" for i in range(100_000))
    text = f"SELECT * WHERE {{ VALUES (?x) {{ {rows} }} }} LIMIT 1"
    start = time.monotonic()
    status, message = call(served["base"] + "/query", text.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 504 and message.startswith(f"checking the query took longer than the {TIMEOUT} s timeout")
    assert time.monotonic() - start < TIMEOUT + 5
    status, _ = call(served["base"] + "/query?query=ASK%7B%7D")  # and the server still answers
    assert status == 200


def test_twenty_concurrent_16_mib_posts_leave_the_guard_small(served):
    """Item 5: 20 concurrent 16 MiB POSTs took the guard from 60 MB to 3.9 GB."""
    body = b"query=" + b"SELECT * WHERE { ?s ?p ?o } #" * (16 * 1024 * 1024 // 29)
    statuses = []

    def post():
        statuses.append(call(served["base"] + "/query", body, {"Content-Type": "application/x-www-form-urlencoded"}))

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [status for status, _ in statuses] == [413] * 20
    assert statuses[0][1] == "a request body of at most 1048576 bytes, with its length\n"
    assert memory_kib(served["pid"])["VmHWM"] < 200 * 1024, "the guard's peak memory passed 200 MiB"


def test_a_client_that_stops_sending_its_body_is_answered_408(served):
    start = time.monotonic()
    head = (f"POST /query HTTP/1.0\r\nHost: 127.0.0.1:{served['port']}\r\nContent-Type: application/sparql-query\r\n"
            "Content-Length: 100\r\n\r\nASK {")  # fmt: skip
    answer = raw(served["port"], head.encode())
    assert answer.startswith(b"HTTP/1.0 408 ") and answer.endswith(b"the request was not sent within 10 s\n")
    assert 9 < time.monotonic() - start < 15


def test_a_client_that_dribbles_its_headers_is_answered_408(served):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", served["port"]), timeout=30) as s:
        s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.0\r\n")
        answer = b""
        for _ in range(30):  # one header byte a second: never finished, never idle 10 s
            try:
                s.sendall(b"X")
            except OSError:
                break
            s.settimeout(1)
            try:
                answer += s.recv(1 << 16)
            except TimeoutError:
                continue
            if answer:
                break
    assert answer.startswith(b"HTTP/1.0 408 ")
    assert time.monotonic() - start < 15


def test_the_query_check_runs_without_sockets_and_under_the_memory_limit(served):
    workers = [pid for pid in children_of(served["pid"])
               if b"nkrel.sparql.checker" in Path(f"/proc/{pid}/cmdline").read_bytes()]  # fmt: skip
    assert len(workers) >= 2
    for pid in workers:
        status = Path(f"/proc/{pid}/status").read_text()
        assert "Seccomp:\t2" in status
        limit = next(line for line in Path(f"/proc/{pid}/limits").read_text().splitlines()
                     if line.startswith("Max address space"))  # fmt: skip
        soft = int(limit.split()[3])
        size = int(next(line for line in status.splitlines() if line.startswith("VmSize:")).split()[1]) * 1024
        assert size < soft <= size + MEMORY * 1024 * 1024 + (64 << 20)
