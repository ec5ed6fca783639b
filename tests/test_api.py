"""The Python API (`import nkrel; g = nkrel.open()`), as a notebook would use it."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import nkrel
from nkrel.sparql.safety import UnsafeQuery


@pytest.fixture(scope="module")
def g(session_workspace):
    return nkrel.open(session_workspace)


def test_open_finds_the_workspace_build(g, session_workspace):
    assert g.path == session_workspace / "graphs" / "nkrel.nq"
    assert "quads" in repr(g)


def test_a_shipped_query_with_a_parameter_by_label(g):
    rows = g.query("trade-peak", partner="China")
    assert rows.columns[:3] == ["partner", "value", "unit"]
    assert [(r["partner"], r["value"], r["unit"]) for r in rows] == [("id:china", Decimal("6860000000"), "USD")]


def test_query_text_needs_no_prefixes_and_values_are_python(g):
    rows = g.query("SELECT (COUNT(?f) AS ?n) WHERE { ?f a nk:Recognition }")
    assert isinstance(rows[0]["n"], int) and rows[0]["n"] > 0
    assert g.query("ASK { ?f a nk:Aid }") is True
    assert g.query("ASK { ?f a nk:NoSuchClass }") is False


def test_the_api_refuses_what_the_command_refuses(g):
    with pytest.raises(UnsafeQuery, match="refused SERVICE"):
        g.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_facts_filter_by_kind_party_and_year(g):
    aid = g.facts(kind="Aid")
    assert aid and all(r["kind"] == "nk:Aid" for r in aid)
    russian = g.facts(kind="Aid", party="Russian Federation")
    assert russian and {r["fact"] for r in russian} < {r["fact"] for r in aid}
    every = g.facts()
    assert len(every) == len({r["fact"] for r in every}) >= len(aid)


def test_anomalies_carry_their_evidence(g):
    found = g.anomalies()
    assert found and all({"type", "severity", "explanation", "evidence"} <= set(a) for a in found)
    assert any(e["quote"] for a in found for e in a["evidence"])


def test_to_dataframe_without_pandas_says_how_to_get_it(g, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        g.query("trade-peak").to_dataframe()


def test_a_stale_workspace_is_rebuilt_or_refused(tmp_path):
    from nkrel.workspace import WorkspaceError, init

    ws = init(tmp_path / "ws", example=True)
    with pytest.raises(WorkspaceError, match="the graph is stale: run nkrel build"):
        nkrel.open(ws.root, rebuild=False)
    g = nkrel.open(ws.root)
    assert g.query("ASK { ?s ?p ?o }") is True


# --- notebooks: numeric dtypes, labels beside IRIs, the network ------------------------------


def require_pandas() -> None:
    """pandas is in the test extras: without it these tests fail (never skip), naming the fix."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        pytest.fail("pandas is missing: pip install -e '.[test]' (make test-deps)")


def test_to_dataframe_has_numeric_dtypes_and_a_label_beside_each_iri(g):
    require_pandas()
    df = g.query("trade-by-year", partner="russia").to_dataframe()
    assert str(df["value"].dtype) == "float64"  # was object (Decimal)
    assert df["value"].max() == 172.3e6
    assert list(df.columns[:2]) == ["partner", "partner_label"]
    assert set(df["partner"]) == {"id:russia"} and set(df["partner_label"]) == {"Russia"}
    assert df.columns.get_loc("fact_label") == df.columns.get_loc("fact") + 1
    counts = g.query("SELECT ?kind (COUNT(?f) AS ?n) WHERE { ?f a ?kind } GROUP BY ?kind").to_dataframe()
    assert str(counts["n"].dtype) == "Int64" and str(counts["kind_label"].dtype) in ("object", "str")
    assert "n_label" not in counts.columns


def test_to_networkx_has_the_attributes_of_the_graphml_export(g, tmp_path):
    import networkx as nx

    from .conftest import nkrel as run

    net = g.to_networkx()
    out = tmp_path / "net.graphml"
    assert run("export", "--format", "graphml", "--output", out).returncode == 0
    exported = nx.read_graphml(out, force_multigraph=True)
    assert net.number_of_nodes() == exported.number_of_nodes() > 20
    assert net.number_of_edges() == exported.number_of_edges()
    assert dict(net.nodes(data=True)) == dict(exported.nodes(data=True))
    ours = {k: d for _, _, k, d in net.edges(keys=True, data=True)}
    theirs = {k: d for _, _, k, d in exported.edges(keys=True, data=True)}
    assert ours == theirs
    assert net.nodes["russia"]["label"] == "Russia"


# --- values, labels and limits (mutation testing of nkrel/api.py, 2026-12-07) ---------------

TINY = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/nkrel/id/> .
id:a rdfs:label "b", "a" ; id:n "7"^^xsd:nonNegativeInteger ; id:d "2.5"^^xsd:double ; id:f "0.5"^^xsd:float ;
     id:t true ; id:u "USD" .
id:b id:n "12x"^^xsd:integer ; id:d "12x"^^xsd:decimal ; id:t false ; id:u "KPW" .
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return nkrel.open(graph=path)


def test_literals_of_each_datatype_become_python_values(tiny):
    # kills `except (ValueError, ArithmeticError)` losing either (an ill-typed integer or
    # decimal would be a traceback) and `== "true"` as `!=`
    rows = tiny.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p != rdfs:label) } ORDER BY ?s ?p")
    got = {(r["s"], r["p"]): r["o"] for r in rows}
    assert got == {
        ("id:a", "id:n"): 7, ("id:a", "id:d"): 2.5, ("id:a", "id:f"): 0.5, ("id:a", "id:t"): True,
        ("id:a", "id:u"): "USD", ("id:b", "id:n"): "12x", ("id:b", "id:d"): "12x", ("id:b", "id:t"): False,
        ("id:b", "id:u"): "KPW",
    }  # fmt: skip
    assert type(got["id:a", "id:n"]) is int and type(got["id:a", "id:t"]) is bool


def test_an_iri_with_several_labels_gets_the_first_in_order(tiny):  # kills found[0] as found[-1]
    rows = tiny.query("SELECT ?s WHERE { ?s id:n ?n }")
    assert rows.labels == {"id:a": "a"}  # id:b has no label


def test_construct_gives_triples(tiny):
    triples = tiny.query("CONSTRUCT { ?s id:x ?o } WHERE { ?s id:n ?o }")
    assert sorted(triples, key=str) == [("id:a", "id:x", 7), ("id:b", "id:x", "12x")]


def test_to_dataframe_keeps_booleans_and_labels_only_iris(tiny):  # kills `str and in labels` as `or`
    require_pandas()
    df = tiny.query("SELECT ?s ?t ?u WHERE { ?s id:t ?t ; id:u ?u } ORDER BY ?s").to_dataframe()
    assert list(df.columns) == ["s", "s_label", "t", "u"]
    assert list(df["t"]) == [True, False] and str(df["t"].dtype) != "Int64"


def test_the_api_has_the_limits_of_nkrel_query(g):  # kills the defaults 30.0 and 2048 as +-1
    from nkrel.cli.query import query

    defaults = {p.name: p.default for p in query.params}
    assert (g.timeout, g.memory_mb) == (defaults["timeout"], defaults["memory"]) == (30.0, 2048)
