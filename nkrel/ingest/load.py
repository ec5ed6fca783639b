"""Load and verify the corpus: texts, entities and fact records.

Every problem is collected (not only the first) and reported as one line naming the
file, the line and the fact id. Every field of a record has one declared type: a value
of another type is refused, never coerced. Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.corpus import (
    CONTEXT,
    LABEL_MAX,
    MAX_AMOUNT,
    MAX_DECIMALS,
    MAX_DIGITS,
    NON_FACT_REASONS,
    NOTE_MAX,
    RUB_SINCE,
    RUBLES,
    RUR_SINCE,
    SLIP_TYPES,
    SLUG,
    WIKIDATA,
    Attribution,
    Cause,
    Coded,
    Commodity,
    Corpus,
    CorpusError,
    Document,
    DocumentSlip,
    Entity,
    Fact,
    NonFact,
    Office,
    Problem,
    Quantity,
    Reference,
    Slip,
    Span,
    Time,
)
from ..core.vocabulary import Vocabulary


class _Reader:
    """Collects problems while reading one YAML file."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]):
        self.path = path
        self.name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        self.problems = problems

    def problem(self, node, item, message, key=None):
        self.problems.append(Problem(self.name, _line(node, key), item, message))

    def load(self, top_key: str | None = None):
        """The file's content; None (and a problem recorded) when it cannot be used.

        An empty or comment-only file is a problem, never an empty corpus: a truncated
        file must not silently drop a document's facts."""
        from .yamlfile import YamlError, read_yaml

        try:
            data = read_yaml(self.path)
        except OSError as e:
            self.problems.append(Problem(self.name, None, None, f"cannot read: {_reason(e)}"))
            return None
        except YamlError as e:
            self.problems.append(Problem(self.name, e.line, None, str(e)))
            return None
        if data is None:
            self.problems.append(Problem(self.name, None, None, "the file is empty (no YAML content)"))
            return None
        if top_key is not None and not (isinstance(data, dict) and isinstance(data.get(top_key), list)):
            self.problem(data, None, f"expected a mapping with a '{top_key}:' list at the top")
            return None
        return data


def _line(node, key=None) -> int | None:
    from .yamlfile import line_of

    return line_of(node, key)


def _reason(e: OSError | UnicodeDecodeError) -> str:
    return e.strerror or str(e) if isinstance(e, OSError) else f"not UTF-8 ({e.reason})"


def load_corpus(corpus_dir: Path, vocabulary: Vocabulary) -> Corpus:
    """Read and verify a corpus folder; raise CorpusError listing every problem."""
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
            _load_facts(path, corpus_dir, documents[doc_id], corpus, vocabulary, seen_ids, links, problems)
    _check_links(corpus, links, seen_ids)
    if problems:
        raise CorpusError(problems)
    return corpus


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
    from .yamlfile import YamlError, read_bytes

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
    from .yamlfile import YamlError, read_bytes

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


# ---- typed fields -----------------------------------------------------------------
#
# Each field of a record has one declared type. A checker returns the value, or None
# after reporting one line "must be <type>, got <what was there>".


def _what(value) -> str:
    """A short description of a YAML value for error messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    if isinstance(value, str):
        return f"the text {_clip(value)}"
    if isinstance(value, dict):
        return f"a mapping {_clip(repr(dict(value)))}"
    if isinstance(value, list):
        return f"a list {_clip(repr(list(value)))}"
    return f"a {type(value).__name__}"


def _is_text(value) -> bool:
    return isinstance(value, str) and value != ""


class _Fields:
    """Typed access to one record's fields; every refusal is one problem line."""

    def __init__(self, entry, reader, item, known: set[str], what="field"):
        self.entry, self.reader, self.item, self.ok = entry, reader, item, True
        for key in sorted(set(entry) - known, key=str):
            self.bad(f"unknown {what} '{key}' (known: {', '.join(sorted(known))})", key)

    def bad(self, message, key=None, node=None):
        self.ok = False
        self.reader.problem(self.entry if node is None else node, self.item, message, key)

    def text(self, key, required=False, max_len=None):
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if value is None:
            self.bad(f"missing field '{key}'", key)
            return None
        if not _is_text(value):
            self.bad(f"'{key}' must be text, got {_what(value)}", key)
            return None
        if max_len and len(value) > max_len:
            self.bad(f"'{key}' is {len(value)} characters long (at most {max_len})", key)
            return None
        return value

    def slug(self, key, required=False):
        value = self.text(key, required)
        if value is not None and not SLUG.match(value):
            self.bad(f"'{key}' must be a slug [a-z0-9-], got {_clip(value)}", key)
            return None
        return value

    def text_list(self, key):
        value = self.entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(_is_text(v) for v in value):
            self.bad(f"'{key}' must be a list of text, got {_what(value)}", key)
            return []
        return list(value)

    def mapping(self, key, required=False):
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.bad(f"'{key}' must be a mapping, got {_what(value)}", key)
            return None
        return value

    def mappings(self, key):
        value = self.entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.bad(f"'{key}' must be a list of mappings, got {_what(value)}", key)
            return []
        return list(value)

    def occurrence(self, key="occurrence"):
        value = self.entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.bad(f"'{key}' must be a whole number from 1, got {_what(value)}", key)
            return False
        return value


