"""The first hour of a new user (issue 23): the README's quick start, the docs site,
errors that show the fix, Ctrl-C, exit codes, thousands separators."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from nkrel.cli import main

from .conftest import REPO, default_sigint, nkrel

README = (REPO / "README.md").read_text(encoding="utf-8")


# --- the README and the docs ---------------------------------------------------------


def test_the_readme_is_an_on_ramp():
    lines = README.splitlines()
    assert len(lines) <= 350, f"README.md has {len(lines)} lines"
    first_screen = "\n".join(lines[:60])
    for step in ("python3 -m venv", ". .venv/bin/activate", "pip install . && nkrel build", "graphs/network.html",
                 "nkrel query", "import nkrel"):  # fmt: skip
        assert step in first_screen, f"the quick start lacks {step!r}"
    assert "make test" in README and "a developer" in README and "a user" in README


def test_every_docs_page_the_readme_links_exists():
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (REPO / target).exists(), target


def _mkdocs(tmp_path, docs_dir):
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {docs_dir}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", tmp_path / "mkdocs.yml",
         "-d", tmp_path / "site"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_docs_build_strictly_and_a_broken_link_fails(tmp_path):
    result = _mkdocs(tmp_path, REPO / "docs")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "network-page" / "index.html").exists()
    broken = tmp_path / "docs"
    shutil.copytree(REPO / "docs", broken)
    with open(broken / "index.md", "a", encoding="utf-8") as fh:
        fh.write("\nSee [a page that is not there](nowhere.md).\n")
    result = _mkdocs(tmp_path, broken)
    assert result.returncode != 0 and "nowhere.md" in result.stderr


# --- SPARQL syntax errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "query,message",
    [
        ("SELECT * WHERE { ?s ?p ?o . FILTER(?x > ) }",
         "line 1, column 41: ')' cannot follow '>': a value or expression is missing before it"),
        ("SELECT ?x WHERE {\n  ?x a ?y .\n  FILTER(?x > ) }",
         "line 3, column 15: ')' cannot follow '>': a value or expression is missing before it"),
        ("SELECT * WHERE { ?s ?p ", "line 1, column 24: the query ends before it is complete (1 '{' not closed by '}')"),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 3", "line 1, column 29: 'LIMT' is not valid here"),
        ("SELECT * WHERE { ?s ?p ?o . OPTIONAL { ?s ?q } }", "line 1, column 46: '}' is not valid here"),
        ('SELECT * WHERE { ?s ?p "abc }', "line 1, column 24: the string '\"abc }' is not closed on its line"),
    ],
)  # fmt: skip
def test_a_sparql_syntax_error_points_at_the_token_at_fault(query, message):
    result = nkrel("query", query)
    assert result.returncode == 2
    assert result.stderr == f"nkrel: error: SPARQL syntax error at {message}\n"
    assert "unexpected" not in result.stderr and "the end" not in result.stderr


# --- corpus errors with the fix ------------------------------------------------------------


def _break(corpus, old, new):
    path = corpus / "facts" / "trade-agreements.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_straight_quote_for_a_curly_one_shows_the_passage_and_names_the_difference(corpus_copy):
    _break(corpus_copy, "result of North Korea’s nuclear development", "result of North Korea's nuclear development")
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "quote not found verbatim" in line)
    passage, caret = lines[at + 1], lines[at + 2]
    assert passage.startswith("    closest passage (character ") and "North Korea’s nuclear" in passage
    assert passage[caret.index("^")] == "’", "the caret is not under the character that differs"
    assert "the text has a curly quote '’' where the quote has a straight quote \"'\" (a quote difference)" in caret


def test_a_hyphen_for_a_space_is_named(corpus_copy):
    _break(corpus_copy, "Korea’s nuclear development", "Korea’s nuclear-development")
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1
    assert "^ the text has a space ' ' where the quote has a hyphen '-'" in result.stderr


def test_a_quote_from_another_text_says_no_passage_is_close(corpus_copy):
    _break(
        corpus_copy,
        "tensions have arisen in recent years as a result of North Korea’s nuclear development",
        "The quick brown fox jumps over the lazy dog again",
    )
    result = nkrel("validate", "--corpus", corpus_copy)
    assert "no passage of the text is close to it: is it the right document?" in result.stderr


def test_an_unknown_entity_gets_did_you_mean_and_how_to_add_one(corpus_copy):
    _break(corpus_copy, "from: china", "from: chna")
    result = nkrel("validate", "--corpus", corpus_copy)
    assert result.returncode == 1
    assert (
        "unknown entity 'chna' in 'from'; did you mean 'china'? (a new entity: add it to entities.yaml, "
        "or accept the draft entity in `nkrel review`)" in result.stderr
    )
    _break(corpus_copy, "from: chna", "from: mongolai")
    result = nkrel("validate", "--corpus", corpus_copy)
    assert "unknown entity 'mongolai' in 'from' (a new entity: add it to entities.yaml" in result.stderr


# --- exit codes: a missing input file is a usage error everywhere ------------------------------


@pytest.mark.parametrize(
    "args",
    [("add-document", "nothere.txt", "--id", "x", "--title", "y"), ("query", "missing.rq"),
     ("query", "trade-peak", "--graph", "missing.nq"), ("stats", "--graph", "missing.nq"),
     ("anomalies", "--graph", "missing.nq"), ("diff", "missing.nq", "missing2.nq")],
)  # fmt: skip
def test_a_missing_input_file_is_a_usage_error(tmp_path, args):
    result = nkrel(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert (
        result.stderr
        == f"nkrel: error: cannot read {args[1] if args[0] in ('add-document', 'diff') else ('missing.rq' if args[1] == 'missing.rq' else 'missing.nq')}: No such file or directory\n"
    )


def test_the_readme_says_which_commands_take_graph():
    taking = {name for name, command in main.commands.items() if any(p.name == "graph_file" for p in command.params)}
    claim = re.search(r"`--graph FILE` reads a built file .*?instead, in ([^;]+);", README, re.S)
    assert claim, "the README no longer says which commands take --graph"
    assert set(re.findall(r"`(\w[\w-]*)`", claim.group(1))) == taking
    assert "export" not in taking and "`export` has no\n`--graph`" in README


# --- Ctrl-C ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,stage,kept",
    [
        (["build", "--out", "OUT"], "nkrel.pipeline.build_and_publish", "nothing was written; the previous build is untouched"),
        (["add-document", "TEXT", "--id", "x", "--title", "y", "--corpus", "CORPUS"], "nkrel.ingest.curate.add_document",
         "the document was not added (documents.yaml is as it was)"),
        (["draft", "trade-agreements", "--corpus", "CORPUS"], "nkrel.draft.draft_document",
         "no drafts were written; the drafts file is as it was"),
        (["stats"], "nkrel.sparql.reports.stats", "nothing was changed"),
    ],
)  # fmt: skip
def test_ctrl_c_in_any_command_says_what_was_kept_and_exits_130(tmp_path, corpus_copy, monkeypatch, args, stage, kept):
    import importlib

    module, name = stage.rsplit(".", 1)

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module(module), name, interrupted)
    text = tmp_path / "a.txt"
    text.write_text("One sentence.\n", encoding="utf-8")
    args = [{"OUT": str(tmp_path / "out"), "TEXT": str(text), "CORPUS": str(corpus_copy)}.get(a, a) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 130, (result.exit_code, result.output)
    assert f"nkrel: stopped (Ctrl-C); {kept}\n" in result.stderr
    assert "Aborted!" not in result.output + result.stderr


def test_a_real_ctrl_c_during_a_build_keeps_the_previous_build(tmp_path):
    out = tmp_path / "graphs"
    assert nkrel("build", "--out", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = subprocess.Popen([shutil.which("nkrel"), "build", "--out", str(out), "--clean"], stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env={**os.environ}, preexec_fn=default_sigint)  # fmt: skip
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:  # the build has loaded its libraries
        if any(tmp_path.glob(".graphs.new-*")) or time.monotonic() > deadline - 58.5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, (proc.returncode, stderr)
    assert stderr.strip().endswith("nkrel: stopped (Ctrl-C); nothing was written; the previous build is untouched")
    assert "Traceback" not in stderr and "Aborted!" not in stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# --- numbers in tables -------------------------------------------------------------------------


def test_table_numbers_have_thousands_separators_and_csv_json_do_not():
    query = "SELECT ?big ?year ?small WHERE { VALUES (?big ?year ?small) { (6860000000 2014 12.5) } }"
    table = nkrel("query", query)
    assert table.returncode == 0
    assert "6,860,000,000" in table.stdout and "2014" in table.stdout and "12.5" in table.stdout
    assert "2,014" not in table.stdout
    csv = nkrel("query", query, "--format", "csv")
    assert "6860000000" in csv.stdout and "6,860" not in csv.stdout
    js = nkrel("query", query, "--format", "json")
    assert '"6860000000"' in js.stdout


def test_stats_text_has_thousands_separators_and_json_does_not():
    text = nkrel("stats")
    assert text.returncode == 0
    quads = json.loads(nkrel("stats", "--format", "json").stdout)["quads"]
    assert quads > 1000 and f"quads: {quads:,}" in text.stdout and f"{quads:,}" != str(quads)


def test_the_quick_starts_queries_and_python_call_work_as_written():
    quick = README.split("## Quick start", 1)[1].split("## Commands", 1)[0]
    blocks = re.findall(r"```(sh|python)\n(.*?)```", quick, re.S)
    commands = [line.split("#")[0].split() for lang, body in blocks if lang == "sh" for line in body.splitlines()
                if line.startswith("nkrel ")]  # fmt: skip
    assert len(commands) >= 3
    for command in commands:
        result = nkrel(*command[1:])
        assert result.returncode == 0 and result.stdout.strip(), (command, result.stderr)
    python = next(body for lang, body in blocks if lang == "python")
    result = subprocess.run([sys.executable, "-c", python + "\nprint(repr(rows[0]['value']))"], capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Decimal('6860000000')"


def test_ctrl_c_while_adding_a_document_leaves_the_corpus_as_it_was(tmp_path, corpus_copy, monkeypatch):
    from nkrel.ingest import curate

    real_write, calls = curate._write, []

    def write(path, data):  # the text and the fact file are written; Ctrl-C comes at the registry
        calls.append(path.name)
        if path.name == "documents.yaml":
            raise KeyboardInterrupt
        real_write(path, data)

    monkeypatch.setattr(curate, "_write", write)
    before = {p.relative_to(corpus_copy): p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    text = tmp_path / "new.txt"
    text.write_text("A new sentence about trade.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["add-document", str(text), "--id", "new-doc", "--title", "T", "--corpus", str(corpus_copy)]
    )
    assert result.exit_code == 130 and "the document was not added" in result.stderr
    assert calls == ["new.txt", "new-doc.yaml", "documents.yaml"]
    assert {p.relative_to(corpus_copy): p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()} == before


def _table(text: str) -> list[dict]:
    """The rows of a text table as nkrel prints it, split at its ruler's column starts."""
    lines = text.splitlines()
    starts = [m.start() for m in re.finditer(r"-+", lines[1])]
    cells = lambda line: [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]  # noqa: E731
    head = cells(lines[0])
    return [dict(zip(head, cells(line), strict=True)) for line in lines[2:] if line and not line.startswith("(")]


