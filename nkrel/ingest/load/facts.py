"""Reads a document's fact file: its fact records part by part, its not_facts and slips,
and the links between facts (checked once every fact is read)."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.corpus import (
    LABEL_MAX,
    NON_FACT_REASONS,
    NOTE_MAX,
    SLIP_TYPES,
    SLUG,
    Attribution,
    Cause,
    Commodity,
    Corpus,
    Document,
    DocumentSlip,
    Fact,
    NonFact,
    Slip,
)
from ...core.vocabulary import Vocabulary
from .codes import _read_change, _read_codes
from .evidence import _entity_hint, _locate, _read_evidence, _span
from .quantities import _read_quantity
from .reader import _clip, _Fields, _is_text, _line, _Reader, _what
from .times import _read_time

FACT_KEYS = {
    "id", "kind", "label", "modality", "parties", "from", "to", "involves", "via", "bypassing", "places",
    "agreement", "time", "quantities", "commodities", "change", "role", "about", "topic_of", "causes",
    "attributed_to", "at_time_of", "after", "as_stated", "claim", "note", "slips", "evidence", "rank", "qualifiers",
    "scope", "offices",
}  # fmt: skip
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


def _load_facts(path, root, doc, corpus: Corpus, vocabulary, seen_ids, links, problems, raw=None, id_lines=None):
    """Read one fact file into corpus. raw: its bytes, already read; id_lines: a list that
    gets the line of the 'id' of each fact taken (what a cached copy needs to report a
    duplicate id where this reading reports it)."""
    reader = _Reader(path, root, problems, raw)
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
        if id_lines is not None:
            id_lines.append(_line(entry, "id"))
    _load_non_facts(data.get("not_facts") or [], reader, doc, corpus)
    _load_document_slips(data.get("slips") or [], reader, doc, corpus)


def _load_non_facts(entries: list, reader: _Reader, doc: Document, corpus: Corpus) -> None:
    """Passages the curator read and left out, each with its reason."""
    for entry in entries:
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


def _load_document_slips(entries: list, reader: _Reader, doc: Document, corpus: Corpus) -> None:
    """Slips of the document's own words (a misspelt name, a wrong figure), flagged, never fixed."""
    for entry in entries:
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


@dataclass
class _Record:
    """One fact record being read: its fields, its quotes and what its fields may name."""

    f: _Fields
    entry: dict
    doc: Document
    entities: dict
    vocabulary: Vocabulary
    links: list[_Link]
    quotes: list[str]

    @property
    def fid(self) -> str:
        return self.f.item

    @property
    def reader(self) -> _Reader:
        return self.f.reader

    def in_quotes(self, words: str) -> bool:
        return any(words in q for q in self.quotes)


def _read_fact(entry, reader: _Reader, doc, entities, vocabulary, links) -> Fact | None:
    """One fact record; None (and its problems recorded) when it is refused.

    The parts are read in the order of their problems in a report: heading, evidence,
    participants, wording, time, quantities, slips, codes, links, causes, attributions."""
    if not isinstance(entry, dict):
        reader.problem(entry, None, f"each fact must be a mapping, got {_what(entry)}")
        return None
    fid = entry.get("id")
    if not isinstance(fid, str) or not SLUG.match(fid):
        reader.problem(entry, None, f"fact id must be a slug [a-z0-9-], got {_what(fid)}", "id")
        return None
    f = _Fields(entry, reader, fid, FACT_KEYS)
    heading = _read_heading(f, vocabulary)
    spans = _read_evidence(f, doc)
    if not spans:
        return None
    r = _Record(f, entry, doc, entities, vocabulary, links, [s.exact for s in spans])
    participants = _read_participants(r)
    as_stated, commodities = _read_as_stated(r), _read_commodities(r)
    time = _read_time(f, r.in_quotes, r.quotes) if "time" in entry else None
    quantities, slips = _read_quantities(r, time), _read_slips(r)
    kind = heading["kind"]
    structure = {**_read_change(r, kind), **_read_codes(r, kind), **_read_links(r, kind)}
    causes, attributions = _read_causes(r), _read_attributions(r)
    if heading["modality"] == "reported" and not attributions and f.ok:
        f.bad("a 'reported' fact needs 'attributed_to' (who says so)", "modality")
    if not f.ok:
        return None
    return Fact(
        id=fid, document=doc.id, spans=spans, line=_line(entry) or 0, **heading, **participants, time=time,
        quantities=quantities, commodities=commodities, **structure, causes=causes, attributions=attributions,
        as_stated=dict(as_stated), slips=slips,
    )  # fmt: skip


def _read_heading(f: _Fields, vocabulary) -> dict:
    """kind, label, modality, note and claim: what the fact is and how sure the text is of it."""
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
    return dict(kind=kind, label=label, modality=modality, note=note, claim=claim)


def _entity_ids(r: _Record, key, required: str | tuple, single=False) -> list[str]:
    """The entity ids of one participant field, each of a type the field allows."""
    f, entities, value = r.f, r.entities, r.entry.get(key)
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
        elif not any(r.vocabulary.is_a(entities[eid].type, t) for t in wanted):
            f.bad(f"'{key}' needs a {' or '.join(wanted)}; {eid!r} is a {entities[eid].type}", key)
        else:
            out.append(eid)
    if len(set(out)) != len(out):
        f.bad(f"'{key}' names an entity twice", key)
    return out