# ---- entities ----------------------------------------------------------------------

ENTITY_KEYS = {"id", "type", "label", "aliases", "wikidata", "wikidata_verified", "in", "successor", "note", "doubt",
               "reference"}  # fmt: skip
REFERENCE_KEYS = {"origin", "checked", "founded", "dissolved", "in", "capital_of"}


def _load_entities(root, documents, vocabulary, problems) -> dict[str, Entity]:
    reader = _Reader(root / "entities.yaml", root, problems)
    data = reader.load("entities")
    entities: dict[str, Entity] = {}
    if data is None:
        return entities
    for key in sorted(set(data) - {"entities"}, key=str):
        reader.problem(data, None, f"unknown top-level field '{key}' (known: entities)", key)
    texts = [d.text for d in documents.values()]
    refs: list[tuple] = []  # (entry, entity id, key, referenced id)
    for entry in data["entities"]:
        if not isinstance(entry, dict):
            reader.problem(entry, None, f"each entity must be a mapping, got {_what(entry)}")
            continue
        eid = entry.get("id")
        if not isinstance(eid, str) or not SLUG.match(eid):
            reader.problem(entry, None, f"entity id must be a slug, got {_what(eid)}", "id")
            continue
        f = _Fields(entry, reader, eid, ENTITY_KEYS)
        etype = f.text("type", required=True)
        if etype is not None and etype not in vocabulary.entity_types:
            f.bad(f"unknown entity type {etype!r} (known: {', '.join(sorted(vocabulary.entity_types))})", "type")
        label = f.text("label", required=True, max_len=LABEL_MAX)
        aliases = f.text_list("aliases")
        for alias in aliases:
            if not any(alias in t for t in texts):
                f.bad(f"alias {_clip(alias)} occurs in no document", "aliases")
        wikidata = f.text("wikidata")
        verified = f.text("wikidata_verified", max_len=NOTE_MAX)
        if wikidata is not None and not WIKIDATA.match(wikidata):
            f.bad(f"malformed Wikidata id {_clip(wikidata)} (expected Q followed by digits)", "wikidata")
        if wikidata is not None and verified is None:
            f.bad("a Wikidata id needs 'wikidata_verified': how the id was verified", "wikidata")
        if verified is not None and wikidata is None:
            f.bad("'wikidata_verified' without a Wikidata id", "wikidata_verified")
        located_in, successor = f.slug("in"), f.slug("successor")
        note, doubt = f.text("note", max_len=NOTE_MAX), f.text("doubt", max_len=NOTE_MAX)
        reference = _read_reference(f, reader, eid)
        for key, ref in (("in", located_in), ("successor", successor)):
            if ref:
                refs.append((entry, eid, key, ref))
        if reference:
            for key, ref in (("in", reference.located_in), ("capital_of", reference.capital_of)):
                if ref:
                    refs.append((entry, eid, f"reference.{key}", ref))
        if etype not in vocabulary.entity_types or label is None:
            continue  # other problems are reported; keeping the entity avoids a cascade of "unknown entity"
        if eid in entities:
            reader.problem(entry, eid, "duplicate entity id", "id")
            continue
        entities[eid] = Entity(eid, etype, label, aliases, wikidata, verified, located_in, successor, note, doubt,
                               reference)  # fmt: skip
    for entry, eid, key, ref in refs:
        if ref not in entities:
            reader.problem(entry, eid, f"'{key}' names unknown entity {ref!r}", key.split(".")[0])
        elif entities[ref].type != "State":
            message = f"'{key}' must name a State, {ref!r} is a {entities[ref].type}"
            reader.problem(entry, eid, message, key.split(".")[0])
    return entities


def _read_reference(f: _Fields, reader, eid) -> Reference | None:
    block = f.mapping("reference")
    if block is None:
        return None
    r = _Fields(block, reader, eid, REFERENCE_KEYS, "reference field")
    origin = r.text("origin", required=True)
    if origin is not None and origin != "curator" and not re.fullmatch(r"https://[^\s<>\"{}|\\^`]+", origin):
        r.bad(f"reference 'origin' must be an https:// IRI or 'curator', got {_clip(origin)}", "origin")
    dates = {}
    for key in ("founded", "dissolved"):
        if block.get(key) is not None:
            dates[key] = _date_value(block[key])
            if dates[key] is None:
                r.bad(f"reference '{key}' must be a real date YYYY-MM-DD, got {_what(block[key])}", key)
    located_in, capital_of = r.slug("in"), r.slug("capital_of")
    if not (dates or located_in or capital_of):
        r.bad("a reference block states nothing (founded, dissolved, in or capital_of)")
    checked = r.text("checked", max_len=NOTE_MAX)
    f.ok = f.ok and r.ok
    if not r.ok:
        return None
    return Reference(origin, checked, dates.get("founded"), dates.get("dissolved"), located_in, capital_of)


