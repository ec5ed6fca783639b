"""Attacks through RDF files a user is given and opens with --graph (viz, query, push,
serve, diff): fetching contexts, reading other files, bombs, special files."""

from __future__ import annotations

import os
import re

import pytest

from ..conftest import nkrel

LAUGHS = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
)
BOMB = f"""<?xml version="1.0"?><!DOCTYPE rdf:RDF [{LAUGHS}]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="http://a"><rdf:value>&j;</rdf:value></rdf:Description></rdf:RDF>"""
XXE = """<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="http://a"><rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>"""
COMMANDS = [["viz", "--out", "{out}"], ["query", "ASK { ?s ?p ?o }"], ["push", "http://127.0.0.1:9/store", "--dry-run"]]


def run_all(path, tmp_path):
    for command in COMMANDS:
        args = [a.replace("{out}", str(tmp_path / "page.html")) for a in command]
        yield command[0], nkrel(*args, "--graph", path, timeout=120)


def assert_refused(result, *fragments):
    assert result.returncode in (1, 2), result
    assert "Traceback" not in result.stderr and result.stderr.startswith("nkrel: error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_remote_jsonld_context_is_never_fetched(tmp_path, listener):
    path = tmp_path / "g.jsonld"
    path.write_text(f'{{"@context": "{listener.url}", "@id": "http://a", "p": "x"}}', encoding="utf-8")
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "not valid JSON-LD")
    assert listener.connections == 0


@pytest.mark.parametrize("context", ['"file:///etc/passwd"', '{"@import": "file:///etc/passwd"}'])
def test_local_files_named_as_contexts_are_never_read(tmp_path, context):
    path = tmp_path / "g.jsonld"
    path.write_text(f'{{"@context": {context}, "@id": "http://a", "p": "x"}}', encoding="utf-8")
    for _, result in run_all(path, tmp_path):
        assert_refused(result)
        assert "root:" not in result.stderr


def test_rdfxml_entity_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.rdf"
    path.write_text(BOMB, encoding="utf-8")
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "entity bomb")


def test_rdfxml_external_entity_is_refused(tmp_path):
    path = tmp_path / "xxe.rdf"
    path.write_text(XXE, encoding="utf-8")
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "external XML entity")
        assert "root:" not in result.stderr


@pytest.mark.parametrize("opening", ['{"http://p":', "["])
def test_deeply_nested_jsonld_is_refused_not_a_crash(tmp_path, opening):
    closing = "}" if opening.startswith("{") else "]"
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@id":"http://a","http://p":' + opening * 30000 + '"x"' + closing * 30000 + "}", encoding="utf-8")
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "nested deeper than")


def test_a_fifo_given_as_graph_does_not_hang(tmp_path):
    path = tmp_path / "g.nq"
    os.mkfifo(path)
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "not a regular file")


def test_a_symlink_to_a_system_file_does_not_echo_it(tmp_path):
    path = tmp_path / "g.ttl"
    path.symlink_to("/etc/passwd")
    for _, result in run_all(path, tmp_path):
        assert_refused(result, "not valid Turtle: Parser error at line 1")
        assert "root:" not in result.stderr and "/bin/" not in result.stderr


def test_viz_of_a_huge_decimal_is_a_clean_answer(tmp_path, built_dir):
    """A value of 1e999999 on a fact's quantity: the page is written and shows it in
    exponent form (not a million digits, not a traceback); alone, with no fact, too."""
    huge = '"1e999999"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    alone = tmp_path / "alone.ttl"
    alone.write_text(f"<http://a> <https://schema.org/value> {huge} .\n", encoding="utf-8")
    result = nkrel("viz", "--graph", alone, "--out", tmp_path / "alone.html", timeout=120)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == f"Wrote {tmp_path / 'alone.html'}: 0 nodes, 0 edges, 0 facts\n"
    peak = '"6860000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    graph = (built_dir / "nkrel.nq").read_text(encoding="utf-8")
    assert graph.count(peak) == 1
    on_a_fact = tmp_path / "fact.nq"
    on_a_fact.write_text(graph.replace(peak, huge), encoding="utf-8")
    page = tmp_path / "fact.html"
    result = nkrel("viz", "--graph", on_a_fact, "--out", page, timeout=120)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    facts = re.fullmatch(rf"Wrote {re.escape(str(page))}: \d+ nodes, \d+ edges, (\d+) facts\n", result.stdout)
    assert facts and int(facts[1]) > 100, result.stdout
    text = page.read_text(encoding="utf-8")
    assert "US$1E+999999, as stated" in text and "0" * 1000 not in text
