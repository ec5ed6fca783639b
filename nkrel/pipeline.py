"""Run the stages in order. Used by the CLI.

1. load & verify the corpus (every record, every quote);
2. per document, a pure function of its inputs: its named graph and its SHACL report
   (cached by the hash of those inputs when a cache folder is given, and run in
   parallel over documents when there are many);
3. over the whole dataset: the shared graphs, the anomaly rules, the SHACL report of
   the shared graphs; then the writers (graph_files).

Each stage's wall time is kept in Built.timings (seconds, by stage name).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .core.corpus import Corpus, CorpusError, default_corpus_dir
from .core.vocabulary import Vocabulary, ontology_path, read_ontology, shapes_path
from .ingest.load import load_corpus
from .ingest.load.cache import FactCache

PARALLEL_FROM = 24  # documents to build before a pool of processes pays for itself


@dataclass
class Built:
    corpus: Corpus
    dataset: object  # nkrel.model.quads.Quads
    vocabulary: Vocabulary
    anomalies: list  # nkrel.anomalies.Anomaly, sorted
    timings: dict[str, float] = field(default_factory=dict)
    reused: int = 0  # documents whose graph and report came from the cache
    published: bool = True  # False: build_and_publish found the same build already published


class ShapeError(Exception):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


STAGE_LOG = os.environ.get("NKREL_STAGE_LOG")  # a file to append "stage seconds" lines to (benchmarks)


@contextmanager
def _timed(timings: dict[str, float], name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
        if STAGE_LOG:
            rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20
            with open(STAGE_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{name} {timings[name]:.3f} s, {rss} MiB resident after it\n")


@contextmanager
def _frozen_gc():
    """The build makes millions of small objects that all live to its end: the cyclic
    garbage collector would only rescan them again and again."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def build_graph(
    corpus_dir: Path | None = None,
    check_shapes: bool = True,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    clean: bool = False,
) -> Built:
    """Load, verify and build the dataset; refuse data that breaks the shapes.

    cache_dir: a folder where each document's graph and SHACL report are kept, keyed by
    the hash of everything they depend on (its text and records, the entities it names,
    the ontology, the shapes, nkrel's code), and each fact file's records as loaded
    (ingest/load/cache.py); None: build everything. clean: build every
    document anew, ignoring the cache (and refill it). jobs: processes for the
    per-document stage (default: the CPUs, used only when there are many documents).
    """
    timings: dict[str, float] = {}
    with _frozen_gc():
        from .model.anomalies import add_anomalies, find_anomalies
        from .model.build import (
            ANOMALIES_GRAPH,
            ENTITIES_GRAPH,
            ONTOLOGY_GRAPH,
            build_dataset,
            entity_triples,
            ontology_triples,
        )

        with _timed(timings, "ontology"):
            ontology, vocabulary = read_ontology()
            onto = ontology_triples(ontology)
        with _timed(timings, "load"):
            facts_cache = FactCache(Path(cache_dir), clean) if cache_dir else None
            corpus = load_corpus(Path(corpus_dir) if corpus_dir else default_corpus_dir(), vocabulary, facts_cache)
        with _timed(timings, "documents"):
            entities = entity_triples(corpus)
            documents, reused = _document_stage(
                corpus, vocabulary, onto, entities, check_shapes, cache_dir, jobs, clean
            )
        with _timed(timings, "dataset"):
            ds = build_dataset(corpus, onto, vocabulary, {d: r[0] for d, r in documents.items()}, entities)
        with _timed(timings, "anomalies"):
            found = find_anomalies(corpus, ds)
            add_anomalies(ds, found, vocabulary)
        if check_shapes:
            with _timed(timings, "shacl-shared"):
                from .model.build import document_graph
                from .model.validate import class_context, combine, local_reports, shared_report, types_of_objects

                anomalies = ds.graph_triples(ANOMALIES_GRAPH)
                concerned = _graphs_of_concerned(anomalies, corpus, ds)
                shared = shared_report(
                    ds.graph_triples(ONTOLOGY_GRAPH), ds.graph_triples(ENTITIES_GRAPH), anomalies,
                    types_of_objects(anomalies, concerned),
                )  # fmt: skip
                # each document's report from its own stage, unless it was undecided or
                # points to another document's facts: then checked with that graph
                decided = {str(document_graph(d)): r[1] for d, r in documents.items()}
                context = class_context(ds.graph_triples(ONTOLOGY_GRAPH))
                reports = [shared] + local_reports(ds, entities, context, decided)
                report = combine(reports)
            if not report.conforms:
                raise ShapeError(report.problems)
    return Built(corpus, ds, vocabulary, found, timings, reused)


