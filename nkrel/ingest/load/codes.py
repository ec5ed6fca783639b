"""Reads a fact's coded values: its change, role, rank, scope, qualifiers and offices,
each a code of the ontology with the words of a quote that state it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.corpus import Coded, Office
from .reader import _clip, _Fields

if TYPE_CHECKING:
    from .facts import _Record


def _read_change(r: _Record, kind) -> dict:
    """A Change's direction and what changes; only a Change has one."""
    f, codes = r.f, r.vocabulary.codes
    change_direction = change_of = None
    change = f.mapping("change")
    if change is not None:
        cf = _Fields(change, r.reader, r.fid, {"direction", "of"}, "change field")
        change_direction, change_of = cf.text("direction", True), cf.text("of")
        if change_direction is not None and change_direction not in codes["ChangeDirection"]:
            cf.bad(f"unknown change direction {change_direction!r} "
                   f"(known: {', '.join(sorted(codes['ChangeDirection']))})", "direction")  # fmt: skip
        if change_of is not None and change_of not in r.vocabulary.fact_kinds:
            cf.bad(f"change 'of' must be a fact kind, got {change_of!r}", "of")
        f.ok = f.ok and cf.ok
    if (kind == "Change") != (change is not None) and kind is not None:
        f.bad("a Change needs 'change: {direction: ...}'" if kind == "Change" else "'change' belongs to kind Change",
              "change" if change is not None else "kind")  # fmt: skip
    return dict(change_direction=change_direction, change_of=change_of)


def _read_codes(r: _Record, kind) -> dict:
    """A Partnership's role, the rank, a Recognition's scope, the qualifiers and the offices."""
    f, codes, reader, fid, in_quotes = r.f, r.vocabulary.codes, r.reader, r.fid, r.in_quotes
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
    offices = [_office(b, reader, fid, r.entities, codes["OfficeKind"], in_quotes) for b in f.mappings("offices")]
    f.ok = f.ok and all(offices)
    return dict(role=role, rank=rank, scope=scope, qualifiers=qualifiers, offices=offices)


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
    """An {person, office, of?, for?, stated} block: the office a person holds, in the text's words."""
    of_ = _Fields(block, reader, fid, {"person", "office", "of", "for", "stated"}, "office field")
    person, kind = of_.text("person", True), of_.text("office", True)
    state, for_, stated = of_.text("of"), of_.text("for"), of_.text("stated", True)
    refs = (("person", person, ("Person",), "a Person"), ("of", state, ("State",), "a State"),
            ("for", for_, ("Organisation", "Region"), "an Organisation or a Region"))  # fmt: skip
    for key, eid, etypes, what in refs:
        if eid is not None and (eid not in entities or entities[eid].type not in etypes):
            of_.bad(f"'{key}' must name {what}, got {_clip(eid)}", key)
    if kind is not None and kind not in known:
        of_.bad(f"unknown office {kind!r} (known: {', '.join(sorted(known))})", "office")
    if stated is not None and not in_quotes(stated):
        of_.bad(f"office words {_clip(stated)} are not in a quote", "stated")
    return Office(person, kind, state, stated, for_) if of_.ok else None
