"""Tests written to kill the mutants that survived the mutation run (tests/mutation/).

Each test checks something a user would notice, on a corpus built for it; the comment
above it names the mutant it kills (module, line, what the mutant changed)."""

from __future__ import annotations

import pyoxigraph as ox
import yaml

from .conftest import nkrel
from .synthetic import fact, money, write_corpus

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

    # build_dataset called with the corpus alone, as drafting's shape check does
    # (nkrel/draft/fit.py): `documents or {}` as `and` (a crash), `triples is None`
    # as `is not None` or `not ... is None`, `entities is not None` as `is None` or
    # `not ... is not None` (empty document or entity graphs). `nkrel build` always
    # passes both, so there these mutants only rebuild what they were given.
    def test_the_dataset_built_from_the_corpus_alone_is_the_pipelines(self, tmp_path):
        from nkrel.core.vocabulary import read_ontology
        from nkrel.ingest.load import load_corpus
        from nkrel.model.build import ANOMALIES_GRAPH, build_dataset, document_graph
        from nkrel.pipeline import build_graph

        text = "China and Japan signed a deal in 2014."
        deal = fact("f-deal", "Event", text[:-1], parties=["china", "japan"], time={"start": "2014"})
        root = write_corpus(tmp_path / "c", {"d": text}, [state("china"), state("japan")], {"d": [deal]})
        ontology, vocabulary = read_ontology()
        alone = build_dataset(load_corpus(root, vocabulary), ontology, vocabulary)
        built = build_graph(root, check_shapes=False).dataset
        names = [n for n in built.names() if n != str(ANOMALIES_GRAPH)]
        assert alone.names() == names and str(document_graph("d")) in names, alone.names()
        for name in names:
            assert alone.graph_triples(name) == built.graph_triples(name), name


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
        assert result.stderr == "nkrel: error: SPARQL syntax error at line 1, column 28: '}' is not valid here\n"
        result = nkrel("query", "\n\nSELECT")
        assert result.returncode == 2
        assert (
            result.stderr
            == "nkrel: error: SPARQL syntax error at line 3, column 7: the query ends before it is complete\n"
        )
        result = nkrel("query", "SELECT * WHERE { ?s ?p ?o }} LIMIT 10 OFFSET 20 # and more")
        assert result.returncode == 2
        assert result.stderr == "nkrel: error: SPARQL syntax error at line 1, column 28: '}' is not valid here\n"

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

    # check_query: `... or "an update"` as `and` (every refused update named "an
    # update", and an empty one, which SPARQL reads as an update, named "").
    def test_a_refused_update_is_named_by_its_operations(self):
        refused = ": updates are refused, queries are read-only\n"
        result = nkrel("query", "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }")
        assert (result.returncode, result.stderr) == (2, "nkrel: error: refused INSERT DATA" + refused)
        result = nkrel("query", "CLEAR ALL; DROP ALL; CLEAR ALL")
        assert (result.returncode, result.stderr) == (2, "nkrel: error: refused CLEAR, DROP" + refused)
        result = nkrel("query", "")  # parses as an update with no operation
        assert (result.returncode, result.stderr) == (
            2,
            "nkrel: error: the query is empty: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)\n",
        )


class TestWrite:
    """Mutants of nkrel/output/write.py."""

    # write_files: `mkdir(parents=True)` as False (`nkrel export -o` into folders not
    # there yet fails), `chmod(tmp, 0o644)` as 419, i.e. 0o643 (a file others can write).
    def test_export_into_new_folders_writes_a_file_others_can_only_read(self, tmp_path):
        out = tmp_path / "a" / "b" / "nkrel.ttl"
        result = nkrel("export", "-o", out)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_mode & 0o777 == 0o644
        assert out.read_bytes().startswith(b"PREFIX ")
        assert [p.name for p in out.parent.iterdir()] == ["nkrel.ttl"]  # no temporary file left


