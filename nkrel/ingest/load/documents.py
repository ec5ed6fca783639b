"""Reads documents.yaml: each document's text, checked against its sha256, and its original."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...core.corpus import NOTE_MAX, SLUG, Document, Problem
from .reader import _clip, _Fields, _Reader, _reason

DOCUMENT_FIELDS = {"id": str, "file": str, "title": str, "publisher": (str, type(None)), "sha256": str, "facts": str,
                   "source": (dict, type(None))}  # fmt: skip
SOURCE_TEXT = {"file", "sha256", "format", "extractor"}  # required in a document's source record
SOURCE_OPTIONAL = {"address", "retrieved", "author", "date", "canonical", "sitename"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _inside(root: Path, relative: str) -> Path | None:
    """root/relative if it names a file inside the corpus folder (no absolute path, no
    '..' or symlink leading out of it), else None."""
    if not relative or Path(relative).is_absolute():
        return None
    path = (root / relative).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def _load_documents(root: Path, problems: list[Problem]):
    from ..yamlfile import YamlError, read_bytes

    reader = _Reader(root / "documents.yaml", root, problems)
    data = reader.load("documents")
    documents: dict[str, Document] = {}
    fact_files: dict[str, Path] = {}
    if data is None:
        return documents, fact_files
    for key in sorted(set(data) - {"documents"}, key=str):
        reader.problem(data, None, f"unknown top-level field '{key}' (known: documents)", key)
    if not data["documents"]:
        reader.problem(data, None, "no documents listed: a corpus needs at least one", "documents")
    for entry in data["documents"]:
        doc_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(doc_id, str) or not SLUG.match(doc_id):
            reader.problem(entry, None, f"document id must be a slug, got {_clip(repr(doc_id))}")
            continue
        ok = True
        for key in sorted(set(entry) - set(DOCUMENT_FIELDS), key=str):
            reader.problem(entry, doc_id, f"unknown field '{key}'", key)
            ok = False
        for key, expected in DOCUMENT_FIELDS.items():
            value = entry.get(key)
            if key not in ("publisher", "source") and value in (None, ""):
                reader.problem(entry, doc_id, f"missing field '{key}'", key)
                ok = False
            elif not isinstance(value, expected):
                reader.problem(entry, doc_id, f"'{key}' must be text, got {_clip(repr(value))}", key)
                ok = False
        if not ok:
            continue
        if not SHA256.match(entry["sha256"]):
            reader.problem(entry, doc_id, "sha256 must be 64 lower-case hex digits", "sha256")
            continue
        path, facts_path = _inside(root, entry["file"]), _inside(root, entry["facts"])
        if path is None or facts_path is None:
            key = "file" if path is None else "facts"
            reader.problem(entry, doc_id, f"'{key}' must be a path inside the corpus folder, got {entry[key]!r}", key)
            continue
        try:
            raw = read_bytes(path)
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError, YamlError) as e:
            why = str(e) if isinstance(e, YamlError) else _reason(e)
            reader.problem(entry, doc_id, f"cannot read {entry['file']}: {why}", "file")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != entry["sha256"]:
            reader.problem(entry, doc_id, f"{entry['file']} has sha256 {digest}, not the recorded one", "file")
            continue
        source = _read_source(root, entry.get("source"), text, reader, doc_id)
        if source is False:
            continue
        if doc_id in documents:
            reader.problem(entry, doc_id, "duplicate document id")
            continue
        if facts_path in fact_files.values():
            reader.problem(entry, doc_id, f"another document already uses {entry['facts']}", "facts")
            continue
        documents[doc_id] = Document(doc_id, path.name, entry["title"], entry.get("publisher"), digest, text, source)
        fact_files[doc_id] = facts_path
    return documents, fact_files


def _read_source(root: Path, record, text: str, reader, doc_id: str) -> dict | None | bool:
    """A document's original (a PDF, a web page) as recorded; False (and a problem) when wrong.

    The original is evidence: it must be in the corpus with its recorded sha256. A PDF's
    page starts must rise from 0 within the text."""
    from ..yamlfile import YamlError, read_bytes

    if record is None:
        return None
    f = _Fields(record, reader, doc_id, SOURCE_TEXT | SOURCE_OPTIONAL | {"pages"}, "field of 'source'")
    values = {key: f.text(key, required=key in SOURCE_TEXT, max_len=NOTE_MAX) for key in SOURCE_TEXT | SOURCE_OPTIONAL}
    if not f.ok:
        return False
    path = _inside(root, values["file"])
    if path is None:
        f.bad(f"'source' file must be a path inside the corpus folder, got {values['file']!r}")
        return False
    try:
        digest = hashlib.sha256(read_bytes(path)).hexdigest()
    except (OSError, YamlError) as e:
        f.bad(f"cannot read {values['file']}: {e if isinstance(e, YamlError) else _reason(e)}")
        return False
    if digest != values["sha256"]:
        f.bad(f"{values['file']} has sha256 {digest}, not the recorded one")
        return False
    pages = record.get("pages")
    if pages is not None:
        ints = isinstance(pages, list) and all(isinstance(p, int) and not isinstance(p, bool) for p in pages)
        if (
            not ints
            or not pages
            or pages[0] != 0
            or any(b < a for a, b in zip(pages, pages[1:], strict=False))
            or pages[-1] > len(text)
        ):
            f.bad("'pages' must be rising code-point offsets from 0 within the text, one for each page")
            return False
        values["pages"] = list(pages)
    return {key: value for key, value in values.items() if value is not None}
