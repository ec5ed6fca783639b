"""Property-based fuzzing of the three doors untrusted input comes through: fact records
(a shared corpus), SPARQL text (a shared query) and RDF files (--graph).

Properties, for every generated case: the command ends with exit code 0, 1 or 2; never
a traceback; a build's --out is untouched or holds a complete new build; and no network
connection is made (a listener stands in for every URL the cases name).

CI runs about 2,100 cases. The longer run multiplies every budget:
    NKREL_FUZZ_SCALE=10 python -m pytest tests/hostile/test_fuzz.py      # about 21,000 cases
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkrel.cli import main

from .conftest import Listener, snapshot

SCALE = float(os.environ.get("NKREL_FUZZ_SCALE", "1"))


def budget(n: int):
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
        derandomize=os.environ.get("NKREL_FUZZ_RANDOM") is None,  # CI: the same cases each run
    )


@pytest.fixture(scope="module")
def url_listener():
    listener = Listener()
    yield listener
    listener.close()


def run(*args) -> tuple[int, str]:
    """The CLI in this process: exit code and everything it printed."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        detail = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"nkrel {' '.join(map(str, args))[:200]} raised instead of reporting:\n{detail}")
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    return result.exit_code, output


def assert_clean(code: int, output: str) -> None:
    assert code in (0, 1, 2), (code, output[-2000:])
    assert "Traceback" not in output, output[-2000:]


# ---- fact records -----------------------------------------------------------------------

TEXT = (
    "North Korea exported coal worth US$2.5 million to China in 2019. "
    "Trade fell to $1 billion. Russia gave Nigeria food aid between 1996 and 1998.\n"
    "Heading line\n"
)
ENTITIES = {
    "entities": [
        {"id": "north-korea", "type": "State", "label": "North Korea", "aliases": ["North Korea"]},
        {"id": "china", "type": "State", "label": "China", "aliases": ["China"]},
        {"id": "russia", "type": "State", "label": "Russia", "aliases": ["Russia"]},
        {"id": "nigeria", "type": "State", "label": "Nigeria", "aliases": ["Nigeria"]},
    ]
}
GOOD = {
    "id": "f-coal",
    "kind": "TradeFlow",
    "label": "North Korea exported coal to China in 2019",
    "modality": "happened",
    "from": "north-korea",
    "to": "china",
    "time": {"year": 2019},
    "quantities": [{"measure": "value", "amount": 2500000, "unit": "USD", "stated": "US$2.5 million"}],
    "evidence": {"quote": "North Korea exported coal worth US$2.5 million to China in 2019"},
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["china", "north-korea", "TradeFlow", "Aid", "USD", "value", "happened", "2019", "1996-02-30",
                     "US$2.5 million", "coal", "Trade fell", "\u202e", "\x1b[31m", "../../etc/passwd"]),
)  # fmt: skip
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                            max_size=4), max_leaves=12)  # fmt: skip
fields = st.sampled_from([*GOOD, "parties", "involves", "places", "agreement", "commodities", "as_stated", "claim",
                          "note", "slips", "unknown"])  # fmt: skip


@st.composite
def fact_files(draw) -> str:
    """A fact file: a valid record with a few fields replaced, removed or added, or raw text."""
    if draw(st.integers(0, 9)) == 0:  # raw text now and then: truncation, YAML syntax, bombs
        good = yaml.safe_dump({"document": "doc", "facts": [GOOD]}, allow_unicode=True)
        cut = draw(st.integers(0, len(good)))
        return good[:cut] + draw(st.text(max_size=60))
    records = []
    for _ in range(draw(st.integers(0, 3))):
        record = json.loads(json.dumps(GOOD))
        for _ in range(draw(st.integers(0, 3))):
            key = draw(fields)
            if draw(st.booleans()):
                record[key] = draw(values)
            else:
                record.pop(key, None)
        records.append(record)
    top = {"document": draw(st.sampled_from(["doc", "doc", "other", 7])), "facts": records}
    if draw(st.booleans()):
        top["not_facts"] = [{"quote": "Heading line", "reason": draw(st.sampled_from(["heading", "x", None]))}]
    return yaml.safe_dump(top, allow_unicode=True, sort_keys=False)


