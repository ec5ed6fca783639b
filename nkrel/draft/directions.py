"""Which party of a directed draft is the source and which the target: the prepositions
before the parties ("from", "to"), the direction verbs of the cues ("exported to", "received
from"), and the patterns of embassies, allies and the subject of an event."""

from __future__ import annotations

import re

from .cues import Cues
from .gazetteer import adjectives
from .mentions import Mention


def draft_direction(draft, agents: list[Mention], cues: Cues, text: str, sentence) -> tuple[str, str] | None:
    """From and to parties, from the prepositions before them and the direction cues."""
    source, target = None, None
    marked = False  # a side named by its preposition: "to North Korea", "by North Korean instructors"
    for a in agents:
        before = text[max(0, a.start - 12) : a.start]
        for group in ("SourceMarker", "TargetMarker"):
            hits = cues.groups[group].find(before)
            if hits and re.fullmatch(r"\s*(?:the\s+)?", before[hits[-1][1] :]):
                if group == "SourceMarker" and source is None:
                    source, marked = a, True
                elif group == "TargetMarker" and target is None:
                    target, marked = a, True
    if source is None and draft.kind in ADJECTIVE_KINDS:
        source = _named_before_the_event(agents, text, draft.kind_at)
        if source is not None:
            marked = True
            draft.cues.append(f"direction: {source.entity} named right before the event word")
    verb = None
    # a cue in the quote, else earlier in its sentence ("exported 3 t in 1990, 5 t in 1991"); a
    # cue after the quote belongs to a clause drafted on its own
    for lo, hi in ((draft.start, draft.end), (sentence[0], draft.end)):
        for group in ("ForwardCue", "BackwardCue"):
            for hit in cues.groups[group].find(text, lo, hi):
                if verb is None or hit[0] < verb[0]:
                    verb = (hit[0], hit[1], group, hit[3])
        if verb:
            break
    if verb:
        # nearest the verb last; a party borrowed from the preceding sentence (start -1) comes first
        # a side already known is not the other side again, under another of its names
        known = {x.entity for x in (source, target) if x is not None}
        before = sorted((a for a in agents if a.end <= verb[0] and a.entity not in known), key=lambda a: a.start)
        after = [a for a in agents if a.start >= verb[1] and a.entity not in known]
        first = before[-1] if before else None
        second = after[0] if after else None
        if verb[2] == "ForwardCue":
            source = source or first or (second if target and second is not target else None)
            target = target or (second if second is not source else None)
            if source is None and len(after) > 1 and after[0] is target:  # "visiting Pyongyang, a Cuban delegation"
                source = after[1]
        else:
            target = target or first
            source = source or second
        draft.cues.append(f"direction: {verb[3]!r}")
    if draft.kind == "Embassy":
        source, target = _embassy_sides(agents, text, source, target, draft.kind_at)
    if draft.kind in ("Partnership", "TradeShare") and verb is None:
        source, target = _owner_sides(agents, text, source, target, draft.kind_at, draft.kind == "TradeShare")
    if verb is None and source is None and target is None and draft.kind in SUBJECT_KINDS:
        source, target = _subject_sides(agents, draft.kind_at, text)
        if source:
            draft.cues.append(f"direction: {source.entity} is the subject before the event word")
    borrowed = [a for a in agents if a.start < 0 and a is not source and a is not target]
    if (source is None) != (target is None) and len(borrowed) == 1:
        source, target = (source, borrowed[0]) if source else (borrowed[0], target)
        draft.cues.append(f"{borrowed[0].entity} from the preceding sentence takes the other side")
    if (source is None) != (target is None) and (marked or verb):
        # one side is known ("to North Korea", "by North Korean instructors"): with two
        # parties in all, the other one is the other side
        known = source or target
        others = list(dict.fromkeys(a.entity for a in agents if a.entity != known.entity))
        if len(others) == 1:
            other = next(a for a in agents if a.entity == others[0])
            source, target = (source, other) if source else (other, target)
            draft.cues.append(f"{other.entity} is the other side")
    if source and target and source.entity != target.entity:
        return source.entity, target.entity
    return None


# kinds whose subject acts on the other party: "North Korea built a reactor in Syria",
# "North Korean officials traveled to the site", "Malaysia expelled the diplomats"
SUBJECT_KINDS = frozenset({"Project", "Visit", "MilitarySupport", "Aid", "Labour", "Policy", "Change", "Investment"})