def _graphs_of_concerned(anomalies, corpus: Corpus, ds) -> list:
    """The graphs that hold the facts and entities the anomalies point to."""
    from .model.build import ENTITIES_GRAPH, document_graph, fact_iri

    doc_of = {f"<{fact_iri(f.id)}>": f.document for f in corpus.facts}
    docs = sorted({doc_of[t[2]] for t in anomalies if t[2] in doc_of})
    return [ds.graph_triples(ENTITIES_GRAPH)] + [ds.graph_triples(document_graph(d)) for d in docs]


# ---- the per-document stage -----------------------------------------------------------

# Set in the parent before forking workers, read by _one_document in each worker.
_SHARED: dict = {}


def _document_stage(corpus, vocabulary, onto, entities, check_shapes, cache_dir, jobs, clean):
    """{document id: (triples, SHACL problems)} for every document, from the cache or built."""
    from .model.build import facts_by_document
    from .model.validate import class_context

    by_doc = facts_by_document(corpus)
    _SHARED.update(
        vocabulary=vocabulary, entities=entities, context=class_context(onto) if check_shapes else None,
        documents=corpus.documents, facts=by_doc,
    )  # fmt: skip
    cache = _Cache(Path(cache_dir), entities if check_shapes else None) if cache_dir else None
    keys = {}
    results = {}
    if cache:
        base = _base_key(check_shapes)
        for doc_id, doc in corpus.documents.items():
            keys[doc_id] = _document_key(base, doc, by_doc.get(doc_id, []))
            hit = None if clean else cache.get(keys[doc_id])
            if hit is not None:
                results[doc_id] = hit
    todo = [d for d in corpus.documents if d not in results]
    reused = len(results)
    jobs = jobs or os.cpu_count() or 1
    if len(todo) >= PARALLEL_FROM and jobs > 1:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(jobs, len(todo))) as pool:
            built = pool.map(_one_document, todo, chunksize=max(1, len(todo) // (jobs * 8)))
    else:
        built = [_one_document(d) for d in todo]
    for doc_id, result in zip(todo, built, strict=True):
        results[doc_id] = result
        if cache:
            cache.put(keys[doc_id], result)
    if cache:
        cache.keep(set(keys.values()))
    _SHARED.clear()
    return results, reused


def _one_document(doc_id: str):
    """(the document's graph as sorted N-Triples term triples, its SHACL problems)."""
    from .model.build import build_document

    doc = _SHARED["documents"][doc_id]
    triples = build_document(doc, _SHARED["facts"].get(doc_id, []), _SHARED["vocabulary"])
    problems = []
    if _SHARED["context"] is not None:
        from .model.validate import document_report, entities_named

        # quick check only: a document that points to another document's facts fails it
        # here and is checked with that graph later (pySHACL twice cost 3 s a document)
        problems = document_report(triples, entities_named(triples, _SHARED["entities"]), _SHARED["context"],
                                   decide=False)  # fmt: skip
    return triples, problems


def _code_hash() -> str:
    """nkrel's version and the code that makes a document's graph and report: the modules
    of the functions and classes the per-document stage calls (found through them, so that
    a module moved elsewhere is still hashed), this module, and the fact records' module
    (Document.page_of, the records' repr that the key hashes)."""
    import sys

    from .core import __version__
    from .core.corpus import Fact
    from .core.vocabulary import Vocabulary
    from .model.build import build_document
    from .model.quads import TripleSink
    from .model.validate import document_report

    h = hashlib.sha256(__version__.encode())
    modules = {__name__} | {x.__module__ for x in (Fact, build_document, TripleSink, document_report, Vocabulary)}
    for name in sorted(modules):
        h.update(name.encode() + b"\0" + Path(sys.modules[name].__file__).read_bytes())
    return h.hexdigest()


def _base_key(check_shapes: bool) -> str:
    h = hashlib.sha256(_code_hash().encode())
    h.update(ontology_path().read_bytes())
    h.update(shapes_path().read_bytes() if check_shapes else b"no shapes")
    return h.hexdigest()


def _document_key(base: str, doc, facts) -> str:
    """Hash of what a document's graph depends on: nkrel's code, the ontology and shapes
    (in base), the document (its text itself, not only the sha256 it was checked against)
    and its fact records. Its report depends on the entities it names too: the cache entry
    records their digest and is checked against it (so an entity no document names, or a
    new document's entities, leave every other entry valid)."""
    h = hashlib.sha256(base.encode())
    h.update(repr((doc.id, doc.file_name, doc.title, doc.publisher, doc.sha256, len(doc.text), doc.source)).encode())
    h.update(hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).digest())
    for f in facts:
        h.update(repr(f).encode())
    return h.hexdigest()


class _Cache:
    """One entry per document result, named by its key: JSON data (never code), signed
    with this user's key (nkrel/core/trust.py). An entry that is not signed for its name, or
    whose named entities changed, is ignored and rebuilt; a workspace received from
    someone else therefore builds from its sources. Written to a temporary name, then
    renamed."""

    SUFFIX = ".nkdoc"
    MAGIC = b"nkrel-cache 2 "

    def __init__(self, folder: Path, entities: list | None):
        self.folder = folder
        self.entities = entities  # the entities graph, when reports depend on it
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str):
        from .core.trust import TrustError, verify

        try:
            with open(self.folder / (key + self.SUFFIX), "rb") as fh:
                head = fh.readline(len(self.MAGIC) + 65)
                payload = fh.read()
        except OSError:
            return None
        if not head.startswith(self.MAGIC) or not head.endswith(b"\n"):
            return None
        try:
            if not verify("cache " + key, payload, head[len(self.MAGIC) : -1].decode("ascii")):
                return None
            data = json.loads(payload)
            triples = [tuple(t) for t in data["triples"]]
            problems = data["problems"]  # None: undecided by the quick check
            if not all(len(t) == 3 and all(type(x) is str for x in t) for t in triples):
                return None
            if problems is not None and not (type(problems) is list and all(type(p) is str for p in problems)):
                return None
            if data["entities"] != self._named(triples):
                return None
        except (TrustError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return None
        return triples, problems

    def put(self, key: str, result) -> None:
        from .core.trust import TrustError, sign

        triples, problems = result
        payload = json.dumps(
            {"triples": triples, "problems": problems, "entities": self._named(triples)},
            ensure_ascii=False, separators=(",", ":"),
        ).encode("utf-8")  # fmt: skip
        try:
            head = self.MAGIC + sign("cache " + key, payload).encode("ascii") + b"\n"
        except TrustError:
            return  # no key: nothing can be cached that a later build could trust
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{os.getpid()}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + payload)
        os.replace(tmp, self.folder / (key + self.SUFFIX))

    def _named(self, triples) -> str:
        """A digest of the entities' triples that a document's report was checked with."""
        if self.entities is None:
            return ""
        from .model.validate import entities_named

        return hashlib.sha256(repr(entities_named(triples, self.entities)).encode("utf-8")).hexdigest()

    def keep(self, keys: set[str]) -> None:
        """Forget the results of documents that are no longer in the corpus as they were."""
        for path in self.folder.glob("*" + self.SUFFIX):
            if path.name[: -len(self.SUFFIX)] not in keys:
                path.unlink(missing_ok=True)
        for path in self.folder.glob(".*.tmp"):  # left by a build that was killed
            if not _alive(path.name.split(".")[1]):
                path.unlink(missing_ok=True)


