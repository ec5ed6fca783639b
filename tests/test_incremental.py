"""Incremental builds (issue 25): `nkrel build` with the workspace cache rebuilds only what
a change touches, and publishes the files a `--clean` build publishes, byte for byte.

The corpora are disjoint copies of the shipped one (tests/benchmark_scale.py): copy k of
a document names its own entities (china-c1, ...), so a copy added later brings entities
that no other document names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from nkrel import pipeline

from .conftest import nkrel

sys.path.insert(0, str(Path(__file__).parent))
from benchmark_scale import generate_corpus  # noqa: E402

# every file `nkrel build` publishes but build.json and the seal (which name the build's inputs
# and this user's key) and the store (a database folder)
FILES = ("nkrel.ttl", "nkrel.trig", "nkrel.nq", "nkrel.jsonld", "network.html", "ontology.html")


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def _store_quads(folder: Path) -> tuple[list[str], list[str]]:
    """Every quad of a build's on-disk store, and its named graphs, as sorted text."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(folder / "store"))
    try:
        return sorted(map(str, store)), sorted(map(str, store.named_graphs()))
    finally:
        del store


def _build(corpus: Path, out: Path, cache: Path | None, clean: bool = False):
    return pipeline.build_and_publish(corpus, out, cache_dir=cache, clean=clean)


@pytest.fixture
def two_copies(tmp_path):
    """Two disjoint copies of the shipped corpus (6 documents), built once with a cache."""
    corpus, cache, out = tmp_path / "corpus", tmp_path / "cache", tmp_path / "graphs"
    generate_corpus(corpus, 2, "disjoint")
    first = _build(corpus, out, cache)
    assert len(first.corpus.documents) == 6 and first.reused == 0
    return corpus, cache, out


def test_a_document_with_new_entities_leaves_every_other_entry_valid(two_copies, tmp_path):
    corpus, cache, out = two_copies
    before = set(pipeline._Cache(cache, None).folder.glob("*.nkdoc"))
    generate_corpus(corpus, 2, "disjoint", extra=1)  # a third copy of the first document alone
    assert "-c2" in (corpus / "entities.yaml").read_text(encoding="utf-8")  # it brings entities of its own
    cached = _build(corpus, out, cache)
    assert len(cached.corpus.documents) == 7
    assert cached.reused == 6  # every document but the new one from the cache
    assert before < set(cache.glob("*.nkdoc"))  # the old entries were kept, one was added
    _build(corpus, tmp_path / "clean", None, clean=True)
    assert _files(out) == _files(tmp_path / "clean")


def _documents_naming(corpus: Path, entity: str) -> int:
    word = re.compile(rf"(?<![\w-]){re.escape(entity)}(?![\w-])")
    return sum(1 for path in (corpus / "facts").glob("*.yaml") if word.search(path.read_text(encoding="utf-8")))


def _outcome(corpus: Path, out: Path, cache: Path | None, clean: bool = False):
    """The published files, or the message of a refused build."""
    try:
        _build(corpus, out, cache, clean)
    except pipeline.ShapeError as e:
        return ("refused", str(e))
    return ("built", _files(out))


@pytest.mark.parametrize(
    "entity, old, new, verdict",
    [
        ("china-c1", "aliases: [China, Beijing, Chinese, Sino]", "aliases: [China, Beijing, Chinese]", "built"),
        ("nigeria-c1", "label: Nigeria\n", "label: Federal Republic of Nigeria\n", "built"),
        ("china-c1", "label: China\n", "label: People's Republic of China\n", "built"),
    ],
    ids=["alias", "label", "label-of-a-much-named-entity"],
)
def test_changing_an_entity_rebuilds_exactly_the_documents_that_name_it(
    two_copies, tmp_path, monkeypatch, entity, old, new, verdict
):
    corpus, cache, out = two_copies
    entities = corpus / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    head = f"  - id: {entity}\n"
    start = text.index(head)
    end = text.index("  - id: ", start + len(head))
    assert old in text[start:end], (entity, old)
    entities.write_text(text[:start] + text[start:end].replace(old, new, 1) + text[end:], encoding="utf-8")
    naming = _documents_naming(corpus, entity)
    assert 0 < naming < 6, (entity, naming)

    hits = []
    get = pipeline._Cache.get
    monkeypatch.setattr(pipeline._Cache, "get", lambda self, key: hits.append(get(self, key)) or hits[-1])
    cached = _outcome(corpus, out, cache)
    assert sum(hit is not None for hit in hits) == 6 - naming  # every document naming it was rebuilt
    assert cached == _outcome(corpus, tmp_path / "clean", None, clean=True)
    assert cached[0] == verdict


