"""A second real store: OpenLink Virtuoso 7.2 (Debian's virtuoso-opensource).

`nkrel push` loads the build through Virtuoso's Graph Store endpoint
/sparql-graph-crud-auth with HTTP Digest authentication (user dba, a password the
fixture sets), and every shipped query gives the same rows on /sparql as locally.
The server starts once per session on free loopback ports from its own virtuoso.ini
in a temporary folder (tests/virtuoso.py) and is stopped by its PID; a missing or
failing Virtuoso is a test failure, not a skip.

Store differences found, and the only normalisations made here (see the README):
- Virtuoso writes xsd:decimal values in their shortest form ("20"^^xsd:decimal for the
  "20.0" nkrel built); the values are equal, the lexical forms are not.
- Oxigraph's store (the local side) keeps derived integer types (oa:start/oa:end,
  xsd:nonNegativeInteger) as xsd:integer; Virtuoso keeps them as built.
- Virtuoso's ORDER BY compares only the first 20 or so bytes of a long string; the order
  check compares string keys by their first 16 bytes.
- Virtuoso 7.2 misreads a VALUES clause after the query (it rebinds projected variables
  and refuses unprojected ones: 'SQ200: No column'); `nkrel query --param` therefore binds
  inside the WHERE clause, where both stores give the same rows.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from nkrel.sparql.query import shipped_queries

from .conftest import nkrel
from .virtuoso import isql, running_virtuoso

XSD = "http://www.w3.org/2001/XMLSchema#"
DERIVED_INTEGERS = {f"{XSD}{t}" for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                          "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
                                          "unsignedInt", "unsignedShort", "unsignedByte")}  # fmt: skip
UNRELATED = "http://example.org/unrelated-graph"


@pytest.fixture(scope="session")
def virtuoso():
    for server in running_virtuoso():
        print(f"Virtuoso answered {server.started_in:.1f} s after launch (PID {server.pid})")
        yield server


@pytest.fixture(scope="session")
def build(built_dir):
    """(the built N-Quads file, its quads term for term)."""
    nq = built_dir / "nkrel.nq"
    return nq, set(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))


def push(virtuoso, nq, password=None, user="dba"):
    env = {"NKREL_PASSWORD": virtuoso.password if password is None else password}
    return nkrel("push", virtuoso.store, "--graph", nq, *(["--user", user] if user else []), env=env)


def digest_get(virtuoso, url: str, accept: str) -> bytes:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, virtuoso.base, "dba", virtuoso.password)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))
    with opener.open(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as r:
        return r.read()


def graph_on_server(virtuoso, iri: str) -> set:
    """The triples of one named graph, read back with the Graph Store Protocol (GET; 404: empty)."""
    try:
        data = digest_get(
            virtuoso, f"{virtuoso.store}?{urllib.parse.urlencode({'graph': iri})}", "application/n-triples"
        )
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return set()
        raise
    return {q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def decimal_by_value(term):
    """Virtuoso's difference 1: xsd:decimal in canonical form ("20.0" and "20" are one value)."""
    if isinstance(term, ox.Literal) and term.datatype.value == f"{XSD}decimal":
        return ("decimal", float(term.value))
    return term


def by_value(triples) -> set:
    return {(t.subject, t.predicate, decimal_by_value(t.object)) for t in triples}


def graphs_of(quads) -> dict[str, set]:
    out: dict[str, set] = {}
    for q in quads:
        out.setdefault(q.graph_name.value, set()).add(q.triple)
    return out


@pytest.fixture
def empty(virtuoso, build):
    """The session's Virtuoso without nkrel's graphs or the unrelated one."""
    names = [*sorted(graphs_of(build[1])), UNRELATED]
    result = isql(virtuoso.sql_port, virtuoso.password, "".join(f"SPARQL CLEAR GRAPH <{g}>;\n" for g in names))
    assert result.returncode == 0 and "Error" not in result.stdout, result.stdout + result.stderr
    return virtuoso


@pytest.fixture(scope="module")
def pushed(virtuoso, build):
    result = push(virtuoso, build[0])
    assert result.returncode == 0, result.stderr
    return virtuoso


# --- the server and push ------------------------------------------------------------------


def test_the_fixture_set_the_dba_password(virtuoso):
    assert isql(virtuoso.sql_port, virtuoso.password, "SELECT 1;\n").returncode == 0
    refused = isql(virtuoso.sql_port, "dba", "SELECT 1;\n")
    assert refused.returncode != 0 or "Bad login" in refused.stdout + refused.stderr


def test_push_with_digest_authentication_loads_every_named_graph(empty, build):
    nq, quads = build
    local = graphs_of(quads)
    start = time.monotonic()
    result = push(empty, nq)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    n = len(local)
    assert progress == [f"[{i}/{n}] PUT {g} ({len(local[g])} triples) ... 201" for i, g in enumerate(sorted(local), 1)]
    assert result.stdout.startswith(f"Pushed {n} named graphs ({len(quads)} triples) to {empty.store} in ")
    assert empty.password not in result.stdout + result.stderr
    for iri, triples in local.items():
        on_server = graph_on_server(empty, iri)
        assert len(on_server) == len(triples), iri
        assert by_value(on_server) == by_value(triples), iri
    print(f"pushed {len(quads)} quads in {n} graphs to Virtuoso in {elapsed:.2f} s (Digest: two requests a graph)")