# ---- fact files ----------------------------------------------------------------------

FACT_KEYS = {
    "id", "kind", "label", "modality", "parties", "from", "to", "involves", "via", "bypassing", "places",
    "agreement", "time", "quantities", "commodities", "change", "role", "about", "topic_of", "causes",
    "attributed_to", "at_time_of", "after", "as_stated", "claim", "note", "slips", "evidence", "rank", "qualifiers",
    "scope", "offices",
}  # fmt: skip
SPAN_KEYS = {"quote", "occurrence"}
ASSERTED = {"happened", "ongoing", "announced"}  # modalities a cause link never needs


@dataclass
class _Link:
    """A reference from one fact to another, checked once every fact is read."""

    reader: object
    node: object
    fact: str
    key: str
    target: str
    kind: str | None = None  # the kind the target must have


def _load_facts(path, root, doc, corpus: Corpus, vocabulary, seen_ids, links, problems):
    reader = _Reader(path, root, problems)
    data = reader.load()
    if data is None:
        return
    if not isinstance(data, dict) or data.get("document") != doc.id:
        reader.problem(data, None, f"expected 'document: {doc.id}' at the top")
        return
    for key in sorted(set(data) - {"document", "facts", "not_facts", "slips"}, key=str):
        reader.problem(data, None, f"unknown top-level field '{key}' (known: document, facts, not_facts, slips)", key)
    for key in ("facts", "not_facts", "slips"):
        if data.get(key) is not None and not isinstance(data[key], list):
            reader.problem(data, None, f"'{key}' must be a list of records, got {_what(data[key])}", key)
            return
    for entry in data.get("facts") or []:
        fact = _read_fact(entry, reader, doc, corpus.entities, vocabulary, links)
        if fact is None:
            fid = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(fid, str):
                seen_ids.setdefault(fid, reader.name)  # refused, not unknown: links to it are not errors too
            continue
        if fact.id in seen_ids:
            reader.problem(entry, fact.id, f"duplicate fact id (also in {seen_ids[fact.id]})", "id")
            continue
        seen_ids[fact.id] = reader.name
        corpus.facts.append(fact)
    for entry in data.get("not_facts") or []:
        if not isinstance(entry, dict):
            reader.problem(entry, None, f"each not_facts entry must be a mapping, got {_what(entry)}")
            continue
        f = _Fields(entry, reader, None, {"quote", "occurrence", "reason"})
        reason, quote, occurrence = f.text("reason", required=True), f.text("quote", required=True), f.occurrence()
        if reason is not None and reason not in NON_FACT_REASONS:
            f.bad(f"not_facts reason {reason!r} unknown (known: {', '.join(sorted(NON_FACT_REASONS))})", "reason")
        if f.ok:
            span = _locate(quote, occurrence, doc, reader, entry, None)
            if span:
                corpus.non_facts.append(NonFact(reason, span))
    for entry in data.get("slips") or []:
        if not isinstance(entry, dict):
            reader.problem(entry, None, f"each document slip must be a mapping, got {_what(entry)}")
            continue
        f = _Fields(entry, reader, doc.id, {"type", "words", "says", "occurrence"}, "slip field")
        slip = _slip(f)
        occurrence = f.occurrence()
        if slip and f.ok:
            span = _locate(slip.words, occurrence, doc, reader, entry, doc.id)
            if span:
                corpus.document_slips.append(DocumentSlip(doc.id, slip, span))


def _slip(f: _Fields) -> Slip | None:
    kind, words, says = f.text("type", True), f.text("words", True), f.text("says", True, NOTE_MAX)
    if kind is not None and kind not in SLIP_TYPES:
        f.bad(f"unknown slip type {kind!r} (known: {', '.join(sorted(SLIP_TYPES))})", "type")
    return Slip(kind, words, says) if f.ok else None


