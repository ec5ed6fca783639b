"""Words that stand for states: "the two countries" and "both sides" (the pair just named,
else the document's main pair), "it", "the country", "Relations ..." with no party named,
and North Korea's leaders (curated in the gazetteer)."""

from __future__ import annotations

import re

from .gazetteer import leaders
from .mentions import EntityIndex, Mention

PAIR_WORDS = re.compile(
    r"\b(?:(?:[Tt]he two|[Bb]oth) (?:countries|states|nations|sides|governments)|[Tt]he countries(?! of\b))\b"
)


# nkrel's documents are about North Korea's relations: where the title leaves a side of the
# main pair open, North Korea takes it if the text names it at all ("Angola: A Country Study")
FOCUS = "north-korea"


def main_pair(text: str, index: EntityIndex, title: str = "") -> list[str]:
    """The document's two main states: those its title names (the one in documents.yaml),
    then North Korea, then those the text's first line names, then those it names most."""
    first_line = text.lstrip().split("\n", 1)[0]
    titled = {m.entity for m in index.find(title) if index.is_a(m.entity, "State")} if title else set()
    counts: dict[str, list[int]] = {}
    for m in index.find(text):
        if index.is_a(m.entity, "State"):
            c = counts.setdefault(m.entity, [0, 0])
            c[0] += m.start < len(first_line) + (len(text) - len(text.lstrip()))
            c[1] += 1
    return sorted(counts, key=lambda e: (e not in titled, e != FOCUS, -counts[e][0], -counts[e][1], e))[:2]


# what a document about North Korea is about: a drafted event between parties none of which is
# Korean ("Czechoslovakia and Poland also furnished arms" to Angola) is outside its topic. South
# Korea stays, as its recognition and trade are part of North Korea's relations; so do the
# Koreas' own bodies (the Workers' Party of Korea, the Korean People's Army)
KOREAS = frozenset({FOCUS, "south-korea"})


def on_topic(drafts: list, pair: list[str], index: EntityIndex) -> list:
    """The drafts of a sentence of a document about North Korea (its main pair has North Korea)
    less those that name two parties or more, no Korean one and no amount of money or goods;
    every draft of any other document."""
    if FOCUS not in pair:
        return drafts

    def korean(eid: str) -> bool:
        e = index.entities.get(eid)
        return eid in KOREAS or (e is not None and "Korea" in e.label)

    out = []
    for d in drafts:
        named = {x for x in (d.from_party, d.to_party, *d.parties) if x}
        money_or_goods = any(q.measure in ("value", "mass") for q in d.quantities)  # kept for its figure
        if len(named) < 2 or money_or_goods or any(korean(x) for x in named):
            out.append(d)
    return out


def pair_mentions(body: str, pair: list[str], index: EntityIndex, named: list[Mention]) -> list[Mention]:
    """'The two countries', 'both sides': the two states just named, else the document's main pair."""
    if len(pair) < 2:
        return []
    out = []
    for m in PAIR_WORDS.finditer(body):
        near = {n.entity for n in named if abs(n.start - m.start()) < 80 and index.is_a(n.entity, "State")}
        if len(near) < 2:  # else the pair is named beside it ("between North Korea and Russia, the two countries")
            out += [Mention(m.start(), m.end(), m.group(), e, index.entities[e].type, "the main pair") for e in pair]
    return out


# "it" as a subject or object that stands for a state; not "it is reported", "it is unclear"
IT = re.compile(
    r"(?<![\w’'-])it(?![\w’'-])(?!\s+(?:is|was|has\s+been|had\s+been|remains|seems|appears)\s+"
    r"(?:not\s+)?(?:reported|said|expected|believed|thought|estimated|unclear|likely|possible|important|clear|known|"
    r"true|difficult|hard|easy|necessary|worth|time))"
)
RELATIONS_FIRST = re.compile(
    r"\s*(?:(?:[Tt]he|[Dd]iplomatic|[Ee]conomic|[Pp]olitical|[Tt]rade)\s+)*([Rr]elations|[Tt]ies|[Bb]ilateral(?=\s+\w))\b"
)
THE_COUNTRY = re.compile(r"\b[Tt]he\s+(?:(?:[A-Z][\w-]*\s+){1,3})?(?:country|nation)(?![\w’'-])")


def reference_mentions(body: str, pair: list[str], index: EntityIndex, named: list[Mention]) -> list[Mention]:
    """A leader's name stands for the state ("Kim Il-sung visited Jakarta"); 'it' as the subject of a
    later clause for the sentence's first state ("Libya
    bought missiles ..., and in 2003 it renounced ..."); 'the country', 'the Southeast Asian
    nation' for a state of the document's main pair that its clause does not name."""
    states = [n for n in named if index.is_a(n.entity, "State") and not index.is_a(n.entity, "Place")]
    out = []
    for name, state in leaders().items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body):
            if state in index.entities:
                out.append(
                    Mention(m.start(), m.end(), m.group(), state, index.entities[state].type, f"leader of {state}")
                )
    states = sorted(states + out, key=lambda n: n.start)
    bare = RELATIONS_FIRST.match(body)
    if bare and not states and len(pair) == 2:  # "Relations were restored in 2007.": the document's pair
        out += [
            Mention(bare.start(1), bare.end(1), bare.group(1), e, index.entities[e].type, "the main pair") for e in pair
        ]
    for m in IT.finditer(body):
        first = next((n for n in states if n.end <= m.start()), None)
        if first is not None:
            out.append(Mention(m.start(), m.end(), m.group(), first.entity, first.type, f"'it': {first.words}"))
    for m in THE_COUNTRY.finditer(body):
        clause_lo = max(body.rfind(c, 0, m.start()) for c in (",", ";", "."))
        near = {n.entity for n in states if n.start > clause_lo}
        other = [e for e in pair if e not in near]
        if len(other) == 1 or (other and not near):
            e = other[0] if len(other) == 1 else next((n.entity for n in reversed(states) if n.end <= m.start()), None)
            if e:
                out.append(Mention(m.start(), m.end(), m.group(), e, index.entities[e].type, "the main pair"))
    return out