def _read_participants(r: _Record) -> dict:
    """Who and what takes part: parties, giver and receiver, go-betweens, places, agreement."""
    parties = _entity_ids(r, "parties", "Agent")
    from_party = _entity_ids(r, "from", "Agent", single=True)
    to_party = _entity_ids(r, "to", "Agent", single=True)
    involves = _entity_ids(r, "involves", "Entity")
    via = _entity_ids(r, "via", "Entity")
    bypassing = _entity_ids(r, "bypassing", "Entity")
    places = _entity_ids(r, "places", ("Place", "State"))
    agreement = _entity_ids(r, "agreement", "Agreement", single=True)
    if r.f.ok and not (parties or from_party or to_party or involves or via or bypassing or places or agreement):
        r.f.bad(
            "a fact needs at least one participant (parties, from, to, involves, via, bypassing, places, agreement)"
        )
    return dict(
        parties=parties, from_party=(from_party or [None])[0], to_party=(to_party or [None])[0], involves=involves,
        via=via, bypassing=bypassing, places=places, agreement=(agreement or [None])[0],
    )  # fmt: skip


def _read_as_stated(r: _Record) -> dict:
    """The words the text uses for an entity, each inside a quote."""
    f, entities = r.f, r.entities
    as_stated = f.mapping("as_stated") or {}
    for eid, words in as_stated.items():
        if eid not in entities:
            f.bad(f"as_stated names unknown entity {_clip(str(eid))}{_entity_hint(str(eid), entities)}", "as_stated")
        elif not _is_text(words) or not r.in_quotes(words):
            f.bad(f"as_stated words for {eid} must be text inside a quote, got {_what(words)}", "as_stated")
    return as_stated


def _read_commodities(r: _Record) -> list[Commodity]:
    commodities = []
    for c in r.f.mappings("commodities"):
        cf = _Fields(c, r.reader, r.fid, {"goods", "stated"}, "commodity field")
        goods, stated = cf.text("goods", True), cf.text("stated", True)
        known = r.vocabulary.codes["Goods"]
        if goods is not None and goods not in known:
            cf.bad(f"unknown goods {goods!r} (known: {', '.join(sorted(known))})", "goods")
        if stated is not None and not r.in_quotes(stated):
            cf.bad(f"commodity words {_clip(stated)} are not in a quote", "stated")
        r.f.ok = r.f.ok and cf.ok
        if cf.ok:
            commodities.append(Commodity(goods, stated))
    return commodities


def _read_quantities(r: _Record, time) -> list:
    quantities = []
    for q in r.f.mappings("quantities"):
        quantity = _read_quantity(q, r.reader, r.fid, r.vocabulary, r.in_quotes, time)
        if quantity is None:
            r.f.ok = False
        else:
            quantities.append(quantity)
    return quantities


def _read_slips(r: _Record) -> list[Slip]:
    """Slips in a fact's quotes, flagged (never fixed)."""
    slips = []
    for s in r.f.mappings("slips"):
        sf = _Fields(s, r.reader, r.fid, {"type", "words", "says"}, "slip field")
        slip = _slip(sf)
        if slip and not r.in_quotes(slip.words):
            sf.bad(f"slip words {_clip(slip.words)} are not in a quote", "words")
        r.f.ok = r.f.ok and sf.ok
        if slip and sf.ok:
            slips.append(slip)
    return slips


def _read_links(r: _Record, kind) -> dict:
    """about (fact kinds), topic_of (a meeting), at_time_of and after (other facts)."""
    f, fid, entry = r.f, r.fid, r.entry
    about = f.text_list("about")
    for k in about:
        if k not in r.vocabulary.fact_kinds:
            f.bad(f"'about' must list fact kinds, got {k!r}", "about")
    topic_of = f.slug("topic_of")
    if kind is not None and (kind == "MeetingTopic") != (topic_of is not None):
        f.bad("a MeetingTopic needs 'topic_of' (its meeting)" if kind == "MeetingTopic"
              else "'topic_of' belongs to kind MeetingTopic", "topic_of")  # fmt: skip
    if topic_of:
        r.links.append(_Link(r.reader, entry, fid, "topic_of", topic_of, "Meeting"))
    for key in ("at_time_of", "after"):
        target = f.slug(key)
        if target:
            r.links.append(_Link(r.reader, entry, fid, key, target))
    return dict(about=about, topic_of=topic_of, at_time_of=entry.get("at_time_of"), after=entry.get("after"))


def _read_causes(r: _Record) -> list[Cause]:
    """The facts the text gives as causes, each with its own quote."""
    causes, modalities = [], r.vocabulary.codes["Modality"]
    for c in r.f.mappings("causes"):
        cf = _Fields(c, r.reader, r.fid, {"fact", "quote", "occurrence", "modality"}, "cause field")
        target, cmod = cf.slug("fact", True), cf.text("modality")
        if cmod is not None and (cmod not in modalities or cmod in ASSERTED):
            cf.bad(f"a cause's modality is one of {', '.join(sorted(set(modalities) - ASSERTED))}, "
                   f"got {cmod!r} (leave it out for a cause the text asserts)", "modality")  # fmt: skip
        span = _span(c, r.reader, r.fid, r.doc, "cause field") if cf.ok else None
        if span and cf.ok:
            causes.append(Cause(target, span, cmod))
            r.links.append(_Link(r.reader, c, r.fid, "causes", target))
        else:
            r.f.ok = False
    return causes


def _read_attributions(r: _Record) -> list[Attribution]:
    """Who the text says says so, each with its own quote."""
    attributions = []
    for a in r.f.mappings("attributed_to"):
        af = _Fields(a, r.reader, r.fid, {"by", "quote", "occurrence"}, "attribution field")
        by = af.text("by")
        if by is not None and (by not in r.entities or not r.vocabulary.is_a(r.entities[by].type, "Agent")):
            af.bad(f"'by' must name a person, state, organisation or company, got {_clip(by)}", "by")
        span = _span(a, r.reader, r.fid, r.doc, "attribution field") if af.ok else None
        if span and af.ok:
            attributions.append(Attribution(by, span))
        else:
            r.f.ok = False
    return attributions


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
