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


# ---- nothing changed: `nkrel build` does not build at all ---------------------------------


def _cli(*args) -> tuple[int, str, str]:
    """`nkrel ARGS` in this process (so that a test can count what it calls)."""
    from click.testing import CliRunner

    from nkrel.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def example_ws(tmp_path, monkeypatch):
    """A workspace holding the example corpus, built once; counts the builds and the YAML
    files read after that (calls["build"], calls["yaml"])."""
    from nkrel import workspace
    from nkrel.ingest import yamlfile

    ws = tmp_path / "ws"
    workspace.init(ws, example=True)
    code, out, err = _cli("build", "--workspace", ws)
    assert code == 0 and out.startswith("Built "), out + err
    calls = {"build": 0, "yaml": 0}
    build_graph, parse = pipeline.build_graph, yamlfile.parse_yaml

    def counted_build(*args, **kwargs):
        calls["build"] += 1
        return build_graph(*args, **kwargs)

    def counted_parse(text):
        calls["yaml"] += 1
        return parse(text)

    monkeypatch.setattr(pipeline, "build_graph", counted_build)
    monkeypatch.setattr(yamlfile, "parse_yaml", counted_parse)
    return ws, out, calls


def test_an_unchanged_build_builds_nothing_and_says_what_a_build_says(example_ws):
    ws, first, calls = example_ws
    what = first[len("Built ") : first.index(" into ")]  # "N facts from D documents (Q quads)"
    for _ in range(2):
        code, out, err = _cli("build", "--workspace", ws)
        assert code == 0, out + err
        assert out == f"Unchanged: {ws / 'graphs'}/ already holds the build of {what}\n"
    # no YAML parsed at all: the build's file index (nkrel/fileindex.py) holds the files
    # documents.yaml lists, and each file's stat is the one recorded (a YAML read was
    # documents.yaml parsed again on every run)
    assert calls == {"build": 0, "yaml": 0}
    # what the build itself says when it finds the same build published (the path of main)
    assert (
        pipeline.build_and_publish(ws / "corpus", ws / "graphs", cache_dir=ws / ".nkrel" / "cache").published is False
    )
    assert calls["build"] == 1
    code, out, err = _cli("build", "--workspace", ws, "--clean")  # --clean always builds
    assert code == 0 and out.startswith(f"Built {what} into ") and calls["build"] == 2


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_source(monkeypatch, name: str) -> None:
    """nkrel's file `name` (a path inside the package) as if it had been edited."""
    read = Path.read_bytes
    target = (Path(pipeline.__file__).parent / name).resolve()
    assert target.is_file()
    monkeypatch.setattr(Path, "read_bytes", lambda p: read(p) + (b"\n# edited\n" if p.resolve() == target else b""))


