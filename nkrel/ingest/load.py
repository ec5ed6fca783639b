"""Load and verify the corpus: texts, entities and fact records.

Every problem is collected (not only the first) and reported as one line naming the
file, the line and the fact id. Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from pathlib import Path

from ..model.vocabulary import Vocabulary

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
CONTEXT = 32  # code points of prefix/suffix kept with each quote


def default_corpus_dir() -> Path:
    return Path(str(files("nkrel") / "corpus"))


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    item: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.item + ': ' if self.item else ''}{self.message}"


class CorpusError(Exception):
    """The corpus could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class Document:
    id: str
    file_name: str
    title: str
    publisher: str | None
    sha256: str
    text: str


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: list[str]
    wikidata: str | None = None
    located_in: str | None = None
    capital_of: str | None = None
    successor: str | None = None
    founded: str | None = None
    dissolved: str | None = None
    note: str | None = None
    doubt: str | None = None  # the curator found no such entity under this name


@dataclass
class Span:
    """Verbatim words of a document with code-point offsets [start, end)."""

    document: str
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass
class Quantity:
    measure: str
    amount: Decimal
    unit: str
    bound: str
    stated: str | None


@dataclass
class Slip:
    """A slip in the source that the curator saw: words of the quote and what is wrong."""

    type: str
    words: str
    says: str


SLIP_TYPES = {"misspelling", "garbled", "wrong-name", "inconsistency", "implausible", "missing-date", "ambiguous",
              "anachronism", "repetition", "grammar"}  # fmt: skip


@dataclass
class Time:
    year: str | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    stated: str | None = None
    from_context: bool = False  # no year of it is in the quote: the curator took it from the context


@dataclass
class Fact:
    id: str
    document: str
    kind: str
    label: str
    modality: str
    evidence: Span
    line: int
    parties: list[str] = field(default_factory=list)
    from_party: str | None = None
    to_party: str | None = None
    involves: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    agreement: str | None = None
    time: Time | None = None
    quantities: list[Quantity] = field(default_factory=list)
    commodities: list[str] = field(default_factory=list)
    as_stated: dict[str, str] = field(default_factory=dict)
    claim: str | None = None
    note: str | None = None
    slips: list[Slip] = field(default_factory=list)


@dataclass
class NonFact:
    reason: str
    span: Span


@dataclass
class Corpus:
    documents: dict[str, Document]
    entities: dict[str, Entity]
    facts: list[Fact]
    non_facts: list[NonFact]


NON_FACT_REASONS = {
    "heading",
    "page-chrome",
    "reference-list",
    "attribution",
    "unrelated-teaser",
    "unrelated-quotation",
    "opinion",
}
FACT_KEYS = {
    "id", "kind", "label", "modality", "parties", "from", "to", "involves", "places",
    "agreement", "time", "quantities", "commodities", "as_stated", "claim", "note", "slips", "evidence",
}  # fmt: skip
ENTITY_KEYS = {
    "id", "type", "label", "aliases", "wikidata", "in", "capital_of", "successor",
    "founded", "dissolved", "note", "doubt",
}  # fmt: skip


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
    facts: list[Fact] = []
    non_facts: list[NonFact] = []
    seen_ids: dict[str, str] = {}
    for doc_id, path in fact_files.items():
        if doc_id in documents:
            _load_facts(
                path, corpus_dir, documents[doc_id], entities, vocabulary, seen_ids, facts,
                non_facts, problems,
            )  # fmt: skip
    if problems:
        raise CorpusError(problems)
    return Corpus(documents, entities, facts, non_facts)


DOCUMENT_FIELDS = {"id": str, "file": str, "title": str, "publisher": (str, type(None)), "sha256": str, "facts": str}
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
            if key != "publisher" and value in (None, ""):
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
        if doc_id in documents:
            reader.problem(entry, doc_id, "duplicate document id")
            continue
        if facts_path in fact_files.values():
            reader.problem(entry, doc_id, f"another document already uses {entry['facts']}", "facts")
            continue
        documents[doc_id] = Document(doc_id, path.name, entry["title"], entry.get("publisher"), digest, text)
        fact_files[doc_id] = facts_path
    return documents, fact_files