def _read_fact(entry, reader: _Reader, doc, entities, vocabulary, links) -> Fact | None:
    if not isinstance(entry, dict):
        reader.problem(entry, None, f"each fact must be a mapping, got {_what(entry)}")
        return None
    fid = entry.get("id")
    if not isinstance(fid, str) or not SLUG.match(fid):
        reader.problem(entry, None, f"fact id must be a slug [a-z0-9-], got {_what(fid)}", "id")
        return None
    f = _Fields(entry, reader, fid, FACT_KEYS)
    codes = vocabulary.codes
    kind = f.text("kind", required=True)
    if kind is not None and kind not in vocabulary.fact_kinds:
        f.bad(f"unknown kind {kind!r} (known: {', '.join(sorted(vocabulary.fact_kinds))})", "kind")
    label = f.text("label", required=True, max_len=LABEL_MAX)
    modality = f.text("modality", required=True)
    if modality is not None and modality not in codes["Modality"]:
        f.bad(f"unknown modality {modality!r} (known: {', '.join(sorted(codes['Modality']))})", "modality")
    note = f.text("note", max_len=NOTE_MAX)
    claim = f.slug("claim")

    # evidence: one span, or a list of spans
    evidence = entry.get("evidence")
    blocks = evidence if isinstance(evidence, list) else [evidence]
    spans: list[Span] = []
    if evidence is None:
        f.bad("missing field 'evidence'", "evidence")
    elif not blocks or not all(isinstance(b, dict) for b in blocks):
        f.bad(f"'evidence' must be a mapping {{quote: ...}} or a list of them, got {_what(evidence)}", "evidence")
    else:
        for block in blocks:
            span = _span(block, reader, fid, doc, "evidence field")
            if span is None:
                f.ok = False
            else:
                spans.append(span)
    if not spans:
        return None
    quotes = [s.exact for s in spans]

    def in_quotes(words: str) -> bool:
        return any(words in q for q in quotes)

    def entity_ids(key, required: str | tuple, single=False) -> list[str]:
        value = entry.get(key)
        if value is None:
            return []
        if single:
            if not _is_text(value):
                f.bad(f"'{key}' must be one entity id, got {_what(value)}", key)
                return []
            items = [value]
        elif not isinstance(value, list) or not all(_is_text(v) for v in value):
            f.bad(f"'{key}' must be a list of entity ids, got {_what(value)}", key)
            return []
        else:
            items = list(value)
        wanted = required if isinstance(required, tuple) else (required,)
        out = []
        for eid in items:
            if eid not in entities:
                f.bad(f"unknown entity {_clip(eid)} in '{key}'{_entity_hint(eid, entities)}", key)
            elif not any(vocabulary.is_a(entities[eid].type, t) for t in wanted):
                f.bad(f"'{key}' needs a {' or '.join(wanted)}; {eid!r} is a {entities[eid].type}", key)
            else:
                out.append(eid)
        if len(set(out)) != len(out):
            f.bad(f"'{key}' names an entity twice", key)
        return out

    parties = entity_ids("parties", "Agent")
    from_party = entity_ids("from", "Agent", single=True)
    to_party = entity_ids("to", "Agent", single=True)
    involves = entity_ids("involves", "Entity")
    via = entity_ids("via", "Entity")
    bypassing = entity_ids("bypassing", "Entity")
    places = entity_ids("places", ("Place", "State"))
    agreement = entity_ids("agreement", "Agreement", single=True)
    if f.ok and not (parties or from_party or to_party or involves or via or bypassing or places or agreement):
        f.bad("a fact needs at least one participant (parties, from, to, involves, via, bypassing, places, agreement)")

    as_stated = f.mapping("as_stated") or {}
    for eid, words in as_stated.items():
        if eid not in entities:
            f.bad(f"as_stated names unknown entity {_clip(str(eid))}{_entity_hint(str(eid), entities)}", "as_stated")
        elif not _is_text(words) or not in_quotes(words):
            f.bad(f"as_stated words for {eid} must be text inside a quote, got {_what(words)}", "as_stated")

    commodities = []
    for c in f.mappings("commodities"):
        cf = _Fields(c, reader, fid, {"goods", "stated"}, "commodity field")
        goods, stated = cf.text("goods", True), cf.text("stated", True)
        if goods is not None and goods not in codes["Goods"]:
            cf.bad(f"unknown goods {goods!r} (known: {', '.join(sorted(codes['Goods']))})", "goods")
        if stated is not None and not in_quotes(stated):
            cf.bad(f"commodity words {_clip(stated)} are not in a quote", "stated")
        f.ok = f.ok and cf.ok
        if cf.ok:
            commodities.append(Commodity(goods, stated))

    time = _read_time(f, in_quotes, quotes) if "time" in entry else None
    quantities = []
    for q in f.mappings("quantities"):
        quantity = _read_quantity(q, reader, fid, vocabulary, in_quotes, time)
        if quantity is None:
            f.ok = False
        else:
            quantities.append(quantity)

    slips = []
    for s in f.mappings("slips"):
        sf = _Fields(s, reader, fid, {"type", "words", "says"}, "slip field")
        slip = _slip(sf)
        if slip and not in_quotes(slip.words):
            sf.bad(f"slip words {_clip(slip.words)} are not in a quote", "words")
        f.ok = f.ok and sf.ok
        if slip and sf.ok:
            slips.append(slip)

    # v2 structure: change, role, topics, causes, attribution, event links
    change_direction = change_of = None
    change = f.mapping("change")
    if change is not None:
        cf = _Fields(change, reader, fid, {"direction", "of"}, "change field")
        change_direction, change_of = cf.text("direction", True), cf.text("of")
        if change_direction is not None and change_direction not in codes["ChangeDirection"]:
            cf.bad(f"unknown change direction {change_direction!r} "
                   f"(known: {', '.join(sorted(codes['ChangeDirection']))})", "direction")  # fmt: skip
        if change_of is not None and change_of not in vocabulary.fact_kinds:
            cf.bad(f"change 'of' must be a fact kind, got {change_of!r}", "of")
        f.ok = f.ok and cf.ok
    if (kind == "Change") != (change is not None) and kind is not None:
        f.bad("a Change needs 'change: {direction: ...}'" if kind == "Change" else "'change' belongs to kind Change",
              "change" if change is not None else "kind")  # fmt: skip
    role = f.text("role")
    if role is not None and role not in codes["PartnerRole"]:
        f.bad(f"unknown role {role!r} (known: {', '.join(sorted(codes['PartnerRole']))})", "role")
    if kind is not None and (kind == "Partnership") != (role is not None):
        f.bad("a Partnership needs a 'role'" if kind == "Partnership" else "'role' belongs to kind Partnership", "role")
    rank = _coded(f.mapping("rank"), reader, fid, "rank", codes["Rank"], in_quotes)
    scope = _coded(f.mapping("scope"), reader, fid, "scope", codes["RecognitionScope"], in_quotes)
    qualifiers = [_coded(b, reader, fid, "qualifier", codes["Qualifier"], in_quotes) for b in f.mappings("qualifiers")]
    if any(c is False for c in [rank, scope, *qualifiers]):
        f.ok = False
    if scope and kind is not None and kind != "Recognition":
        f.bad("'scope' belongs to kind Recognition", "scope")
    offices = [_office(b, reader, fid, entities, codes["OfficeKind"], in_quotes) for b in f.mappings("offices")]
    f.ok = f.ok and all(offices)
    about = f.text_list("about")
    for k in about:
        if k not in vocabulary.fact_kinds:
            f.bad(f"'about' must list fact kinds, got {k!r}", "about")
    topic_of = f.slug("topic_of")
    if kind is not None and (kind == "MeetingTopic") != (topic_of is not None):
        f.bad("a MeetingTopic needs 'topic_of' (its meeting)" if kind == "MeetingTopic"
              else "'topic_of' belongs to kind MeetingTopic", "topic_of")  # fmt: skip
    if topic_of:
        links.append(_Link(reader, entry, fid, "topic_of", topic_of, "Meeting"))
    for key in ("at_time_of", "after"):
        target = f.slug(key)
        if target:
            links.append(_Link(reader, entry, fid, key, target))
    at_time_of, after = entry.get("at_time_of"), entry.get("after")

    causes = []
    for c in f.mappings("causes"):
        cf = _Fields(c, reader, fid, {"fact", "quote", "occurrence", "modality"}, "cause field")
        target, cmod = cf.slug("fact", True), cf.text("modality")
        if cmod is not None and (cmod not in codes["Modality"] or cmod in ASSERTED):
            cf.bad(f"a cause's modality is one of {', '.join(sorted(set(codes['Modality']) - ASSERTED))}, "
                   f"got {cmod!r} (leave it out for a cause the text asserts)", "modality")  # fmt: skip
        span = _span(c, reader, fid, doc, "cause field") if cf.ok else None
        if span and cf.ok:
            causes.append(Cause(target, span, cmod))
            links.append(_Link(reader, c, fid, "causes", target))
        else:
            f.ok = False
    attributions = []
    for a in f.mappings("attributed_to"):
        af = _Fields(a, reader, fid, {"by", "quote", "occurrence"}, "attribution field")
        by = af.text("by")
        if by is not None and (by not in entities or not vocabulary.is_a(entities[by].type, "Agent")):
            af.bad(f"'by' must name a person, state, organisation or company, got {_clip(by)}", "by")
        span = _span(a, reader, fid, doc, "attribution field") if af.ok else None
        if span and af.ok:
            attributions.append(Attribution(by, span))
        else:
            f.ok = False
    if modality == "reported" and not attributions and f.ok:
        f.bad("a 'reported' fact needs 'attributed_to' (who says so)", "modality")

    if not f.ok:
        return None
    return Fact(
        id=fid, document=doc.id, kind=kind, label=label, modality=modality, spans=spans,
        line=_line(entry) or 0, parties=parties, from_party=(from_party or [None])[0],
        to_party=(to_party or [None])[0], involves=involves, via=via, bypassing=bypassing, places=places,
        agreement=(agreement or [None])[0], time=time, quantities=quantities, commodities=commodities,
        change_direction=change_direction, change_of=change_of, role=role, rank=rank,
        qualifiers=qualifiers, scope=scope, offices=offices, about=about, topic_of=topic_of,
        causes=causes, attributions=attributions, at_time_of=at_time_of, after=after, as_stated=dict(as_stated),
        claim=claim, note=note, slips=slips,
    )  # fmt: skip


