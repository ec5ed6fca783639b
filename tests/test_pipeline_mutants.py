"""nkrel/pipeline.py piece by piece, for its mutants (issue 20): the stage timer, the
garbage collector's freeze, the per-document stage (the pool of processes, the cache and
its keys), the signed cache entries (every way an entry is refused), graph_file_chunks,
write_store, the published build's record and the store updated in place. In this
process, on the shipped corpus (3 documents) or a copy of it; test_incremental.py and
test_cache*.py cover the builds end to end."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import shutil
from pathlib import Path

import pytest

from nkrel import pipeline
from nkrel.core import trust
from nkrel.core.corpus import default_corpus_dir


@pytest.fixture(scope="session")
def session_workspace():
    """Not the suite's built workspace: nothing here runs nkrel as a command (a mutant's run
    is counted in seconds)."""
    return None


REPO = Path(__file__).resolve().parent.parent


# ---- the stage timer and the garbage collector -------------------------------------------


def test_a_stage_time_adds_to_the_time_before_and_is_kept_when_the_stage_fails():
    timings = {"load": 1000.0}
    with pipeline._timed(timings, "load"):
        pass
    assert 1000.0 < timings["load"] < 1001.0
    with pytest.raises(KeyError), pipeline._timed(timings, "new"):
        raise KeyError("x")
    assert 0.0 <= timings["new"] < 1.0


def test_the_stage_log_gets_a_line_a_stage_with_the_memory_resident(tmp_path, monkeypatch):
    log = tmp_path / "stages.log"
    monkeypatch.setattr(pipeline, "STAGE_LOG", str(log))
    timings = {}
    for name in ("a", "b"):
        with pipeline._timed(timings, name):
            pass
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == ["a", "b"]  # appended, one line each
    for line in lines:
        name, seconds, unit, mib, *rest = line.split()
        assert (unit, rest) == ("s,", ["MiB", "resident", "after", "it"])
        assert 0 <= float(seconds) < 1
        assert 10 <= int(mib) < 100_000  # this Python holds tens of MiB, not bytes nor pages
    status = Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]
    assert abs(int(mib) - int(status) / 1024) < 8  # the resident size, not the virtual nor the shared


def test_the_collector_is_frozen_during_a_build_and_back_after_it_even_when_it_fails():
    assert gc.isenabled()
    with pytest.raises(ValueError), pipeline._frozen_gc():
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        raise ValueError
    assert gc.isenabled() and gc.get_freeze_count() == 0


# ---- builds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built():
    return pipeline.build_graph()


def test_a_build_times_each_stage_and_reuses_nothing_without_a_cache(built):
    assert set(built.timings) == {"ontology", "load", "documents", "dataset", "anomalies", "shacl-shared"}
    assert built.reused == 0 and built.published is True
    assert pipeline._SHARED == {}  # nothing of the build kept in the module


def test_a_report_that_does_not_conform_is_refused_unless_shapes_are_not_checked(monkeypatch):
    from nkrel.model import validate

    combine = validate.combine

    def broken(reports):
        report = combine(reports)
        assert report.conforms  # the shipped corpus conforms: make it not
        return dataclasses.replace(report, conforms=False, problems=["one", "two"])

    monkeypatch.setattr(validate, "combine", broken)
    with pytest.raises(pipeline.ShapeError) as refused:
        pipeline.build_graph()
    assert refused.value.problems == ["one", "two"] and str(refused.value) == "one\ntwo"
    unchecked = pipeline.build_graph(check_shapes=False)
    assert "shacl-shared" not in unchecked.timings and len(unchecked.dataset) > 0


def test_a_problem_of_the_per_document_stage_refuses_the_build_from_the_cache_too(tmp_path, monkeypatch):
    from nkrel.model import validate

    report = validate.document_report
    quick = []

    def planted(*args, decide=True, **kwargs):
        found = report(*args, decide=decide, **kwargs)
        quick.append(decide is False)
        return found if decide else ["planted problem"]  # the quick check of each document

    monkeypatch.setattr(validate, "document_report", planted)
    for checked in (3, 0):  # built, then from the cache
        quick.clear()
        with pytest.raises(pipeline.ShapeError) as refused:
            pipeline.build_graph(cache_dir=tmp_path / "cache")
        assert "planted problem" in refused.value.problems and sum(quick) == checked
    monkeypatch.undo()
    assert pipeline.build_graph(cache_dir=tmp_path / "cache", check_shapes=False).reused == 0  # other keys


def test_the_graphs_of_concerned_are_the_entities_and_the_documents_anomalies_name(built):
    from nkrel.model.build import ANOMALIES_GRAPH, ENTITIES_GRAPH, document_graph, fact_iri

    anomalies = built.dataset.graph_triples(ANOMALIES_GRAPH)
    named = {f"<{fact_iri(f.id)}>": f.document for f in built.corpus.facts}
    docs = sorted({named[t[2]] for t in anomalies if t[2] in named})
    assert docs, "the shipped corpus has an anomaly that names a fact"
    graphs = pipeline._graphs_of_concerned(anomalies, built.corpus, built.dataset)
    expected = [ENTITIES_GRAPH] + [document_graph(d) for d in docs]
    assert graphs == [built.dataset.graph_triples(g) for g in expected]
    assert pipeline._graphs_of_concerned([], built.corpus, built.dataset) == [graphs[0]]


# ---- the per-document stage: processes ------------------------------------------------------


_MARKS: list = []  # where _recorded marks each document it builds, and the function it wraps
_ONE_DOCUMENT = pipeline._one_document


def _recorded(doc_id):
    """_one_document, marking which process built the document (a module function: the
    pool's workers receive it by name)."""
    (_MARKS[0] / f"{doc_id}.{os.getpid()}").touch()
    return _MARKS[1](doc_id)


@pytest.fixture
def where_built(tmp_path, monkeypatch):
    """The pids that built each document."""
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setattr(pipeline, "_one_document", _recorded)
    _MARKS[:] = [marks, _ONE_DOCUMENT]
    yield lambda: {p.name.rsplit(".", 1)[1] for p in marks.iterdir()}
    _MARKS.clear()


@pytest.mark.parametrize(
    "parallel_from, jobs, in_a_pool",
    [(3, 2, True), (4, 2, False), (3, 1, False)],
    ids=["as-many-documents-as-the-threshold", "fewer-documents", "one-job"],
)
def test_documents_are_built_in_a_pool_from_the_threshold_with_more_than_one_job(
    built, where_built, monkeypatch, parallel_from, jobs, in_a_pool
):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", parallel_from)
    again = pipeline.build_graph(jobs=jobs)
    pids = where_built()
    if in_a_pool:
        assert str(os.getpid()) not in pids and 1 <= len(pids) <= jobs
    else:
        assert pids == {str(os.getpid())}
    assert again.dataset.graphs == built.dataset.graphs and pipeline._SHARED == {}


def test_by_default_a_pool_has_a_worker_a_cpu(built, where_built, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 3)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    again = pipeline.build_graph()
    assert str(os.getpid()) not in where_built() and again.dataset.graphs == built.dataset.graphs


def test_a_document_without_shapes_has_no_problems_to_report(built, monkeypatch):
    from nkrel.model.build import entity_triples, facts_by_document

    doc_id = sorted(built.corpus.documents)[0]
    monkeypatch.setattr(pipeline, "_SHARED", {
        "documents": built.corpus.documents, "facts": facts_by_document(built.corpus),
        "vocabulary": built.vocabulary, "entities": entity_triples(built.corpus), "context": None,
    })  # fmt: skip
    triples, problems = pipeline._one_document(doc_id)
    assert problems == [] and triples and all(len(t) == 3 for t in triples)


# ---- the cache: keys ------------------------------------------------------------------------


def test_a_document_key_changes_with_each_thing_the_document_graph_depends_on(built):
    doc = built.corpus.documents[sorted(built.corpus.documents)[0]]
    facts = [f for f in built.corpus.facts if f.document == doc.id]
    base = pipeline._base_key(True)
    key = pipeline._document_key(base, doc, facts)
    assert key == pipeline._document_key(base, dataclasses.replace(doc), list(facts))  # a function of them
    first = doc.text[0]
    other = "A" if first != "A" else "B"
    changed = [
        pipeline._document_key(pipeline._base_key(False), doc, facts),
        pipeline._document_key(base, doc, facts[:-1]),
        pipeline._document_key(base, doc, []),
        *(
            pipeline._document_key(base, dataclasses.replace(doc, **{name: value}), facts)
            for name, value in [
                ("id", doc.id + "x"), ("file_name", "x" + doc.file_name), ("title", doc.title + "."),
                ("publisher", "Another"), ("sha256", "0" * 64), ("source", {"file": "x.pdf"}),
                ("text", other + doc.text[1:]),  # the same length, another text
                ("text", doc.text + " "),
            ]
        ),
    ]  # fmt: skip
    assert len(set(changed) | {key}) == len(changed) + 1


def test_the_code_hash_follows_nkrel_version_and_reads_this_module(monkeypatch):
    import nkrel.core

    before = pipeline._code_hash()
    assert before == pipeline._code_hash() and len(before) == 64
    monkeypatch.setattr(nkrel.core, "__version__", "0.0.0-test")
    assert pipeline._code_hash() != before
    monkeypatch.undo()
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    pipeline._code_hash()
    assert "pipeline.py" in read and "build.py" in read and "corpus.py" in read


def test_the_base_key_follows_the_ontology_and_the_shapes_unless_unchecked(tmp_path, monkeypatch):
    from nkrel.core import vocabulary

    keys = {"with": pipeline._base_key(True), "without": pipeline._base_key(False)}
    for name, source in (("ontology", vocabulary.ontology_path()), ("shapes", vocabulary.shapes_path())):
        copy = tmp_path / f"{name}.ttl"
        copy.write_bytes(source.read_bytes() + b"\n# changed\n")
        monkeypatch.setattr(pipeline, f"{name}_path", lambda copy=copy: copy)
        keys[name] = pipeline._base_key(True)
        keys[name + " unchecked"] = pipeline._base_key(False)
        monkeypatch.undo()
    assert len(set(keys.values())) == 5, keys  # the shapes unchecked: a change to them is no change
    assert keys["shapes unchecked"] == keys["without"]


# ---- the cache: entries ---------------------------------------------------------------------

TRIPLES = [
    ("<http://ex/a>", "<http://ex/p>", '"Pyongyang — 평양"'),
    ("<http://ex/a>", "<http://ex/q>", "<http://ex/b>"),
]
KEY = "ab" * 32


@pytest.fixture
def cache(tmp_path):
    return pipeline._Cache(tmp_path / "cache" / "deep", None)  # made with its parents


def _write_signed(cache, key: str, payload: bytes, signature: str | None = None) -> None:
    head = pipeline._Cache.MAGIC + (signature or trust.sign("cache " + key, payload)).encode("ascii") + b"\n"
    (cache.folder / (key + pipeline._Cache.SUFFIX)).write_bytes(head + payload)


def test_a_cache_entry_is_read_back_as_written_and_its_scratch_file_is_gone(cache):
    assert cache.get(KEY) is None  # no entry
    cache.put(KEY, (TRIPLES, ["a problem"]))
    assert cache.get(KEY) == (TRIPLES, ["a problem"])
    assert [p.name for p in cache.folder.iterdir()] == [KEY + ".nkdoc"]
    data = (cache.folder / (KEY + ".nkdoc")).read_bytes()
    assert data.startswith(b"nkrel-cache 2 ") and len(data.split(b"\n", 1)[0]) == 14 + 64
    cache.put(KEY, (TRIPLES, None))  # undecided by the quick check
    assert cache.get(KEY) == (TRIPLES, None)


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b'{"problems": [], "entities": ""}',  # no triples
        b'{"triples": [], "entities": ""}',  # no problems
        b'{"triples": [], "problems": []}',  # no entities
        b"[1, 2]",
        b'{"triples": [["a", "b"]], "problems": [], "entities": ""}',
        b'{"triples": [["a", "b", "c", "d"]], "problems": [], "entities": ""}',
        b'{"triples": [["a", "b", 3]], "problems": [], "entities": ""}',
        b'{"triples": [3], "problems": [], "entities": ""}',
        b'{"triples": [], "problems": "a problem", "entities": ""}',
        b'{"triples": [], "problems": [3], "entities": ""}',
        b'{"triples": [], "problems": [], "entities": "0"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"triples": [], "problems": ["\xff"], "entities": ""}',  # not UTF-8
    ],
)
def test_a_signed_entry_that_is_not_a_result_is_ignored(cache, payload):
    _write_signed(cache, KEY, payload)
    assert cache.get(KEY) is None
    _write_signed(cache, KEY, b'{"triples": [["a", "b", "c"]], "problems": [], "entities": ""}')
    assert cache.get(KEY) == ([("a", "b", "c")], [])  # the same, well formed: read


