"""Grow the corpus: register a new source document and start its fact file.

A plain text is copied byte for byte. A PDF or a web page (a saved file or an
address) is kept byte for byte under originals/ and its extracted text under texts/,
each with its sha256; the entry in documents.yaml (edited round-trip, so comments and
order stay) records the extractor and its version, a PDF's page starts and the page's
metadata. A fact file is started that lists every sentence the curator must cite with
a fact or explain in not_facts.

Before anything is written, the new entry and files are read back by the corpus
reader itself (in a staging folder): add-document refuses exactly what the reader
would refuse, and nothing is changed then.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.corpus import SLUG
from .coverage import split_sentences
from .extract import FORMATS, MAX_ORIGINAL_BYTES, MAX_TEXT_BYTES, Extracted, ExtractError, extract, sniff
from .extract.plain import control_character, field_problem


class CurateError(Exception):
    """The document cannot be added; nothing was changed."""


@dataclass
class Received:
    """A document as it arrived: its bytes, where from, and (for an address) when."""

    raw: bytes
    name: str  # the file name, or the last part of the address
    address: str | None = None
    retrieved: str | None = None
    media_type: str | None = None


def receive(source: str) -> Received:
    """The bytes of a file or an address, within the size cap; CurateError otherwise."""
    from .extract.fetch import FetchError, fetch, is_address
    from .yamlfile import YamlError, read_bytes

    if is_address(source):
        try:
            got = fetch(source, MAX_ORIGINAL_BYTES)
        except FetchError as e:
            raise CurateError(str(e)) from None
        name = got.final.rstrip("/").rsplit("/", 1)[-1] or "page"
        return Received(got.body, name, got.final if got.final != source else source, got.retrieved, got.media_type)
    path = Path(source)
    try:
        raw = read_bytes(path, MAX_ORIGINAL_BYTES)
    except OSError as e:
        raise CurateError(f"cannot read {path}: {e.strerror or e}") from None
    except YamlError as e:  # read_bytes' refusals: not a regular file, too large
        raise CurateError(f"cannot read {path}: {e}") from None
    return Received(raw, path.name)


def add_document(corpus_dir: Path, source: str | Path, doc_id: str, title: str | None, publisher: str | None) -> Path:
    """Register a document (a file or an address) and start its fact file; return that file."""
    corpus_dir = Path(corpus_dir)
    _check_fields(doc_id, title, publisher)
    yaml, data = _registry(corpus_dir)
    got = receive(str(source))
    fmt = sniff(got.raw, got.name, got.media_type)
    try:
        found = extract(got.raw, fmt, got.address)
    except ExtractError as e:
        raise CurateError(f"{source}: {e}") from None
    _check_text(str(source), found.text)
    title = title or found.meta.get("title")
    if not title:
        raise CurateError(f"{source} gives no title: give one with --title")
    if field_problem(title):
        raise CurateError(f"the title found in {source} {field_problem(title)}: give one with --title")
    text_raw = found.text.encode("utf-8") if fmt != "text" else got.raw
    entry = {"id": doc_id, "file": _text_name(fmt, doc_id, got.name), "title": title, "publisher": publisher,
             "sha256": hashlib.sha256(text_raw).hexdigest(), "facts": f"facts/{doc_id}.yaml"}  # fmt: skip
    files = {entry["file"]: text_raw, entry["facts"]: _fact_skeleton(doc_id, found.text).encode("utf-8")}
    if fmt != "text":
        entry["source"] = _source_record(doc_id, fmt, got, found)
        files[entry["source"]["file"]] = got.raw
    _check_new(corpus_dir, data["documents"], entry, files)
    data["documents"].append(entry)
    _stage_and_check(corpus_dir, yaml, {"documents": [entry]}, files)
    _commit(corpus_dir, yaml, data, files)
    return corpus_dir / entry["facts"]


def refresh_document(corpus_dir: Path, doc_id: str) -> str:
    """Extract a document's kept original again with the current extractor; say what changed."""
    from .extract import current_extractor

    corpus_dir = Path(corpus_dir)
    yaml, data = _registry(corpus_dir)
    entry = next((e for e in data["documents"] if isinstance(e, dict) and e.get("id") == doc_id), None)
    if entry is None:
        raise CurateError(f"documents.yaml has no document with id {doc_id!r}")
    record = entry.get("source")
    if not isinstance(record, dict):
        raise CurateError(f"{doc_id} is a plain text: there is nothing to extract again")
    got = receive(str(corpus_dir / record["file"]))
    if hashlib.sha256(got.raw).hexdigest() != record.get("sha256"):
        raise CurateError(f"{record['file']} does not match its recorded sha256: the original was changed")
    try:
        found = extract(got.raw, record["format"], record.get("address"))
    except ExtractError as e:
        raise CurateError(f"{record['file']}: {e}") from None
    _check_text(record["file"], found.text)
    text_raw = found.text.encode("utf-8")
    if record.get("extractor") == current_extractor(record["format"]) and entry["sha256"] == _sha(text_raw):
        return f"{doc_id} is up to date (extracted by {record['extractor']})"
    old = record.get("extractor")
    entry["sha256"] = _sha(text_raw)
    record["extractor"] = found.extractor
    if found.pages is not None:
        record["pages"] = found.pages
    files = {entry["file"]: text_raw}
    _stage_and_check(corpus_dir, yaml, data, files, whole=True)
    _commit(corpus_dir, yaml, data, files)
    return f"{doc_id} extracted again by {found.extractor} (was {old}); its facts still quote the text"


