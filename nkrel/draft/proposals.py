"""Entities the drafts name that the workspace does not have yet (from the gazetteer):
each is proposed with the drafts, typed as the gazetteer types it, with the names this
document uses for it as aliases (the loader wants every alias in some text)."""

from __future__ import annotations

from ..core.corpus import Entity, Reference
from .drafter import DraftEntity, DraftSet

ROLES = ("parties", "involves", "places")
SINGLE = ("from_party", "to_party", "agreement", "attributed_to")


def named_ids(d) -> list[str]:
    """Every entity id a draft names."""
    out = [i for role in ROLES for i in getattr(d, role)]
    out += [getattr(d, role) for role in SINGLE if getattr(d, role)]
    return list(dict.fromkeys(out))


def propose_used_entities(result: DraftSet, index, text: str) -> None:
    """Add to the draft set every gazetteer entity a draft names (before the new names)."""
    used = [eid for d in result.drafts for eid in named_ids(d) if eid not in index.known]
    proposed = []
    for eid in dict.fromkeys(used):
        e = index.entities[eid]
        aliases = [a for a in e.aliases if a in text]
        start = min((text.find(a) for a in aliases), default=0)
        cue = f"from the gazetteer ({e.reference.origin if e.reference else 'generated from countryinfo'})"
        proposed.append(DraftEntity(eid, e.type, e.label, aliases[0] if aliases else e.label, start, [cue],
                                    aliases=aliases, reference=e.reference))  # fmt: skip
    taken = {p.id for p in proposed}
    result.entities = proposed + [e for e in result.entities if e.id not in taken]


def as_entities(entries) -> dict[str, Entity]:
    """Proposed entity records (drafts file) as loader entities, to check drafts that name them."""
    out = {}
    for e in entries or []:
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            continue
        ref = e.get("reference") if isinstance(e.get("reference"), dict) else None
        reference = (
            Reference(ref.get("origin", "curator"), None, ref.get("founded"), ref.get("dissolved")) if ref else None
        )
        out[e["id"]] = Entity(e["id"], str(e.get("type")), str(e.get("label")), list(e.get("aliases") or []),
                              reference=reference)  # fmt: skip
    return out
