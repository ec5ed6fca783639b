"""A graph is stale exactly when something the build reads changed: documents.yaml,
entities.yaml, a text, a fact file (wherever documents.yaml keeps them), the ontology,
nkrel's version. Each edit makes the graph stale; undoing it makes it fresh again.
In-process on a copy of the session's built workspace: one build for the whole file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nkrel import workspace
from nkrel.core import vocabulary
from nkrel.pipeline import build_and_publish


@pytest.fixture
def ws(session_workspace, tmp_path) -> workspace.Workspace:
    """A copy of the session's built workspace: its corpus and its sealed build (times kept,
    so the seal still verifies)."""
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(session_workspace / "nkrel.toml", root)
    shutil.copytree(session_workspace / "corpus", root / "corpus")
    shutil.copytree(session_workspace / "graphs", root / "graphs", symlinks=True)
    return workspace.load(root)


def append(path: Path, text: str = "\n# an edit\n"):
    before = path.read_bytes()
    path.write_bytes(before + text.encode())
    return lambda: path.write_bytes(before)


def first_listed(corpus: Path, key: str) -> Path:
    documents = (corpus / "documents.yaml").read_text(encoding="utf-8")
    line = next(x for x in documents.splitlines() if x.strip().startswith(f"{key}: "))
    return corpus / line.split(": ", 1)[1].strip()


def edit_documents(ws, monkeypatch):
    return append(ws.corpus_dir / "documents.yaml")


def edit_entities(ws, monkeypatch):
    return append(ws.corpus_dir / "entities.yaml")


def edit_a_text(ws, monkeypatch):
    return append(first_listed(ws.corpus_dir, "file"), " ")


def edit_a_fact_file(ws, monkeypatch):
    return append(first_listed(ws.corpus_dir, "facts"))


def add_a_fact_file(ws, monkeypatch):
    extra = ws.corpus_dir / "facts" / "new-document.yaml"
    extra.write_text("document: new-document\nfacts: []\n", encoding="utf-8")
    return extra.unlink


def edit_the_ontology(ws, monkeypatch):
    copy = ws.root / "ontology-copy"
    shutil.copytree(vocabulary.ontology_dir(), copy)
    monkeypatch.setattr(vocabulary, "ontology_dir", lambda: copy)
    assert workspace.staleness(ws) is None, "a copy of the ontology is the same ontology"
    return append(copy / "shapes.ttl", "\n# an edit\n")


def change_nkrels_version(ws, monkeypatch):
    real = workspace.__version__
    monkeypatch.setattr(workspace, "__version__", real + ".post1")
    return lambda: monkeypatch.setattr(workspace, "__version__", real)


EDITS = {
    edit_documents: "the corpus changed",
    edit_entities: "the corpus changed",
    edit_a_text: "the corpus changed",
    edit_a_fact_file: "the corpus changed",
    add_a_fact_file: "the corpus changed",
    edit_the_ontology: "the ontology changed",
    change_nkrels_version: "nkrel's version changed",
}


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_each_input_edited_makes_the_graph_stale_and_undone_fresh(ws, monkeypatch, edit):
    assert workspace.staleness(ws) is None
    undo = edit(ws, monkeypatch)
    assert workspace.staleness(ws) == f"{EDITS[edit]} since the last build"
    undo()
    assert workspace.staleness(ws) is None


def test_texts_and_fact_files_kept_outside_texts_and_facts_count_too(ws, monkeypatch):
    """documents.yaml may name any file inside the corpus folder: those are inputs too."""
    corpus = ws.corpus_dir
    text, facts = first_listed(corpus, "file"), first_listed(corpus, "facts")
    (corpus / "sources").mkdir()
    documents = (corpus / "documents.yaml").read_text(encoding="utf-8")
    for path in (text, facts):
        path.rename(corpus / "sources" / path.name)
        documents = documents.replace(str(path.relative_to(corpus)), f"sources/{path.name}")
    (corpus / "documents.yaml").write_text(documents, encoding="utf-8")
    build_and_publish(ws.corpus_dir, ws.graphs_dir)  # a build records the files where they now are
    assert workspace.staleness(ws) is None
    for path in (corpus / "sources" / text.name, corpus / "sources" / facts.name):
        undo = append(path, " ")
        assert workspace.staleness(ws) == "the corpus changed since the last build", path.name
        undo()
        assert workspace.staleness(ws) is None
