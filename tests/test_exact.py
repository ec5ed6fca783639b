"""Exact checks on a build made in this session, beside the golden files: values stored
as the corpus writes them, selector contexts of the right length, coverage statuses."""

from __future__ import annotations

import json
from decimal import Decimal

import pyoxigraph as ox
import yaml

from nkrel.core.corpus import CONTEXT, default_corpus_dir

from .conftest import nkrel
from .synthetic import fact, write_corpus


def store(built_dir) -> ox.Store:
    s = ox.Store()
    s.load(path=str(built_dir / "nkrel.nq"), format=ox.RdfFormat.N_QUADS)
    return s


def corpus_amounts() -> set[str]:
    """Every quantity amount of the corpus, as the YAML writes it."""
    found = set()
    for path in (default_corpus_dir() / "facts").glob("*.yaml"):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")).get("facts") or []:
            for q in record.get("quantities") or []:
                found.add(str(q["amount"]))
    return found


def test_every_stored_value_is_the_amount_as_written(built_dir):
    values = {
        r["v"].value
        for r in store(built_dir).query(
            "SELECT ?v WHERE { ?q <https://schema.org/value> ?v }", use_default_graph_as_union=True
        )
    }
    assert "-91.1" in {format(Decimal(v).normalize(), "f") for v in values}
    written = {format(Decimal(a).normalize(), "f") for a in corpus_amounts()}
    stored = {format(Decimal(v).normalize(), "f") for v in values}
    assert stored == written
    for v in values:  # never a binary float's expansion such as -91.0999999999999943
        assert len(v.replace("-", "").replace(".", "").lstrip("0")) <= 18, v


def test_selector_prefix_and_suffix_are_the_32_code_points_around_the_quote(built_dir):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (default_corpus_dir() / "texts").glob("*.txt")}
    rows = list(
        store(built_dir).query(
            """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX nk: <https://w3id.org/nkrel/ontology#>
            SELECT ?file ?start ?end ?prefix ?suffix WHERE {
              ?ev oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?doc nk:fileName ?file .
              ?q oa:prefix ?prefix ; oa:suffix ?suffix . ?p oa:start ?start ; oa:end ?end . }""",
            use_default_graph_as_union=True,
        )
    )
    assert rows
    for r in rows:
        text, start, end = texts[r["file"].value], int(r["start"].value), int(r["end"].value)
        assert r["prefix"].value == text[max(0, start - CONTEXT) : start]
        assert r["suffix"].value == text[end : end + CONTEXT]
        assert len(r["prefix"].value) == min(CONTEXT, start)


def test_coverage_status_of_every_kind_of_sentence(tmp_path):
    text = "Trade grew in 2019.\nA Capitalised Heading Line\nAnother heading.\nNothing covers this one.\n"
    states = [{"id": s, "type": "State", "label": s.title(), "aliases": []} for s in ("china", "japan")]
    root = write_corpus(
        tmp_path / "c", {"d": text}, states,
        {"d": [fact("f-trade", "TradeFlow", "Trade grew in 2019", parties=["china", "japan"])]},
    )  # fmt: skip
    facts = root / "facts" / "d.yaml"
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    data["not_facts"] = [{"quote": "Another heading.", "reason": "heading"}]
    facts.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = nkrel("coverage", "--corpus", root, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)["documents"]["d"]
    statuses = [(s["text"], s["status"], s["facts"], s["reasons"]) for s in report["sentences"]]
    assert statuses == [
        ("Trade grew in 2019.", "fact", ["f-trade"], []),
        ("A Capitalised Heading Line", "uncovered", [], []),
        ("Another heading.", "explained", [], ["heading"]),
        ("Nothing covers this one.", "uncovered", [], []),
    ]
    assert report["totals"] == {"sentences": 4, "fact": 1, "explained": 1, "uncovered": 2}
    assert json.loads(result.stdout)["uncovered"] == 2
    build = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
    assert build.returncode == 1 and "2 sentence(s) neither cited by a fact nor explained" in build.stderr
