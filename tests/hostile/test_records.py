"""Attacks through the fields of fact and entity records: wrong types, impossible
numbers and dates, unknown keys. Each runs the real `nkrel build --out DIR` on a corpus
copy and expects exit 1, exactly one problem line naming file:line and the record's id,
no traceback, and DIR untouched. Every field has one declared type; nothing is coerced
(`commodities: China` must not become five one-letter goods)."""

from __future__ import annotations

import re

import pytest

from ..conftest import nkrel
from .conftest import assert_refused, snapshot

FACTS = "facts/trade-agreements.yaml"
FID = "ta-china-dprk-trade-peak-2014"
PEAK = """  - id: ta-china-dprk-trade-peak-2014
    kind: TradeFlow
    label: China–North Korea trade peaked at $6.86 billion in 2014
    modality: happened
    rank: {code: peak, stated: "peaking"}
    parties: [china, north-korea]
    time: {year: 2014}
    quantities:
      - {measure: value, amount: 6860000000, unit: USD, stated: "$6.86 billion"}
    evidence:
      quote: "peaking at $6.86 billion in 2014"
"""


def attack(
    corpus,
    out,
    old: str,
    new: str,
    *,
    file: str = FACTS,
    item: str | None = FID,
    mark: str | None = None,
    also: tuple[str, str] | None = None,
    whole_file: bool = False,
):
    """Replace `old` by `new` (and `also`) in the peak-trade record (or the first match
    in `file`), build, and check the single refusal.

    `mark` is the text of the line the error must point at (default: the first line of `new`)."""
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    in_peak = file == FACTS and not whole_file
    block = PEAK if in_peak else text
    assert old in block, old
    edited = block.replace(old, new, 1)
    if also:
        assert also[0] in edited, also
        edited = edited.replace(also[0], also[1], 1)
    changed = text.replace(PEAK, edited) if in_peak else edited
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    line = next(i for i, s in enumerate(changed.splitlines(), 1) if (mark or new.splitlines()[0]) in s)
    before = snapshot(out)
    result = nkrel("build", "--corpus", corpus, "--out", out, timeout=120)
    assert_refused(result, before, out)
    assert "the corpus has 1 problem" in result.stderr, result.stderr
    problem = result.stderr.splitlines()[1]
    expected = rf"^  {re.escape(file)}:{line}: " + (re.escape(item) + ": " if item else "")
    assert re.match(expected, problem), (expected, problem)
    return problem


def test_nested_list_of_parties(corpus_copy, out_dir):
    problem = attack(corpus_copy, out_dir, "parties: [china, north-korea]", "parties: [[china], north-korea]")
    assert "'parties' must be a list of entity ids" in problem


def test_kind_as_a_list(corpus_copy, out_dir):
    assert "'kind' must be text" in attack(corpus_copy, out_dir, "kind: TradeFlow", "kind: [TradeFlow]")


def test_commodities_as_a_number(corpus_copy, out_dir):
    old, new = "    time: {year: 2014}\n", "    time: {year: 2014}\n    commodities: 7\n"
    problem = attack(corpus_copy, out_dir, old, new, mark="commodities: 7")
    assert "'commodities' must be a list of mappings, got the number 7" in problem


def test_commodities_as_text_is_not_split_into_letters(corpus_copy, out_dir):
    old, new = "    time: {year: 2014}\n", "    time: {year: 2014}\n    commodities: China\n"
    problem = attack(corpus_copy, out_dir, old, new, mark="commodities: China")
    assert "'commodities' must be a list of mappings, got the text 'China'" in problem


@pytest.mark.parametrize("field", ["label", "note"])
def test_a_list_as_label_or_note(corpus_copy, out_dir, field):
    old = "    label: China–North Korea trade peaked at $6.86 billion in 2014\n"
    new = old if field == "note" else ""
    problem = attack(corpus_copy, out_dir, old, new + f"    {field}: [China, trade]\n", mark=f"{field}: [China")
    assert f"'{field}' must be text, got a list" in problem


def test_a_list_as_a_document_title(corpus_copy, out_dir):
    old = 'title: "Russia and North Korea Economic Relationship"'
    problem = attack(corpus_copy, out_dir, old, "title: [Russia, North Korea]", file="documents.yaml",
                     item="eiilir-economic-relationship")  # fmt: skip
    assert "'title' must be text" in problem


def test_a_yaml_set_is_refused(corpus_copy, out_dir):
    # the YAML layer refuses the tag before any record is read: the line, not the id, is named
    problem = attack(corpus_copy, out_dir, "parties: [china, north-korea]", "parties: !!set {china, north-korea}",
                     item=None)  # fmt: skip
    assert "!!set" in problem


def test_unquoted_impossible_date(corpus_copy, out_dir):
    problem = attack(corpus_copy, out_dir, "time: {year: 2014}", "time: {date: 2023-02-30}")
    assert "'date' must be a real date YYYY-MM-DD, got the text '2023-02-30'" in problem


@pytest.mark.parametrize(
    "amount,why",
    [("1e308", "must be a number (not text)"), ("1.0e+308", "out of range"), ("9" * 31, "out of range"),
     ("0.1234567890123456789", "significant digits"), (".inf", "finite number"), (".nan", "finite number")],
)  # fmt: skip
def test_amounts_out_of_bounds(corpus_copy, out_dir, amount, why):
    problem = attack(corpus_copy, out_dir, "amount: 6860000000", f"amount: {amount}", mark=f"amount: {amount}")
    assert why in problem


