"""One draft per giver of a list: "Czechoslovakia, Hungary, North Korea, and Poland also
furnished arms" states four acts of supply, each a fact a reviewer accepts on its own,
not one act of six undirected parties (issue 21: one draft per fact)."""

from __future__ import annotations

import copy
import re

# what may stand between two items of a list of states: a comma, "and", a bracketed other
# name ("the German Democratic Republic (East Germany)"), an article
LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")
SAME_STATE_GAP = re.compile(r"\s*\(\s*")
# kinds that go from a giver to a receiver (visitor to host)
GIVING_KINDS = frozenset({"Aid", "MilitarySupport", "Investment", "Labour", "Visit"})


def each_listed_giver(draft, mentions, pair: list[str], text: str) -> list:
    """The draft once per state of the list of givers before its event word, each to the
    receiver (the state it names after the list, else the document's other main state)."""
    if draft.kind not in GIVING_KINDS:
        return [draft]
    givers = _listed_states(mentions, draft.start, min(draft.kind_at, draft.end), text)
    if len(givers) < 2 or (draft.from_party and draft.from_party not in givers):
        return [draft]
    # the receiver it names after the event words, else the document's other main state (one
    # taken from an earlier sentence is no receiver of this list: "Cubans also ...")
    named_after = {m.entity for m in mentions if draft.kind_at <= m.start and m.end <= draft.end}
    receiver = draft.to_party if draft.to_party in named_after and draft.to_party not in givers else None
    receiver = receiver or next((p for p in pair if p not in givers), None)
    if receiver is None:
        return [draft]
    out = []
    for giver in givers:
        one = copy.copy(draft)
        one.parties, one.from_party, one.to_party = [], giver, receiver
        one.cues = [*draft.cues, f"one of {len(givers)} givers listed: {giver} to {receiver}"]
        out.append(one)
    return out


def _listed_states(mentions, start: int, event: int, text: str) -> list[str]:
    """The states of the last list before the event word: mentions joined only by list gaps."""
    items: list[list] = []  # [entity, end]
    for m in sorted((m for m in mentions if start <= m.start and m.end <= event and m.type == "State"),
                    key=lambda m: m.start):  # fmt: skip
        gap = text[items[-1][1] : m.start] if items else ""
        if items and m.entity == items[-1][0] and SAME_STATE_GAP.fullmatch(gap):
            items[-1][1] = m.end + (1 if text[m.end : m.end + 1] == ")" else 0)
        elif items and LIST_GAP.fullmatch(gap):
            items.append([m.entity, m.end])
        else:
            items = [[m.entity, m.end]]
    if not items or not re.fullmatch(r"[\s,]*(?:\w+\s+){0,2}", text[items[-1][1] : event]):
        return []  # the list must end just before the event words ("..., and Yugoslavia, also furnished")
    return list(dict.fromkeys(e for e, _ in items))
