"""Drafting: propose fact records for a document's uncovered sentences, verified by
construction (every quote is a verbatim span the loader accepts), for a person to review.

Public entry points: ``draft_document`` (drafts for one document of a corpus),
``write_drafts`` (the drafts file), ``check_drafts`` (every draft is a valid record).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..core.corpus import Corpus, CorpusError, Problem
from ..ingest.load import _Reader, load_corpus
from .drafter import Draft, DraftEntity, DraftSet, draft_sentences
from .records import draft_file_text, drafts_path, fact_record, is_v2, strip_draft, verify_record

__all__ = ["fact_record", "is_v2", "Draft", "DraftEntity", "DraftSet", "DraftError", "check_drafts",
           "draft_document", "drafts_path", "write_drafts", "atomic_write"]  # fmt: skip


class DraftError(Exception):
    """Drafting cannot proceed (unknown document, unreadable file); nothing was written."""


def load(corpus_dir: Path) -> tuple[Corpus, object]:
    from ..core.vocabulary import read_ontology

    _, vocabulary = read_ontology()
    return load_corpus(Path(corpus_dir), vocabulary), vocabulary


def draft_document(corpus: Corpus, vocabulary, doc_id: str, every_sentence: bool = False) -> DraftSet:
    """Drafts for the sentences of ``doc_id`` not yet cited by a fact or explained in not_facts
    (every sentence with ``every_sentence``, as the benchmark does for a document made new)."""
    from ..ingest.coverage import coverage, split_sentences
    from .cues import read_cues
    from .mentions import EntityIndex

    if doc_id not in corpus.documents:
        known = ", ".join(sorted(corpus.documents))
        raise DraftError(f"no document {doc_id!r} in the corpus (known: {known})")
    doc = corpus.documents[doc_id]
    if every_sentence:
        todo = split_sentences(doc_id, doc.text)
    else:
        todo = [s for s in coverage(corpus).sentences if s.document == doc_id and s.status == "uncovered"]
    from dataclasses import replace

    from .fit import fit_to_shapes
    from .gazetteer import gazetteer
    from .proposals import named_ids, propose_used_entities

    cues = read_cues()
    words = {w.lower() for lst in (cues.kinds, cues.units, cues.modalities) for ws in lst.terms.values() for w in ws}
    index = EntityIndex(corpus.entities, vocabulary, words, gazetteer())
    result = draft_sentences(doc_id, doc.text, todo, index, cues, doc.title)
    used = {eid for d in result.drafts for eid in named_ids(d)}
    entities = {eid: e for eid, e in index.entities.items() if eid in index.known or eid in used}
    fit_to_shapes(result, replace(corpus, entities=entities), vocabulary)
    propose_used_entities(result, index, doc.text)
    return result


def write_drafts(corpus_dir: Path, corpus: Corpus, result: DraftSet, vocabulary=None) -> Path:
    """Write (or replace) corpus/drafts/<document-id>.yaml atomically; return its path."""
    from .records import is_v2

    taken = {f.id for f in corpus.facts}
    v2 = vocabulary is not None and is_v2(vocabulary)
    proposed = {e.id: e for e in result.entities}
    text = draft_file_text(result, corpus.documents[result.document].text, {**proposed, **corpus.entities}, taken, v2)
    path = drafts_path(corpus_dir, result.document)
    atomic_write(path, text.encode("utf-8"))
    return path


def read_drafts(path: Path, corpus_dir: Path, problems: list[Problem]):
    """The drafts file as round-trip YAML (comments kept), or None with the problem recorded."""
    return _Reader(Path(path), Path(corpus_dir), problems).load(top_key="drafts")


def check_drafts(corpus_dir: Path, corpus: Corpus, vocabulary, doc_id: str) -> list[Problem]:
    """Every problem the loader would find in the drafts of ``doc_id``, were they accepted."""
    path = drafts_path(corpus_dir, doc_id)
    problems: list[Problem] = []
    if not path.exists():
        return problems
    data = read_drafts(path, corpus_dir, problems)
    if data is None:
        return problems
    reader = _Reader(path, Path(corpus_dir), problems)
    if data.get("document") != doc_id:
        reader.problem(data, None, f"expected 'document: {doc_id}' at the top")
        return problems
    from .proposals import as_entities

    taken = {f.id for f in corpus.facts}
    doc = corpus.documents[doc_id]
    entities = {**as_entities(data.get("entities")), **corpus.entities}  # accepted with the drafts naming them
    for entry in data.get("drafts") or []:
        if not isinstance(entry, dict):
            reader.problem(entry, None, "each draft must be a mapping")
            continue
        problems += verify_record(entry, path, corpus_dir, doc, entities, vocabulary)
        fid = entry.get("id")
        if fid in taken:
            reader.problem(entry, fid, "a fact with this id already exists", "id")
        taken.add(fid)
    return problems


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


_ = (CorpusError, strip_draft)  # re-exported for the CLI