def _load_entities(root, documents, vocabulary, problems) -> dict[str, Entity]:
    reader = _Reader(root / "entities.yaml", root, problems)
    data = reader.load()
    entities: dict[str, Entity] = {}
    if data is None:
        return entities
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        reader.problem(data, None, "expected an 'entities:' list")
        return entities
    texts = [d.text for d in documents.values()]
    for entry in entries:
        eid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(eid, str) or not SLUG.match(eid):
            reader.problem(entry, None, f"entity id must be a slug, got {eid!r}")
            continue
        for key in sorted(set(entry) - ENTITY_KEYS):
            reader.problem(entry, eid, f"unknown field '{key}'", key)
        etype = entry.get("type")
        if etype not in vocabulary.entity_types:
            known = ", ".join(sorted(vocabulary.entity_types))
            reader.problem(entry, eid, f"unknown entity type {etype!r} (known: {known})", "type")
            continue
        if not isinstance(entry.get("label"), str):
            reader.problem(entry, eid, "missing label", "label")
            continue
        aliases = entry.get("aliases") or []
        for alias in aliases:
            if not any(alias in t for t in texts):
                reader.problem(entry, eid, f"alias {alias!r} occurs in no document", "aliases")
        wikidata = entry.get("wikidata")
        if wikidata is not None and not WIKIDATA.match(str(wikidata)):
            reader.problem(entry, eid, f"malformed Wikidata id {wikidata!r}", "wikidata")
        dates = {}
        for key in ("founded", "dissolved"):
            if entry.get(key) is not None:
                dates[key] = _date_value(entry[key])
                if dates[key] is None:
                    reader.problem(entry, eid, f"{key} must be a date YYYY-MM-DD", key)
        if eid in entities:
            reader.problem(entry, eid, "duplicate entity id")
        entities[eid] = Entity(
            eid, etype, entry["label"], [str(a) for a in aliases],
            str(wikidata) if wikidata else None, entry.get("in"), entry.get("capital_of"),
            entry.get("successor"), dates.get("founded"), dates.get("dissolved"), entry.get("note"),
            entry.get("doubt"),
        )  # fmt: skip
    for e in entities.values():
        for key, ref in (("in", e.located_in), ("capital_of", e.capital_of), ("successor", e.successor)):
            if ref is not None and entities.get(ref, None) is None:
                reader.problem(None, e.id, f"{key} names unknown entity {ref!r}")
            elif ref is not None and entities[ref].type != "State":
                reader.problem(None, e.id, f"{key} must name a State, {ref!r} is a {entities[ref].type}")
    return entities


def _load_facts(path, root, doc, entities, vocabulary, seen_ids, facts, non_facts, problems):
    reader = _Reader(path, root, problems)
    data = reader.load()
    if data is None:
        return
    if not isinstance(data, dict) or data.get("document") != doc.id:
        reader.problem(data, None, f"expected 'document: {doc.id}' at the top")
        return
    for key in sorted(set(data) - {"document", "facts", "not_facts"}):
        reader.problem(data, None, f"unknown top-level field '{key}' (known: document, facts, not_facts)", key)
    for key in ("facts", "not_facts"):
        if data.get(key) is not None and not isinstance(data[key], list):
            reader.problem(data, None, f"'{key}' must be a list of records", key)
            return
    for entry in data.get("facts") or []:
        fact = _read_fact(entry, reader, doc, entities, vocabulary)
        if fact is None:
            continue
        if fact.id in seen_ids:
            reader.problem(entry, fact.id, f"duplicate fact id (also in {seen_ids[fact.id]})", "id")
            continue
        seen_ids[fact.id] = reader.name
        facts.append(fact)
    for entry in data.get("not_facts") or []:
        if not isinstance(entry, dict):
            reader.problem(entry, None, "each not_facts entry must be a mapping")
            continue
        quote, reason = entry.get("quote"), entry.get("reason")
        if reason not in NON_FACT_REASONS:
            known = ", ".join(sorted(NON_FACT_REASONS))
            reader.problem(entry, None, f"not_facts reason {reason!r} unknown (known: {known})", "reason")
            continue
        span = _locate(quote, entry.get("occurrence"), doc, reader, entry, None)
        if span:
            non_facts.append(NonFact(reason, span))