def test_the_only_term_difference_is_the_decimal_form(empty, build):
    """Names the one difference normalised above: every changed term is an xsd:decimal, same value."""
    nq, quads = build
    assert push(empty, nq).returncode == 0
    changed = []
    for iri, triples in graphs_of(quads).items():
        on_server = graph_on_server(empty, iri)
        changed += [(t, u) for t in triples - on_server for u in on_server - triples if t.subject == u.subject
                    and t.predicate == u.predicate and decimal_by_value(t.object) == decimal_by_value(u.object)]  # fmt: skip
        assert len(triples - on_server) == len(on_server - triples)
    assert all(t.object.datatype.value == f"{XSD}decimal" for t, _ in changed)
    print(f"{len(changed)} xsd:decimal literals come back in Virtuoso's form, e.g. {changed[0] if changed else None}")


def test_second_push_replaces_and_leaves_other_graphs_alone(empty, build):
    nq, quads = build
    local = graphs_of(quads)
    first_graph = sorted(local)[0]
    script = (f'SPARQL INSERT DATA {{ GRAPH <{UNRELATED}> {{ <http://example.org/s> <http://example.org/p> "kept" }} }};\n'
              f'SPARQL INSERT DATA {{ GRAPH <{first_graph}> {{ <http://example.org/s> <http://example.org/p> "stale" }} }};\n')  # fmt: skip
    assert isql(empty.sql_port, empty.password, script).returncode == 0
    assert push(empty, nq).returncode == 0
    again = push(empty, nq)
    assert again.returncode == 0, again.stderr
    progress = [line for line in again.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == len(local) and all(line.endswith(" ... 200") for line in progress)  # replaced
    assert by_value(graph_on_server(empty, first_graph)) == by_value(local[first_graph])  # the stale triple is gone
    assert len(graph_on_server(empty, UNRELATED)) == 1


def test_refused_password_stops_the_push_and_is_never_printed(empty, build):
    nq, quads = build
    result = push(empty, nq, password="not-the-password")
    assert result.returncode == 1
    assert "HTTP 401 Unauthorized" in result.stderr and "hint: the credentials were refused" in result.stderr
    assert "not-the-password" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert f"pushed 0 of {len(graphs_of(quads))} named graphs: none" in result.stderr
    assert all(graph_on_server(empty, g) == set() for g in graphs_of(quads))


def test_push_without_user_names_the_fix(empty, build):
    result = push(empty, build[0], user=None)
    assert result.returncode == 1
    assert (
        "HTTP 401 Unauthorized" in result.stderr
        and "give --user NAME, with the password in NKREL_PASSWORD" in result.stderr
    )


# --- queries on /sparql -------------------------------------------------------------------


def ask(endpoint: str, text: str) -> bool:
    result = nkrel("query", text, "--endpoint", endpoint, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["boolean"]


def test_the_default_graph_is_the_union_of_the_graphs(pushed, build):
    """Virtuoso's default graph for queries is every graph, its own system graphs included."""
    for iri, triples in sorted(graphs_of(build[1]).items()):
        s, p, o = min((t for t in triples if not isinstance(t.object, ox.Literal)), key=str)
        assert ask(pushed.query, f"ASK {{ {s} {p} {o} }}"), f"a triple of {iri} is not in the default graph"
        assert ask(pushed.query, f"ASK {{ GRAPH <{iri}> {{ {s} {p} {o} }} }}")
    assert ask(pushed.query, "ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }")


def normalised(binding: dict) -> str:
    """A result row; Oxigraph's store (local side) reads derived integer types as xsd:integer."""
    row = {}
    for var, term in binding.items():
        if term.get("datatype") in DERIVED_INTEGERS:
            term = {**term, "datatype": f"{XSD}integer"}
        row[var] = term
    return json.dumps(row, sort_keys=True)


def rows(output: str):
    data = json.loads(output)
    if "boolean" in data:
        return data["boolean"]
    return data["head"]["vars"], sorted(normalised(b) for b in data["results"]["bindings"])


def order_keys(query_text: str) -> list[str] | None:
    """The variables of a final ORDER BY made of plain ?var / ASC(?var) / DESC(?var), else None."""
    m = re.search(r"ORDER\s+BY\s+((?:(?:ASC|DESC)?\s*\(?\s*\?\w+\s*\)?\s*)+)(?:LIMIT|OFFSET|VALUES|$)",
                  query_text.strip(), re.I)  # fmt: skip
    return re.findall(r"\?(\w+)", m.group(1)) if m else None


SORT_PREFIX = 16  # bytes of a long string that Virtuoso's ORDER BY is trusted to compare


def keys_in_order(output: str, keys: list[str]) -> list:
    """The ORDER BY keys of each row, in output order.

    Virtuoso's difference 3: ORDER BY compares only about the first 20 bytes of a long
    stored string (the rest of the order of such strings is its own), so each string
    key is cut to SORT_PREFIX bytes and the keys after a cut one are left out.
    """
    ordered = []
    for b in json.loads(output)["results"]["bindings"]:
        row = []
        for k in keys:
            term = b.get(k, {})
            value = term.get("value", "").encode("utf-8")
            if term.get("type") == "literal" and "datatype" not in term and len(value) > SORT_PREFIX:
                row.append(value[:SORT_PREFIX])
                break
            row.append(normalised({k: term}))
        ordered.append(tuple(row))
    return ordered


def same_rows(pushed, nq, name: str, params: list[str]) -> None:
    query_text = shipped_queries()[name].text
    construct = re.search(r"\b(CONSTRUCT|DESCRIBE)\b", query_text, re.I)
    fmt = "ntriples" if construct else "json"
    # a generous --timeout: this compares rows, not speed (on a loaded machine three runs took over 30 s)
    local = nkrel("query", name, *params, "--graph", nq, "--format", fmt, "--timeout", "180")
    remote = nkrel("query", name, *params, "--endpoint", pushed.query, "--format", fmt, "--timeout", "180")
    assert local.returncode in (0, 1), local.stderr
    assert (remote.returncode, remote.stderr) == (local.returncode, local.stderr)
    if construct:
        parse = lambda text: by_value(q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))  # noqa: E731
        assert parse(remote.stdout) == parse(local.stdout)
        return
    why = "GROUP_CONCAT joins values in each store's own order: concatenate from an ordered sub-query"
    assert rows(remote.stdout) == rows(local.stdout), why if "GROUP_CONCAT" in query_text.upper() else ""
    keys = order_keys(query_text)
    if keys and not params:
        assert keys_in_order(remote.stdout, keys) == keys_in_order(local.stdout, keys)


# Store bugs met on the way, each a strict expected failure: fixed upstream, the test says so.
VIRTUOSO_BUGS = {
    "visits-and-meetings": "Virtuoso 7.2 mis-joins the three aggregated sub-selects of this query on ?fact: "
    "six facts lose their places (Oxigraph answers them); see README, Pushing to a triple store",
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=VIRTUOSO_BUGS[n], strict=True)) if n in VIRTUOSO_BUGS else n
     for n in sorted(shipped_queries())],
)  # fmt: skip
def test_every_shipped_query_gives_the_same_rows_as_locally(pushed, build, name):
    same_rows(pushed, build[0], name, [])