CHANGES = {
    "fact": lambda c, mp: _replace_in(c / "facts" / "trade-agreements.yaml", "label: ", "label: Revised "),
    "text": lambda c, mp: (c / "texts" / "000_faedcd902345ce2a.txt").write_bytes(
        (c / "texts" / "000_faedcd902345ce2a.txt").read_bytes() + b"\n"
    ),
    "entities.yaml": lambda c, mp: _replace_in(c / "entities.yaml", "label: China\n", "label: China (PRC)\n"),
    "documents.yaml": lambda c, mp: _replace_in(
        c / "documents.yaml", "Economic Relationship", "Economic Relationship."
    ),
    "ontology": lambda c, mp: _edit_source(mp, "ontology/nkrel.ttl"),
    "nkrel source": lambda c, mp: _edit_source(mp, "model/build.py"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_kind_of_change_builds_again(example_ws, monkeypatch, change):
    ws, first, calls = example_ws
    CHANGES[change](ws / "corpus", monkeypatch)
    code, out, err = _cli("build", "--workspace", ws)
    assert calls["build"] == 1, (change, out, err)
    assert code != 0 if change == "text" else out.startswith("Built "), (change, out, err)  # a changed text is refused


def test_a_broken_fact_is_refused_and_undone_is_unchanged(example_ws):
    ws, first, calls = example_ws
    path = ws / "corpus" / "facts" / "trade-agreements.yaml"
    good = path.read_bytes()
    _replace_in(path, "modality: ", "modality: maybe-")  # an unknown modality
    code, out, err = _cli("build", "--workspace", ws)
    assert code != 0 and "unknown modality" in err and calls["build"] == 1, out + err
    path.write_bytes(good)
    code, out, err = _cli("build", "--workspace", ws)
    assert code == 0 and out.startswith("Unchanged: ") and calls["build"] == 1, out + err
    (ws / "graphs" / "nkrel.ttl").write_bytes(b"# damaged\n")  # the published build damaged: built again
    code, out, err = _cli("build", "--workspace", ws)
    assert code == 0 and out.startswith("Built ") and calls["build"] == 2, out + err


def test_a_build_that_skipped_the_coverage_is_not_reused_by_one_that_requires_it(example_ws):
    ws, first, calls = example_ws
    (ws / ".nkrel" / "cache" / pipeline.LAST_BUILD).unlink()
    assert _cli("build", "--workspace", ws, "--allow-uncovered")[0] == 0 and calls["build"] == 1
    assert _cli("build", "--workspace", ws, "--allow-uncovered")[1].startswith("Unchanged: ")
    assert calls["build"] == 1
    code, out, err = _cli("build", "--workspace", ws)  # the coverage is checked, by a build
    assert code == 0 and calls["build"] == 2, out + err


# ---- the load stage: each fact file's records from the cache ---------------------------------


def _load(corpus: Path, cache: Path | None, monkeypatch=None, hits: list | None = None):
    """(the corpus loaded, or the problems of a refused one), with the fact-file cache at `cache`."""
    from nkrel.core.corpus import CorpusError
    from nkrel.core.vocabulary import read_ontology
    from nkrel.ingest.load import load_corpus
    from nkrel.ingest.load.cache import FactCache

    if hits is not None:
        get = FactCache.get
        monkeypatch.setattr(FactCache, "get", lambda self, key, ents: hits.append(get(self, key, ents)) or hits[-1])
    try:
        return load_corpus(corpus, read_ontology()[1], FactCache(cache) if cache else None)
    except CorpusError as e:
        return [str(p) for p in e.problems]


def _same_load(corpus: Path, cache: Path, monkeypatch) -> int:
    """Assert the load with the cache equals a load without it (records, their repr, or the
    problems in their order); return how many fact files came from the cache."""
    hits = []
    cached, fresh = _load(corpus, cache, monkeypatch, hits), _load(corpus, None)
    assert cached == fresh
    assert repr(cached) == repr(fresh)  # the document cache's key hashes the records' repr
    monkeypatch.undo()
    return sum(hit is not None for hit in hits)


def test_cached_records_are_those_of_a_reading_after_each_kind_of_edit(two_copies, monkeypatch):
    corpus, cache, out = two_copies
    assert len(list(cache.glob("*.nkfacts"))) == 6  # every fact file was kept by the first build
    assert _same_load(corpus, cache, monkeypatch) == 6
    _edit_a_fact(corpus)
    assert _same_load(corpus, cache, monkeypatch) == 5
    assert _same_load(corpus, cache, monkeypatch) == 6  # the edited file kept in its turn
    _replace_in(corpus / "entities.yaml", "label: Nigeria\n", "label: Federal Republic of Nigeria\n")
    naming = _documents_naming(corpus, "nigeria")
    assert _same_load(corpus, cache, monkeypatch) == 6 - naming  # the files naming it are read again
    _replace_in(corpus / "documents.yaml", "Economic Relationship", "Economic Relationship.")  # a title
    assert _same_load(corpus, cache, monkeypatch) == 6 - 1
    # a document added and the edits above undone: the files edited back are read again (their
    # earlier entries were forgotten, or hold the edited entity), and the new one
    generate_corpus(corpus, 2, "disjoint", extra=1)
    assert _same_load(corpus, cache, monkeypatch) == 6 - 1 - naming - 1
    assert _same_load(corpus, cache, monkeypatch) == 7


def _first_id(path: Path) -> str:
    return re.search(r"^  - id: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)


def test_problems_across_files_are_reported_as_without_the_cache(two_copies, monkeypatch):
    """A cached file's duplicate ids and links to other files' facts are checked again, and
    reported with the file, line and fact id a reading gives."""
    corpus, cache, out = two_copies
    facts = corpus / "facts"
    target = _first_id(facts / "eiilir-economic-relationship-c1.yaml")
    _replace_in(facts / "trade-agreements-c1.yaml", "    parties: [china-c1, north-korea-c1]\n",
                f"    parties: [china-c1, north-korea-c1]\n    at_time_of: {target}\n")  # fmt: skip
    assert _same_load(corpus, cache, monkeypatch) == 5
    # the link's target renamed: the cached file's link names an unknown fact
    _replace_in(facts / "eiilir-economic-relationship-c1.yaml", f"id: {target}\n", f"id: {target}-renamed\n")
    problems = _load(corpus, None)
    assert any(p.startswith("facts/trade-agreements-c1.yaml:") and "names unknown fact" in p for p in problems)
    assert _same_load(corpus, cache, monkeypatch) == 5  # trade-agreements-c1 from the cache
    # an id of a cached file taken by another file: a duplicate, wherever each reading reports it
    _replace_in(facts / "eiilir-economic-relationship-c1.yaml", f"id: {target}-renamed\n",
                f"id: {_first_id(facts / 'trade-agreements-c1.yaml')}\n")  # fmt: skip
    problems = _load(corpus, None)
    assert any("duplicate fact id" in p for p in problems), problems
    assert _same_load(corpus, cache, monkeypatch) == 5
    assert _same_load(corpus, cache, monkeypatch) == 5  # the file that reported it was not kept: read again
    # an earlier file takes the id of a later, cached one: the cached file reports the duplicate
    later = facts / "encyclopedia-economic-relations-c1.yaml"
    taken = _first_id(later)
    _replace_in(
        facts / "trade-agreements-c1.yaml", "  - id: ta-china-dprk-relations-friendly-c1\n", f"  - id: {taken}\n"
    )
    problems = _load(corpus, None)
    assert any(p.startswith(f"facts/{later.name}:") and f"{taken}: duplicate fact id" in p for p in problems), problems
    assert _same_load(corpus, cache, monkeypatch) == 4  # encyclopedia-economic-relations-c1 among them


def test_a_forged_or_damaged_entry_is_read_anew(two_copies, monkeypatch):
    corpus, cache, out = two_copies
    entries = sorted(cache.glob("*.nkfacts"))
    forged, damaged, swapped = entries[0], entries[1], entries[2]
    head, payload = forged.read_bytes().split(b"\n", 1)
    forged.write_bytes(head + b"\n" + payload.replace(b"Relations", b"Relation", 1))  # the signature no longer fits
    damaged.write_bytes(damaged.read_bytes()[:-100])
    other = entries[3].read_bytes()
    swapped.write_bytes(other)  # an entry signed for another key (another file's records)
    assert _same_load(corpus, cache, monkeypatch) == 3
    assert entries[3].read_bytes() == other and swapped.read_bytes() != other  # read and kept anew
    _build(corpus, out, cache)
    _build(corpus, out.parent / "clean", None, clean=True)
    assert _files(out) == _files(out.parent / "clean")