def _alive(pid: str) -> bool:
    """Whether the process that named a scratch file or folder after its pid still runs."""
    try:
        number = int(pid)
        if number <= 0:
            return False  # 0 and -n name process groups, not a process
        os.kill(number, 0)
    except (ValueError, OverflowError, ProcessLookupError):  # not a pid, above any pid, gone
        return False
    except PermissionError:
        return True
    return True


# ---- outputs ----------------------------------------------------------------------------


def built_quads(corpus_dir: Path) -> list:
    """The quads of a corpus built in memory, as pyoxigraph parses the N-Quads the build
    writes (the terms a server must receive, see sparql.remote.load_quads)."""
    import pyoxigraph as ox

    from .output.write import serialize

    return list(ox.parse(serialize(build_graph(corpus_dir).dataset, "nquads"), format=ox.RdfFormat.N_QUADS))


def graph_files(built: Built) -> dict[str, bytes]:
    """Every file `nkrel build` writes, by name."""
    return {name: b"".join(chunks) for name, chunks in graph_file_chunks(built).items()}


def graph_file_chunks(built: Built) -> dict:
    """Every file `nkrel build` writes, by name, as an iterator of byte chunks made while
    it is written (publish streams them to disk: no file is ever held whole)."""
    from .output.network import NETWORK_FILE, network_graph, render_network_html
    from .output.ontology_page import ONTOLOGY_FILE, ontology_page
    from .output.write import GRAPH_FILES, serialize_chunks

    def network():
        texts = {d.id: d.text for d in built.corpus.documents.values()}  # the page's source view
        yield render_network_html(network_graph(built.dataset, texts=texts)).encode("utf-8")

    files = {name: _timed_chunks(built.timings, fmt, lambda fmt=fmt: serialize_chunks(built.dataset, fmt))
             for fmt, name in GRAPH_FILES.items()}  # fmt: skip
    files[NETWORK_FILE] = _timed_chunks(built.timings, "network", network)
    files[ONTOLOGY_FILE] = iter([ontology_page()])
    return files


