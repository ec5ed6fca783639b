"""`nkrel add-document`: a new text joins the corpus and the coverage check guides its curation."""

from __future__ import annotations

import hashlib

from .conftest import nkrel

TEXT = "Report on trade.\n\nIn 2020, North Korea exported goods worth $5 million to China. Experts disagree.\n"


def test_add_a_document_curate_it_and_build(corpus_copy, tmp_path):
    source = tmp_path / "report.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    registry_before = (corpus_copy / "documents.yaml").read_text(encoding="utf-8")
    result = nkrel(
        "add-document", source, "--id", "trade-report", "--title", "Report on trade", "--corpus", corpus_copy
    )
    assert result.returncode == 0, result.stderr
    assert (corpus_copy / "texts" / "report.txt").read_bytes() == source.read_bytes()
    registry = (corpus_copy / "documents.yaml").read_text(encoding="utf-8")
    assert registry.startswith(registry_before.rstrip("\n").split("documents:")[0])  # comments kept
    assert hashlib.sha256(source.read_bytes()).hexdigest() in registry
    facts = corpus_copy / "facts" / "trade-report.yaml"
    skeleton = facts.read_text(encoding="utf-8")
    assert "# [18:80] In 2020, North Korea exported goods worth $5 million to China." in skeleton

    uncovered = nkrel("validate", "--corpus", corpus_copy)
    assert uncovered.returncode == 1 and "3 sentence(s) neither cited by a fact nor explained" in uncovered.stderr
    assert nkrel("validate", "--corpus", corpus_copy, "--allow-uncovered").returncode == 0
    coverage = nkrel("coverage", "--corpus", corpus_copy, "--uncovered-only")
    assert coverage.returncode == 1 and "3 sentence(s) neither cited" in coverage.stderr

    facts.write_text(
        skeleton.replace(
            "\nfacts: []",
            """\nfacts:
  - id: tr-dprk-exports-china-2020
    kind: TradeFlow
    label: North Korea exported $5 million of goods to China in 2020
    modality: happened
    from: north-korea
    to: china
    time: {year: 2020}
    quantities:
      - {measure: value, amount: 5000000, unit: USD, stated: "$5 million"}
    evidence:
      quote: "In 2020, North Korea exported goods worth $5 million to China."
""",
        ).replace(
            "not_facts: []",
            """not_facts:
  - {quote: "Report on trade.", reason: heading}
  - {quote: "Experts disagree.", reason: opinion}
""",
        ),
        encoding="utf-8",
    )
    assert nkrel("coverage", "--corpus", corpus_copy).returncode == 0
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", corpus_copy, "--out", out).returncode == 0
    assert "<https://w3id.org/nkrel/graph/trade-report>" in (out / "nkrel.nq").read_text(encoding="utf-8")


def test_refusals_change_nothing(corpus_copy, tmp_path):
    before = {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    shipped = corpus_copy / "texts" / "000_faedcd902345ce2a.txt"
    cases = [
        ([shipped, "--id", "again", "--title", "t"], "already in the corpus as 'trade-agreements'", 1),
        # a missing file named on the command line is a usage error (README, exit codes)
        ([tmp_path / "missing.txt", "--id", "x", "--title", "t"], "cannot read", 2),
        ([shipped, "--id", "Bad Id", "--title", "t"], "must be a slug", 1),
    ]
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    cases.append(([latin1, "--id", "latin", "--title", "t"], "is not UTF-8 text", 1))
    for args, message, code in cases:
        result = nkrel("add-document", *args, "--corpus", corpus_copy)
        assert result.returncode == code and message in result.stderr and "Traceback" not in result.stderr
        if code == 1:  # refused after reading: says so; a usage error stops before anything
            assert "nothing was changed" in result.stderr
    assert {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()} == before


def test_diff_shows_what_a_change_of_the_corpus_changed(corpus_copy, tmp_path, built_dir):
    facts = corpus_copy / "facts" / "encyclopedia-economic-relations.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "amount: 1970000000" in text
    facts.write_text(text.replace("amount: 1970000000", "amount: 1000000000", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", corpus_copy, "--out", out).returncode == 0
    result = nkrel("diff", built_dir / "nkrel.nq", out / "nkrel.nq")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "~ facts en-soviet-dprk-trade-1990 (1 triples added, 1 removed)" in lines
    # a "drop" from 1 billion to 1 billion is no longer a decline to a larger value
    assert any(line.startswith("- anomalies decline-to-larger/") for line in lines)
    same = nkrel("diff", built_dir / "nkrel.nq", built_dir / "nkrel.trig")
    assert same.returncode == 0 and same.stdout == "The builds hold the same triples.\n"
    missing = nkrel("diff", built_dir / "nkrel.nq", tmp_path / "none.nq")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