def _coded(block, reader, fid, key, known: dict, in_quotes):
    """A {code, stated} block: None when there is none, False when it is refused."""
    if block is None:
        return None
    cf = _Fields(block, reader, fid, {"code", "stated"}, f"{key} field")
    code, stated = cf.text("code", True), cf.text("stated", True)
    if code is not None and code not in known:
        cf.bad(f"unknown {key} {code!r} (known: {', '.join(sorted(known))})", "code")
    if stated is not None and not in_quotes(stated):
        cf.bad(f"{key} words {_clip(stated)} are not in a quote", "stated")
    return Coded(code, stated) if cf.ok else False


def _office(block, reader, fid, entities, known: dict, in_quotes) -> Office | None:
    """An {person, office, of?, stated} block: the office a person holds, in the text's words."""
    of_ = _Fields(block, reader, fid, {"person", "office", "of", "stated"}, "office field")
    person, kind = of_.text("person", True), of_.text("office", True)
    state, stated = of_.text("of"), of_.text("stated", True)
    for key, eid, etype in (("person", person, "Person"), ("of", state, "State")):
        if eid is not None and (eid not in entities or entities[eid].type != etype):
            of_.bad(f"'{key}' must name a {etype}, got {_clip(eid)}", key)
    if kind is not None and kind not in known:
        of_.bad(f"unknown office {kind!r} (known: {', '.join(sorted(known))})", "office")
    if stated is not None and not in_quotes(stated):
        of_.bad(f"office words {_clip(stated)} are not in a quote", "stated")
    return Office(person, kind, state, stated) if of_.ok else None