def test_the_readmes_sample_output_is_what_the_command_prints():
    """The README's `nkrel query trade-peak --wide` table (fact and anomaly left out) is
    the table nkrel prints today: it was stale once, showing a peak the query no longer
    gives."""
    block = README.split("$ nkrel query trade-peak --wide", 1)[1].split("```", 1)[0]
    shown = _table(block.split("\n", 1)[1])
    result = nkrel("query", "trade-peak", "--wide")
    assert result.returncode == 0, result.stderr
    printed = [{k: v for k, v in row.items() if k not in ("fact", "anomaly")} for row in _table(result.stdout)]
    assert len(shown) == len(printed) == 4
    for readme_row, row in zip(shown, printed, strict=True):
        quote = readme_row.pop("quote")
        assert quote and row.pop("quote").startswith(quote.rstrip("…"))
        assert readme_row == row


SPARQL_BLOCKS = [
    (path.name, i, block)
    for path in sorted((REPO / "docs").glob("*.md"))
    for i, block in enumerate(re.findall(r"```sparql\n(.*?)```", path.read_text(encoding="utf-8"), re.S))
]


@pytest.mark.parametrize("doc, index, block", SPARQL_BLOCKS, ids=[f"{d}-{i}" for d, i, _ in SPARQL_BLOCKS])
def test_every_sparql_example_in_the_docs_answers(doc, index, block):
    """A query the docs show runs and gives rows (exit 0): an example that silently gives
    none (a gYear compared with a number) teaches the trap it should warn of."""
    result = nkrel("query", block, "--format", "csv")
    assert result.returncode == 0, f"{doc} example {index}: {result.stderr}"
    assert len(result.stdout.splitlines()) > 1


def test_the_docs_count_of_facts_in_2011_is_the_graphs():
    block = next(b for d, _, b in SPARQL_BLOCKS if d == "queries.md" and "2011" in b)
    stated = re.search(r"This finds every\s+fact whose time holds 2011 \((\d+) in the shipped graph\)",
                       (REPO / "docs" / "queries.md").read_text(encoding="utf-8"))  # fmt: skip
    assert stated, "docs/queries.md no longer says how many facts the 2011 example finds"
    result = nkrel("query", block, "--format", "csv")
    assert len(result.stdout.splitlines()) - 1 == int(stated.group(1))