@pytest.mark.parametrize("field", ["label", "quote"])
def test_lone_surrogate_in_label_or_quote(corpus_copy, out_dir, field):
    old = {"label": "label: China–North Korea trade peaked at $6.86 billion in 2014",
           "quote": 'quote: "peaking at $6.86 billion in 2014"'}[field]  # fmt: skip
    problem = attack(corpus_copy, out_dir, old, f'{field}: "peak \\uD800 2014"', item=None)
    # refused by the YAML layer (libyaml calls the escape invalid), naming the line
    assert "surrogate" in problem or "invalid Unicode character" in problem


def test_negative_money_value(corpus_copy, out_dir):
    problem = attack(corpus_copy, out_dir, "amount: 6860000000", "amount: -6860000000", mark="amount: -6860000000")
    assert "a value cannot be negative" in problem


def test_share_above_100_percent(corpus_copy, out_dir):
    new = '{measure: share, amount: 160, unit: percent, stated: "$6.86 billion"}'
    problem = attack(
        corpus_copy, out_dir, '{measure: value, amount: 6860000000, unit: USD, stated: "$6.86 billion"}', new
    )
    assert "a share cannot exceed 100 percent" in problem


def test_the_ruble_of_each_year():
    from nkrel.ingest.load import ruble_of

    assert [ruble_of(y) for y in (1961, 1991, 1992, 1997, 1998, 2024)] == ["SUR", "SUR", "RUR", "RUR", "RUB", "RUB"]


@pytest.mark.parametrize(
    "unit,year,said",
    [("RUB", 1997, "RUB is the ruble since 1998; an amount dated 1997 is in RUR"),
     ("RUR", 1990, "RUR is the Russian ruble of 1992-1997, before the redenomination; an amount dated 1990 is in SUR"),
     ("RUR", 2014, "an amount dated 2014 is in RUB"),
     ("SUR", 1992, "SUR is the Soviet ruble, until 1991; an amount dated 1992 is in RUR")],
)  # fmt: skip
def test_each_ruble_only_in_its_years(corpus_copy, out_dir, unit, year, said):
    problem = attack(corpus_copy, out_dir, "unit: USD", f"unit: {unit}", mark=f"unit: {unit}",
                     also=("time: {year: 2014}", f"time: {{year: {year}}}"))  # fmt: skip
    assert said in problem


@pytest.mark.parametrize(
    "start,end",
    [(2015, 2014), ("2014-05", "2014-04"), (2015, "2014-12"), ("2014-12", 2014.5), ("2014-06-02", "2014-06-01"),
     ("2015-01-01", 2014)],
)  # fmt: skip
def test_reversed_periods_across_precisions(corpus_copy, out_dir, start, end):
    problem = attack(corpus_copy, out_dir, "time: {year: 2014}", f"time: {{start: {start}, end: {end}}}")
    assert "period starts after it ends" in problem or "'end' must be" in problem


def test_a_period_of_mixed_precisions_in_order_is_accepted(corpus_copy, out_dir):
    path = corpus_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8").replace(PEAK, PEAK.replace(
        "time: {year: 2014}", "time: {start: 2014-12, end: 2014}")), encoding="utf-8")  # fmt: skip
    result = nkrel("build", "--corpus", corpus_copy, "--out", out_dir, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "old,new",
    [
        ("    modality: happened\n", "    modality: happened\n    colour: red\n"),
        ("time: {year: 2014}", "time: {year: 2014, month: 5}"),
        ("unit: USD,", "unit: USD, currency: USD,"),
        ('quote: "peaking at $6.86 billion in 2014"', 'quote: "peaking at $6.86 billion in 2014"\n      page: 3'),
    ],
    ids=["fact", "time", "quantity", "evidence"],
)
def test_unknown_keys_anywhere_in_a_fact(corpus_copy, out_dir, old, new):
    key = re.findall(r"(\w+): (?:red|5|USD,|3)", new)[-1]
    problem = attack(corpus_copy, out_dir, old, new, mark=f"{key}:")
    assert "unknown" in problem and f"'{key}'" in problem


def test_unknown_key_in_an_entity(corpus_copy, out_dir):
    problem = attack(corpus_copy, out_dir, "    label: Nigeria\n", "    label: Nigeria\n    flag: green\n",
                     file="entities.yaml", item="nigeria", mark="flag: green")  # fmt: skip
    assert "unknown field 'flag'" in problem


def test_unknown_key_in_a_not_facts_entry(corpus_copy, out_dir):
    problem = attack(corpus_copy, out_dir, "    reason: heading\n", "    reason: heading\n    why: title\n",
                     item=None, mark="why: title", whole_file=True)  # fmt: skip
    assert "unknown field 'why'" in problem


def test_wikidata_id_without_how_it_was_verified(corpus_copy, out_dir):
    old = '    wikidata_verified: "given as known in DESIGN.md (section 3, Identity)"\n'
    problem = attack(corpus_copy, out_dir, old, "", file="entities.yaml", item="north-korea", mark="wikidata: Q423")
    assert "needs 'wikidata_verified'" in problem