def _span(block, reader, fid, doc, what) -> Span | None:
    """A verbatim span given as {quote, occurrence} inside a larger record."""
    keys = SPAN_KEYS if what == "evidence field" else set(block)
    f = _Fields(block, reader, fid, keys, what) if what == "evidence field" else _Fields(block, reader, fid, keys)
    quote, occurrence = f.text("quote", required=True), f.occurrence()
    if not f.ok:
        return None
    return _locate(quote, occurrence, doc, reader, block, fid)


def _check_links(corpus: Corpus, links: list[_Link], seen_ids) -> None:
    """Fact-to-fact references name existing facts of the right kind, and no fact its own.

    A link to a fact that was refused for another problem is not reported again."""
    by_id = {f.id: f for f in corpus.facts}
    for link in links:
        target = by_id.get(link.target)
        if target is None and link.target in seen_ids:
            continue
        if target is None:
            link.reader.problem(link.node, link.fact, f"'{link.key}' names unknown fact {link.target!r}",
                                "fact" if link.key == "causes" else link.key)  # fmt: skip
        elif target.id == link.fact:
            link.reader.problem(link.node, link.fact, f"'{link.key}' names the fact itself", link.key)
        elif link.kind and target.kind != link.kind:
            link.reader.problem(link.node, link.fact, f"'{link.key}' must name a {link.kind}, "
                                f"{link.target!r} is a {target.kind}", link.key)  # fmt: skip


def _locate(quote, occurrence, doc: Document, reader, node, item) -> Span | None:
    """Find a quote verbatim in its document; it must be unique or name its occurrence."""
    if not isinstance(quote, str) or not quote:
        reader.problem(node, item, f"quote must be non-empty text, got {_what(quote)}", "quote")
        return None
    starts = [m.start() for m in re.finditer(re.escape(quote), doc.text)]
    if not starts:
        hint = _closest_passage(quote, doc.text)
        reader.problem(node, item, f"quote not found verbatim in {doc.file_name}: {_clip(quote)}{hint}", "quote")
        return None
    if occurrence is None:
        if len(starts) > 1:
            reader.problem(
                node, item, f"quote occurs {len(starts)} times in {doc.file_name}; add 'occurrence'", "quote"
            )
            return None
        start = starts[0]
    elif isinstance(occurrence, int) and not isinstance(occurrence, bool) and 1 <= occurrence <= len(starts):
        start = starts[occurrence - 1]
    else:
        reader.problem(node, item, f"occurrence must be 1..{len(starts)}, got {_what(occurrence)}", "occurrence")
        return None
    end = start + len(quote)
    return Span(doc.id, quote, start, end, doc.text[max(0, start - CONTEXT) : start], doc.text[end : end + CONTEXT])


