"""Where a sentence is cut into clauses, each drafted on its own: breaks before "while",
"but", "which", "and" + a new subject, the items of a list of acts, after a leading visit
("After a visit to X in 1981, ..."); and the sentence that defines the text's own topic,
which states no fact."""

from __future__ import annotations

import re

from .references import PAIR_WORDS

CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?=(?:yet|whereas|while|but|however|although|which|as|when|and|where|notably|especially)\s)"
    r"|(?<=\S)\s+(?=(?:while|whereas)\s)"  # "Pakistan has an embassy in Pyongyang while North Korea maintains one"
    r"|(?<=\S)\s+(?=and\s+(?:[A-Z]|both\s|the\s+two\s|(?:in|by|on)\s+\d{4}\b))"
    # "Cuba has an embassy in Pyongyang and North Korea one in Havana", "... and both states established
    # relations", "relations improved and in 2009, ..." (each side long enough, naming its own party);
    # (?<=\S): a run of spaces is tried once, not from each of its spaces (that grew with its square)
)  # fmt: skip
# a list of acts of one subject: "Angola expelled the ambassador, closed the embassy, and banned
# workers"; each item after a comma is a clause of its own when the list ends with ", and" + a verb
PAST = r"(?:[a-z]+ed|withdrew|sent|sold|gave|cut|broke|built|held|met|made|took|began|left|paid|sought|bought|won)"
LIST_ITEM = re.compile(rf",\s+(?=(?:and\s+)?{PAST}\s)")
LIST_END = re.compile(rf",\s+and\s+{PAST}\s")
MIN_CLAUSE_WORDS = 4
# a leading phrase that is an event of its own, naming where it went: "After a good-will visit
# to North Korea in 1981, Obote signed ...", "During his trip to Moscow, Kim met ..."
LEADING_EVENT = re.compile(
    r"(?:After|Following|During)\s+(?:an?|the|his|her|their|its)\s+"
    r"([^,;]{0,40}?\b(?:visit|trip|tour)\s+to\s+[^,;]{1,80}?),\s+(?=\S)"
)
BETWEEN_X = re.compile(r"\bbetween\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}$")


def clauses(s, text: str, context) -> list[tuple[int, int]]:
    """Cut a sentence at clause breaks when both sides are long enough to state something."""
    cuts = [s.start]
    body = text[s.start : s.end]
    items = context.mentions + context.quantities
    breaks = list(CLAUSE_BREAK.finditer(body))
    if LIST_END.search(body):
        breaks = sorted(breaks + list(LIST_ITEM.finditer(body)), key=lambda m: m.start())
    lead = LEADING_EVENT.match(body)
    if lead and any(s.start + lead.start(1) <= x.start < s.start + lead.end(1) for x in context.mentions):
        cuts.append(s.start + lead.end())  # "After a visit to North Korea in 1981, Obote signed": two events
    for m in breaks:
        if m.start() < cuts[-1] - s.start:
            continue  # the same comma as a break already taken
        left = body[cuts[-1] - s.start : m.start()]
        right_end = next_break(body, m.end())
        right = body[m.end() : right_end]
        left_start = cuts[-1]
        has_own = any(m.end() + s.start <= x.start < right_end + s.start for x in items) or bool(
            PAIR_WORDS.search(right)  # "and both states established relations": the pair just named
        )
        left_own = any(left_start <= x.start < m.start() + s.start for x in items) or bool(PAIR_WORDS.search(left))
        long_enough = len(left.split()) >= MIN_CLAUSE_WORDS and len(right.split()) >= MIN_CLAUSE_WORDS + 1
        if BETWEEN_X.search(left) and right.startswith("and"):
            continue  # "relations between North Korea and Cambodia were established": one pair, one clause
        if right.startswith("and") and only_a_name(left, s.start + m.start(), context.mentions):
            continue  # "During the Cold War, North Korea and Cuba forged a bond": one subject of two names
        if long_enough and has_own and left_own:
            cuts.append(s.start + m.end())
    spans = []
    for i, c in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else s.end
        seg = text[c:end].rstrip(" ;,")
        spans.append((c, c + len(seg)))
    return spans


def only_a_name(left: str, at: int, mentions) -> bool:
    """The words since the last comma of `left` (which ends at `at`) are one name and nothing
    else, an article and a bracketed other name aside ("the German Democratic Republic (East
    Germany)"): the item of a list of names, not a clause."""
    tail = left.rsplit(",", 1)[-1]
    name = re.fullmatch(r"\s*(?:the\s+)?(.+?)(?:\s*\([^()]*\))?\s*", tail, re.DOTALL)
    begin, end = at - len(tail) + name.start(1), at - len(tail) + name.end(1)
    return any(m.start == begin and m.end == end for m in mentions)


def next_break(body: str, pos: int) -> int:
    m = CLAUSE_BREAK.search(body, pos)
    return m.start() if m else len(body)


# "Cuba–North Korea relations (...) are the bilateral relations between Cuba and North Korea":
# the article's definition of its own topic states no fact
TOPIC_DEFINITION = re.compile(
    r"\brelations?(?:hip)?\b.{0,200}?\b(?:refers?\s+to|are|is)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}"
    r"(?:relations|relationships?)\s+between\b"
)