def stale_extractions(corpus) -> list[str]:
    """One note for each document whose text an older (or another) extractor made."""
    from .extract import current_extractor

    notes = []
    for doc in corpus.documents.values():
        source = doc.source or {}
        now = current_extractor(source.get("format", "text"))
        if source and now and source.get("extractor") != now:
            notes.append(
                f"{doc.id} was extracted by {source.get('extractor')}, this nkrel extracts with {now}: "
                f"re-extract with nkrel add-document --refresh {doc.id} (its kept text stays valid until then)"
            )
    return notes


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _check_fields(doc_id: str, title: str | None, publisher: str | None) -> None:
    if not SLUG.match(doc_id):
        raise CurateError(f"the document id must be a slug such as 'un-report-2019', got {doc_id!r}")
    for option, value in (("--title", title), ("--publisher", publisher)):
        if value is not None and field_problem(value):
            raise CurateError(f"{option} {field_problem(value)}")


def _check_text(name: str, text: str) -> None:
    """The corpus reader's own rules for a text (see extract.plain and the loader, ingest/load/)."""
    if not text.strip():
        raise CurateError(f"{name} is empty" + ("" if name.endswith(".txt") else " (no text found in it)"))
    where = control_character(text)
    if where:
        raise CurateError(f"{name} holds a control character ({where}): a source text must be plain text")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise CurateError(f"{name}: the text is larger than {MAX_TEXT_BYTES} bytes, the corpus reader's limit")


def _text_name(fmt: str, doc_id: str, name: str) -> str:
    return f"texts/{name}" if fmt == "text" else f"texts/{doc_id}.txt"


def _source_record(doc_id: str, fmt: str, got: Received, found: Extracted) -> dict:
    record = {"file": f"originals/{doc_id}{FORMATS[fmt]}", "sha256": _sha(got.raw), "format": fmt,
              "extractor": found.extractor}  # fmt: skip
    if got.address:
        record["address"] = got.address
        record["retrieved"] = got.retrieved
    for key in ("author", "date", "canonical", "sitename"):
        if found.meta.get(key) and not field_problem(found.meta[key]):
            record[key] = found.meta[key]
    if found.pages is not None:
        record["pages"] = found.pages
    return record


