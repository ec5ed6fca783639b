"""Bad input: one line per problem naming file, line and fact id; exit 1; no
traceback; nothing in --out changed."""

from __future__ import annotations

import pytest

from .conftest import nkrel

GOOD_FACT = """\
document: trade-agreements
facts:
  - id: ta-test-fact
    kind: TradeFlow
    label: China–North Korea trade peaked in 2014
    modality: happened
    parties: [china, north-korea]
    time: {year: 2014}
    quantities:
      - {measure: value, amount: 6860000000, unit: USD, stated: "$6.86 billion"}
    evidence:
      quote: "peaking at $6.86 billion in 2014"
"""

# (name, text replaced, replacement, expected words in the error line, line number)
CASES = [
    ("quote not in document", "peaking at $6.86 billion in 2014", "peaking at $9.99 billion in 2014",
     "quote not found verbatim in 000_faedcd902345ce2a.txt", 12),
    ("unknown entity", "[china, north-korea]", "[china, narnia]", "unknown entity 'narnia' in 'parties'", 7),
    ("unknown kind", "kind: TradeFlow", "kind: TradeFlo", "unknown kind 'TradeFlo'", 4),
    ("malformed year", "{year: 2014}", "{year: 20x4}", "'year' must be four digits, got the text '20x4'", 8),
    ("number as a string", "amount: 6860000000", 'amount: "6.86 billion"', "'amount' must be a number (not text), got the text '6.86 billion'", 10),
    ("missing field", "    modality: happened\n", "", "missing field 'modality'", 3),
    ("wording not in quote", 'stated: "$6.86 billion"', 'stated: "$6.8 billion"', "quantity wording '$6.8 billion' is not in a quote", 10),
    ("unknown unit", "unit: USD", "unit: furlongs", "unknown unit 'furlongs'", 10),  # EUR is a unit since issue 21's fifth round
]  # fmt: skip


def prepare(corpus, out):
    out.mkdir()
    (out / "nkrel.ttl").write_text("previous build\n")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def assert_refused(result, out, before):
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("nkrel: error: ")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "--out was changed"


@pytest.mark.parametrize("name,old,new,message,line", CASES, ids=[c[0] for c in CASES])
def test_bad_fact_is_refused_with_file_line_and_id(corpus_copy, tmp_path, name, old, new, message, line):
    facts = corpus_copy / "facts" / "trade-agreements.yaml"
    assert old in GOOD_FACT
    facts.write_text(GOOD_FACT.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    before = prepare(corpus_copy, out)
    result = nkrel("build", "--corpus", corpus_copy, "--out", out)
    assert_refused(result, out, before)
    expected = f"  facts/trade-agreements.yaml:{line}: ta-test-fact: {message}"
    assert any(problem.startswith(expected) for problem in result.stderr.splitlines()[1:]), result.stderr


def test_good_fact_builds(corpus_copy, tmp_path):
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(GOOD_FACT, encoding="utf-8")
    result = nkrel("build", "--corpus", corpus_copy, "--out", tmp_path / "out", "--allow-uncovered")
    assert result.returncode == 0, result.stderr


def test_yaml_syntax_error_names_file_and_line(corpus_copy, tmp_path):
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(
        GOOD_FACT.replace("    kind: TradeFlow\n", "    kind: [TradeFlow\n"), encoding="utf-8"
    )
    out = tmp_path / "out"
    before = prepare(corpus_copy, out)
    result = nkrel("build", "--corpus", corpus_copy, "--out", out)
    assert_refused(result, out, before)
    assert "facts/trade-agreements.yaml:" in result.stderr and "YAML syntax error" in result.stderr


def test_duplicate_quote_needs_an_occurrence(corpus_copy, tmp_path):
    text = GOOD_FACT.replace("peaking at $6.86 billion in 2014", "North Korea")
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(text, encoding="utf-8")
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1
    assert "add 'occurrence'" in result.stderr and "ta-test-fact" in result.stderr
    fixed = (
        text.replace('quote: "North Korea"', 'quote: "North Korea"\n      occurrence: 2')
        .replace('      - {measure: value, amount: 6860000000, unit: USD, stated: "$6.86 billion"}\n', "      []\n")
        .replace("    quantities:\n      []\n", "")
    )
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(fixed, encoding="utf-8")
    assert nkrel("validate", "--corpus", corpus_copy, "--allow-uncovered").returncode == 0


def test_changed_source_text_is_refused(corpus_copy, tmp_path):
    path = corpus_copy / "texts" / "000_faedcd902345ce2a.txt"
    path.write_bytes(path.read_bytes().replace(b"$6.86 billion", b"$6.87 billion"))
    out = tmp_path / "out"
    before = prepare(corpus_copy, out)
    result = nkrel("build", "--corpus", corpus_copy, "--out", out)
    assert_refused(result, out, before)
    assert "documents.yaml:" in result.stderr and "not the recorded one" in result.stderr


def test_missing_corpus_folder(tmp_path):
    out = tmp_path / "out"
    before = prepare(None, out)
    result = nkrel("build", "--corpus", tmp_path / "nowhere", "--out", out)
    assert_refused(result, out, before)
    assert "corpus folder not found" in result.stderr


def test_unreadable_facts_file(corpus_copy, tmp_path):
    (corpus_copy / "facts" / "trade-agreements.yaml").unlink()
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "facts/trade-agreements.yaml: cannot read" in result.stderr


def test_misspelt_top_level_field_is_refused(corpus_copy):
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(
        GOOD_FACT.replace("facts:\n", "factz:\n"), encoding="utf-8"
    )
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1
    assert "  facts/trade-agreements.yaml:2: unknown top-level field 'factz'" in result.stderr
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(
        GOOD_FACT.replace("    kind: TradeFlow\n", "    kind: TradeFlow\n    kind: Aid\n"), encoding="utf-8"
    )
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1 and 'duplicate key "kind"' in result.stderr
