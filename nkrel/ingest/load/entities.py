"""Reads entities.yaml: each entity, its Wikidata id and its reference block."""

from __future__ import annotations

import re

from ...core.corpus import LABEL_MAX, NOTE_MAX, SLUG, WIKIDATA, Entity, Reference
from .reader import _clip, _Fields, _Reader, _what
from .times import _date_value

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