def tiny_corpus(root: Path, facts_text: str) -> Path:
    (root / "texts").mkdir(parents=True)
    (root / "facts").mkdir()
    raw = TEXT.encode("utf-8")
    (root / "texts" / "doc.txt").write_bytes(raw)
    docs = {"documents": [{"id": "doc", "file": "texts/doc.txt", "title": "Fuzz", "publisher": None,
                           "sha256": hashlib.sha256(raw).hexdigest(), "facts": "facts/doc.yaml"}]}  # fmt: skip
    (root / "documents.yaml").write_text(yaml.safe_dump(docs), encoding="utf-8")
    (root / "entities.yaml").write_text(yaml.safe_dump(ENTITIES), encoding="utf-8")
    (root / "facts" / "doc.yaml").write_text(facts_text, encoding="utf-8", errors="surrogatepass")
    return root


@pytest.fixture(scope="module")
def vocabulary():
    from nkrel.core.vocabulary import read_ontology

    return read_ontology()[1]


@pytest.fixture(scope="module")
def loader_corpus(tmp_path_factory):
    return tiny_corpus(tmp_path_factory.mktemp("loader"), "")


@budget(1000)
@given(text=fact_files())
def test_fact_records_are_loaded_or_refused_with_named_problems(loader_corpus, vocabulary, text):
    """The loader on its own (the cheapest door): a Corpus, or a CorpusError naming file lines."""
    from nkrel.core.corpus import CorpusError
    from nkrel.ingest.load import load_corpus

    root = loader_corpus
    (root / "facts" / "doc.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_corpus(root, vocabulary)
    except CorpusError as e:
        assert e.problems and all(str(p).split(":", 1)[0] in ("facts/doc.yaml", "documents.yaml", "entities.yaml",
                                                              "doc.txt") for p in e.problems), e.problems  # fmt: skip


# ---- valid records: what is loaded is what was written -----------------------------------

# (quote, kind, the words of its amount, unit, its time) for the sentences of TEXT
CLAIMS = [
    ("North Korea exported coal worth US$2.5 million to China in 2019", "TradeFlow", "US$2.5 million", "USD",
     {"year": 2019}),
    ("Trade fell to $1 billion", "TradeFlow", "$1 billion", "USD", None),
    ("Russia gave Nigeria food aid between 1996 and 1998", "Aid", None, None, {"start": 1996, "end": 1998}),
]  # fmt: skip
STATES = [e["id"] for e in ENTITIES["entities"]]
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
labels = st.text(st.characters(codec="utf-8", exclude_categories=("C", "Z")), min_size=1, max_size=30).map(
    lambda t: "L " + t
)
amounts = st.integers(0, 10**15) | st.decimals(0, 10**12, places=2).map(float)  # as a person writes them


@st.composite
def valid_records(draw, fid: str) -> dict:
    quote, kind, stated, unit, time = draw(st.sampled_from(CLAIMS))
    a, b = draw(st.lists(st.sampled_from(STATES), min_size=2, max_size=2, unique=True))
    record = {"id": fid, "kind": kind, "label": draw(labels),
              "modality": draw(st.sampled_from(["happened", "ongoing", "planned", "expected", "speculated"]))}  # fmt: skip
    if draw(st.booleans()):
        record.update({"from": a, "to": b})
    else:
        record["parties"] = [a, b]
    if time is not None and draw(st.booleans()):
        record["time"] = time
    if stated is not None and draw(st.booleans()):
        bound = draw(st.sampled_from(["exact", "approximate", "at-least", "at-most"]))
        record["quantities"] = [{"measure": "value", "amount": draw(amounts), "unit": unit, "bound": bound,
                                 "stated": stated}]  # fmt: skip
    record["evidence"] = {"quote": quote}
    return record


@st.composite
def valid_fact_files(draw) -> list[dict]:
    ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    return [draw(valid_records(fid)) for fid in ids]


def dump_facts(records: list[dict]) -> str:
    plain = json.loads(json.dumps(records))  # no shared objects: YAML aliases are refused
    return yaml.safe_dump({"document": "doc", "facts": plain}, allow_unicode=True, sort_keys=False)


@budget(80)
@given(records=valid_fact_files())
def test_valid_records_load_as_written(loader_corpus, vocabulary, records):
    """Well-formed records are accepted, and the loaded facts hold exactly what they say:
    a loader that refuses, drops or coerces a valid field fails here."""
    from decimal import Decimal

    from nkrel.ingest.load import load_corpus

    text = dump_facts(records)
    (loader_corpus / "facts" / "doc.yaml").write_text(text, encoding="utf-8")
    corpus = load_corpus(loader_corpus, vocabulary)  # a CorpusError here is the failure
    loaded = {f.id: f for f in corpus.facts}
    assert list(loaded) == [r["id"] for r in records]
    for record in records:
        fact = loaded[record["id"]]
        quote = record["evidence"]["quote"]
        assert (fact.kind, fact.label, fact.modality, fact.document) == (record["kind"], record["label"],
                                                                         record["modality"], "doc")  # fmt: skip
        assert (fact.evidence.exact, fact.evidence.start, fact.evidence.end) == (
            quote, TEXT.index(quote), TEXT.index(quote) + len(quote))  # fmt: skip
        assert (fact.from_party, fact.to_party, fact.parties) == (
            record.get("from"), record.get("to"), record.get("parties", []))  # fmt: skip
        time = record.get("time") or {}
        assert (fact.time is None) == (not time)
        if time:
            got = {k: getattr(fact.time, k) for k in time}
            assert {k: int(v) for k, v in got.items()} == time, fact.time
        written = yaml.safe_load(text)["facts"][records.index(record)].get("quantities", [])
        assert [(q.measure, q.amount, q.unit, q.bound, q.stated) for q in fact.quantities] == [
            (q["measure"], Decimal(str(q["amount"])), q["unit"], q["bound"], q["stated"]) for q in written]  # fmt: skip


@st.composite
def mostly_valid_fact_files(draw) -> str:
    """Valid records, some with one field broken, and now and then anything (fact_files)."""
    if draw(st.integers(0, 3)) == 0:
        return draw(fact_files())
    records = draw(valid_fact_files())
    if draw(st.integers(0, 3)) == 0:
        draw(st.sampled_from(records))[draw(fields)] = draw(values)
    return dump_facts(records)


def test_builds_of_fuzzed_records_publish_all_or_nothing(tmp_path_factory):
    """Every build publishes a whole build or leaves --out as it was; a fair share of the
    cases build facts and a fair share are refused, so both halves are exercised."""
    outcomes = Counter()

    @budget(16)  # most cases build (seconds each); the old generator's were refused at once
    @given(text=mostly_valid_fact_files())
    def case(text):
        root = tiny_corpus(tmp_path_factory.mktemp("c"), text)
        out = tmp_path_factory.mktemp("out")
        (out / "nkrel.nq").write_text("<urn:old> <urn:build> <urn:here> .\n")
        before = snapshot(out)
        code, output = run("build", "--corpus", root, "--out", out, "--allow-uncovered")
        assert_clean(code, output)
        if code == 0:
            record = json.loads((out / "build.json").read_text(encoding="utf-8"))
            for name, digest in record["files"].items():
                assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
            built = len(yaml.safe_load(text)["facts"] or [])  # a build read it: it is valid YAML
            assert f"Built {built} fact" in output, output
            outcomes["built with facts" if built else "built, no fact"] += 1
        else:
            assert snapshot(out) == before
            outcomes["refused"] += 1
        shutil.rmtree(root, ignore_errors=True)

    case()
    total = sum(outcomes.values())
    assert outcomes["built with facts"] >= total / 4 and outcomes["refused"] >= total / 10, outcomes


# ---- queries ------------------------------------------------------------------------------

FRAGMENTS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", ".", ";", ",", "*", "?s", "?p", "?o",
    "$x", "a", "nk:Aid", "fact:x", "<urn:a>", "SERVICE", "SILENT", "service", "\\u0053ERVICE", "FROM", "NAMED",
    "LOAD", "INSERT", "DELETE", "DATA", "DROP", "ALL", "CLEAR", "GRAPH", "OPTIONAL", "UNION", "FILTER", "EXISTS",
    "NOT", "BIND", "AS", "VALUES", "LIMIT 1", "ORDER BY", "GROUP BY", "COUNT(*)", "PREFIX nk: <urn:x#>",
    "# comment\n", "'str'", '"str"', '"""long\n"""', "'\\''", "nk:a\\'", "true", "1e308", "\n", " ", "<{url}>",
]  # fmt: skip