QUANTITY_KEYS = {"measure", "amount", "unit", "bound", "stated"}
NON_NEGATIVE = {"value", "mass", "share", "count", "area", "duration", "level"}


def _read_quantity(q, reader, fid, vocabulary, in_quotes, time: Time | None) -> Quantity | None:
    f = _Fields(q, reader, fid, QUANTITY_KEYS, "quantity field")
    codes = {}
    for key, code_list in (("measure", "Measure"), ("unit", "Unit"), ("bound", "Bound")):
        code = f.text(key, required=key != "bound")
        if code is None and key == "bound" and "bound" not in q:
            code = "exact"
        if code is not None and code not in vocabulary.codes[code_list]:
            known = ", ".join(sorted(vocabulary.codes[code_list]))
            f.bad(f"unknown {key} {code!r} (known: {known})", key)
        codes[key] = code
    stated = f.text("stated")
    if stated is not None and not in_quotes(stated):
        f.bad(f"quantity wording {_clip(stated)} is not in a quote", "stated")
    amount = q.get("amount")
    value = None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        f.bad(f"'amount' must be a number (not text), got {_what(amount)}", "amount")
    else:
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            f.bad(f"'amount' must be a finite number, got {_what(amount)}", "amount")
            value = None
        elif abs(value) >= MAX_AMOUNT:
            f.bad(f"'amount' {amount} is out of range (its size must be below 10^18)", "amount")
            value = None
        else:
            digits = value.normalize().as_tuple()
            if len(digits.digits) > MAX_DIGITS or -min(digits.exponent, 0) > MAX_DECIMALS:
                f.bad(f"'amount' {amount} has more than {MAX_DIGITS} significant digits or {MAX_DECIMALS} "
                      "decimal places", "amount")  # fmt: skip
                value = None
    if not f.ok or value is None:
        return None
    measure, unit = codes["measure"], codes["unit"]
    if value < 0 and measure in NON_NEGATIVE:
        f.bad(f"a {measure} cannot be negative, got {amount}", "amount")
        return None
    if measure == "share" and unit == "percent" and value > 100:
        f.bad(f"a share cannot exceed 100 percent, got {amount}", "amount")
        return None
    if unit in RUBLES and time and time.start_year and ruble_of(int(time.start_year)) != unit:
        f.bad(f"{unit} is {_RUBLE_NAMES[unit]}; an amount dated {time.start_year} is in "
              f"{ruble_of(int(time.start_year))}, whatever its wording", "unit")  # fmt: skip
        return None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Quantity(measure, value, unit, codes["bound"], stated)


_RUBLE_NAMES = {"SUR": f"the Soviet ruble, until {RUR_SINCE - 1}",
                "RUR": f"the Russian ruble of {RUR_SINCE}-{RUB_SINCE - 1}, before the redenomination",
                "RUB": f"the ruble since {RUB_SINCE}"}  # fmt: skip


def ruble_of(year: int) -> str:
    """The ruble code of a year: SUR until 1991, RUR 1992-1997, RUB since 1998."""
    return next(code for code, (start, end) in RUBLES.items()
                if (start is None or year >= start) and (end is None or year < end))  # fmt: skip


TIME_KEYS = {"year", "date", "start", "end", "decade", "stated"}


def _read_time(facts: _Fields, in_quotes, quotes) -> Time | None:
    t = facts.mapping("time")
    if t is None:
        return None
    f = _Fields(t, facts.reader, facts.item, TIME_KEYS, "time field")
    if not t:
        f.bad("time must say something, such as {year: 2014} or {stated: ...}")
    forms = [k for k in ("year", "date", "start", "decade") if k in t]
    if len(forms) > 1:
        f.bad(f"time takes one of year, date, start/end or decade, got {', '.join(forms)}")
    if "end" in t and "start" not in t:
        f.bad("a period needs its 'start' ('end' alone is not a dated time)", "end")
    out = Time()
    if "year" in t:
        out.year = _year_value(t["year"])
        if out.year is None:
            f.bad(f"'year' must be four digits, got {_what(t['year'])}", "year")
    if "date" in t:
        out.date = _date_value(t["date"])
        if out.date is None:
            f.bad(f"'date' must be a real date YYYY-MM-DD, got {_what(t['date'])}", "date")
    if "decade" in t:
        out.decade = _year_value(t["decade"])
        if out.decade is None or not out.decade.endswith("0"):
            f.bad(f"'decade' must be a year ending in 0 (1990 for the 1990s), got {_what(t['decade'])}", "decade")
    for key in ("start", "end"):
        if key in t:
            setattr(out, key, _moment(t[key]))
            if getattr(out, key) is None:
                f.bad(f"'{key}' must be YYYY, YYYY-MM or YYYY-MM-DD (a real date), got {_what(t[key])}", key)
    if out.start and out.end and _first_day(out.start) > _last_day(out.end):
        f.bad(f"period starts after it ends ({out.start} > {out.end})", "start")
    if "stated" in t:
        out.stated = f.text("stated")
        if out.stated is not None and not in_quotes(out.stated):
            f.bad(f"time wording {_clip(out.stated)} is not in a quote", "stated")
    facts.ok = facts.ok and f.ok
    if not f.ok:
        return None
    years = {v[:4] for v in (out.year, out.date, out.start, out.end, out.decade) if v}
    out.from_context = bool(years) and not any(y in q for y in years for q in quotes)
    return out


