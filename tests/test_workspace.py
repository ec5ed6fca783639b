"""Workspaces: created, found as git finds a repository, refused when malformed, and the
one source of truth for every reader (rebuilt when stale, or refused with --no-rebuild)."""

from __future__ import annotations

import json

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
    assert set(record) == {"nkrel", "corpus", "ontology", "files"}
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
