"""Load and verify the corpus: texts, entities and fact records.

Every problem is collected (not only the first) and reported as one line naming the
file, the line and the fact id. Every field of a record has one declared type: a value
of another type is refused, never coerced. Nothing here writes anything.

One module per kind of record: reader (a YAML file and typed fields), documents,
entities, facts (a fact file and its records), codes, evidence, quantities and times.
"""

from __future__ import annotations

from pathlib import Path

from ...core.corpus import Corpus, CorpusError, Problem
from ...core.vocabulary import Vocabulary
from ..yamlfile import YamlError, read_bytes
from .cache import FactCache, link_record, replay
from .documents import _load_documents
from .entities import _load_entities
from .facts import _check_links, _Link, _load_facts, _read_fact
from .quantities import ruble_of
from .reader import _Reader

# the names other stages use (nkrel.draft, nkrel.ingest.curate): kept importable from here
__all__ = ["load_corpus", "ruble_of", "_Reader", "_read_fact", "_load_documents"]


def load_corpus(corpus_dir: Path, vocabulary: Vocabulary, cache: FactCache | None = None) -> Corpus:
    """Read and verify a corpus folder; raise CorpusError listing every problem.

    cache: where each fact file's records are kept between builds (load/cache.py); the
    records and the problems are those of a reading without it."""
    corpus_dir = Path(corpus_dir)
    problems: list[Problem] = []
    if not corpus_dir.is_dir():
        raise CorpusError([Problem(str(corpus_dir), None, None, "corpus folder not found")])
    documents, fact_files = _load_documents(corpus_dir, problems)
    if problems:  # every other file is checked against the documents: stop before a cascade
        raise CorpusError(problems)
    entities = _load_entities(corpus_dir, documents, vocabulary, problems)
    corpus = Corpus(documents, entities, [], [])
    seen_ids: dict[str, str] = {}
    links: list[_Link] = []
    for doc_id, path in fact_files.items():
        if doc_id in documents:
            _fact_file(path, corpus_dir, documents[doc_id], corpus, vocabulary, seen_ids, links, problems, cache)
    _check_links(corpus, links, seen_ids)
    if problems:
        raise CorpusError(problems)
    if cache:
        cache.keep()
    return corpus


def _fact_file(path, root, doc, corpus, vocabulary, seen_ids, links, problems, cache) -> None:
    """One fact file's records into corpus: from the cache, or read (and then kept when the
    reading found no problem)."""
    raw = key = None
    if cache:
        try:
            raw = read_bytes(path)
        except (OSError, YamlError):
            pass  # read below, which reports it
        else:
            key = cache.key(raw, doc)
            entry = cache.get(key, corpus.entities)
            if entry is not None:
                replay(entry, _Reader(path, root, problems), corpus, seen_ids, links)
                return
    marks = len(problems), len(corpus.facts), len(corpus.non_facts), len(corpus.document_slips), len(links)
    id_lines: list = []
    _load_facts(path, root, doc, corpus, vocabulary, seen_ids, links, problems, raw, id_lines)
    if key and len(problems) == marks[0]:
        entry = dict(
            facts=corpus.facts[marks[1] :], id_lines=id_lines, non_facts=corpus.non_facts[marks[2] :],
            slips=corpus.document_slips[marks[3] :], links=[link_record(k) for k in links[marks[4] :]],
        )  # fmt: skip
        cache.put(key, entry, corpus.entities)