def test_an_entry_not_signed_for_its_name_or_changed_is_ignored(cache):
    cache.put(KEY, (TRIPLES, []))
    entry = cache.folder / (KEY + ".nkdoc")
    data = entry.read_bytes()
    other = "cd" * 32
    shutil.copy(entry, cache.folder / (other + ".nkdoc"))
    assert cache.get(other) is None  # signed for another key
    head, payload = data.split(b"\n", 1)
    for forged in (
        head + b"\n" + payload.replace(b"Pyongyang", b"Pyongyanh"),
        head[:-1] + (b"0" if head[-1:] != b"0" else b"1") + b"\n" + payload,
        head + b" \n" + payload,  # a longer signature line
        head[:-1] + b"\n" + payload,  # a shorter one
        head.replace(b"nkrel-cache 2", b"nkrel-cache 1") + b"\n" + payload,
        b"nkrel-cache 2 " + "é".encode() * 32 + b"\n" + payload,
        head,  # no line end
    ):
        entry.write_bytes(forged)
        assert cache.get(KEY) is None, forged[:100]
    entry.write_bytes(data)
    assert cache.get(KEY) == (TRIPLES, [])


def test_an_entry_is_ignored_when_the_entities_it_names_changed(built, tmp_path):
    from nkrel.model.build import entity_triples

    entities = entity_triples(built.corpus)
    doc_id = sorted(built.corpus.documents)[0]
    from nkrel.model.build import document_graph
    from nkrel.model.validate import entities_named

    triples = built.dataset.graph_triples(document_graph(doc_id))
    named = entities_named(triples, entities)
    assert named, "the document names entities"
    first = pipeline._Cache(tmp_path / "c", entities)
    first.put(KEY, (triples, []))
    assert first.get(KEY) == (triples, [])
    changed = [t for t in entities if t != named[0]] + [(named[0][0], named[0][1], '"another"')]
    assert pipeline._Cache(tmp_path / "c", changed).get(KEY) is None
    unrelated = entities + [("<http://ex/nobody>", "<http://ex/p>", '"x"')]
    assert pipeline._Cache(tmp_path / "c", unrelated).get(KEY) == (triples, [])
    assert pipeline._Cache(tmp_path / "c", None).get(KEY) is None  # written with reports: not without


