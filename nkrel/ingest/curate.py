"""Grow the corpus: register a new source text and start its fact file.

The text is copied byte for byte, its sha256 recorded in documents.yaml (edited
round-trip, so comments and order stay), and a fact file is started that lists
every sentence the curator must cite with a fact or explain in not_facts.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from .coverage import split_sentences
from .load import SLUG


class CurateError(Exception):
    """The document cannot be added; nothing was changed."""


def add_document(corpus_dir: Path, text_path: Path, doc_id: str, title: str, publisher: str | None) -> Path:
    """Copy a text into the corpus, register it and start its fact file; return that file."""
    from ruamel.yaml import YAML

    corpus_dir, text_path = Path(corpus_dir), Path(text_path)
    if not SLUG.match(doc_id):
        raise CurateError(f"the document id must be a slug such as 'un-report-2019', got {doc_id!r}")
    try:
        raw = text_path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as e:
        raise CurateError(f"cannot read {text_path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise CurateError(f"{text_path} is not UTF-8 text ({e.reason} at byte {e.start})") from None
    if not text.strip():
        raise CurateError(f"{text_path} is empty")
    registry = corpus_dir / "documents.yaml"
    yaml = YAML(typ="rt")
    yaml.width = 4096
    try:
        data = yaml.load(registry.read_text(encoding="utf-8"))
    except OSError as e:
        raise CurateError(f"cannot read {registry}: {e.strerror or e}") from None
    documents = data["documents"]
    digest = hashlib.sha256(raw).hexdigest()
    for entry in documents:
        if entry.get("id") == doc_id:
            raise CurateError(f"documents.yaml already has a document with id {doc_id!r}")
        if entry.get("sha256") == digest:
            raise CurateError(f"this text is already in the corpus as {entry.get('id')!r}")
    text_file = corpus_dir / "texts" / text_path.name
    facts_file = corpus_dir / "facts" / f"{doc_id}.yaml"
    for path in (text_file, facts_file):
        if path.exists():
            raise CurateError(f"{path} already exists")
    documents.append(
        {
            "id": doc_id,
            "file": f"texts/{text_path.name}",
            "title": title,
            "publisher": publisher,
            "sha256": digest,
            "facts": f"facts/{doc_id}.yaml",
        }  # fmt: skip
    )
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    written = []
    try:
        for path, content in ((text_file, raw), (facts_file, _fact_skeleton(doc_id, text).encode("utf-8"))):
            _write(path, content)
            written.append(path)
        _write(registry, buffer.getvalue().encode("utf-8"))  # last: the corpus changes only now
    except BaseException as e:  # an error or Ctrl-C before the registry changed: remove the copies
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise CurateError(f"cannot write {e.filename or corpus_dir}: {e.strerror or e}") from None
        raise
    return facts_file


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
