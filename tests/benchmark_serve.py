"""Load on `nkrel serve`: many concurrent clients, a mix of cheap, refused and runaway
queries; prints p50, p99, lost requests and the guard's memory (loopback only).

    python tests/benchmark_serve.py                      # 50 clients, 3,000 requests
    python tests/benchmark_serve.py --clients 50 --requests 3000 --runaway 20 --timeout 3
    python tests/benchmark_serve.py --command 'python -m nkrel'   # another nkrel, e.g. an older one

A request is lost when no HTTP answer comes back (reset, timeout, broken answer); an
answer with another status than the one expected for its kind is counted apart. The
tests in tests/hostile/test_serve_load.py use the same functions with bounded counts.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 7,441^3 rows: never ends by itself
# (kind, method, content type, query, expected status)
MIX = [
    ("ask", "GET", None, "ASK { ?s ?p ?o }", 200),
    ("select", "POST", "application/x-www-form-urlencoded", "SELECT ?f WHERE { ?f a nk:Aid } LIMIT 5", 200),
    ("count", "POST", "application/sparql-query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 200),
    ("graphs", "GET", None, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", 200),
    ("syntax", "POST", "application/sparql-query", "SELECT * WHERE { ?s ?p", 400),
    ("service", "GET", None, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403),
]


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # no HTTP answer
    unexpected: list[str] = field(default_factory=list)  # an answer with another status
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int | None, expected: int, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status is None:
                self.lost.append(f"{kind}: {error}")
                return
            self.statuses.setdefault(kind, {}).setdefault(status, 0)
            self.statuses[kind][status] += 1
            if status != expected:
                self.unexpected.append(f"{kind}: HTTP {status} (expected {expected})")


def start_serve(args: list[str], command: list[str] | None = None, cwd: Path = ROOT, env=None):
    """Start `nkrel serve --port 0 ARGS`; return the process and the base URL."""
    command = command or [shutil.which("nkrel") or "nkrel"]
    proc = subprocess.Popen([*command, "serve", "--port", "0", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any("Ctrl-C" in line for line in lines):
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
    match = re.search(r"SPARQL query endpoint:\s+(http://127\.0\.0\.1:\d+)/query", "".join(lines))
    if not match:
        proc.kill()
        raise RuntimeError(f"nkrel serve did not start: {lines} {proc.stderr.read()}")
    return proc, match.group(1)


def stop_serve(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, in KiB."""
    text = Path(f"/proc/{pid}/status").read_text()
    return {key: int(value) for key, value in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M)}


ANSWER_SECONDS = 90  # an answer that has not ended by then is counted as lost
ANSWER_BYTES = 64 << 20  # and so is one larger than this (a runaway query streamed on)


def read_bounded(response, deadline: float) -> None:
    """Read an answer to its end, or raise TimeoutError past the deadline or the size."""
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > ANSWER_BYTES or time.monotonic() > deadline:
            raise TimeoutError(f"the answer had not ended after {size} bytes")


def one_request(base: str, kind: str, method: str, content_type, query: str, expected: int, results: Results):
    host, port = urllib.parse.urlsplit(base).netloc.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    start = time.monotonic()
    try:
        headers = {"Accept": "application/sparql-results+json"}
        if method == "GET":
            connection.request("GET", "/query?" + urllib.parse.urlencode({"query": query}), headers=headers)
        else:
            body = query if content_type == "application/sparql-query" else urllib.parse.urlencode({"query": query})
            connection.request("POST", "/query", body.encode(), {**headers, "Content-Type": content_type})
        response = connection.getresponse()
        read_bounded(response, start + ANSWER_SECONDS)
        results.record(kind, response.status, expected, time.monotonic() - start)
    except (OSError, http.client.HTTPException) as e:
        results.record(kind, None, expected, time.monotonic() - start, f"{type(e).__name__}: {e}")
    finally:
        connection.close()


def run_load(base: str, clients: int, requests: int, runaway: int) -> Results:
    """`requests` requests from `clients` threads at once: the mix in turn, `runaway` of
    them spread evenly among the rest, each expected to end in HTTP 504."""
    plan = [MIX[i % len(MIX)] for i in range(requests - runaway)]
    step = max(1, len(plan) // max(1, runaway))
    for i in range(runaway):
        plan.insert(min(len(plan), i * step + step // 2), ("runaway", "GET", None, RUNAWAY, 504))
    results = Results()
    cursor = iter(plan)
    lock = threading.Lock()

    def client():
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                return
            one_request(base, *item, results)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def report(results: Results, seconds: float, memory: dict[str, int], idle: dict[str, int]) -> str:
    n = len(results.latencies)
    return "\n".join([
        f"requests {n} in {seconds:.1f} s ({n / seconds:.0f}/s)",
        f"p50 {percentile(results.latencies, 50) * 1000:.1f} ms   p99 {percentile(results.latencies, 99) * 1000:.1f} ms"
        f"   max {max(results.latencies, default=0) * 1000:.0f} ms",
        f"lost (no HTTP answer) {len(results.lost)}   unexpected status {len(results.unexpected)}",
        f"statuses {results.statuses}",
        f"guard RSS idle {idle.get('VmRSS', 0) / 1024:.0f} MiB, after {memory.get('VmRSS', 0) / 1024:.0f} MiB, "
        f"peak {memory.get('VmHWM', 0) / 1024:.0f} MiB",
        *[f"  lost: {line}" for line in results.lost[:10]],
        *[f"  unexpected: {line}" for line in results.unexpected[:10]],
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--runaway", type=int, default=20, help="runaway queries among the requests")
    parser.add_argument("--timeout", type=float, default=3.0, help="nkrel serve --timeout")
    parser.add_argument("--graph", default=str(ROOT / "graphs" / "nkrel.nq"))
    parser.add_argument("--command", help="how to run nkrel (default: the nkrel on PATH)")
    args = parser.parse_args()
    command = shlex.split(args.command) if args.command else None
    proc, base = start_serve(["--graph", args.graph, "--timeout", str(args.timeout)], command)
    try:
        idle = memory_kib(proc.pid)
        one_request(base, "warm-up", "GET", None, "ASK {}", 200, Results())
        start = time.monotonic()
        results = run_load(base, args.clients, args.requests, args.runaway)
        seconds = time.monotonic() - start
        print(f"nkrel serve, {args.clients} clients, --timeout {args.timeout:g}, pid {proc.pid}, "
              f"{os.cpu_count()} CPUs")  # fmt: skip
        print(report(results, seconds, memory_kib(proc.pid), idle))
        print(f"median of the cheap queries {statistics.median(results.latencies) * 1000:.1f} ms")
    finally:
        stop_serve(proc)
    return 1 if results.lost or results.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
