"""Coverage: every sentence of the three texts is cited by a fact or explained, and
the graph holds nothing outside the texts."""

from __future__ import annotations

import json

import pytest

from nkrel.ingest.coverage import split_sentences

from .conftest import nkrel


def test_every_sentence_of_the_shipped_texts_is_covered_or_explained():
    result = nkrel("coverage", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["uncovered"] == 0
    assert set(report["documents"]) == {
        "trade-agreements",
        "eiilir-economic-relationship",
        "encyclopedia-economic-relations",
    }
    for doc in report["documents"].values():
        t = doc["totals"]
        assert t["sentences"] == t["fact"] + t["explained"] == len(doc["sentences"]) > 0
        for s in doc["sentences"]:
            assert s["facts"] or s["reasons"], s


def test_page_chrome_references_and_quotations_are_explained_not_facts():
    report = json.loads(nkrel("coverage", "--format", "json").stdout)
    by_text = {s["text"]: s for doc in report["documents"].values() for s in doc["sentences"]}
    assert by_text["10\u00a0min read"]["reasons"] == ["page-chrome"]
    assert by_text["https://time.com/6313095/russia-north-korea-relationship-timeline/"]["reasons"] == [
        "reference-list"
    ]
    assert by_text["Herbert Hoover (1874–1964)"]["reasons"] == ["unrelated-quotation"]
    peak = next(t for t in by_text if "$6.86 billion" in t)
    assert by_text[peak]["facts"] and not by_text[peak]["reasons"]


def test_a_sentence_neither_cited_nor_explained_fails_coverage(corpus_copy):
    facts = corpus_copy / "facts" / "eiilir-economic-relationship.yaml"
    text = facts.read_text(encoding="utf-8")
    assert 'quote: "131"' in text
    facts.write_text(text.replace('quote: "131"', 'quote: "Check Also"', 1), encoding="utf-8")
    result = nkrel("coverage", "--corpus", corpus_copy, "--uncovered-only")
    assert result.returncode == 1
    assert "'131'" in result.stdout and "UNCOVERED" in result.stdout
    assert "1 sentence(s) neither cited by a fact nor explained" in result.stderr


@pytest.mark.parametrize(
    "text,expected",
    [
        (  # numbers and dates stay whole
            "On 19.8.2011 the Kremlin spoke. Trade was US$1.97 billion in 1990.\n  Ninety three factories.",
            ["On 19.8.2011 the Kremlin spoke.", "Trade was US$1.97 billion in 1990.", "Ninety three factories."],
        ),
        (  # a bracketed sentence ends with its bracket
            "It was built. (As of 1991, it was not finished.) North Korea paid. He said (of it) no.",
            ["It was built.", "(As of 1991, it was not finished.)", "North Korea paid.", "He said (of it) no."],
        ),
    ],
)
def test_sentence_splitter(text, expected):
    assert [s.text for s in split_sentences("d", text)] == expected
    for s in split_sentences("d", text):
        assert text[s.start : s.end] == s.text


def test_one_node_per_state_across_documents():
    from nkrel.pipeline import build_graph

    built = build_graph(check_shapes=False)
    labels = [e.label.lower() for e in built.corpus.entities.values()]
    assert len(labels) == len(set(labels))
    aliases = {}
    for e in built.corpus.entities.values():
        if e.type == "State":
            for a in e.aliases:
                aliases.setdefault(a, set()).add(e.id)
    # only metonyms shared by predecessor and successor may name two states
    assert {a: ids for a, ids in aliases.items() if len(ids) > 1} == {"Moscow": {"soviet-union", "russia"}}
    used = {p for f in built.corpus.facts for p in (*f.parties, f.from_party, f.to_party) if p}
    assert {"north-korea", "china", "soviet-union", "russia", "nigeria"} <= used
