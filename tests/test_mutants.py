"""Tests written to kill the mutants that survived the mutation run (tests/mutation/).

Each test checks something a user would notice, on a corpus built for it; the comment
above it names the mutant it kills (module, line, what the mutant changed)."""

from __future__ import annotations

import pyoxigraph as ox
import yaml

from .conftest import nkrel
from .synthetic import fact, write_corpus

NK = "https://w3id.org/nkrel/ontology#"
ID = "https://w3id.org/nkrel/id/"


def build(root, out) -> ox.Store:
    result = nkrel("build", "--corpus", root, "--out", out)
    assert result.returncode == 0, result.stderr
    store = ox.Store()
    store.load(path=str(out / "nkrel.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def values(store: ox.Store, subject: str, predicate: str) -> set:
    return {q.object for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)}


def state(eid: str, **fields) -> dict:
    return {"id": eid, "type": "State", "label": eid.title(), "aliases": [], **fields}


def coverage_report(root) -> dict:
    import json

    result = nkrel("coverage", "--corpus", root, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


class TestBuild:
    """Mutants of nkrel/model/build.py."""

    # _time_literal: `{..., 10: XSD.date}` as 9 or 11 (a period given as full
    # dates breaks the build; the shipped corpus has no such period), and _add_reference:
    # `used_curator = False` as True (the curator named as a source of statements that all
    # come from elsewhere).
    def test_a_period_of_full_dates_and_a_reference_from_elsewhere(self, tmp_path):
        text = "China and Japan signed a deal that ran through 2014."
        china = state("china", reference={"founded": "1949-10-01", "origin": "https://www.wikidata.org/wiki/Q148"})
        deal = fact("f-deal", "Event", text[:-1], parties=["china", "japan"],
                    time={"start": "2014-01-15", "end": "2014-12-31"})  # fmt: skip
        root = write_corpus(tmp_path / "c", {"d": text}, [china, state("japan")], {"d": [deal]})
        store = build(root, tmp_path / "out")
        xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
        assert values(store, ID + "fact/f-deal", NK + "start") == {ox.Literal("2014-01-15", datatype=xsd_date)}
        assert values(store, ID + "fact/f-deal", NK + "end") == {ox.Literal("2014-12-31", datatype=xsd_date)}
        founded = values(store, ID + "china", NK + "founded")
        assert founded == {ox.Literal("1949-10-01", datatype=xsd_date)}
        # the statement's only origin is the Wikidata page: no curator source in the graph
        assert not list(store.quads_for_pattern(ox.NamedNode(ID + "source/curator"), None, None, None))
        assert not list(store.quads_for_pattern(None, None, ox.NamedNode(ID + "source/curator"), None))


class TestCoverage:
    """Mutants of nkrel/ingest/coverage.py."""

    # split_sentences: `continue` after a blank-looking line as `break` (the
    # sentences after a line of spaces vanish from the report, and the build takes the
    # document though they are uncovered); coverage: `start < s.end` and `end > s.start`,
    # for facts and for not_facts, as <= and >= (a quote that starts or ends with the space
    # between two sentences cites or explains the neighbour too).
    def test_sentences_after_a_line_of_spaces_and_next_to_quotes_with_spaces(self, tmp_path):
        text = "Trade grew in 2019. China sold coal. See the table. Nothing covers this one.\n   \nNor this.\n"
        facts = [
            fact("f-trade", "TradeFlow", "Trade grew in 2019. ", parties=["china", "japan"]),  # the space after
            fact("f-coal", "TradeFlow", " China sold coal.", parties=["china", "japan"]),  # the space before
        ]
        root = write_corpus(tmp_path / "c", {"d": text}, [state("china"), state("japan")], {"d": facts})
        path = root / "facts" / "d.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["not_facts"] = [{"quote": " See the table. ", "reason": "page-chrome"}]  # both spaces
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        report = coverage_report(root)["documents"]["d"]
        assert [(s["text"], s["status"], s["facts"], s["reasons"]) for s in report["sentences"]] == [
            ("Trade grew in 2019.", "fact", ["f-trade"], []),
            ("China sold coal.", "fact", ["f-coal"], []),
            ("See the table.", "explained", [], ["page-chrome"]),
            ("Nothing covers this one.", "uncovered", [], []),
            ("Nor this.", "uncovered", [], []),
        ]
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        start = text.index("Nothing")
        first = f"the first [{start}:{start + 24}] 'Nothing covers this one.'"
        assert f"2 sentence(s) neither cited by a fact nor explained in not_facts, {first}" in result.stderr

    # require_coverage: the first uncovered sentence of a document is quoted
    # whole up to 60 characters, else cut to 59 and "…" (`<= 60` as <, >, <= 59 or <= 61,
    # `[:59]` as 58 or 60, `+` as `-`, `sentences[0]` as [1] or [-1]).
    def test_the_build_error_quotes_the_first_uncovered_sentence_cut_at_60_characters(self, tmp_path):
        sixty = "Sixty characters exactly, counting every letter and spaces.."
        longer = "Sixty-one characters, counting every letter and the spaces..."
        assert len(sixty) == 60 and len(longer) == 61
        documents = {"a": sixty + "\n", "b": longer + "\nAnother uncovered sentence.\n"}
        root = write_corpus(tmp_path / "c", documents, [state("china")], {})
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert f"1 sentence(s) neither cited by a fact nor explained in not_facts, the first [0:60] {sixty!r} (" in (
            result.stderr
        )
        assert (
            f"2 sentence(s) neither cited by a fact nor explained in not_facts, the first [0:{len(longer)}] "
            + repr(longer[:59] + "…")
            in result.stderr
        )


class TestSafety:
    """Mutants of nkrel/sparql/safety.py."""

    # _syntax_message: `e.col - 1 < len(e.line)` as `e.col + 1 <`, `e.col - 0 <` (the
    # last character of a line reported as "the end"), as `e.col - 2 <` or `<=` (the end
    # of a line reported as an empty text ''); `e.col + 19` as 18 or 20 (the text shown
    # is the 20 characters from the error on).
    def test_a_syntax_error_at_the_last_character_after_the_end_and_inside_a_line(self):
        result = nkrel("query", "SELECT * WHERE { ?s ?p ?o }}")
        assert result.returncode == 2
        assert result.stderr == "nkrel: error: SPARQL syntax error at line 1, column 28: unexpected '}'\n"
        result = nkrel("query", "\n\nSELECT")
        assert result.returncode == 2
        assert result.stderr == "nkrel: error: SPARQL syntax error at line 3, column 7: unexpected the end\n"
        result = nkrel("query", "SELECT * WHERE { ?s ?p ?o }} LIMIT 10 OFFSET 20 # and more")
        assert result.returncode == 2
        assert (
            result.stderr
            == "nkrel: error: SPARQL syntax error at line 1, column 28: unexpected '} LIMIT 10 OFFSET 20'\n"
        )

    # _walk: `continue` past a node seen before as `break` (the walk stops at the first
    # node the parse tree holds twice, here the repeated 1, and never reaches a SERVICE
    # written before it: the query would be sent on instead of refused).
    def test_service_before_a_repeated_term_is_refused(self):
        result = nkrel("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } ?s nk:year 1, 1 . }")
        assert result.returncode == 2
        assert result.stderr.startswith("nkrel: error: refused SERVICE"), result.stderr

    # check_query: `except RecursionError` never matching (a deeply nested query ends
    # in a traceback instead of a refusal).
    def test_a_query_nested_too_deeply_is_refused_in_one_line(self):
        result = nkrel("query", "SELECT * WHERE " + "{" * 300 + " ?s ?p ?o " + "}" * 300)
        assert result.returncode == 2
        assert result.stderr == "nkrel: error: refused: the query is nested too deeply to check\n"

    # check_query: `except ValueError` never matching (an escape naming no character
    # ends in a traceback instead of a syntax error).
    def test_an_escape_beyond_unicode_is_a_syntax_error(self):
        result = nkrel("query", 'SELECT * WHERE { ?s ?p "\\U0011FFFF" }')
        assert result.returncode == 2
        assert result.stderr.startswith("nkrel: error: SPARQL syntax error: ") and result.stderr.count("\n") == 1
        assert "0011FFFF" in result.stderr
