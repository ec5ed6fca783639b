"""`nkrel build`: fresh, deterministic, parseable output whose evidence is verbatim."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from nkrel.core.corpus import default_corpus_dir
from nkrel.output.write import GRAPH_FILES

from .conftest import REPO, nkrel

FILES = sorted(GRAPH_FILES.values())
OX_FORMATS = {
    "nkrel.ttl": ox.RdfFormat.TURTLE,
    "nkrel.trig": ox.RdfFormat.TRIG,
    "nkrel.nq": ox.RdfFormat.N_QUADS,
    "nkrel.jsonld": ox.RdfFormat.JSON_LD,
}
RAPPER_SYNTAX = {"nkrel.ttl": "turtle", "nkrel.trig": "trig", "nkrel.nq": "nquads"}


def load_store(path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=OX_FORMATS[path.name])
    return store


@pytest.mark.parametrize("name", FILES)
def test_committed_graphs_are_fresh(built_dir, name):
    """graphs/ in the repository is exactly what a rebuild writes."""
    committed = (REPO / "graphs" / name).read_bytes()
    assert committed == (built_dir / name).read_bytes(), f"graphs/{name} is stale: run `nkrel build`"


def test_build_is_byte_identical_across_runs_and_hash_seeds(tmp_path, built_dir):
    out = tmp_path / "again"
    result = nkrel("build", "--out", out, cwd=tmp_path, env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (out / name).read_bytes() == (built_dir / name).read_bytes(), name


@pytest.mark.parametrize("name", FILES)
def test_pyoxigraph_parses_every_file_to_the_same_quads(built_dir, name):
    reference = set(load_store(built_dir / "nkrel.nq"))
    store = load_store(built_dir / name)
    if name == "nkrel.ttl":  # the union has no graph names
        assert {(q.subject, q.predicate, q.object) for q in store} == {
            (q.subject, q.predicate, q.object) for q in reference
        }
    else:
        assert set(store) == reference


@pytest.mark.parametrize("name", sorted(RAPPER_SYNTAX))
def test_rapper_accepts_every_file(built_dir, name):
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils (make test-deps)"
    result = subprocess.run(
        [rapper, "-i", RAPPER_SYNTAX[name], "-c", str(built_dir / name)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    n = len(load_store(built_dir / "nkrel.nq"))
    assert f"returned {n} " in result.stderr, result.stderr


def test_trig_has_a_named_graph_per_document_plus_entities_and_ontology(built_dir):
    store = load_store(built_dir / "nkrel.trig")
    graphs = {g.value for g in store.named_graphs()}
    docs = {p.name for p in (default_corpus_dir() / "facts").glob("*.yaml")}
    expected = {f"https://w3id.org/nkrel/graph/{d.removesuffix('.yaml')}" for d in docs}
    expected |= {"https://w3id.org/nkrel/graph/entities", "https://w3id.org/nkrel/graph/ontology"}
    assert expected <= graphs
    assert len(graphs) >= 3


EVIDENCE = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX nk: <https://w3id.org/nkrel/ontology#>
SELECT ?fact ?file ?exact ?start ?end ?prefix ?suffix WHERE {
  ?fact nk:evidence ?ev .
  ?ev oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
  ?doc nk:fileName ?file .
  ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}
"""


def test_every_quote_is_verbatim_at_its_offsets(built_dir):
    store = load_store(built_dir / "nkrel.nq")
    texts = {p.name: p.read_text(encoding="utf-8") for p in (default_corpus_dir() / "texts").glob("*.txt")}
    rows = list(store.query(EVIDENCE, use_default_graph_as_union=True))
    facts = {str(r["f"]) for r in store.query(
        "SELECT ?f WHERE { ?f <https://w3id.org/nkrel/ontology#evidence> ?e }", use_default_graph_as_union=True)}  # fmt: skip
    cited = {r["fact"] for r in rows}  # a fact may cite several spans, each with one quote and one position
    assert rows and len(cited) == len(facts) and len(rows) < 2 * len(facts), "every fact cites its spans"
    for r in rows:
        text = texts[r["file"].value]
        start, end = int(r["start"].value), int(r["end"].value)
        assert text[start:end] == r["exact"].value, r["fact"]
        assert text[:start].endswith(r["prefix"].value) and text[end:].startswith(r["suffix"].value)


def test_no_blank_nodes(built_dir):
    store = load_store(built_dir / "nkrel.nq")
    for q in store:
        assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode), q


# The sha256 of the three texts as received (shared/corpus/README.md): the reference,
# independent of documents.yaml, so a changed text with a "fixed" hash still fails.
RECEIVED = {
    "000_faedcd902345ce2a.txt": "ed35b9ac144a064e3d4e4b9f7102c18ea0139042a4d242a3f06b1dda4c33c931",
    "001_7aff37ea224009ba.txt": "e52f987ea625e7d0737cbfbd98b35bb084e09700f4ac5b8611aee159b5d5c0e8",
    "002_915295fa7ca42148.txt": "73eb78d5b75e63f6f694d7660e7336f14e89f15c06e216177f70ec3b2c2a2e7c",
}


def test_shipped_texts_are_byte_identical_to_the_received_corpus():
    import hashlib

    import yaml

    texts = default_corpus_dir() / "texts"
    assert sorted(p.name for p in texts.glob("*.txt")) == sorted(RECEIVED)
    for name, digest in RECEIVED.items():
        assert hashlib.sha256((texts / name).read_bytes()).hexdigest() == digest, name
    meta = yaml.safe_load((default_corpus_dir() / "documents.yaml").read_text(encoding="utf-8"))
    assert {Path(d["file"]).name: d["sha256"] for d in meta["documents"]} == RECEIVED


def test_a_time_taken_from_the_context_is_marked(built_dir):
    store = load_store(built_dir / "nkrel.nq")
    marked = {
        r["f"].value.rsplit("/", 1)[-1]
        for r in store.query(
            "SELECT ?f WHERE { ?f <https://w3id.org/nkrel/ontology#timeFromContext> true }",
            use_default_graph_as_union=True,
        )
    }
    assert "ta-nigeria-exports-dprk-2019" in marked  # "Nigeria exported $505,000 ..." names no year
    assert "ta-dprk-exports-nigeria-2019" not in marked  # "In 2019, North Korea shipped ..."
    assert "ta-china-dprk-trade-peak-2014" not in marked