def _first_day(moment: str) -> dt.date:
    return dt.date.fromisoformat(moment if len(moment) == 10 else (moment + "-01-01")[:10])


def _last_day(moment: str) -> dt.date:
    if len(moment) == 10:
        return dt.date.fromisoformat(moment)
    if len(moment) == 4:
        return dt.date(int(moment), 12, 31)
    year, month = int(moment[:4]), int(moment[5:7])
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _year_value(v) -> str | None:
    s = str(v) if isinstance(v, (int, str)) and not isinstance(v, bool) else ""
    return s if re.fullmatch(r"[0-9]{4}", s) else None


def _date_value(v) -> str | None:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
        try:
            return dt.date.fromisoformat(v).isoformat()
        except ValueError:
            return None
    return None


def _moment(v) -> str | None:
    if _year_value(v):
        return _year_value(v)
    if isinstance(v, str) and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", v):
        return v
    return _date_value(v)


def _clip(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# Characters a curator's keyboard gives where a text has a typographic one: named in the
# hint when the closest passage differs from the quote by one of them.
_LOOKALIKES = [
    ("quote", "'\u2018\u2019\u201a\u2032`\u00b4", {"'": "a straight quote", "`": "a backtick"}, "a curly quote"),
    ("quote", '"\u201c\u201d\u201e\u2033', {'"': "a straight double quote"}, "a curly double quote"),
    (
        "dash",
        "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
        {"-": "a hyphen", "\u2013": "an en dash", "\u2014": "an em dash"},
        "a dash",
    ),
    (
        "space",
        " \u00a0\u2009\u202f\n\t",
        {" ": "a space", "\u00a0": "a no-break space", "\n": "a line break", "\t": "a tab"},
        "a thin space",
    ),
]


def _describe(char: str) -> str:
    for _family, members, names, default in _LOOKALIKES:
        if char in members:
            return f"{names.get(char, default)} {char!r}"
    return repr(char)


def _closest_passage(quote: str, text: str) -> str:
    """Lines for a quote not found verbatim: the closest passage of the text, a caret
    where it first differs from the quote, and what differs (a straight quote for a
    curly one, a hyphen for a dash, a space) when that is it."""
    lo, hi = 0, len(quote)  # the longest prefix of the quote found in the text
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= min(12, len(quote) // 2):
        start = text.index(quote[:lo])
    else:  # the quote differs early: align it where it matches best
        from rapidfuzz import fuzz

        found = fuzz.partial_ratio_alignment(quote, text)
        if found is None or found.score < 60:
            return "\n    no passage of the text is close to it: is it the right document?"
        start, lo = found.dest_start, 0
        while lo < len(quote) and start + lo < len(text) and quote[lo] == text[start + lo]:
            lo += 1
    at = start + lo
    if at >= len(text):
        return "\n    the text ends before the quote does"
    before = text[max(0, at - 40) : at].replace("\n", "\u21b5")
    passage = before + text[at : at + 20].replace("\n", "\u21b5")
    got, want = quote[lo : lo + 1], text[at]
    what = f"the text has {_describe(want)} where the quote has {_describe(got) if got else 'its end'}"
    same = [family for family, members, *_ in _LOOKALIKES if got and got in members and want in members]
    if same:
        what += f" (a {same[0]} difference)"
    return (f"\n    closest passage (character {at}): {passage}"
            f"\n    {' ' * (len('closest passage (character ): ') + len(str(at)) + len(before))}^ {what}")  # fmt: skip


def _entity_hint(eid: str, entities: dict) -> str:
    """'; did you mean X?' for a misspelt entity id, label or alias, and how to add a new one."""
    from rapidfuzz import fuzz, process

    names = {}
    for entity in entities.values():
        for name in (entity.id, entity.label, *entity.aliases):
            names.setdefault(name.lower(), entity.id)
    best = process.extractOne(eid.lower(), list(names), scorer=fuzz.WRatio, score_cutoff=80)
    guess = f"; did you mean {names[best[0]]!r}?" if best else ""
    return f"{guess} (a new entity: add it to entities.yaml, or accept the draft entity in `nkrel review`)"
