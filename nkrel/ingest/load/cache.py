"""The load stage's cache: each fact file's records as read and verified, kept between
builds in the workspace's cache folder (issue 25).

An entry is JSON (never code: a received workspace must not run anything), signed with
this user's key (nkrel/core/trust.py) for its name, which is the hash of what reading the
file depends on: its bytes, its document (the fields of documents.yaml and the text
itself), nkrel's loading code, PyYAML's version and the ontology (the vocabulary). The
entry also records the entities its records name with a digest of them, checked against
the current entities.yaml: an entity added elsewhere leaves it valid, one it names that
changed or went away does not. An entry not signed for its name, damaged, or naming
changed entities is ignored and the file read anew.

A file whose reading reported any problem is never cached: errors always come from a
reading. The checks across files (duplicate ids, links between facts) run again over
every record, cached or read, and report what a reading reports (file, line, fact id):
an entry keeps the line of each fact's id and of each link's field for that."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from ...core import corpus as records
from ...core.corpus import Problem

SUFFIX = ".nkfacts"
MAGIC = b"nkrel-facts 1 "
# the record types an entry may hold: decoding builds these and nothing else
TYPES = {cls.__name__: cls for cls in (
    records.Fact, records.Span, records.Time, records.Quantity, records.Commodity, records.Coded, records.Office,
    records.Cause, records.Attribution, records.Slip, records.NonFact, records.DocumentSlip,
)}  # fmt: skip


class FactCache:
    """The entries of one cache folder. clean: read none (every file is read anew), write them all."""

    def __init__(self, folder: Path, clean: bool = False):
        self.folder = Path(folder)
        self.clean = clean
        self.used: set[str] = set()
        self.base = _base_key()
        self.folder.mkdir(parents=True, exist_ok=True)

    def key(self, raw: bytes, doc) -> str:
        h = hashlib.sha256(self.base.encode())
        h.update(
            repr((doc.id, doc.file_name, doc.title, doc.publisher, doc.sha256, len(doc.text), doc.source)).encode()
        )
        h.update(hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).digest())
        h.update(hashlib.sha256(raw).digest())
        key = h.hexdigest()
        self.used.add(key)
        return key

    def get(self, key: str, entities: dict) -> dict | None:
        """The records of an entry ({facts, id_lines, non_facts, slips, links}), or None."""
        from ...core.trust import TrustError, verify

        if self.clean:
            return None
        try:
            with open(self.folder / (key + SUFFIX), "rb") as fh:
                head = fh.readline(len(MAGIC) + 65)
                payload = fh.read()
        except OSError:
            return None
        if not head.startswith(MAGIC) or not head.endswith(b"\n"):
            return None
        try:
            if not verify("facts " + key, payload, head[len(MAGIC) : -1].decode("ascii")):
                return None
            data = json.loads(payload)
            if data["entities"] != _named_digest(data["named"], entities):
                return None
            return _decode_entry(data)
        except (TrustError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def put(self, key: str, entry: dict, entities: dict) -> None:
        """Keep a file's records (see get); nothing when they cannot be kept exactly."""
        from ...core.trust import TrustError, sign

        try:
            data = {name: _encode(value) for name, value in entry.items()}
            named = sorted(_strings(data["facts"]) & set(entities))
            data.update(named=named, entities=_named_digest(named, entities))
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            head = MAGIC + sign("facts " + key, payload).encode("ascii") + b"\n"
        except (TypeError, ValueError, UnicodeEncodeError, TrustError):
            return  # a value of a type the codec does not know, or no key: read anew next time
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{os.getpid()}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + payload)
        os.replace(tmp, self.folder / (key + SUFFIX))

    def keep(self) -> None:
        """Forget the entries of files no longer in the corpus as they were."""
        for path in self.folder.glob("*" + SUFFIX):
            if path.name[: -len(SUFFIX)] not in self.used:
                path.unlink(missing_ok=True)