FALLBACK = {"entity": "north-korea", "year": "2011", "kind": "State", "integer": "1"}


def example(kind: str, description: str) -> str:
    """The example value a parameter's description gives ('e.g. china', 'major or minor')."""
    m = re.search(r"e\.g\. ([\w-]+)", description) or re.match(r"([\w-]+) or ", description)
    return m.group(1) if m else FALLBACK.get(kind, "x")


PARAM_CASES = [(name, p, example(*spec)) for name, q in sorted(shipped_queries().items())
               for p, spec in sorted(q.params.items())]  # fmt: skip


# No expected failure: `--param` binds inside the WHERE clause, at the place each query
# declares (`# bind --param here`), which Virtuoso 7.2 reads as Oxigraph does. Every
# shipped parameter runs with its example value, and with a second value below.
# a second value per kind of parameter, where the example alone would hide a difference
SECOND_CASES = [("aid", "party", "china"), ("aid", "year", "2011"), ("trade-by-year", "partner", "russia"),
                ("entities", "type", "Company"), ("commodities", "commodity", "wheat"),
                ("trade-peak", "partner", "soviet-union"), ("timeline", "partner", "russia"),
                ("changes", "direction", "increase"), ("not-happened", "modality", "planned"),
                ("policies", "party", "nigeria"), ("changes", "of", "Aid")]  # fmt: skip


@pytest.mark.parametrize("name,param,value", PARAM_CASES + SECOND_CASES)
def test_shipped_queries_with_a_parameter(pushed, build, name, param, value):
    same_rows(pushed, build[0], name, ["--param", f"{param}={value}"])


def test_ask_answers_true_and_false(pushed):
    """Virtuoso answers ASK with a one-column SELECT (__ASK_RETVAL); nkrel reads it as a boolean."""
    yes = nkrel("query", "ASK { ?s a <https://w3id.org/nkrel/ontology#Anomaly> }", "--endpoint", pushed.query)
    no = nkrel("query", "ASK { ?s a <https://w3id.org/nkrel/ontology#NoSuchClass> }", "--endpoint", pushed.query)
    assert (yes.returncode, yes.stdout, yes.stderr) == (0, "true\n", "")
    assert (no.returncode, no.stdout, no.stderr) == (1, "false\n", "")