@st.composite
def query_texts(draw) -> str:
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25))
    if draw(st.booleans()):
        parts = ["SELECT * WHERE {", *parts, "}"]
    return " ".join(parts)


@budget(700)
@given(text=query_texts())
def test_queries_answer_or_are_refused_and_never_reach_the_network(url_listener, text):
    text = text.replace("{url}", url_listener.url)
    code, output = run("query", text, "--timeout", "5", "--format", "csv")
    assert_clean(code, output)
    assert url_listener.connections == 0, text


# Grammatical queries: every case a well-formed query, many of them naming SERVICE or
# FROM in a valid position (escaped or not, nested in sub-queries, FILTER EXISTS,
# OPTIONAL, UNION, GRAPH); the rest must reach execution. All patterns share ?s ?p ?o so
# that no case is a cross product that only times out.
PATTERNS = ["?s ?p ?o", "?s a ?o", "?s rdfs:label ?o", "?s nk:partner ?o", "?s ?p 'x'"]
SERVICE_WORDS = ["SERVICE", "service", "SERVICE SILENT", "\\u0053ERVICE", "SeRvIcE"]
LITERALS = ['"a\\tb"', "'it\\'s'", '"""two\nlines"""', '"x"@en', '"1"^^xsd:integer', '"\\u00e9"']