def _read_fact(entry, reader: _Reader, doc, entities, vocabulary) -> Fact | None:
    if not isinstance(entry, dict):
        reader.problem(entry, None, "each fact must be a mapping")
        return None
    fid = entry.get("id")
    if not isinstance(fid, str) or not SLUG.match(fid):
        reader.problem(entry, None, f"fact id must be a slug [a-z0-9-], got {fid!r}", "id")
        return None
    ok = True

    def bad(message, key=None, node=entry):
        nonlocal ok
        ok = False
        reader.problem(node, fid, message, key)

    for key in sorted(set(entry) - FACT_KEYS):
        bad(f"unknown field '{key}'", key)
    for key in ("kind", "label", "modality", "evidence"):
        if entry.get(key) in (None, ""):
            bad(f"missing field '{key}'")
    if not ok:
        return None
    kind = entry["kind"]
    if kind not in vocabulary.fact_kinds:
        bad(f"unknown kind {kind!r} (known: {', '.join(sorted(vocabulary.fact_kinds))})", "kind")
    modality = entry["modality"]
    if modality not in vocabulary.codes["Modality"]:
        bad(f"unknown modality {modality!r}", "modality")
    evidence = entry["evidence"]
    if not isinstance(evidence, dict) or not isinstance(evidence.get("quote"), str):
        bad("evidence must have a 'quote'", "evidence")
        return None
    span = _locate(evidence["quote"], evidence.get("occurrence"), doc, reader, evidence, fid)
    if span is None:
        return None
    quote = span.exact

    def entity_list(key, required_type):
        required = required_type if isinstance(required_type, tuple) else (required_type,)
        value = entry.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for eid in items:
            if eid not in entities:
                bad(f"unknown entity {eid!r} in '{key}'", key)
            elif not any(vocabulary.is_a(entities[eid].type, t) for t in required):
                bad(f"'{key}' needs a {' or '.join(required)}; {eid!r} is a {entities[eid].type}", key)
            else:
                out.append(eid)
        return out

    parties = entity_list("parties", "Agent")
    from_party = entity_list("from", "Agent")
    to_party = entity_list("to", "Agent")
    for key, value in (("from", from_party), ("to", to_party)):
        if len(value) > 1:
            bad(f"'{key}' takes one entity", key)
    involves = entity_list("involves", "Entity")
    places = entity_list("places", ("Place", "State"))
    agreement = entity_list("agreement", "Agreement")
    if not (parties or from_party or to_party or involves or places or agreement) and ok:
        bad("a fact needs at least one participant (parties, from, to, involves, places, agreement)")

    as_stated = entry.get("as_stated") or {}
    if not isinstance(as_stated, dict):
        bad("as_stated must map entity ids to words", "as_stated")
        as_stated = {}
    for eid, words in as_stated.items():
        if eid not in entities:
            bad(f"as_stated names unknown entity {eid!r}", "as_stated")
        elif not isinstance(words, str) or words not in quote:
            bad(f"as_stated words {words!r} are not in the quote", "as_stated")
    commodities = entry.get("commodities") or []
    for c in commodities:
        if not isinstance(c, str) or c not in quote:
            bad(f"commodity {c!r} is not in the quote", "commodities")
    quantities = []
    for q in entry.get("quantities") or []:
        quantity = _read_quantity(q, quote, vocabulary, bad)
        if quantity:
            quantities.append(quantity)
    time = _read_time(entry.get("time"), quote, bad) if "time" in entry else None
    slips = []
    for slip in entry.get("slips") or []:
        if not isinstance(slip, dict) or set(slip) != {"type", "words", "says"}:
            bad("each slip needs exactly type, words and says", "slips")
        elif slip["type"] not in SLIP_TYPES:
            bad(f"unknown slip type {slip['type']!r} (known: {', '.join(sorted(SLIP_TYPES))})", "slips")
        elif not isinstance(slip["words"], str) or slip["words"] not in quote:
            bad(f"slip words {slip['words']!r} are not in the quote", "slips")
        else:
            slips.append(Slip(slip["type"], slip["words"], str(slip["says"])))
    claim = entry.get("claim")
    if claim is not None and (not isinstance(claim, str) or not SLUG.match(claim)):
        bad(f"claim must be a slug, got {claim!r}", "claim")
    label, note = entry["label"], entry.get("note")
    if not isinstance(label, str) or (note is not None and not isinstance(note, str)):
        bad("label and note must be text")
    if not ok:
        return None
    return Fact(
        id=fid, document=doc.id, kind=kind, label=label, modality=modality, evidence=span,
        line=_line(entry) or 0, parties=parties, from_party=(from_party or [None])[0],
        to_party=(to_party or [None])[0], involves=involves, places=places,
        agreement=(agreement or [None])[0], time=time, quantities=quantities,
        commodities=[str(c) for c in commodities], as_stated=dict(as_stated), claim=claim, note=note,
        slips=slips,
    )  # fmt: skip