# ---- a rebuild from unchanged inputs publishes nothing ------------------------------------


def _edit_a_fact(corpus: Path) -> None:
    path = corpus / "facts" / "trade-agreements-c1.yaml"
    text = path.read_text(encoding="utf-8")
    i = text.index("label: ") + len("label: ")
    path.write_text(text[:i] + "Revised " + text[i:], encoding="utf-8")


def test_an_unchanged_rebuild_publishes_nothing_and_a_changed_one_publishes(two_copies, tmp_path):
    corpus, cache, out = two_copies
    folder = out.stat().st_ino  # publishing swaps in a new folder
    again = _build(corpus, out, cache)
    assert again.published is False and again.reused == 6
    assert out.stat().st_ino == folder
    assert _outcome(corpus, tmp_path / "clean", None, clean=True) == ("built", _files(out))

    _edit_a_fact(corpus)
    edited = _build(corpus, out, cache)
    assert edited.published is True and out.stat().st_ino != folder
    assert _outcome(corpus, tmp_path / "clean", None, clean=True) == ("built", _files(out))
    assert _build(corpus, out, cache).published is False  # and unchanged again


def test_a_rebuild_publishes_when_the_published_build_is_not_the_one_recorded(two_copies, tmp_path, monkeypatch):
    corpus, cache, out = two_copies
    clean = tmp_path / "clean"
    _build(corpus, clean, None, clean=True)
    # --clean always publishes
    assert _build(corpus, out, cache, clean=True).published is True
    # a published file changed since: the seal says damaged, the build is published anew
    (out / "nkrel.ttl").write_bytes(b"# changed\n" + (out / "nkrel.ttl").read_bytes())
    assert _build(corpus, out, cache).published is True
    assert _files(out) == _files(clean)
    # another corpus' build published into the folder (without the cache): not the build recorded
    generate_corpus(tmp_path / "other", 1, "disjoint")
    _build(tmp_path / "other", out, None)
    assert _build(corpus, out, cache).published is True
    assert _files(out) == _files(clean)
    # nkrel's code (or a library, or the ontology) changed: the recorded inputs differ
    monkeypatch.setattr(pipeline, "_output_inputs", lambda record: "another nkrel")
    assert _build(corpus, out, cache).published is True
    assert _build(corpus, out, cache).published is False
    # a forged record (not signed with this user's key) is not believed
    record = cache / pipeline.LAST_BUILD
    head, payload = record.read_bytes().split(b"\n", 1)
    record.write_bytes(b"0" * len(head) + b"\n" + payload)
    assert _build(corpus, out, cache).published is True
    assert _files(out) == _files(clean)


def test_the_store_is_the_published_one_with_the_changed_graphs_replaced(two_copies, tmp_path, monkeypatch):
    corpus, cache, out = two_copies
    full = pipeline.write_store

    def refused(*args):
        raise AssertionError("the store was loaded anew, not updated")

    for name, edit in (
        ("added", lambda: generate_corpus(corpus, 2, "disjoint", extra=1)),  # new entities, a new graph
        ("edited", lambda: _edit_a_fact(corpus)),
        ("removed", lambda: generate_corpus(corpus, 2, "disjoint")),  # a graph gone, entities gone
    ):
        edit()
        monkeypatch.setattr(pipeline, "write_store", refused)
        assert _build(corpus, out, cache).published is True, name
        monkeypatch.setattr(pipeline, "write_store", full)
        _build(corpus, tmp_path / name, None, clean=True)
        assert _files(out) == _files(tmp_path / name), name
        assert _store_quads(out) == _store_quads(tmp_path / name), name


def test_the_command_says_when_a_rebuild_changed_nothing(tmp_path):
    """`nkrel build` twice on the same inputs: the second says nothing was written."""
    ws = tmp_path / "ws"
    assert nkrel("init", ws, "--example").returncode == 0
    first = nkrel("build", "--workspace", ws)
    assert first.returncode == 0 and first.stdout.startswith("Built "), first.stdout + first.stderr
    second = nkrel("build", "--workspace", ws)
    assert second.returncode == 0 and second.stdout.startswith("Unchanged: "), second.stdout + second.stderr
    assert "facts from" in second.stdout