def _timed_chunks(timings: dict[str, float], name: str, make):
    with _timed(timings, name):
        yield from make()


def write_store(built: Built, folder: Path) -> Path:
    """Write the built quads into an on-disk Oxigraph store at `folder` (which must not
    exist yet): a bulk load of the sorted N-Quads. Open it with
    pyoxigraph.Store.read_only(str(folder)) to query without re-parsing any file."""
    import pyoxigraph as ox

    folder = Path(folder)
    store = ox.Store(str(folder))
    store.bulk_load(built.dataset.nquads_reader(), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store
    return folder


def build_and_publish(
    corpus_dir: Path, out_dir: Path, allow_uncovered: bool = False, cache_dir=None, clean: bool = False
) -> Built:
    """Build from a corpus and publish every file into out_dir as one atomic step.
    cache_dir: where the per-document results are kept between builds (see build_graph),
    and where the last published build's inputs are recorded: when out_dir holds that build,
    intact, and nothing it was made from changed, nothing is written again (the build is
    still made and checked, and refused as it would be). clean: ignore the cache, build
    every document anew and publish."""
    import shutil

    from .ingest.coverage import require_coverage
    from .output.publish import publish
    from .sparql.query import STORE_DIR
    from .workspace import build_record

    record = build_record(corpus_dir, None if clean else cache_dir)  # before reading: a later edit makes it stale
    built = build_graph(corpus_dir, cache_dir=cache_dir, clean=clean)
    if not allow_uncovered:
        with _timed(built.timings, "coverage"):
            require_coverage(built.corpus)
    out_dir = Path(out_dir)
    inputs = _output_inputs(record) if cache_dir else None
    last = _last_published(Path(cache_dir), out_dir) if cache_dir and not clean else None
    if last and last["inputs"] == inputs:
        built.published = False
        return built
    files = graph_file_chunks(built)
    # the on-disk store that query, stats and anomalies open read-only (no re-parsing); made
    # beside the output folder, so that publishing moves it in with the files in one step
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.store-*"):  # left by a build that was killed
        if not _alive(leftover.name.rpartition(".store-")[2].split("-")[0]):
            shutil.rmtree(leftover, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.store-{os.getpid()}-", dir=out_dir.parent))
    try:
        with _timed(built.timings, "store"):
            graphs = _graph_digests(built.dataset)
            if not (last and _store_from_previous(built, out_dir, last, graphs, scratch / STORE_DIR)):
                write_store(built, scratch / STORE_DIR)
        with _timed(built.timings, "publish (with the writers)"):
            publish(files, out_dir, dict(record, counts=_counts(built)), extra_dirs={STORE_DIR: scratch / STORE_DIR})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if inputs:
        from .ingest.curate import stale_extractions

        said = {"covered": not allow_uncovered, "notes": stale_extractions(built.corpus)}
        _remember_published(Path(cache_dir), out_dir, inputs, graphs, said)
    return built


def _counts(built: Built) -> dict[str, int]:
    """The figures `nkrel build` prints, recorded in build.json (read back when nothing changed)."""
    return {"documents": len(built.corpus.documents), "facts": len(built.corpus.facts), "quads": len(built.dataset)}


# ---- a rebuild that changes nothing publishes nothing ------------------------------------

LAST_BUILD = "last-build.json"  # in the cache folder: the inputs of the build last published


def _output_inputs(record: dict) -> str:
    """Hash of everything the published files are made from: the build record (the corpus'
    files, the ontology's, nkrel's version), every file of nkrel's package (code, queries,
    rules, web assets; not its example corpus and build) and the versions of the libraries
    that parse and write. The build is deterministic: equal inputs, equal files."""
    from importlib import metadata

    h = hashlib.sha256(json.dumps(record, sort_keys=True).encode())
    here = Path(__file__).parent
    for path in sorted(here.rglob("*")):
        rel = path.relative_to(here)
        if path.is_file() and rel.parts[0] not in ("corpus", "graph") and "__pycache__" not in rel.parts:
            h.update(str(rel).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for lib in ("rdflib", "pyoxigraph", "pyshacl", "PyYAML"):
        try:
            h.update(f"{lib} {metadata.version(lib)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} none\0".encode())
    return h.hexdigest()


def unchanged_build(corpus_dir: Path, out_dir: Path, cache_dir: Path, allow_uncovered: bool = False) -> dict | None:
    """What `nkrel build` says when nothing it is made from changed, without building: the
    figures (documents, facts, quads) from the published build.json and the notes the build
    printed. Only when the signed record of the last build (last-build.json) names the same
    inputs hash, the output folder still holds that very build (same build.json, valid
    seal, no damaged file), and that build required the coverage if this one does. None:
    anything that cannot be verified, and the caller builds. A corpus a build would refuse
    cannot have the inputs hash of a build that was published."""
    from .workspace import build_record

    inputs = _output_inputs(build_record(corpus_dir, cache_dir))  # the file index: a stat per unchanged file
    last = _last_published(Path(cache_dir), Path(out_dir))
    if not last or last["inputs"] != inputs or not (allow_uncovered or last.get("covered") is True):
        return None
    notes = last.get("notes")
    if not (isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
        return None
    try:
        manifest = (Path(out_dir) / "build.json").read_bytes()
        counts = json.loads(manifest)["counts"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if hashlib.sha256(manifest).hexdigest() != last["manifest"]:
        return None  # another build was published meanwhile
    if not (isinstance(counts, dict) and all(type(counts.get(k)) is int for k in ("documents", "facts", "quads"))):
        return None
    return {**{k: counts[k] for k in ("documents", "facts", "quads")}, "notes": notes}


def _last_published(cache_dir: Path, out_dir: Path) -> dict | None:
    """What the cache folder recorded (signed) of the build this user's nkrel last published
    into out_dir: its inputs and the digest of each graph. None unless out_dir holds that
    very build, intact and sealed."""
    from .core.trust import TrustError, verify
    from .output import seal

    try:
        head, payload = (cache_dir / LAST_BUILD).read_bytes().split(b"\n", 1)
        if not verify("last-build", payload, head.decode("ascii")):
            return None
        last = json.loads(payload)
        if last["out"] != str(out_dir.resolve()) or last["manifest"] != _manifest_digest(out_dir):
            return None
        if not (isinstance(last["inputs"], str) and isinstance(last["graphs"], dict)):
            return None
    except (OSError, ValueError, UnicodeDecodeError, TrustError, KeyError, TypeError):
        return None
    try:
        return last if seal.check(out_dir) else None  # every published file and the store as written
    except seal.Damaged:
        return None  # rebuilt and published anew


def _manifest_digest(out_dir: Path) -> str:
    from .output.publish import MANIFEST

    return hashlib.sha256((out_dir / MANIFEST).read_bytes()).hexdigest()


def _remember_published(cache_dir: Path, out_dir: Path, inputs: str, graphs: dict[str, str], said: dict) -> None:
    """said: what the build checked and told beside its files (whether the coverage was
    required, the notes it printed), for a rebuild that finds nothing changed to say again."""
    from .core.trust import TrustError, sign

    record = {"inputs": inputs, "out": str(out_dir.resolve()), "manifest": _manifest_digest(out_dir), "graphs": graphs}
    record.update(said)
    payload = json.dumps(record, sort_keys=True).encode()
    try:
        head = sign("last-build", payload).encode("ascii")
    except TrustError:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{os.getpid()}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(head + b"\n" + payload)
    os.replace(tmp, cache_dir / LAST_BUILD)


# ---- the store: the published one, with the graphs that changed replaced ---------------------


def _graph_digests(ds) -> dict[str, str]:
    """sha256 of each graph's N-Triples lines (sorted, as the store receives them); marked
    "_:" when the graph holds a blank node (a load in parts would split one blank node in two)."""
    out = {}
    for name in ds.names():
        triples = ds.graph_triples(name)
        blank = any(t[0][0] == "_" or t[2][0] == "_" for t in triples)
        out[name] = ("_:" if blank else "") + hashlib.sha256(
            "".join(f"{s} {p} {o}\n" for s, p, o in triples).encode()
        ).hexdigest()
    return out


def _store_from_previous(built: Built, out_dir: Path, last: dict, graphs: dict[str, str], folder: Path) -> bool:
    """Write the store at `folder` as a copy of the published one (recorded in `last`, checked
    by _last_published) in which the graphs whose digest changed are replaced and the graphs
    gone are removed: the quads of a store bulk-loaded anew, without loading them all.
    False (and nothing left at folder) when the published build changed meanwhile."""
    import shutil

    import pyoxigraph as ox

    from .sparql.query import STORE_DIR

    if "" in graphs or "" in last["graphs"]:
        return False  # the default graph has no name to remove it by
    if any(d.startswith("_:") for d in [*graphs.values(), *last["graphs"].values()]):
        return False
    shutil.copytree(out_dir / STORE_DIR, folder)
    try:
        if _manifest_digest(out_dir) != last["manifest"]:
            raise OSError("another build was published while the store was copied")
        store = ox.Store(str(folder))
        for name, digest in last["graphs"].items():
            if graphs.get(name) != digest:
                store.remove_graph(ox.NamedNode(name))
        changed = [name for name, digest in graphs.items() if last["graphs"].get(name) != digest]
        ds = built.dataset
        lines = "".join(f"{s} {p} {o} <{name}> .\n" for name in changed for s, p, o in ds.graph_triples(name))
        store.bulk_load(lines.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    return True


__all__ = [
    "Built", "CorpusError", "ShapeError", "build_graph", "graph_files", "graph_file_chunks", "build_and_publish",
    "unchanged_build", "write_store",
]  # fmt: skip