@st.composite
def group_patterns(draw, depth: int = 0) -> tuple[str, bool]:
    """A group graph pattern's inside, and whether it names SERVICE."""
    inner, remote = draw(st.sampled_from(PATTERNS)), False
    for n in range(draw(st.integers(0, 2))):
        choice = draw(st.integers(0, 7 if depth < 2 else 5))
        if choice == 0:
            inner, remote = f"{draw(st.sampled_from(SERVICE_WORDS))} <{{url}}> {{ {inner} }}", True
        elif choice == 1:
            inner = f"{inner} OPTIONAL {{ ?s rdfs:label ?label }}"
        elif choice == 2:
            inner = f"{{ {inner} }} UNION {{ ?s a ?o }}"
        elif choice == 3:
            inner = f"{inner} BIND(STR(?s) AS ?b{depth}{n})"
        elif choice == 4:
            inner = f"{inner} FILTER(?o != {draw(st.sampled_from(LITERALS))})"
        elif choice == 5:
            inner = f"GRAPH ?g {{ {inner} }}"
        elif choice == 6:
            sub, r = draw(group_patterns(depth + 1))
            inner, remote = f"{inner} FILTER EXISTS {{ {sub} }}", remote or r
        else:
            sub, r = draw(group_patterns(depth + 1))
            inner, remote = f"{{ SELECT ?s ?p ?o WHERE {{ {sub} }} LIMIT 3 }} {inner}", remote or r
    return inner, remote


