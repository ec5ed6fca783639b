"""The build cache: an entry depends on its document, its facts and the entities it names,
and on nothing else (issue 25's finding: a new entity invalidated every document)."""

from __future__ import annotations

import shutil

import pytest

from nkrel import pipeline
from nkrel.core.corpus import default_corpus_dir


@pytest.fixture(scope="session")
def session_workspace():
    """Not the suite's built workspace: nothing here runs nkrel as a command (the mutation
    runs of pipeline.py, tests/mutation/pipeline.toml, count in seconds)."""
    return None


def _corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), root)
    return root


def test_an_entity_no_document_names_leaves_every_entry_valid(tmp_path):
    corpus, cache = _corpus(tmp_path), tmp_path / "cache"
    pipeline.build_graph(corpus, cache_dir=cache)
    entities = corpus / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8") + "  - id: mongolia\n    type: State\n    label: Mongolia\n",
        encoding="utf-8",
    )
    assert pipeline.build_graph(corpus, cache_dir=cache).reused == 3


def test_a_changed_entity_rebuilds_only_the_documents_that_name_it(tmp_path):
    corpus, cache = _corpus(tmp_path), tmp_path / "cache"
    pipeline.build_graph(corpus, cache_dir=cache)
    entities = corpus / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    old = "  - id: nigeria\n    type: State\n    label: Nigeria\n"
    assert old in text
    entities.write_text(text.replace(old, old.replace("label: Nigeria", "label: Federal Republic of Nigeria")),
                        encoding="utf-8")  # fmt: skip
    cached = pipeline.build_graph(corpus, cache_dir=cache)
    assert cached.reused == 2  # only trade-agreements names Nigeria
    clean = pipeline.build_graph(corpus)
    assert pipeline.graph_files(cached) == pipeline.graph_files(clean)
