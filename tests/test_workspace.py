"""Workspaces: created, found as git finds a repository, refused when malformed, and the
one source of truth for every reader (rebuilt when stale, or refused with --no-rebuild)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import nkrel

OUTSIDE = {"NKREL_WORKSPACE": ""}


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    result = nkrel("init", root, "--example", env=OUTSIDE)
    assert result.returncode == 0, result.stderr
    return root


def test_init_lays_out_a_workspace(tmp_path):
    root = tmp_path / "empty"
    result = nkrel("init", root, env=OUTSIDE)
    assert result.returncode == 0 and "an empty corpus" in result.stdout
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "corpus", "graphs", "nkrel.toml"]
    assert sorted(p.name for p in (root / "corpus").iterdir()) == ["documents.yaml", "entities.yaml", "facts", "texts"]
    build = nkrel("build", cwd=root, env=OUTSIDE)
    assert build.returncode == 1 and "no documents listed" in build.stderr


def test_init_refuses_a_folder_in_use(ws, tmp_path):
    again = nkrel("init", ws, env=OUTSIDE)
    assert again.returncode == 2 and "already a workspace" in again.stderr
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x")
    result = nkrel("init", busy, env=OUTSIDE)
    assert result.returncode == 2 and "not empty" in result.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_commands_find_the_workspace_from_a_subfolder(ws):
    assert nkrel("build", cwd=ws / "corpus" / "facts", env=OUTSIDE).returncode == 0
    assert (ws / "graphs" / "build.json").is_file() and (ws / "graphs" / "store").is_dir()
    assert (ws / ".nkrel" / "cache").is_dir(), "the per-document cache lives in the workspace"


def test_the_workspace_named_by_option_or_environment(ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert nkrel("build", "--workspace", ws, cwd=elsewhere, env=OUTSIDE).returncode == 0
    by_env = nkrel("stats", "--format", "json", cwd=elsewhere, env={"NKREL_WORKSPACE": str(ws)})
    assert by_env.returncode == 0 and json.loads(by_env.stdout)["facts"] > 100
    wrong = nkrel("stats", cwd=elsewhere, env={"NKREL_WORKSPACE": str(elsewhere)})
    assert wrong.returncode == 2 and "has no nkrel.toml" in wrong.stderr


@pytest.mark.parametrize(
    "config, message",
    [
        ("[workspace]\ncorpus = '../../etc'\n", "must be a folder inside the workspace"),
        ("[workspace]\ncorpus = '/etc'\n", "must be a folder inside the workspace"),
        ("[workspace]\ncorpuss = 'corpus'\n", "unknown key 'corpuss'"),
        ("[workspace]\nname = 7\n", "'name' must be non-empty text"),
        ("[other]\n", "expected one [workspace] table"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_a_malformed_nkrel_toml_is_a_clear_error(ws, config, message):
    (ws / "nkrel.toml").write_text(config, encoding="utf-8")
    result = nkrel("stats", cwd=ws, env=OUTSIDE)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_outside_any_workspace_writes_are_refused_and_reads_use_the_example(tmp_path):
    result = nkrel("build", cwd=tmp_path, env=OUTSIDE)
    assert result.returncode == 2 and "nkrel init" in result.stderr
    stats = nkrel("stats", "--format", "json", cwd=tmp_path, env=OUTSIDE)
    assert stats.returncode == 0 and json.loads(stats.stdout)["facts"] > 100
    assert nkrel("build", "--out", tmp_path / "out", cwd=tmp_path, env=OUTSIDE).returncode == 0


def test_every_reader_rebuilds_a_stale_graph_or_refuses_it(ws):
    assert nkrel("build", cwd=ws, env=OUTSIDE).returncode == 0
    facts = ws / "corpus" / "facts" / "trade-agreements.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    for command in (["query", "trade-peak"], ["stats"], ["anomalies"], ["export", "--format", "nquads"],
                    ["push", "http://127.0.0.1:9/store", "--dry-run"], ["viz"]):  # fmt: skip
        refused = nkrel(*command, "--no-rebuild", cwd=ws, env=OUTSIDE)
        assert refused.returncode == 2, (command, refused.stderr)
        assert "the graph is stale: run nkrel build (the corpus changed since the last build)" in refused.stderr
    rebuilt = nkrel("query", "trade-peak", cwd=ws, env=OUTSIDE)
    assert rebuilt.returncode == 0 and "rebuilding" in rebuilt.stderr
    again = nkrel("query", "trade-peak", "--no-rebuild", cwd=ws, env=OUTSIDE)
    assert again.returncode == 0 and again.stderr == ""


def test_build_json_records_what_the_build_was_made_from(ws):
    assert nkrel("build", cwd=ws, env=OUTSIDE).returncode == 0
    record = json.loads((ws / "graphs" / "build.json").read_text(encoding="utf-8"))
    assert set(record) == {"nkrel", "corpus", "ontology", "files", "counts"}
    assert {"nkrel.ttl", "nkrel.trig", "nkrel.nq", "nkrel.jsonld", "network.html", "ontology.html"} <= set(
        record["files"]
    )


# --- mutation testing of nkrel/workspace.py (2026-12-07) ---------------------------------------


def test_os_errors_are_told_in_words(tmp_path):  # kills `e.strerror or e` as `and` (l. 92, 193), l. 91's except
    from nkrel.workspace import WorkspaceError, init, load

    with pytest.raises(WorkspaceError) as e:
        load(tmp_path)
    assert str(e.value) == f"cannot read {tmp_path.resolve() / 'nkrel.toml'}: No such file or directory"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(WorkspaceError) as e:
        init(tmp_path / "file" / "ws")
    assert str(e.value) == f"cannot create {tmp_path / 'file' / 'ws'}: Not a directory"


def test_init_example_leaves_out_the_drafts(tmp_path, monkeypatch):  # kills the drafts loop run zero times (l. 165)
    import shutil

    from nkrel import workspace

    corpus = tmp_path / "shipped" / "corpus"
    shutil.copytree(workspace.shipped().corpus_dir, corpus)
    (corpus / "drafts").mkdir()
    (corpus / "drafts" / "d.yaml").write_text("facts: []\n", encoding="utf-8")
    monkeypatch.setattr(workspace, "shipped", lambda: workspace.Workspace(None, "example", corpus, tmp_path / "g"))
    ws = workspace.init(tmp_path / "ws", example=True)
    assert (ws.corpus_dir / "entities.yaml").is_file() and not (ws.corpus_dir / "drafts").exists()


def test_a_folder_inside_an_installed_nkrel_is_refused_but_not_in_a_source_checkout(tmp_path, monkeypatch):
    # kills `package.parent in site and ...` as `or` in _in_installed_package (l. 149)
    from nkrel import workspace

    site = tmp_path / "site-packages"
    monkeypatch.setattr(workspace.sysconfig, "get_paths", lambda: {"purelib": str(site), "platlib": str(site)})
    for package, refused in ((site / "nkrel", True), (tmp_path / "checkout" / "nkrel", False)):
        root = package / "ws"
        root.mkdir(parents=True)
        (root / "nkrel.toml").write_text("[workspace]\n", encoding="utf-8")
        monkeypatch.setattr(workspace, "package_dir", lambda package=package: package)
        if refused:
            with pytest.raises(workspace.WorkspaceError, match="inside the installed nkrel package"):
                workspace.load(root)
        else:  # an editable install: the checkout's own folders are the user's
            assert workspace.load(root).corpus_dir == root.resolve() / "corpus"


def test_a_reader_queries_the_store_only_of_a_workspace_of_ones_own(tmp_path):
    # kills `ws.read_only or no store` as `and` in built_source (l. 338)
    from nkrel.sparql.query import STORE_DIR, Source
    from nkrel.workspace import Workspace, built_source

    graphs = tmp_path / "graphs"
    graphs.mkdir()
    own = Workspace(tmp_path, "own", tmp_path / "corpus", graphs)
    example = Workspace(None, "example", tmp_path / "corpus", graphs)
    assert built_source(own) == Source(graphs / "nkrel.nq")  # no store yet: the N-Quads file
    assert built_source(example) == Source(graphs / "nkrel.nq")
    (graphs / STORE_DIR).mkdir()
    assert built_source(own) == Source(graphs / "nkrel.nq", graphs / STORE_DIR)
    assert built_source(example) == Source(graphs / "nkrel.nq"), "the shipped example's store is never read"


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(), reason="needs Linux's /proc/self/mem")
def test_a_corpus_file_that_opens_but_cannot_be_read_is_marked_not_a_traceback(tmp_path):
    # kills `except OSError` never matching in _file_digest (l. 272). /proc/self/mem is a
    # regular file that opens, but reading its first page (unmapped) fails with EIO.
    from nkrel.workspace import corpus_digest

    (tmp_path / "texts").mkdir()
    before = corpus_digest(tmp_path)
    (tmp_path / "texts" / "memory.txt").symlink_to("/proc/self/mem")
    assert corpus_digest(tmp_path) != before


def test_toml_error_messages_escape_what_a_terminal_would_act_on():
    # kills `repr(c)[1:-1]` as `[1:1]` and `[0:-1]` in _printable (l. 123). load() passes
    # tomllib's messages through it; tomllib quotes characters with repr() today, so the
    # helper is tested directly
    from nkrel.workspace import _printable

    assert _printable("a\x1b[2Jb\x00\u2028é'") == "a\\x1b[2Jb\\x00\\u2028é'"


def test_a_named_folder_without_nkrel_toml_is_told_by_where_it_was_named(tmp_path, monkeypatch):
    # kills `"--workspace" if explicit else ENV` with `not explicit` (l. 75)
    from nkrel.workspace import WorkspaceError, find

    monkeypatch.delenv("NKREL_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceError, match="^--workspace names .*, which has no nkrel.toml"):
        find(tmp_path)
    monkeypatch.setenv("NKREL_WORKSPACE", str(tmp_path))
    with pytest.raises(WorkspaceError, match="^NKREL_WORKSPACE names .*, which has no nkrel.toml"):
        find()


def test_init_makes_the_missing_parent_folders(tmp_path):  # kills `stage.mkdir(parents=False)` (l. 161)
    from nkrel.workspace import init

    ws = init(tmp_path / "new" / "deeper" / "ws")
    assert ws.root == (tmp_path / "new" / "deeper" / "ws").resolve() and (ws.root / "nkrel.toml").is_file()
    # and, unless asked for the example, an empty corpus (kills `example: bool = True`, l. 152)
    assert sorted(p.name for p in ws.corpus_dir.iterdir()) == ["documents.yaml", "entities.yaml", "facts", "texts"]


def test_the_digest_takes_the_files_documents_yaml_names_and_skips_what_cannot_be_a_file(tmp_path):
    # kills `isinstance(value, str) and value and ...` with either `and` as `or` (l. 291): a
    # number, a null, a NUL byte or an absolute path gave a traceback (the build refuses them
    # with its own messages)
    from nkrel.workspace import _listed_files, corpus_digest

    (tmp_path / "documents.yaml").write_text(
        "documents:\n"
        "  - {id: a}\n"
        "  - {id: b, file: 7, facts: null}\n"
        '  - {id: c, file: "t\\0x.txt", facts: /etc/hostname}\n'
        '  - {id: d, file: ""}\n'
        "  - {id: e, file: elsewhere/e.txt, facts: elsewhere/e.yaml}\n"
        "  - just text\n",
        encoding="utf-8",
    )
    assert _listed_files(tmp_path) == [tmp_path / "elsewhere" / "e.txt", tmp_path / "elsewhere" / "e.yaml"]
    digest = corpus_digest(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "e.txt").write_text("a text kept outside texts/", encoding="utf-8")
    assert corpus_digest(tmp_path) != digest


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_the_corpus_does_not_hang_the_digest(tmp_path):
    # kills `O_RDONLY | O_NONBLOCK | O_CLOEXEC` as `O_NONBLOCK & O_CLOEXEC` (l. 261): opened
    # without O_NONBLOCK, a FIFO blocks until someone writes to it, and every reader with it
    os.mkfifo(tmp_path / "entities.yaml")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "documents.yaml").write_text("documents:\n  - {id: a, file: pipe.txt}\n", encoding="utf-8")
    code = "import sys; from nkrel.workspace import corpus_digest; print(corpus_digest(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0 and len(done.stdout.strip()) == 64, done.stderr
