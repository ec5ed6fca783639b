"""Attacks on `nkrel serve` from a web page in a browser on the same machine: using the
server as a relay (SERVICE), reaching it through DNS rebinding, writing to it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ..benchmark_serve import start_serve, stop_serve
from .conftest import children_of, process_gone


@pytest.fixture(scope="module")
def served():
    proc = subprocess.Popen([shutil.which("nkrel"), "serve", "--port", "0", "--allow-host", "kg.example"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any("Ctrl-C" in line for line in lines):
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
    match = re.search(r"SPARQL query endpoint:\s+(http://127\.0\.0\.1:(\d+))/query", "".join(lines))
    if not match:
        proc.kill()
        pytest.fail(f"nkrel serve did not start: {lines} {proc.stderr.read()}")
    backend = [pid for pid in children_of(proc.pid)]
    yield {"base": match.group(1), "port": int(match.group(2)), "proc": proc, "backend": backend}
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)


def call(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def form(query):
    return urllib.parse.urlencode({"query": query}).encode()


def test_yasgui_query_page_still_works(served):
    status, page, _ = call(served["base"] + "/")
    assert status == 200 and "yasgui.min.js" in page
    status, script, _ = call(served["base"] + "/yasgui.min.js")
    assert status == 200 and len(script) > 100_000


def test_service_through_the_server_is_refused_and_nothing_is_contacted(served, listener):
    text = f"SELECT * WHERE {{ ?s ?p true.SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
    for body, headers in ((form(text), {"Content-Type": "application/x-www-form-urlencoded"}),
                          (text.encode(), {"Content-Type": "application/sparql-query"})):  # fmt: skip
        status, message, _ = call(served["base"] + "/query", body, headers)
        assert status == 403 and message.startswith("refused SERVICE")
    status, _, _ = call(served["base"] + "/query?" + urllib.parse.urlencode({"query": text}))
    assert status == 403
    assert listener.connections == 0


def oxigraph_of(pids) -> int:
    for pid in pids:
        if b"serve-read-only" in open(f"/proc/{pid}/cmdline", "rb").read():
            return pid
    raise AssertionError("the Oxigraph backend was not found")


def backend_address(pid: int) -> tuple[str, int]:
    cmdline = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    host, port = cmdline[cmdline.index(b"--bind") + 1].decode().rsplit(":", 1)
    return host, int(port)


def listening_sockets() -> set[str]:
    """Inodes of the TCP sockets listening in this process's network namespace."""
    found = set()
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                found.add(fields[9])
    return found


def sockets_of(pid: int) -> set[str]:
    out = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        if target.startswith("socket:["):
            out.add(target[len("socket:[") : -1])
    return out


def test_dns_rebinding_to_the_backend_port_reaches_nothing(served):
    """Issue 19 item 7: the Oxigraph backend answered `Host: evil.example` on its own port.
    Now no socket it listens on is reachable from this machine: it has a network of its own."""
    pid = oxigraph_of(served["backend"])
    assert sockets_of(pid), "the backend has no socket at all"
    assert not sockets_of(pid) & listening_sockets(), "the backend listens where a browser can reach it"
    assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")
    host, port = backend_address(pid)
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        urllib.request.urlopen(urllib.request.Request(f"http://{host}:{port}/query?query=ASK%7B%7D",
                                                      headers={"Host": f"evil.example:{port}"}), timeout=10)  # fmt: skip


@pytest.fixture(scope="module")
def served_without_namespaces():
    """Where user namespaces are not available: the fallback, a random loopback address."""
    proc, base = start_serve([], env={**os.environ, "NKREL_SERVE_NO_NAMESPACE": "1"})
    yield {"proc": proc, "backend": children_of(proc.pid)}
    stop_serve(proc)


def test_without_namespaces_the_backend_hides_on_a_random_loopback_address(served_without_namespaces):
    host, port = backend_address(oxigraph_of(served_without_namespaces["backend"]))
    assert host.startswith("127.") and host != "127.0.0.1"
    assert "random loopback address" in served_without_namespaces["proc"].stderr.readline()


def test_the_oxigraph_process_cannot_relay_even_if_reached_directly(served_without_namespaces, listener):
    """Second line: the backend, asked directly (no guard), still cannot connect out."""
    host, port = backend_address(oxigraph_of(served_without_namespaces["backend"]))
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
    status, body, _ = call(f"http://{host}:{port}/query", form(text),
                           {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    # Oxigraph may have sent its 200 before the SERVICE call failed; what matters is that no
    # connection was made, and no row came back
    assert '"bindings":[{' not in body.replace(" ", "")
    assert listener.connections == 0


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost:1",
                                  "", "kg.example:1"])  # fmt: skip
def test_dns_rebinding_hosts_are_refused(served, host):
    headers = {"Host": host.format(port=served["port"])}
    status, message, _ = call(served["base"] + "/query?query=ASK%7B%7D", headers=headers)
    assert status == 403 and "Host is not allowed" in message


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "kg.example:{port}", "[::1]:{port}"])
def test_ip_addresses_localhost_and_allowed_names_are_served(served, host):
    headers = {"Host": host.format(port=served["port"]), "Accept": "application/sparql-results+json"}
    status, body, _ = call(served["base"] + "/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", headers=headers)
    assert status == 200 and '"boolean":true' in body.replace(" ", "")


@pytest.mark.parametrize(
    "method, path, body, kind",
    [
        ("POST", "/update", "update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("POST", "/query", "update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("POST", "/query", "DROP ALL", "application/sparql-update"),
        ("PUT", "/store?default", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("POST", "/store?default", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("DELETE", "/store?default", "", "text/plain"),
    ],
)
def test_writes_are_refused(served, method, path, body, kind):
    status, _, _ = call(served["base"] + path, body.encode(), {"Content-Type": kind}, method)
    assert status == 403
    status, answer, _ = call(served["base"] + "/query", form("ASK { ?s ?p ?o }"),
                             {"Content-Type": "application/x-www-form-urlencoded",
                              "Accept": "application/sparql-results+json"})  # fmt: skip
    assert status == 200 and "true" in answer


def test_no_cors_header_lets_another_origin_read(served):
    status, _, headers = call(served["base"] + "/query?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
    assert status == 200
    assert not any(k.lower().startswith("access-control-") for k in headers)


def test_declared_prefixes_work_through_the_server(served):
    status, body, _ = call(served["base"] + "/query", form("SELECT ?f WHERE { ?f a nk:Aid } LIMIT 1"),
                           {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})  # fmt: skip
    assert status == 200 and "/id/fact/" in body


def test_stopping_leaves_no_process(tmp_path):
    proc = subprocess.Popen([shutil.which("nkrel"), "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "Ctrl-C" not in proc.stdout.readline():
        pass
    backend = children_of(proc.pid)
    assert backend
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(30) == 0
    for pid in backend:
        assert process_gone(pid)