def _base_key() -> str:
    """nkrel's version, the source of the code that reads a fact file (the loader, the YAML
    reader, the record types and the vocabulary), PyYAML's version and the ontology."""
    from importlib import metadata

    from ...core import __version__
    from ...core.vocabulary import ontology_dir

    h = hashlib.sha256(__version__.encode())
    try:
        h.update(metadata.version("PyYAML").encode())
    except metadata.PackageNotFoundError:
        h.update(b"no PyYAML")
    package = Path(__file__).resolve().parents[2]
    paths = sorted([*(package / "ingest").rglob("*.py"), *(package / "core").rglob("*.py"),
                    *ontology_dir().glob("*.ttl")])  # fmt: skip
    for path in paths:
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _named_digest(named: list, entities: dict) -> str | None:
    """A digest of the entities (as entities.yaml now has them) an entry's records name;
    None when one of them is gone."""
    if not (isinstance(named, list) and all(isinstance(e, str) and e in entities for e in named)):
        return None
    return hashlib.sha256(repr([entities[e] for e in named]).encode("utf-8", "surrogatepass")).hexdigest()


def _strings(value) -> set[str]:
    """Every text in an encoded value (a superset of the entity ids its records name)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set().union(*map(_strings, value))
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()))
    return set()


# ---- the codec: the record dataclasses as JSON, and back ----------------------------------


def _encode(value):
    """JSON of a record value; TypeError for anything it could not give back exactly."""
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is dict:
        return {"$": "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is Decimal:
        return {"$": "Decimal", "value": str(value)}
    if TYPES.get(kind.__name__) is kind:
        return {"$": kind.__name__, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"a {kind.__name__} is not kept in the cache")


def _decode(value):
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is list:
        return [_decode(v) for v in value]
    name = value["$"]
    if name == "dict":
        return {_decode(k): _decode(v) for k, v in value["items"]}
    if name == "Decimal":
        if type(value["value"]) is not str:
            raise TypeError("a Decimal is kept as text")
        return Decimal(value["value"])
    cls = TYPES[name]
    fields = {f.name for f in dataclasses.fields(cls)}
    if set(value) != fields | {"$"}:
        raise KeyError(name)
    return cls(**{k: _decode(v) for k, v in value.items() if k != "$"})


def _decode_entry(data: dict) -> dict:
    entry = {name: _decode(data[name]) for name in ("facts", "id_lines", "non_facts", "slips", "links")}
    if len(entry["facts"]) != len(entry["id_lines"]) or not all(type(f) is records.Fact for f in entry["facts"]):
        raise TypeError("an entry's facts")
    for link in entry["links"]:
        fact, key, target, kind, line, key_lines = link  # ValueError when it is not six fields
        if not (type(fact) is str and type(key) is str and type(target) is str and type(key_lines) is dict):
            raise TypeError("an entry's link")
    return entry


# ---- an entry's records into the corpus, as _load_facts puts a reading's --------------------


def link_record(link) -> list:
    """What a link between facts needs to be checked again: its fields, and the lines its
    problems are reported at (of its record, and of the fields named in them)."""
    from ..yamlfile import line_of

    keys = sorted({link.key, "fact"} & set(getattr(link.node, "key_lines", {})))
    return [link.fact, link.key, link.target, link.kind, line_of(link.node), {k: line_of(link.node, k) for k in keys}]


def replay(entry: dict, reader, corpus, seen_ids: dict, links: list) -> None:
    """Add an entry's records to the corpus, with the duplicate ids reported as a reading does."""
    from ..yamlfile import LineDict
    from .facts import _Link

    for fact, line in zip(entry["facts"], entry["id_lines"], strict=True):
        if fact.id in seen_ids:
            reader.problems.append(
                Problem(reader.name, line, fact.id, f"duplicate fact id (also in {seen_ids[fact.id]})")
            )
            continue
        seen_ids[fact.id] = reader.name
        corpus.facts.append(fact)
    corpus.non_facts.extend(entry["non_facts"])
    corpus.document_slips.extend(entry["slips"])
    for fact, key, target, kind, line, key_lines in entry["links"]:
        node = LineDict(line)
        node.key_lines = dict(key_lines)
        links.append(_Link(reader, node, fact, key, target, kind))