def _registry(corpus_dir: Path):
    """documents.yaml as the reader sees it (refused when it would refuse it), and for a round-trip edit."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from .yamlfile import YamlError, read_yaml

    registry = corpus_dir / "documents.yaml"
    try:
        seen = read_yaml(registry)
    except OSError as e:
        raise CurateError(f"cannot read {registry}: {e.strerror or e}") from None
    except YamlError as e:
        line = f":{e.line}" if e.line else ""
        raise CurateError(f"{registry}{line}: {e}; fix it first") from None
    if not isinstance(seen, dict) or not isinstance(seen.get("documents"), list):
        raise CurateError(f"{registry}: expected a mapping with a 'documents:' list at the top; fix it first")
    if not all(isinstance(e, dict) for e in seen["documents"]):
        raise CurateError(f"{registry}: every item of 'documents' must be a mapping; fix it first")
    yaml = YAML(typ="rt")
    yaml.width = 4096
    try:
        data = yaml.load(registry.read_text(encoding="utf-8-sig"))
    except (YAMLError, ValueError) as e:
        raise CurateError(f"{registry}: {e}; fix it first") from None
    return yaml, data


def _check_new(corpus_dir: Path, documents: list, entry: dict, files: dict) -> None:
    for other in documents:
        if other.get("id") == entry["id"]:
            raise CurateError(f"documents.yaml already has a document with id {entry['id']!r}")
        if other.get("sha256") == entry["sha256"]:
            raise CurateError(f"this text is already in the corpus as {other.get('id')!r}")
    for name in files:
        if (corpus_dir / name).exists() or (corpus_dir / name).is_symlink():
            raise CurateError(f"{corpus_dir / name} already exists")


def _stage_and_check(corpus_dir: Path, yaml, data, files: dict, whole: bool = False) -> None:
    """Read the new entry (or, with whole, the corpus) back with the corpus reader, in a staging folder."""
    from ..core.corpus import Problem
    from .load import _load_documents, _Reader

    stage = Path(tempfile.mkdtemp(prefix=".add-document-", dir=corpus_dir))
    try:
        if whole:
            for sub in ("texts", "facts", "originals"):
                if (corpus_dir / sub).is_dir():
                    shutil.copytree(corpus_dir / sub, stage / sub, symlinks=True)
            shutil.copy(corpus_dir / "entities.yaml", stage / "entities.yaml")
        for name, content in {**files, "documents.yaml": _dump(yaml, data)}.items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_bytes(content)
        problems: list[Problem] = []
        if whole:
            problems = _load_whole(stage)
        else:
            _load_documents(stage, problems)
            for name in files:
                if name.startswith("facts/"):
                    _Reader(stage / name, stage, problems).load("facts")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if problems:
        what = "with the text extracted again, the corpus" if whole else "the corpus reader"
        raise CurateError(f"{what} would refuse it: " + "; ".join(str(p) for p in problems[:5]))


def _load_whole(stage: Path) -> list:
    from ..core.corpus import CorpusError
    from ..core.vocabulary import read_ontology
    from .load import load_corpus

    try:
        load_corpus(stage, read_ontology()[1])
    except CorpusError as e:
        return e.problems
    return []


def _dump(yaml, data) -> bytes:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue().encode("utf-8")


def _commit(corpus_dir: Path, yaml, data, files: dict) -> None:
    """Write the files, then documents.yaml last: the corpus changes only then."""
    written: list[tuple[Path, bytes | None]] = []
    try:
        for name, content in files.items():
            path = corpus_dir / name
            written.append((path, path.read_bytes() if path.exists() else None))
            _write(path, content)
        _write(corpus_dir / "documents.yaml", _dump(yaml, data))  # last: the corpus changes only now
    except BaseException as e:  # an error or Ctrl-C before the registry changed: undo the files
        for path, before in reversed(written):
            if before is None:
                path.unlink(missing_ok=True)
            else:
                _write(path, before)
        if isinstance(e, OSError):
            raise CurateError(f"cannot write {e.filename or corpus_dir}: {e.strerror or e}") from None
        raise


def _fact_skeleton(doc_id: str, text: str) -> str:
    sentences = split_sentences(doc_id, text)
    lines = [
        f"# Facts of {doc_id}. Every sentence below must be cited by a fact's quote or listed",
        "# in not_facts with a reason (see corpus/README.md); `nkrel coverage` checks it.",
        "#",
    ]
    lines += [f"# [{s.start}:{s.end}] {s.text}" for s in sentences]
    lines += ["", f"document: {doc_id}", "facts: []", "not_facts: []", ""]
    return "\n".join(lines)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