@st.composite
def grammatical_queries(draw) -> tuple[str, bool]:
    """A query, and whether it names SERVICE or a FROM clause (the network's doors)."""
    where, remote = draw(group_patterns())
    dataset = draw(st.sampled_from(["", "", "", "FROM <{url}>", "FROM NAMED <{url}>"]))
    form = draw(st.sampled_from(["SELECT *", "SELECT DISTINCT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]))
    limit = "" if form == "ASK" else " LIMIT 5"
    return f"{form} {dataset} WHERE {{ {where} }}{limit}", remote or bool(dataset)


def test_grammatical_queries_answer_or_are_refused_and_never_reach_the_network(url_listener):
    """The network property on queries that parse: those naming SERVICE or FROM are
    refused, the others run; a fair share of each kind is generated."""
    outcomes = Counter()

    @budget(40)
    @given(case=grammatical_queries())
    def one(case):
        text, remote = case
        code, output = run("query", text.replace("{url}", url_listener.url), "--timeout", "10")
        assert_clean(code, output)
        assert url_listener.connections == 0, text
        assert "syntax error" not in output, (text, output)
        if remote:
            assert code == 2 and "refused" in output, (text, output)
            outcomes["refused"] += 1
        else:
            assert code in (0, 1) and "error" not in output, (text, output)  # ASK: exit 1 when false
            outcomes["answered"] += 1

    one()
    total = sum(outcomes.values())
    assert outcomes["answered"] >= total / 3 and outcomes["refused"] >= total / 4, outcomes


# ---- RDF files ----------------------------------------------------------------------------

SNIPPETS = {
    ".ttl": ["<urn:a> <urn:b> <urn:c> .", "@prefix x: <urn:x#> .", "x:a x:b [ x:c ( 1 2 ) ] .", "<urn:a> <urn:b> \"\\u0000\" .",
             "PREFIX root: <{url}>", '<urn:a> <https://schema.org/value> "1e999999"^^<http://www.w3.org/2001/XMLSchema#decimal> .'],
    ".nq": ["<urn:a> <urn:b> <urn:c> <urn:g> .", "<urn:a> <urn:b> \"x\"@en .", "_:b <urn:b> <urn:c> .", "<urn:a> <urn:b>"],
    ".jsonld": ['{"@context": "{url}", "@id": "urn:a", "urn:p": "x"}', '{"@context": {"@import": "{url}"}}',
                '{"@id": "urn:a", "urn:p": ', "[", "{", '{"@graph": [{"@id": "urn:a"}]}'],
    ".rdf": ['<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>', '<!ENTITY x SYSTEM "{url}">',
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a"/></rdf:RDF>'],
}  # fmt: skip


@st.composite
def rdf_files(draw) -> tuple[str, str]:
    suffix = draw(st.sampled_from(sorted(SNIPPETS)))
    parts = draw(st.lists(st.sampled_from(SNIPPETS[suffix]) | st.text(max_size=20), min_size=0, max_size=8))
    text = "\n".join(parts)
    if suffix == ".jsonld" and draw(st.booleans()):
        depth = draw(st.integers(0, 3000))
        text = '{"@id":"urn:a","urn:p":' + "[" * depth + '"x"' + "]" * depth + "}"
    return suffix, text


@budget(350)
@given(case=rdf_files())
def test_rdf_files_are_read_or_refused_and_fetch_nothing(tmp_path_factory, url_listener, case):
    suffix, text = case
    path = tmp_path_factory.mktemp("g") / f"graph{suffix}"
    path.write_text(text.replace("{url}", url_listener.url), encoding="utf-8", errors="surrogatepass")
    for args in (
        ["query", "ASK { ?s ?p ?o }", "--timeout", "10"],
        ["stats"],
        ["push", "http://127.0.0.1:9/s", "--dry-run"],
    ):
        code, output = run(*args, "--graph", path)
        assert_clean(code, output)
    assert url_listener.connections == 0