def _subject_sides(agents: list[Mention], cue_at: int, text: str):
    """The party named first in the event word's clause is the source ("..., and in 2003 it
    renounced"), else the first named before the event word; another party is the destination.
    None when no party comes before the event word."""
    named = sorted((a for a in agents if a.start >= 0), key=lambda a: a.start)
    before = [a for a in named if a.end <= cue_at]
    if not before:
        return None, None
    clause_start = max(text.rfind(",", before[0].start, cue_at), text.rfind(";", before[0].start, cue_at))
    subject = next((a for a in before if a.start > clause_start), before[0])
    if any(a.start == subject.start and a.entity != subject.entity for a in named):
        return None, None  # "the two countries", "Relations ...": both at once, no subject
    other = next((a for a in named + [a for a in agents if a.start < 0] if a.entity != subject.entity), None)
    return (subject, other) if other else (None, None)


EMBASSY_HOST = re.compile(r"\bin\s+(?:the\s+)?(?:(?:capital|city)(?:\s+city)?(?:\s+of)?,?\s+)?$")
EMBASSY_AFTER = re.compile(r"(?:[’']s)?\s+(?:[Ee]mbassy|[Ee]mbassies|[Cc]onsulate)")


def _embassy_sides(agents: list[Mention], text: str, source, target, cue_at: int):
    """The state that keeps an embassy, and the one it is in: "an embassy in Havana", "in the
    capital of Malabo" (host); "a North Korean embassy", "Cuba's embassy" (keeper)."""
    hosts = [a for a in agents if a.start >= 0 and EMBASSY_HOST.search(text[max(0, a.start - 30) : a.start])]
    hosts = [a for a in hosts if a.start > cue_at] or hosts  # the place after "embassy" is where it is
    keepers = [a for a in agents if a.end >= 0 and EMBASSY_AFTER.match(text, a.end) and a not in hosts]
    if hosts:
        target = hosts[0]
    if keepers:
        source = keepers[0]
    if (hosts or keepers) and source is not None and target is not None and source.entity == target.entity:
        source = None
    if hosts and source is None:
        source = next((a for a in agents if a.entity != target.entity), None)
    if keepers and target is None:
        target = next((a for a in agents if a.entity != source.entity), None)
    before = [a for a in agents if 0 <= a.start < cue_at]
    if not (hosts or keepers) and source is None and target is None and len({a.entity for a in before}) == 1:
        # "North Korea opened an embassy in Dar es Salaam" (a city it does not know): the subject keeps it
        source = before[-1]
        target = next((a for a in agents if a.entity != source.entity), None)
    return source, target


OWNER_BEFORE = re.compile(r"[’']s(?:\s+[a-z-]+){0,3}\s+")  # "North Korea's closest ally", "Zimbabwe's foreign trade"
OWNER_AFTER = re.compile(r"[a-z-]+(?:\s+[a-z-]+){0,3}\s+of\s+(?:the\s+)?")  # "partner and sponsor of North Korea"


def _owner_sides(agents: list[Mention], text: str, source, target, cue_at: int, owner_is_source: bool):
    """Whose partner or whose trade: the state named with 's right before the event word, or
    after "of" right after it. An ally or partner is the source and its owner the destination
    ("Cuba has been one of North Korea's allies", "China is the main partner of North Korea");
    a trade share goes from the state whose trade it is ("30% of Zimbabwe's trade was with X")."""
    owners = [a for a in agents if a.end >= 0 and a.end <= cue_at and OWNER_BEFORE.fullmatch(text, a.end, cue_at)]
    owners += [a for a in agents if a.start > cue_at and OWNER_AFTER.fullmatch(text, cue_at, a.start)]
    if not owners:
        return source, target
    other = next((a for a in agents if a.entity != owners[0].entity), None)
    if other is None:
        return source, target
    return (owners[0], other) if owner_is_source else (other, owners[0])


# kinds whose giver is often named by its adjective or 's right before the event word:
# "a major North Korean investment", "Soviet military aid", "China's aid"
ADJECTIVE_KINDS = frozenset({"Aid", "MilitarySupport", "Investment", "Labour"})
# at most two words between, neither a word of another clause ("brigade to Cuba to assist")
RIGHT_BEFORE = re.compile(
    r"(?:[’']s)?(?:\s+(?!(?:to|for|with|and|or|in|into|of|by|from|on|at|as|is|was|were|are|be|been|has|had|have|"
    r"will|would|did|not|that|which|who|its|their|his|her)\b)[a-z-]+){0,2}\s+"
)  # fmt: skip


def _named_before_the_event(agents: list[Mention], text: str, cue_at: int):
    """The party named by its adjective ("North Korean") or with 's right before the event
    word, at most two small words apart; a plain name there is an object ("gave North Korea
    food aid")."""
    for a in agents:
        if 0 <= a.end <= cue_at and a.end > a.start and RIGHT_BEFORE.fullmatch(text, a.end, cue_at):
            if a.words in adjectives() or re.match(r"[’']s\b", text[a.end : a.end + 3]):
                return a
    return None
