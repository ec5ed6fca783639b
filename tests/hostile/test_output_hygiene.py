"""Output that a person or another tool reads is safe: XML exports stay well-formed and
terminal output shows control characters escaped, whatever a source text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ..conftest import nkrel
from ..synthetic import fact, write_corpus

HOSTILE = "Trade with \x01Ruritania\x1b[31m rose\x0c in 2019."


@pytest.fixture
def hostile_corpus(tmp_path):
    entities = [{"id": "north-korea", "type": "State", "label": "North Korea", "aliases": []},
                {"id": "ruritania", "type": "State", "label": "Ruritania\x1b]0;pwned\x07", "aliases": []}]  # fmt: skip
    return write_corpus(tmp_path / "c", {"d": HOSTILE}, entities,
                        {"d": [fact("f-trade", "TradeFlow", HOSTILE[:-1], parties=["north-korea", "ruritania"],
                                    time={"year": 2019})]})  # fmt: skip


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_stay_well_formed_with_control_characters(hostile_corpus, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    result = nkrel("export", "--corpus", hostile_corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()  # raises on a character XML cannot hold
    text = " ".join(e.text or "" for e in root.iter()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert "\\x1b" in text and "\x1b" not in text


@pytest.mark.parametrize("command", [["anomalies"], ["coverage"], ["query", "SELECT ?l WHERE { ?e rdfs:label ?l }"]])
def test_terminal_output_never_carries_escape_sequences(hostile_corpus, command):
    args = command[:1] + ["--corpus", str(hostile_corpus)] + command[1:] if command[0] != "query" else command
    if command[0] == "query":
        out = hostile_corpus.parent / "built"
        assert nkrel("build", "--corpus", hostile_corpus, "--out", out).returncode == 0
        args = [*command, "--graph", out / "nkrel.nq"]
    result = nkrel(*args)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout, result.stdout