def _locate(quote, occurrence, doc: Document, reader, node, item) -> Span | None:
    """Find a quote verbatim in its document; it must be unique or name its occurrence."""
    if not isinstance(quote, str) or not quote:
        reader.problem(node, item, "quote must be non-empty text", "quote")
        return None
    starts = [m.start() for m in re.finditer(re.escape(quote), doc.text)]
    if not starts:
        reader.problem(node, item, f"quote not found verbatim in {doc.file_name}: {_clip(quote)}", "quote")
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
        reader.problem(node, item, f"occurrence must be 1..{len(starts)}, got {occurrence!r}", "occurrence")
        return None
    end = start + len(quote)
    return Span(doc.id, quote, start, end, doc.text[max(0, start - CONTEXT) : start], doc.text[end : end + CONTEXT])


def _read_quantity(q, quote, vocabulary, bad) -> Quantity | None:
    if not isinstance(q, dict):
        bad("each quantity must be a mapping", "quantities")
        return None
    amount = q.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
        bad(f"quantity amount must be a number, got {amount!r}", "quantities", q)
        return None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        bad(f"quantity amount is not a number: {amount!r}", "quantities", q)
        return None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    fields = {"measure": "Measure", "unit": "Unit", "bound": "Bound"}
    for key, code_list in fields.items():
        code = q.get(key, "exact" if key == "bound" else None)
        if code not in vocabulary.codes[code_list]:
            bad(f"unknown {key} {code!r} (known: {', '.join(sorted(vocabulary.codes[code_list]))})", "quantities", q)
            return None
    stated = q.get("stated")
    if stated is not None and (not isinstance(stated, str) or stated not in quote):
        bad(f"quantity wording {stated!r} is not in the quote", "quantities", q)
        return None
    extra = set(q) - {"measure", "amount", "unit", "bound", "stated"}
    if extra:
        bad(f"unknown quantity field(s): {', '.join(sorted(extra))}", "quantities", q)
        return None
    return Quantity(q["measure"], value, q["unit"], q.get("bound", "exact"), stated)


def _read_time(t, quote, bad) -> Time | None:
    if not isinstance(t, dict) or not t:
        bad("time must be a mapping such as {year: 2014}", "time")
        return None
    extra = set(t) - {"year", "date", "start", "end", "stated"}
    if extra:
        bad(f"unknown time field(s): {', '.join(sorted(extra))}", "time")
        return None
    out = Time()
    if "year" in t:
        out.year = _year_value(t["year"])
        if out.year is None:
            bad(f"year must be four digits, got {t['year']!r}", "time")
    if "date" in t:
        out.date = _date_value(t["date"])
        if out.date is None:
            bad(f"date must be a real date YYYY-MM-DD, got {t['date']!r}", "time")
    if ("start" in t) != ("end" in t):
        bad("a period needs both start and end", "time")
    elif "start" in t:
        out.start, out.end = _moment(t["start"]), _moment(t["end"])
        if out.start is None or out.end is None:
            bad("period start/end must be YYYY, YYYY-MM or YYYY-MM-DD", "time")
        elif out.start[:4] > out.end[:4] or (len(out.start) == len(out.end) and out.start > out.end):
            bad(f"period starts after it ends ({out.start} > {out.end})", "time")
    if "stated" in t:
        if not isinstance(t["stated"], str) or t["stated"] not in quote:
            bad(f"time wording {t['stated']!r} is not in the quote", "time")
        else:
            out.stated = t["stated"]
    years = {v[:4] for v in (out.year, out.date, out.start, out.end) if v}
    out.from_context = bool(years) and not out.stated and not any(y in quote for y in years)
    return out


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
