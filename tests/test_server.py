"""A real SPARQL server: `nkrel push` (Graph Store Protocol), `nkrel query --endpoint`
(SPARQL Protocol) and `nkrel serve`, against `oxigraph serve` on 127.0.0.1.

The server is started once per session on a free port, emptied before each test, and
stopped by its PID at the end. A missing `oxigraph` binary is a failure, not a skip.
The data is the shipped build when the shipped corpus builds, else a small synthetic
corpus (one fact; still more than 1,000 quads with the ontology and entities).
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest

from nkrel.core.corpus import default_corpus_dir
from nkrel.sparql.query import shipped_queries

from .conftest import default_sigint, nkrel
from .test_bad_input import GOOD_FACT

NK = "https://w3id.org/nkrel/"
UNRELATED = "http://example.org/unrelated-graph"

ADHOC = {
    "adhoc-graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "adhoc-union": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "adhoc-facts": f"SELECT ?fact ?kind ?doc WHERE {{ ?fact a ?kind ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc . "
    f"?kind <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{NK}ontology#Fact> }}",
    "adhoc-ask": "ASK { GRAPH ?g { ?s a <http://www.w3.org/ns/oa#TextQuoteSelector> } }",
    "adhoc-construct": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
    f'"{NK}graph/trade")) }}',
}
QUERIES = sorted(shipped_queries()) + sorted(ADHOC)


# --- fixtures ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    from nkrel.sparql.server import ServeError, find_oxigraph

    try:
        return str(find_oxigraph())
    except ServeError as e:
        pytest.fail(f"{e} (the server tests need it: `make test` installs it)")


def wait_until_answers(url: str, proc: subprocess.Popen | None = None, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}")
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within {seconds} s")
        time.sleep(0.05)


def process_gone(pid: int) -> bool:
    """No such process, or only a zombie left to be reaped by init."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "State:\tZ" in status


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` on 127.0.0.1 on a free port; yields the base URL; stopped by PID."""
    exe = oxigraph_binary()
    location = tmp_path_factory.mktemp("oxigraph-db")
    port = free_port()
    log = open(tmp_path_factory.mktemp("oxigraph-log") / "server.log", "wb")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + "/query", proc)
        yield base
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        log.close()
        assert process_gone(proc.pid)


def call(method: str, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def update(base: str, text: str) -> None:
    status, body = call("POST", base + "/update", urllib.parse.urlencode({"update": text}).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status in (200, 204), body


def dump(base: str) -> set:
    """Every quad on the server, default graph included."""
    status, body = call("GET", base + "/store", headers={"Accept": "application/n-quads"})
    assert status == 200, body
    return set(ox.parse(body, format=ox.RdfFormat.N_QUADS))


@pytest.fixture
def server(oxigraph_server) -> str:
    """The session's Oxigraph server, emptied."""
    update(oxigraph_server, "DROP ALL")
    assert dump(oxigraph_server) == set()
    return oxigraph_server


def synthetic_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    (corpus / "facts" / "trade-agreements.yaml").write_text(GOOD_FACT, encoding="utf-8")
    for doc in ("eiilir-economic-relationship", "encyclopedia-economic-relations"):
        path = corpus / "facts" / f"{doc}.yaml"
        if not path.exists():
            path.write_text(f"document: {doc}\nfacts: []\n", encoding="utf-8")
    return corpus


def as_stored(quads) -> set:
    """The quads as an Oxigraph store keeps them: 0.5.13 stores literals of derived
    integer types (xsd:nonNegativeInteger ...) as xsd:integer, locally and on the server."""
    store = ox.Store()
    store.extend(quads)
    return set(store)


@pytest.fixture(scope="session")
def source(tmp_path_factory):
    """(corpus folder or None for the shipped one, the built N-Quads file, its quads as
    Oxigraph stores them)."""
    out = tmp_path_factory.mktemp("server-build")
    corpus = None
    result = nkrel("build", "--out", out)
    if result.returncode != 0:
        corpus = synthetic_corpus(tmp_path_factory.mktemp("server-corpus"))
        warnings.warn(f"the shipped corpus does not build; the server tests use a synthetic one: {result.stderr[:300]}",
                      stacklevel=1)  # fmt: skip
        result = nkrel("build", "--corpus", corpus, "--out", out, "--allow-uncovered")
        assert result.returncode == 0, result.stderr
    nq = out / "nkrel.nq"
    return corpus, nq, as_stored(ox.parse(path=str(nq)))


def by_graph(quads) -> dict[str, int]:
    counts: dict[str, int] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        counts[name] = counts.get(name, 0) + 1
    return counts


# --- push ---------------------------------------------------------------------------------


def test_push_loads_every_named_graph(server, source):
    _, nq, quads = source
    local = by_graph(quads)
    assert "" not in local and len(quads) > 1000
    start = time.monotonic()
    result = nkrel("push", f"{server}/store", "--graph", nq)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert dump(server) == quads
    assert by_graph(dump(server)) == local
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    n = len(local)
    assert progress == [f"[{i}/{n}] PUT {g} ({local[g]} triples) ... 201" for i, g in enumerate(sorted(local), 1)]
    assert result.stdout.startswith(f"Pushed {n} named graphs ({len(quads)} triples) to {server}/store in ")
    print(f"pushed {len(quads)} quads in {n} graphs in {elapsed:.2f} s (including start-up)")


def test_push_from_the_corpus_equals_the_built_file(server, source):
    corpus, _, quads = source
    args = ["--corpus", corpus] if corpus else []
    result = nkrel("push", f"{server}/store", *args)
    assert result.returncode == 0, result.stderr
    assert dump(server) == quads


def test_second_push_changes_nothing(server, source):
    _, nq, quads = source
    assert nkrel("push", f"{server}/store", "--graph", nq).returncode == 0
    first = dump(server)
    again = nkrel("push", f"{server}/store", "--graph", nq)
    assert again.returncode == 0, again.stderr
    assert dump(server) == first == quads
    progress = [line for line in again.stderr.splitlines() if line.startswith("[")]
    assert progress and all(line.endswith(" ... 204") for line in progress)  # replaced, not created


def test_default_graph_and_other_graphs_are_untouched(server, source):
    _, nq, quads = source
    graph = sorted(by_graph(quads))[0]
    update(server, f"""INSERT DATA {{
        <http://example.org/s> <http://example.org/p> "in the default graph" .
        GRAPH <{UNRELATED}> {{ <http://example.org/s> <http://example.org/p> "unrelated" }}
        GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> "stale, replaced by the push" }}
    }}""")  # fmt: skip
    before = dump(server)
    result = nkrel("push", f"{server}/store", "--graph", nq)
    assert result.returncode == 0, result.stderr
    after = dump(server)
    ours = {q for q in after if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(NK)}
    assert ours == quads
    others = {q for q in before if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph)}
    assert after - ours == others and len(others) == 2


@pytest.mark.parametrize("value", ["nan", "-1", "0", "1e300"])
def test_push_refuses_a_timeout_out_of_bounds(value):
    """--timeout nan or -1 ended in a traceback from the socket (after the first graph was tried)."""
    result = nkrel("push", "http://127.0.0.1:9/store", "--timeout", value)
    assert result.returncode == 2, result.stderr
    assert "Invalid value for '--timeout'" in result.stderr and "Traceback" not in result.stderr


def test_dry_run_sends_nothing(server, source):
    _, nq, quads = source
    result = nkrel("push", f"{server}/store", "--graph", nq, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert dump(server) == set()
    local = by_graph(quads)
    for g, n in local.items():
        url = f"{server}/store?" + urllib.parse.urlencode({"graph": g})
        assert f"PUT {url}  ({n} triples, " in result.stdout
    assert "nothing sent" in result.stdout.splitlines()[-1]


def error_lines(stderr: str) -> list[str]:
    """The error report, after the progress lines (one per graph sent)."""
    lines = stderr.splitlines()
    assert "Traceback" not in stderr
    first = [i for i, line in enumerate(lines) if line.startswith("nkrel: error: ")][0]
    assert all(line.startswith("[") for line in lines[:first]), lines[:first]
    return lines[first:]


def not_pushed_report(stderr: str, graphs) -> None:
    lines = error_lines(stderr)
    assert f"  pushed 0 of {len(graphs)} named graphs: none" in lines
    assert f"  not pushed {len(graphs)} of {len(graphs)}:" in lines
    for g in graphs:
        assert any(line.startswith(f"    {g}  (") for line in lines), g


def test_query_url_given_as_store_url(server, source):
    _, nq, quads = source
    result = nkrel("push", f"{server}/query", "--graph", nq)
    assert result.returncode == 1
    first = error_lines(result.stderr)[0]
    assert f"to {server}/query: HTTP 404 Not Found: PUT /query is not supported" in first
    assert "Graph Store Protocol URL, not a query URL" in result.stderr
    not_pushed_report(result.stderr, by_graph(quads))
    assert dump(server) == set()


def test_unreachable_server(source):
    _, nq, quads = source
    url = f"http://127.0.0.1:{free_port()}/store"
    result = nkrel("push", url, "--graph", nq, "--timeout", "5")
    assert result.returncode == 1
    assert (
        error_lines(result.stderr)[0]
        == f"nkrel: error: cannot reach {url}: connection refused (is the server running?)"
    )
    not_pushed_report(result.stderr, by_graph(quads))


class StubStore(http.server.BaseHTTPRequestHandler):
    """A Graph Store stub: records each PUT; answers from the class's `answers` list."""

    requests: list = []
    answers: list = []
    delay = 0.0
    challenge = None  # (WWW-Authenticate value, Authorization value it accepts): 401 without it

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((self.path, dict(self.headers), body))
        time.sleep(type(self).delay)
        if self.challenge and self.headers.get("Authorization") != self.challenge[1]:
            self.send_response(401)
            self.send_header("WWW-Authenticate", self.challenge[0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = type(self).answers.pop(0) if type(self).answers else 204
        message = b"out of disk space\n" if status >= 400 else b""
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (--timeout)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    StubStore.requests, StubStore.answers, StubStore.delay, StubStore.challenge = [], [], 0.0, None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StubStore)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ds/data", StubStore
    httpd.shutdown()
    httpd.server_close()


def test_a_server_error_on_one_graph_reports_pushed_and_not_pushed(stub, source):
    url, store = stub
    _, nq, quads = source
    graphs = sorted(by_graph(quads))
    exact = set(ox.parse(path=str(nq)))
    store.answers = [201, 507]  # the second graph fails; the others are still sent
    result = nkrel("push", url, "--graph", nq)
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert lines[0].startswith(f"nkrel: error: PUT <{graphs[1]}> to {url}: HTTP 507 Insufficient Storage: out of disk")
    assert f"  pushed {len(graphs) - 1} of {len(graphs)} named graphs:" in lines
    assert f"  not pushed 1 of {len(graphs)}:" in lines
    assert f"    {graphs[1]}  (HTTP 507 Insufficient Storage)" in lines
    assert len(store.requests) == len(graphs)
    for (path, headers, body), g in zip(store.requests, graphs, strict=True):
        assert path == "/ds/data?" + urllib.parse.urlencode({"graph": g})
        assert headers["Content-Type"] == "application/n-triples"
        assert "Authorization" not in headers
        sent = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
        assert sent == {q.triple for q in exact if q.graph_name.value == g}  # terms exactly as built


def test_basic_auth_password_from_the_environment(stub, source):
    """The password goes only in answer to a Basic challenge; once accepted, with every later PUT."""
    url, store = stub
    _, nq, quads = source
    expected = "Basic " + base64.b64encode(b"editor:s3cret:x").decode()
    store.challenge = ('Basic realm="nkrel"', expected)
    result = nkrel("push", url, "--graph", nq, "--user", "editor", env={"NKREL_PASSWORD": "s3cret:x"})
    assert result.returncode == 0, result.stderr
    sent = [h.get("Authorization") for _, h, _ in store.requests]
    assert sent == [None] + [expected] * len(by_graph(quads))
    assert "s3cret" not in result.stdout + result.stderr


def test_refused_basic_credentials_are_sent_once(stub, source):
    url, store = stub
    _, nq, quads = source
    store.challenge = ('Basic realm="nkrel"', "Basic bm9ib2R5Om5vdGhpbmc=")
    result = nkrel("push", url, "--graph", nq, "--user", "editor", env={"NKREL_PASSWORD": "wrong-pw"})
    assert result.returncode == 1
    assert "HTTP 401 Unauthorized" in error_lines(result.stderr)[0] and "the credentials were refused" in result.stderr
    assert [h.get("Authorization", "")[:6] for _, h, _ in store.requests] == ["", "Basic "]
    assert "wrong-pw" not in result.stdout + result.stderr
    not_pushed_report(result.stderr, by_graph(quads))


def test_an_unknown_authentication_scheme_is_named(stub, source):
    url, store = stub
    _, nq, _ = source
    store.challenge = ('Bearer realm="nkrel"', "never")
    result = nkrel("push", url, "--graph", nq, "--user", "editor", env={"NKREL_PASSWORD": "pw"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert error_lines(result.stderr)[0].endswith(
        "the server asks for Bearer authentication; nkrel speaks Basic and Digest"
    )
    assert len(store.requests) == 1


def test_refused_credentials_stop_the_push(stub, source):
    url, store = stub
    _, nq, quads = source
    store.answers = [401]
    result = nkrel("push", url, "--graph", nq)
    assert result.returncode == 1
    assert "HTTP 401 Unauthorized" in error_lines(result.stderr)[0] and "NKREL_PASSWORD" in result.stderr
    assert len(store.requests) == 1
    not_pushed_report(result.stderr, by_graph(quads))


def test_a_server_that_does_not_answer(stub, source):
    url, store = stub
    _, nq, quads = source
    store.delay = 3
    start = time.monotonic()
    result = nkrel("push", url, "--graph", nq, "--timeout", "0.5")
    assert result.returncode == 1 and time.monotonic() - start < 3
    assert error_lines(result.stderr)[0].endswith(f"to {url}: no answer within 0.5 s (--timeout)")
    assert len(store.requests) == 1
    not_pushed_report(result.stderr, by_graph(quads))


@pytest.mark.parametrize(
    "args,message",
    [(["--user", "editor"], "NKREL_PASSWORD"),
     (["--graph", "x.nq", "--corpus", "c"], "--corpus or --graph, not both")],
)  # fmt: skip
def test_usage_errors(args, message, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NKREL_PASSWORD"}
    result = subprocess.run([shutil.which("nkrel"), "push", "http://127.0.0.1:9/store", *args], cwd=tmp_path,
                            env=env, capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2 and message in result.stderr, result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:7878/store?default", "http://127.0.0.1:7878/store?graph=x",
                                 "ftp://example.org/store"])  # fmt: skip
def test_store_url_must_name_no_graph(url):
    result = nkrel("push", url, "--dry-run")
    assert result.returncode == 2 and "STORE_URL" in result.stderr


# --- query --endpoint ---------------------------------------------------------------------


def order_keys(query_text: str) -> list[str] | None:
    """The variables of a final ORDER BY made of plain ?var / ASC(?var) / DESC(?var), else None."""
    m = re.search(
        r"ORDER\s+BY\s+((?:(?:ASC|DESC)?\s*\(?\s*\?\w+\s*\)?\s*)+)(?:LIMIT|OFFSET|VALUES|$)", query_text.strip(), re.I
    )
    return re.findall(r"\?(\w+)", m.group(1)) if m else None


def rows(output: str):
    """(variables, rows as a multiset): the rows, whatever the order of ties."""
    data = json.loads(output)
    if "boolean" in data:
        return data["boolean"]
    return data["head"]["vars"], sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


def keys_in_order(output: str, keys: list[str]) -> list:
    """The ORDER BY keys of each row, in output order (ties may come in any order)."""
    return [
        tuple(json.dumps(b.get(k), sort_keys=True) for k in keys) for b in json.loads(output)["results"]["bindings"]
    ]


@pytest.fixture(scope="module")
def pushed(oxigraph_server, source):
    update(oxigraph_server, "DROP ALL")
    result = nkrel("push", f"{oxigraph_server}/store", "--graph", source[1])
    assert result.returncode == 0, result.stderr
    return oxigraph_server


@pytest.mark.parametrize("name", QUERIES)
def test_remote_query_equals_local(pushed, source, name):
    text = ADHOC.get(name, name)
    query_text = ADHOC.get(name) or shipped_queries()[name].text
    construct = re.search(r"\b(CONSTRUCT|DESCRIBE)\b", query_text, re.I)
    fmt = "turtle" if construct else "json"
    local = nkrel("query", text, "--graph", source[1], "--format", fmt)
    remote = nkrel("query", text, "--endpoint", f"{pushed}/query", "--format", fmt)
    assert local.returncode in (0, 1), local.stderr
    assert (remote.returncode, remote.stderr) == (local.returncode, local.stderr)
    if construct:
        assert remote.stdout == local.stdout
    else:
        why = "GROUP_CONCAT joins values in each store's own order: concatenate from an ordered sub-query"
        assert rows(remote.stdout) == rows(local.stdout), why if "GROUP_CONCAT" in query_text.upper() else ""
        keys = order_keys(query_text)
        if keys:
            assert keys_in_order(remote.stdout, keys) == keys_in_order(local.stdout, keys)
    if name in ADHOC and name != "adhoc-facts":
        assert local.returncode == 0  # the ad-hoc queries have results on any build


def test_remote_query_table_output_equals_local(pushed, source):
    text = ADHOC["adhoc-graphs"]
    local = nkrel("query", text, "--graph", source[1])
    remote = nkrel("query", text, "--endpoint", f"{pushed}/query")
    assert remote.returncode == local.returncode == 0
    assert remote.stdout == local.stdout


# --- serve --------------------------------------------------------------------------------


def start_serve(*args, env=None):
    proc = subprocess.Popen([shutil.which("nkrel"), "serve", "--port", "0", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            preexec_fn=default_sigint)  # fmt: skip
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Ctrl-C" in line:
            break
    urls = dict(re.findall(r"^(SPARQL query endpoint|Graph store \(read-only\)):\s+(\S+)$", "".join(lines), re.M))
    if len(urls) != 2:
        proc.kill()
        pytest.fail(f"nkrel serve did not print its URLs: {lines} {proc.stderr.read()}")
    return proc, urls["SPARQL query endpoint"], urls["Graph store (read-only)"]


def test_serve_answers_queries_read_only_and_stops_cleanly_on_sigint(source, tmp_path):
    _, nq, quads = source
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc, query_url, store_url = start_serve("--graph", nq, env={"TMPDIR": str(tmp)})
    try:
        assert query_url.startswith("http://127.0.0.1:") and store_url == query_url[: -len("query")] + "store"
        assert list(tmp.iterdir()), "the temporary store is missing"
        for text in (ADHOC["adhoc-graphs"], ADHOC["adhoc-union"], ADHOC["adhoc-ask"]):
            local = nkrel("query", text, "--graph", nq, "--format", "json")
            remote = nkrel("query", text, "--endpoint", query_url, "--format", "json")
            assert remote.returncode == local.returncode == 0, remote.stderr
            assert remote.stdout == local.stdout
        status, body = call("GET", store_url, headers={"Accept": "application/n-quads"})
        assert status == 200 and set(ox.parse(body, format=ox.RdfFormat.N_QUADS)) == quads
        status, _ = call("PUT", store_url + "?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .\n",
                         {"Content-Type": "application/n-triples"})  # fmt: skip
        assert status == 403, "the served store must be read-only"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
        stderr = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    child = int(re.search(r"Oxigraph server \(PID (\d+)\)", stderr).group(1))
    assert process_gone(child), f"oxigraph (PID {child}) is still running"
    assert "Stopped (signal SIGINT)." in stderr and "Traceback" not in stderr
    assert list(tmp.iterdir()) == [], "the temporary store was not removed"


def test_serve_stops_on_ctrl_c_in_a_terminal(source, tmp_path):
    """Ctrl-C in a terminal signals the whole foreground group: nkrel and oxigraph."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ["TMPDIR"] = str(tmp_path)
        os.execv(shutil.which("nkrel"), ["nkrel", "serve", "--port", "0", "--graph", str(source[1])])
    output = b""
    status = None
    try:
        deadline = time.monotonic() + 60
        while b"Ctrl-C" not in output and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                output += os.read(fd, 4096)
        assert b"Press Ctrl-C to stop." in output, output
        os.write(fd, b"\x03")
        deadline = time.monotonic() + 15
        while status is None and time.monotonic() < deadline:
            done, code = os.waitpid(pid, os.WNOHANG)
            status = code if done else None
            time.sleep(0.05)
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status is not None, "nkrel serve did not stop on Ctrl-C"
    assert os.waitstatus_to_exitcode(status) == 0
    child = int(re.search(rb"PID (\d+)", output).group(1))
    assert process_gone(child)
    assert list(tmp_path.iterdir()) == []


def test_serve_stops_on_sigterm(source):
    proc, query_url, _ = start_serve("--graph", source[1])
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0
    stderr = proc.stderr.read()
    assert "Stopped (signal SIGTERM)." in stderr
    assert process_gone(int(re.search(r"PID (\d+)", stderr).group(1)))


def test_serve_refuses_a_port_in_use(source):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = nkrel("serve", "--port", port, "--graph", source[1])
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def test_serve_without_the_oxigraph_binary(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from nkrel.cli import main

    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "the Oxigraph server is not installed" in result.output and "pip install oxigraph" in result.output


def test_a_check_pool_closed_while_its_workers_start_prints_no_traceback(monkeypatch):
    """`nkrel serve` stopped just after it starts closed the check workers' pipes under the
    threads waiting for them to be ready: an 'OSError: Bad file descriptor' traceback."""
    from nkrel.sparql.checker import CheckPool

    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(repr(args.exc_value)))
    for i in range(5):
        pool = CheckPool(2, 512)
        time.sleep(0.05 * i)  # closed at once, then later into the workers' start
        pool.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(t.name != "MainThread" and t.daemon for t in threading.enumerate()):
        time.sleep(0.1)  # the waiting threads end once their worker is gone
    assert errors == []
