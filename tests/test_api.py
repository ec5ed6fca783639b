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


def test_to_dataframe_has_numeric_dtypes_and_a_label_beside_each_iri(g):
    pytest.importorskip("pandas", reason="pandas is in the test extras: pip install -e '.[test]'")
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
