"""The CLI as a user meets it: help, exit codes, export and stats."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from nkrel.cli import main

from .conftest import REPO, nkrel

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    result = nkrel(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout, f"`nkrel {command} --help` shows no example"
    assert f"nkrel {command}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_unknown_option_is_a_usage_error():
    result = nkrel("build", "--no-such-option")
    assert result.returncode == 2 and "No such option" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "fmt,oxfmt",
    [("turtle", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
     ("ntriples", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)],
)  # fmt: skip
def test_export_formats_parse_and_match_the_build(tmp_path, built_dir, fmt, oxfmt):
    out = tmp_path / f"export.{fmt}"
    result = nkrel("export", "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    store = ox.Store()
    store.load(path=str(out), format=oxfmt)
    reference = ox.Store()
    reference.load(path=str(built_dir / "nkrel.nq"), format=ox.RdfFormat.N_QUADS)
    triples = {(q.subject, q.predicate, q.object) for q in store}
    assert triples == {(q.subject, q.predicate, q.object) for q in reference}


def test_export_to_stdout_equals_the_built_turtle(built_dir):
    result = nkrel("export", "--format", "turtle")
    assert result.returncode == 0
    assert result.stdout == (built_dir / "nkrel.ttl").read_text(encoding="utf-8")


def test_stats_counts_facts_by_kind_and_document(built_dir):
    result = nkrel("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert sum(stats["facts_by_kind"].values()) == stats["facts"] == sum(stats["facts_by_document"].values())
    store = ox.Store()
    store.load(path=str(built_dir / "nkrel.nq"), format=ox.RdfFormat.N_QUADS)
    assert stats["quads"] == len(store)
    for graph, n in stats["triples_by_graph"].items():
        assert n == len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def test_validate_passes_on_the_shipped_corpus():
    result = nkrel("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
