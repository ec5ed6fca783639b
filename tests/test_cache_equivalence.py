"""A build from the per-document cache is the build `--clean` makes, verdict included
(built, or refused with the same message), after every kind of edit: a fact, a text, a
type in entities.yaml that breaks a shape, a title in documents.yaml, and undoing them.
In-process (build_graph with and without the cache); the graph is compared as N-Quads
(every quad, sorted), the anomalies by value."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nkrel.core.corpus import CorpusError
from nkrel.output.write import serialize
from nkrel.pipeline import ShapeError, build_graph


@pytest.fixture(scope="session")
def session_workspace():
    """Not the suite's built workspace: nothing here runs nkrel as a command (the mutation
    runs of pipeline.py, tests/mutation/pipeline.toml, count in seconds)."""
    return None


FACTS = "facts/encyclopedia-economic-relations.yaml"


def outcome(corpus: Path, cache_dir: Path | None) -> tuple:
    try:
        built = build_graph(corpus, cache_dir=cache_dir)
    except (CorpusError, ShapeError) as e:
        return ("refused", type(e).__name__, str(e))
    return ("built", serialize(built.dataset, "nquads"), [repr(a) for a in built.anomalies])


def replace(path: Path, old: str, new: str):
    before = path.read_text(encoding="utf-8")
    assert old in before, (path.name, old)
    path.write_text(before.replace(old, new, 1), encoding="utf-8")
    return lambda: path.write_text(before, encoding="utf-8")


def edit_a_fact(corpus: Path):
    return replace(corpus / FACTS, "amount: 1970000000", "amount: 1000000000")


def edit_a_text(corpus: Path):
    """A corrected text (its sha256 updated too): every quote is still there, at other offsets."""
    docs = corpus / "documents.yaml"
    text = corpus / "texts" / "002_915295fa7ca42148.txt"
    old_sha = hashlib.sha256(text.read_bytes()).hexdigest()
    undo_text = replace(text, "", "Note. ")
    undo_docs = replace(docs, old_sha, hashlib.sha256(text.read_bytes()).hexdigest())
    return lambda: (undo_text(), undo_docs())


def break_a_shape_with_a_type(corpus: Path):
    return replace(corpus / "entities.yaml", "  - id: china\n    type: State\n", "  - id: china\n    type: City\n")


def edit_a_title(corpus: Path):
    return replace(corpus / "documents.yaml", 'title: "Russia and North Korea Economic Relationship"',
                   'title: "Russia and North Korea: the Economic Relationship"')  # fmt: skip


# each edit and the verdict both builds must reach: both verdicts are compared
EDITS = {edit_a_fact: "built", edit_a_text: "built", break_a_shape_with_a_type: "refused", edit_a_title: "built"}


@pytest.fixture(scope="module")
def cached_corpus(tmp_path_factory):
    """A corpus copy and a cache filled by building it once."""
    import shutil

    from nkrel.core.corpus import default_corpus_dir

    root = tmp_path_factory.mktemp("cache-equivalence")
    corpus = root / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    cache = root / "cache"
    first = outcome(corpus, cache)
    assert first[0] == "built"
    return corpus, cache, first


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_a_cached_build_is_the_clean_build_after_each_kind_of_edit(cached_corpus, edit):
    corpus, cache, unedited = cached_corpus
    undo = edit(corpus)
    try:
        cached, clean = outcome(corpus, cache), outcome(corpus, None)
        assert cached[0] == clean[0] == EDITS[edit]
        assert cached == clean
        assert cached != unedited, "the edit changed nothing: it would test nothing"
    finally:
        undo()
    assert outcome(corpus, cache) == unedited  # and back: the cache gives the unedited build again