def test_nothing_is_cached_without_a_signing_key(cache, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(trust.KEY_ENV, str(blocker / "key"))  # its folder cannot be made
    cache.put(KEY, (TRIPLES, []))
    assert list(cache.folder.iterdir()) == []
    monkeypatch.undo()
    cache.put(KEY, (TRIPLES, []))
    monkeypatch.setenv(trust.KEY_ENV, str(blocker / "key"))
    assert cache.get(KEY) is None  # written with a key: without it, not believed (and no error)


def test_keep_forgets_other_entries_and_the_scratch_files_of_dead_builds(cache):
    cache.put(KEY, (TRIPLES, []))
    cache.put("cd" * 32, (TRIPLES, []))
    (cache.folder / "notes.txt").write_text("")
    dead = (1 << 22) + 1  # above any pid (Linux's pid_max is 2**22 at most)
    # a received workspace can hold any name: a pid too large for kill() (OverflowError) was a
    # traceback; 0 and -1 name process groups, not a build's process
    others = (".99999999999.x.tmp", ".0.x.tmp", ".-1.x.tmp")
    for name in (f".{dead}.x.tmp", ".abc.x.tmp", f".{os.getpid()}.x.tmp", f".{dead}.x.keep", *others):
        (cache.folder / name).write_text("")
    cache.keep({KEY})
    assert sorted(p.name for p in cache.folder.iterdir()) == sorted(
        [KEY + ".nkdoc", "notes.txt", f".{os.getpid()}.x.tmp", f".{dead}.x.keep"]
    )


def test_alive_is_whether_the_pid_runs():
    assert pipeline._alive(str(os.getpid())) is True
    assert pipeline._alive(str((1 << 22) + 1)) is False
    assert pipeline._alive("x") is False
    assert pipeline._alive("99999999999") is False  # above any pid: not an OverflowError
    assert pipeline._alive("0") is False and pipeline._alive("-1") is False  # process groups
    assert pipeline._alive("1") is True  # init


def test_a_process_of_another_user_is_alive(monkeypatch):
    def denied(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", denied)
    assert pipeline._alive("12345") is True


# ---- the per-document stage with the cache --------------------------------------------------


def test_the_cache_serves_builds_that_checked_shapes_only_to_such_builds(built, tmp_path, where_built):
    cache = tmp_path / "cache"
    assert pipeline.build_graph(cache_dir=cache, check_shapes=False).reused == 0
    assert pipeline.build_graph(cache_dir=cache, check_shapes=False).reused == 3
    assert pipeline.build_graph(cache_dir=cache).reused == 0  # other keys: built again
    again = pipeline.build_graph(cache_dir=cache)
    assert again.reused == 3 and again.dataset.graphs == built.dataset.graphs
    assert len(list(cache.glob("*.nkdoc"))) == 3  # the other build's entries forgotten
    clean = pipeline.build_graph(cache_dir=cache, clean=True)
    assert clean.reused == 0 and len(list(cache.glob("*.nkdoc"))) == 3
    assert pipeline.build_graph(cache_dir=cache).reused == 3


# ---- outputs --------------------------------------------------------------------------------


def test_graph_file_chunks_are_every_file_made_while_read_and_timed(built):
    from nkrel.output.write import GRAPH_FILES

    files = pipeline.graph_file_chunks(built)
    assert set(files) == {*GRAPH_FILES.values(), "network.html", "ontology.html"}
    assert not set(GRAPH_FILES) & set(built.timings)  # nothing made yet
    whole = {name: b"".join(chunks) for name, chunks in files.items()}
    assert set(GRAPH_FILES) | {"network"} <= set(built.timings)
    assert whole == pipeline.graph_files(built)
    for name, data in whole.items():  # the build of the shipped corpus is the one committed
        assert data == (REPO / "graphs" / name).read_bytes(), f"graphs/{name} differs (or is stale)"


def test_the_store_and_the_quads_hold_every_quad_of_the_build(built, tmp_path):
    import pyoxigraph as ox

    folder = pipeline.write_store(built, tmp_path / "store")
    assert folder == tmp_path / "store"
    store = ox.Store.read_only(str(folder))
    assert len(store) == len(built.dataset)
    del store
    quads = pipeline.built_quads(default_corpus_dir())
    assert len(quads) == len(built.dataset)


def test_graph_digests_mark_graphs_with_blank_nodes(built):
    from nkrel.model.quads import Quads

    digests = pipeline._graph_digests(built.dataset)
    assert set(digests) == set(built.dataset.names())
    assert all(len(d) == 64 and not d.startswith("_:") for d in digests.values())
    assert len(set(digests.values())) == len(digests)
    ds = Quads()
    for name, triple in [("<http://ex/g1>", ("_:b", "<http://ex/p>", "<http://ex/o>")),
                         ("<http://ex/g2>", ("<http://ex/s>", "<http://ex/p>", "_:b")),
                         ("<http://ex/g3>", ("<http://ex/s>", "<http://ex/p>", '"_:b"'))]:  # fmt: skip
        ds.set_graph(name, [triple])
    marked = pipeline._graph_digests(ds)
    assert [d.startswith("_:") for _, d in sorted(marked.items())] == [True, True, False]


# ---- a published build and its record -------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The shipped corpus copied, built and published once with a cache."""
    root = tmp_path_factory.mktemp("published")
    corpus, cache, out = root / "corpus", root / "cache", root / "graphs"
    shutil.copytree(default_corpus_dir(), corpus)
    built = pipeline.build_and_publish(corpus, out, cache_dir=cache)
    assert built.published is True
    return corpus, cache, out, built


def test_the_counts_and_the_record_of_a_published_build(published):
    corpus, cache, out, built = published
    manifest = json.loads((out / "build.json").read_bytes())
    assert manifest["counts"] == {"documents": 3, "facts": len(built.corpus.facts), "quads": len(built.dataset)}
    assert "coverage" in built.timings and built.timings["coverage"] >= 0
    last = pipeline._last_published(cache, out)
    assert last["out"] == str(out.resolve()) and last["covered"] is True and isinstance(last["notes"], list)
    assert last["graphs"] == pipeline._graph_digests(built.dataset)
    assert pipeline._last_published(cache, out.parent / "elsewhere") is None
    said = pipeline.unchanged_build(corpus, out, cache)
    assert said == {**manifest["counts"], "notes": last["notes"]}
    assert pipeline.unchanged_build(corpus, out, cache, allow_uncovered=True) == said


def test_no_scratch_is_left_and_dead_builds_scratch_is_removed(published):
    corpus, cache, out, _ = published
    plain = out.parent / "plain"  # published without a cache, the coverage not required
    dead = [out.parent / f".plain.store-{pid}-abc" for pid in ((1 << 22) + 1, 99999999999, 0)]
    mine = out.parent / f".plain.store-{os.getpid()}-abc"
    for folder in (*dead, mine):
        folder.mkdir()
    record = (cache / pipeline.LAST_BUILD).read_bytes()
    try:
        again = pipeline.build_and_publish(corpus, plain, allow_uncovered=True)
        assert again.published is True and "coverage" not in again.timings
        assert (plain / "nkrel.nq").read_bytes() == (out / "nkrel.nq").read_bytes()
        assert (cache / pipeline.LAST_BUILD).read_bytes() == record
        assert not any(folder.exists() for folder in dead) and mine.exists()
        assert [p.name for p in out.parent.iterdir() if ".store-" in p.name] == [mine.name]
    finally:
        shutil.rmtree(mine, ignore_errors=True)


def _reseal(folder: Path) -> None:
    from nkrel.output import seal

    head, payload = (folder / seal.SEAL).read_bytes().split(b"\n", 1)
    names = [n for n in json.loads(payload)["files"] if not n.startswith("store/")]
    digests = {name: seal.file_digest(folder / name) for name in names}
    (folder / seal.SEAL).write_bytes(seal.make(folder, digests, ["store"]))
    assert seal.check(folder)


@pytest.mark.parametrize("damage", ["counts", "notes", "covered", "manifest-json"])
def test_unchanged_build_is_none_for_anything_it_cannot_verify(published, tmp_path, damage):
    corpus, cache, out, _ = published
    work = tmp_path / "w"
    shutil.copytree(out.parent, work, symlinks=True)
    w_cache, w_out = work / cache.name, work / out.name
    # the record names the folder it was published into: record it anew for the copy
    record = pipeline._last_published(cache, out)
    said = {"covered": record["covered"], "notes": record["notes"]}
    if damage == "notes":
        said["notes"] = ["a note", 3]
    if damage == "covered":
        said["covered"] = False
    if damage in ("counts", "manifest-json"):
        manifest = json.loads((w_out / "build.json").read_bytes())
        manifest["counts"]["quads"] = "many"
        body = b"[" if damage == "manifest-json" else json.dumps(manifest).encode()
        (w_out / "build.json").write_bytes(body)
        _reseal(w_out)  # sealed as it is: only build.json's content is wrong
    pipeline._remember_published(w_cache, w_out, record["inputs"], record["graphs"], said)
    assert pipeline.unchanged_build(corpus, w_out, w_cache, allow_uncovered=damage == "notes") is None
    if damage == "covered":
        assert pipeline.unchanged_build(corpus, w_out, w_cache, allow_uncovered=True) is not None


def test_a_rebuild_of_unchanged_inputs_publishes_nothing(published):
    corpus, cache, out, _ = published
    seal = (out / ".nkrel-seal.json").read_bytes()
    again = pipeline.build_and_publish(corpus, out, cache_dir=cache)
    assert again.published is False and again.reused == 3
    assert (out / ".nkrel-seal.json").read_bytes() == seal
    assert pipeline.build_and_publish(corpus, out, cache_dir=cache, clean=True).published is True


def test_the_store_from_the_previous_one_replaces_changed_graphs_and_removes_gone_ones(published, tmp_path):
    import pyoxigraph as ox

    corpus, cache, out, built = published
    last = pipeline._last_published(cache, out)
    assert last["graphs"] == pipeline._graph_digests(built.dataset)
    names = sorted(last["graphs"])
    graphs = dict(last["graphs"])
    graphs[names[0]] = "0" * 64  # changed: removed and loaded again
    del graphs[names[1]]  # gone from this build: removed
    folder = tmp_path / "store"
    assert pipeline._store_from_previous(built, out, last, graphs, folder) is True
    store = ox.Store.read_only(str(folder))
    found = sorted(str(q) for q in store)
    del store
    expected = ox.Store()
    kept = "".join(f"{s} {p} {o} <{g}> .\n" for g in built.dataset.names() if g != names[1]
                   for s, p, o in built.dataset.graph_triples(g))  # fmt: skip
    expected.bulk_load(kept.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    assert found == sorted(str(q) for q in expected) and names[1] not in {str(g)[1:-1] for g in expected.named_graphs()}


@pytest.mark.parametrize(
    "change",
    ["default graph now", "default graph then", "blank node now", "blank node then", "another build published"],
)
def test_the_store_is_loaded_anew_when_it_cannot_be_updated(published, tmp_path, change):
    corpus, cache, out, built = published
    last = dict(pipeline._last_published(cache, out))
    graphs = dict(last["graphs"])
    if change == "default graph now":
        graphs[""] = "0" * 64
    elif change == "default graph then":
        last["graphs"] = {**last["graphs"], "": "0" * 64}
    elif change == "blank node now":
        graphs[next(iter(graphs))] = "_:" + "0" * 64
    elif change == "blank node then":
        last["graphs"] = {name: "_:" + digest for name, digest in last["graphs"].items()}
    else:
        last["manifest"] = "0" * 64
    folder = tmp_path / "store"
    assert pipeline._store_from_previous(built, out, last, graphs, folder) is False
    assert not folder.exists()


def test_the_record_of_a_published_build_is_believed_only_as_written(published, tmp_path, monkeypatch):
    corpus, cache, out, _ = published
    record = cache / pipeline.LAST_BUILD
    original = record.read_bytes()
    head, payload = original.split(b"\n", 1)
    last = json.loads(payload)

    def signed(data: dict) -> bytes:
        body = json.dumps(data, sort_keys=True).encode()
        return trust.sign("last-build", body).encode("ascii") + b"\n" + body

    forms = {
        "forged": b"0" * len(head) + b"\n" + payload,
        "signed for another purpose": trust.sign("cache x", payload).encode("ascii") + b"\n" + payload,
        "no line end": head,
        "not JSON": trust.sign("last-build", b"{").encode("ascii") + b"\n{",
        "another folder": signed({**last, "out": str(tmp_path)}),
        "another manifest": signed({**last, "manifest": "0" * 64}),
        "inputs not text": signed({**last, "inputs": 3}),
        "graphs not a mapping": signed({**last, "graphs": []}),
        "no graphs": signed({k: v for k, v in last.items() if k != "graphs"}),
        "not ASCII": "é".encode() + b"\n" + payload,
    }
    try:
        for name, data in forms.items():
            record.write_bytes(data)
            assert pipeline._last_published(cache, out) is None, name
        record.write_bytes(signed(last))
        assert pipeline._last_published(cache, out) == last
        seal = out / ".nkrel-seal.json"
        sealed = seal.read_bytes()
        seal.write_bytes(b"")  # no seal: not a build this user's nkrel made
        assert pipeline._last_published(cache, out) is None
        seal.write_bytes(sealed)
        ttl = out / "nkrel.ttl"
        saved = ttl.read_bytes()
        ttl.write_bytes(saved + b"# damaged\n")
        assert pipeline._last_published(cache, out) is None  # seal.Damaged
        ttl.write_bytes(saved)
    finally:
        record.write_bytes(original)
    monkeypatch.setenv(trust.KEY_ENV, str(record / "key"))  # no key can be made: nothing recorded
    pipeline._remember_published(cache, out, "inputs", {}, {})
    assert record.read_bytes() == original
    assert not list(cache.glob(".*.tmp"))


def test_the_inputs_of_the_published_files_are_nkrel_files_but_its_corpus_graphs_and_caches(tmp_path, monkeypatch):
    from importlib import metadata

    package = tmp_path / "nkrel"
    for rel in (
        "pipeline.py",
        "sub/a.py",
        "corpus/x.yaml",
        "graph/x.ttl",
        "__pycache__/p.pyc",
        "sub/__pycache__/a.pyc",
    ):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("v1")
    monkeypatch.setattr(pipeline, "__file__", str(package / "pipeline.py"))
    record = {"corpus": {"a": 1}}
    before = pipeline._output_inputs(record)
    assert pipeline._output_inputs(dict(record)) == before
    for rel in ("corpus/x.yaml", "graph/x.ttl", "__pycache__/p.pyc", "sub/__pycache__/a.pyc"):
        (package / rel).write_text("v2")
    assert pipeline._output_inputs(record) == before  # none of them is an input
    hashes = {before, pipeline._output_inputs({"corpus": {"a": 2}})}
    (package / "sub" / "a.py").write_text("v2")
    hashes.add(pipeline._output_inputs(record))
    (package / "sub" / "b.txt").write_text("v1")
    hashes.add(pipeline._output_inputs(record))
    (package / "sub" / "b.txt").rename(package / "sub" / "c.txt")  # the same bytes, another name
    hashes.add(pipeline._output_inputs(record))
    version = metadata.version

    def without_pyshacl(name):
        if name == "pyshacl":
            raise metadata.PackageNotFoundError(name)
        return version(name)

    monkeypatch.setattr(metadata, "version", without_pyshacl)
    hashes.add(pipeline._output_inputs(record))
    assert len(hashes) == 6
