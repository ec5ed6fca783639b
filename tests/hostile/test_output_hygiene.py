"""Output that a person or another tool reads is safe: XML exports stay well-formed and
terminal output shows control characters escaped, whatever a source text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ..conftest import nkrel
from ..synthetic import fact, money, write_corpus

HOSTILE = "Trade with \x01Ruritania\x1b[31m rose\x0c in 2019."
# a slip the anomaly rules find (a drop to a larger figure), its quote hostile too
DROP = "Trade between North Korea and \x1b[1mRuritania\x1b]0;pwned\x07 dropped from $5 million in 1990 to $7 million in 1991."


@pytest.fixture
def hostile_corpus(tmp_path):
    entities = [{"id": "north-korea", "type": "State", "label": "North Korea", "aliases": []},
                {"id": "ruritania", "type": "State", "label": "Ruritania\x1b]0;pwned\x07", "aliases": []}]  # fmt: skip
    pair = ["north-korea", "ruritania"]
    return write_corpus(tmp_path / "c", {"d": HOSTILE, "drop": DROP}, entities,
                        {"d": [fact("f-trade", "TradeFlow", HOSTILE[:-1], parties=pair, time={"year": 2019})],
                         "drop": [fact("f-1990", "TradeFlow", DROP[DROP.index("\x1b[1m"):DROP.index(" to $7")],
                                       parties=pair, time={"year": 1990},
                                       quantities=[money(5 * 10**6, "$5 million")]),
                                  fact("f-1991", "TradeFlow", "to $7 million in 1991", parties=pair,
                                       time={"year": 1991}, quantities=[money(7 * 10**6, "$7 million")])]})  # fmt: skip


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_stay_well_formed_with_control_characters(hostile_corpus, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    result = nkrel("export", "--corpus", hostile_corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()  # raises on a character XML cannot hold
    text = " ".join(e.text or "" for e in root.iter()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert "\\x1b" in text and "\x1b" not in text


# each command, and the hostile text it must print, escaped (so the check below sees it)
PRINTED = [
    (["anomalies"], ["decline-to-larger", "\\x1b[1mRuritania\\x1b]0;pwned\\x07 dropped from $5 million"]),
    (["coverage"], ["\\x01Ruritania\\x1b[31m rose\\x0c in 2019", "\\x1b[1mRuritania\\x1b]0;pwned\\x07 dropped"]),
    (
        ["query", "SELECT ?l WHERE { ?e rdfs:label ?l }"],
        ["Ruritania\\x1b]0;pwned\\x07", "decline-to-larger: f-1990, f-1991"],
    ),
]


@pytest.mark.parametrize("command, printed", PRINTED, ids=[c[0][0] for c in PRINTED])
def test_terminal_output_never_carries_escape_sequences(hostile_corpus, command, printed):
    """The hostile names and quotes are printed, and printed inert: as \\x1b, never ESC."""
    args = command[:1] + ["--corpus", str(hostile_corpus)] + command[1:] if command[0] != "query" else command
    if command[0] == "query":
        out = hostile_corpus.parent / "built"
        assert nkrel("build", "--corpus", hostile_corpus, "--out", out).returncode == 0
        args = [*command, "--graph", out / "nkrel.nq"]
    result = nkrel(*args)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert all(text in result.stdout for text in printed), result.stdout
    for stream in (result.stdout, result.stderr):
        assert not any(c in stream for c in "\x1b\x07\x01\x0c\x9b"), repr(stream)