class TestLoad:
    """Mutants of the loader (nkrel/ingest/load.py before it was divided; those of the sample that survived)."""

    # _read_fact: `from_party or to_party` as `and` (aid given by a State to no one
    # named, or received from no one named, refused as a fact with no participant).
    def test_a_fact_with_only_a_giver_or_only_a_receiver_builds(self, tmp_path):
        text = "China gave aid. Japan received aid."
        facts = [fact("f-gave", "Aid", "China gave aid", **{"from": "china"}),
                 fact("f-got", "Aid", "Japan received aid", to="japan")]  # fmt: skip
        root = write_corpus(tmp_path / "c", {"d": text}, [state("china"), state("japan")], {"d": facts})
        store = build(root, tmp_path / "out")
        for fid, eid in (("f-gave", "china"), ("f-got", "japan")):
            objects = {q.object for q in store.quads_for_pattern(ox.NamedNode(ID + "fact/" + fid), None, None, None)}
            assert ox.NamedNode(ID + eid) in objects, fid

    # read_entities: the State check's `key.split(".")[0]` as [1] (an `in:` naming a
    # place that is no State ends in a traceback; under `reference:` the problem is
    # shown at the entity's first line, not at its `reference:` line).
    def test_a_place_named_where_a_state_is_needed_is_reported_at_its_line(self, tmp_path):
        place = {"type": "Place", "aliases": []}
        entities = [state("china"), {"id": "city", "label": "City", **place},
                    {"id": "town", "label": "Town", "in": "city", **place},
                    {"id": "hill", "label": "Hill", **place,
                     "reference": {"capital_of": "city", "origin": "https://www.wikidata.org/wiki/Q1"}}]  # fmt: skip
        root = write_corpus(tmp_path / "c", {"d": "China sold coal."}, entities, {})
        lines = (root / "entities.yaml").read_text(encoding="utf-8").splitlines()
        at_in = lines.index("  in: city") + 1
        at_reference = lines.index("  reference:") + 1
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert f"entities.yaml:{at_in}: town: 'in' must name a State, 'city' is a Place\n" in result.stderr
        message = "hill: 'reference.capital_of' must name a State, 'city' is a Place\n"
        assert f"entities.yaml:{at_reference}: {message}" in result.stderr, result.stderr

    # read_non_facts: `reason is not None and reason not in NON_FACT_REASONS` with a
    # `not` added (a not_facts entry with a made-up reason accepted as explained).
    def test_a_not_fact_with_an_unknown_reason_is_refused(self, tmp_path):
        root = write_corpus(tmp_path / "c", {"d": "See the table."}, [state("china")], {})
        path = root / "facts" / "d.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["not_facts"] = [{"quote": "See the table.", "reason": "boring"}]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert "not_facts reason 'boring' unknown (known: " in result.stderr, result.stderr

    # _read_reference: `origin` required=True as False (a reference statement with no
    # source accepted); LABEL_MAX, NOTE_MAX = 300, 2000 as 2001 (a note one character
    # too long accepted).
    def test_a_reference_needs_its_origin_and_a_note_at_most_2000_characters(self, tmp_path):
        entities = [state("china", note="n" * 2000), state("japan", note="n" * 2001),
                    state("korea", reference={"founded": "1948-08-15"})]  # fmt: skip
        root = write_corpus(tmp_path / "c", {"d": "China sold coal."}, entities, {})
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert ": japan: 'note' is 2001 characters long (at most 2000)\n" in result.stderr, result.stderr
        assert ": korea: missing field 'origin'\n" in result.stderr
        assert ": china:" not in result.stderr

    # MAX_AMOUNT = Decimal(10) ** 18 as 10 ** 17 (an amount of 18 digits refused).
    def test_an_amount_of_18_digits_builds_and_one_of_10_to_the_18_does_not(self, tmp_path):
        for amount, ok in ((10**18 - 1, True), (10**18, False)):
            stated = f"{amount} dollars"
            text = f"China sold Japan goods worth {stated}."
            flow = fact(
                "f-flow", "TradeFlow", text[:-1], parties=["china", "japan"], quantities=[money(amount, stated)]
            )
            root = write_corpus(tmp_path / str(amount), {"d": text}, [state("china"), state("japan")], {"d": [flow]})
            result = nkrel("build", "--corpus", root, "--out", tmp_path / f"out-{amount}")
            assert (result.returncode == 0) == ok, result.stderr
            assert ok or f"'amount' {amount} is out of range (its size must be below 10^18)" in result.stderr

    # read_entities: `continue` after a duplicate entity id as `break` (the entities
    # after it are dropped, and every fact naming one is reported as naming no entity).
    def test_a_duplicate_entity_is_the_only_problem_reported(self, tmp_path):
        text = "China sold Japan coal."
        flow = fact("f-flow", "TradeFlow", text[:-1], parties=["china", "japan"])
        root = write_corpus(
            tmp_path / "c", {"d": text}, [state("china"), state("china"), state("japan")], {"d": [flow]}
        )
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert "nkrel: error: the corpus has 1 problem" in result.stderr and "duplicate entity id" in result.stderr, (
            result.stderr
        )

    # _last_day: `year + month // 12` as `month // 11` (the last day of a November is
    # taken a year late, so a period that starts after a November it ends in passes).
    def test_a_period_starting_after_the_month_it_ends_in_is_refused(self, tmp_path):
        text = "China sold Japan coal. China sold Japan oil."
        facts = [fact("f-coal", "TradeFlow", "China sold Japan coal", parties=["china", "japan"],
                      time={"start": "2014-12-01", "end": "2014-11"}),
                 fact("f-oil", "TradeFlow", "China sold Japan oil", parties=["china", "japan"],
                      time={"start": "2014-12-31", "end": "2014-12"})]  # fmt: skip
        root = write_corpus(tmp_path / "c", {"d": text}, [state("china"), state("japan")], {"d": facts})
        result = nkrel("build", "--corpus", root, "--out", tmp_path / "out")
        assert result.returncode == 1
        assert "f-coal: period starts after it ends (2014-12-01 > 2014-11)" in result.stderr, result.stderr
        assert "f-oil" not in result.stderr


class TestQuery:
    """Mutants of nkrel/sparql/query.py (those of the sample that survived)."""

    # render_table: a cut cell keeps `w - 1` characters and "…", as `w - 2` (every cut
    # value loses one more character than the column needs).
    def test_a_value_cut_to_the_width_fills_its_column(self):
        from nkrel.sparql.query import render_table

        table = render_table(["name", "n"], [["a" * 50, "1"]], width=23)
        assert table.splitlines() == ["name                  n", "-" * 20 + "  -", "a" * 19 + "…  1", "(1 row)"]

    # render_table: the room for the columns is `width - 2 * (len(widths) - 1)` (two
    # spaces between columns), as `- 0` (every cut table two characters narrower than
    # asked); _fit: `widths[i] <= floor[i]` as `<` (columns cut to 2 characters, below
    # the floor of 3).
    def test_a_table_cut_to_a_width_narrower_than_its_columns_keeps_3_characters(self):
        from nkrel.sparql.query import render_table

        table = render_table(["a", "b"], [["x" * 10, "y" * 10]], width=5)
        assert table.splitlines() == ["a    b", "---  ---", "xx…  yy…", "(1 row)"]

    # resolve: `query.endswith(".rq") or _is_file(query)` as `and` (a query in a file
    # not named .rq is taken for SPARQL text, and a missing .rq file is reported as a
    # syntax error).
    def test_a_query_file_of_any_name_is_read(self, tmp_path):
        path = tmp_path / "count.sparql"
        path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?f a nk:Aid }\n", encoding="utf-8")
        result = nkrel("query", path, "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == "n"
        result = nkrel("query", tmp_path / "missing.rq")
        assert result.returncode == 2
        assert result.stderr.startswith(f"nkrel: error: cannot read {tmp_path / 'missing.rq'}: "), result.stderr

    # resolve: the hint `if close` as `if not close` (no "did you mean" for a near
    # miss, an empty one for a name like no other); _has_rows: a CSV result has rows
    # when it has more than its header line (`> 1` as `>= 1`: no rows, exit 0 not 1);
    # default_graph_file: `files("nkrel") / "graph" / "nkrel.nq"`, its `/` as `*`.
    def test_a_near_miss_name_a_result_with_no_rows_and_the_shipped_graph(self):
        from nkrel.sparql.query import default_graph_file

        result = nkrel("query", "agrements")
        assert result.stderr.startswith("nkrel: error: no shipped query named 'agrements'; did you mean 'agreements'")
        result = nkrel("query", "zzzzzz")
        assert result.stderr == "nkrel: error: no shipped query named 'zzzzzz' (`nkrel queries` lists them)\n"
        result = nkrel("query", "SELECT ?x WHERE { ?x a nk:Nothing }", "--format", "csv")
        assert (result.returncode, result.stdout.splitlines()) == (1, ["x"])
        assert default_graph_file().name == "nkrel.nq" and default_graph_file().is_file()
