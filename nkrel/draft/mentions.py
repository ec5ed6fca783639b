"""Entity mentions: the names of the entities file (labels and aliases, verbatim), spelling
variants of them (rapidfuzz), and names no entity has, proposed as draft entities."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.corpus import SLUG, Entity

FUZZY_SCORE = 90  # rapidfuzz ratio (0-100) at which a name is read as a spelling variant
# a capitalised word, then more joined by one space or a small word; never a run of
# spaces ("\s+...?\s*" backtracked over 50,000 spaces in quadratic time)
NAME = re.compile(r"(?<![\w’'-])[A-Z][\w’'.-]*[\w](?:\s(?:(?:of|the|for|and|de|in)\s)?[A-Z][\w’'.-]*[\w])*")
NOT_NAMES = {"The", "A", "An", "In", "On", "By", "After", "During", "Between", "From", "Since", "Both", "Over", "As",
             "It", "Its", "They", "Their", "This", "That", "These", "We", "Of", "But", "However", "Although", "Most",
             "Major", "Few", "Also", "Around", "Much", "Under", "Maybe", "Following", "Throughout", "Relations",
             "Trade", "Read", "Famous", "Focusing", "Experts", "While", "Because", "At", "With", "For", "Check",
             "Home"}  # fmt: skip


WORD = re.compile(r"\w+|[^\w\s]")  # a run of letters and digits, or one other character


def _first_word(name: str) -> str:
    m = WORD.match(name)
    return m.group() if m else name


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass
class Mention:
    start: int
    end: int
    words: str
    entity: str
    type: str
    cue: str  # how it was found: alias, label or fuzzy


@dataclass
class NewName:
    start: int
    end: int
    words: str
    type: str


class EntityIndex:
    """Labels and aliases of the known entities, and of the gazetteer's entities the
    workspace does not have yet (a workspace's own name for a thing wins), matched verbatim
    and longest first."""

    def __init__(self, entities: dict[str, Entity], vocabulary, common_words=(), gazetteer=None):
        self.known = set(entities)  # the workspace's own entities; the others are proposed when used
        self.entities = dict(entities)
        self.vocabulary = vocabulary
        self.names: dict[str, list[str]] = {}
        for e in entities.values():
            for name in [e.label, *e.aliases]:
                ids = self.names.setdefault(name, [])
                if e.id not in ids:
                    ids.append(e.id)
        own_names = set(self.names)
        for e in (gazetteer or {}).values():
            if e.id in self.entities:
                continue
            self.entities[e.id] = e
            for name in [e.label, *e.aliases]:
                if name not in own_names:
                    ids = self.names.setdefault(name, [])
                    if e.id not in ids:
                        ids.append(e.id)
        # type names and cue words ("State", "Rubles") are no names of their own
        self.common_words = {t.lower() for t in vocabulary.entity_types} | set(common_words)
        self.by_first: dict[str, list[str]] = {}  # a name's first word -> its names, longest first
        for name in sorted(self.names, key=len, reverse=True):
            self.by_first.setdefault(_first_word(name), []).append(name)

    def is_a(self, eid: str, ancestor: str) -> bool:
        return self.vocabulary.is_a(self.entities[eid].type, ancestor)

    def find(self, text: str) -> list[Mention]:
        """Every name in the text, leftmost and longest first, in one pass over its words."""
        out = []
        pos = 0
        for w in WORD.finditer(text):
            if w.start() < pos or (w.start() and _wordy(text[w.start() - 1])):
                continue
            for name in self.by_first.get(w.group(), ()):
                end = w.start() + len(name)
                if text.startswith(name, w.start()) and not (end < len(text) and _wordy(text[end])):
                    for eid in self.names[name]:
                        cue = "label" if self.entities[eid].label == name else "alias"
                        out.append(Mention(w.start(), end, name, eid, self.entities[eid].type, cue))
                    pos = end
                    break
        return out

    def find_variants(
        self, text: str, sentence_start: int, known: list[Mention]
    ) -> tuple[list[Mention], list[NewName]]:
        """Names that are spelling variants of a known one, and names no entity has."""
        from rapidfuzz import fuzz, process

        variants, new = [], []
        choices = list(self.names)
        for m in NAME.finditer(text):
            words = m.group()
            if any(k.start < m.end() and k.end > m.start() for k in known):
                continue
            if words in NOT_NAMES or len(words) < 4 or words.lower() in self.common_words:
                continue
            best = process.extractOne(words, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
            if best:
                name = best[0]
                for eid in self.names[name]:
                    cue = f"fuzzy match of {name!r} ({best[1]:.0f})"
                    variants.append(Mention(m.start(), m.end(), words, eid, self.entities[eid].type, cue))
            elif m.start() != sentence_start and not words.isupper() and _proper(words, text, m.start()):
                new.append(NewName(m.start(), m.end(), words, _guess_type(text, m.start(), words)))
        return variants, new


MONTH_OR_DAY = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                "Sunday"}  # fmt: skip


def _proper(words: str, text: str, start: int) -> bool:
    """A name worth proposing: several words, or one word in mid-sentence that is no month or day."""
    if " " in words:
        return True
    after_stop = re.search(r"[.!?:;]\s*$", text[:start])
    return words not in MONTH_OR_DAY and not after_stop and words[1:].islower()


def _guess_type(text: str, start: int, words: str) -> str:
    """A first guess at the type of a new name, from the words around it; review corrects it."""
    before = text[max(0, start - 30) : start].lower()
    last = words.split()[-1].lower()
    if last in {"oblast", "region", "province", "krai", "territory"}:
        return "Region"
    if "city of" in before or "town of" in before:
        return "City"
    if last in {"hall", "tower", "house", "exhibition", "monument", "square"}:
        return "Site"
    if last in {"war", "revolution", "talks", "split", "crisis"}:
        return "HistoricalEvent"
    if last in {"treaty", "agreement", "memorandum", "protocol", "pact"}:
        return "Agreement"
    if any(w in before for w in ("minister", "ambassador", "president", "premier", "envoy", "leader")):
        return "Person"
    if re.fullmatch(r"(?:[A-Z][a-z]+\s){1,2}[A-Z][a-z]+(?:-[a-z]+)?", words):
        return "Person"
    return "Organisation"


def slug(words: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", words.lower().replace("’", "").replace("'", "")).strip("-")
    return s if SLUG.match(s or "-") else "entity"
