"""Ranks, qualifiers, recognition scope and offices (issue 26): each code must come with
words of the fact's own quotes, and a wrong code, a wrong entity or a field on the wrong
kind is refused with one line naming file, line and fact id."""

from __future__ import annotations

import pytest

from .conftest import nkrel

GOOD_FACT = """\
document: trade-agreements
facts:
  - id: ta-test-fact
    kind: Aid
    label: China gave North Korea unconditional food aid between 1996 and 1998
    modality: happened
    from: china
    to: north-korea
    time: {start: 1996, end: 1998}
    rank: {code: largest, stated: "food aid"}
    qualifiers:
      - {code: unconditional, stated: "unconditional"}
    offices:
      - {person: sukhinin, office: ambassador, of: russia, stated: "Beijing"}
    evidence:
      quote: "Beijing gave North Korea unconditional food aid"
"""

# (name, text replaced, replacement, expected words of the error line, line number)
CASES = [
    ("rank words not in a quote", 'stated: "food aid"', 'stated: "the most food aid"',
     "rank words 'the most food aid' are not in a quote", 10),
    ("unknown rank", "code: largest", "code: biggest", "unknown rank 'biggest'", 10),
    ("rank as a bare code", 'rank: {code: largest, stated: "food aid"}', "rank: largest",
     "'rank' must be a mapping", 10),
    ("unknown qualifier", "code: unconditional", "code: cheap", "unknown qualifier 'cheap'", 12),
    ("qualifier words not in a quote", 'stated: "unconditional"', 'stated: "conditional aid"',
     "qualifier words 'conditional aid' are not in a quote", 12),
    ("office holder not a person", "person: sukhinin", "person: china", "'person' must name a Person, got 'china'", 14),
    ("office of a non-state", "of: russia", "of: sukhinin", "'of' must name a State, got 'sukhinin'", 14),
    ("unknown office", "office: ambassador", "office: consul", "unknown office 'consul'", 14),
    ("office for a person", "of: russia", "of: russia, for: sukhinin",
     "'for' must name an Organisation or a Region, got 'sukhinin'", 14),
    ("scope on another kind", "    evidence:", '    scope: {code: sole-legitimate-authority, stated: "Beijing"}\n    evidence:',
     "'scope' belongs to kind Recognition", 15),
]  # fmt: skip


def test_good_coded_fact_builds(corpus_copy, tmp_path):
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(GOOD_FACT, encoding="utf-8")
    result = nkrel("build", "--corpus", corpus_copy, "--out", tmp_path / "out", "--allow-uncovered")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name,old,new,message,line", CASES, ids=[c[0] for c in CASES])
def test_bad_coded_value_is_refused(corpus_copy, tmp_path, name, old, new, message, line):
    assert old in GOOD_FACT
    (corpus_copy / "facts" / "trade-agreements.yaml").write_text(GOOD_FACT.replace(old, new), encoding="utf-8")
    result = nkrel("build", "--corpus", corpus_copy, "--out", tmp_path / "out")
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "nkrel.ttl").exists()
    expected = f"  facts/trade-agreements.yaml:{line}: ta-test-fact: {message}"
    assert any(p.startswith(expected) for p in result.stderr.splitlines()), result.stderr
