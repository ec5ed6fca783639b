"""Read the drafting cues (ontology/cues.ttl): trigger words per fact class, modality,
direction, bound, unit and time. The words are data; this module only indexes them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.vocabulary import NK, ontology_dir, ontology_path

CUES_FILE = "cues.ttl"


@dataclass(frozen=True)
class CueList:
    """Cue words of several terms; ``find`` gives every match in a text as (start, end, term, words)."""

    terms: dict[str, tuple[str, ...]]  # term (fact kind, code or cue name) -> its words
    ranks: dict[str, int] = field(default_factory=dict)

    @property
    def pattern(self) -> re.Pattern:
        return _compile(self._key)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str, str]]:
        end = len(text) if end is None else end
        if start == 0 and end == len(text):
            return list(self._matches(text))
        # the whole text is searched once and its matches kept: drafting asks about many
        # windows of one long sentence, and searching each afresh grew with its square
        found = self._matches(text)
        return [m for m in found[bisect_left(found, (start,)) :] if m[1] <= end]

    def _matches(self, text: str) -> tuple[tuple[int, int, str, str], ...]:
        return _all_matches(self._key, text)

    @property
    def _key(self) -> tuple[tuple[str, str], ...]:
        key = self.__dict__.get("_pairs")
        if key is None:
            # a word that is a cue of two terms reads as the higher-ranked one, whatever the
            # order the terms were read in (a set's order changed with the hash seed)
            best: dict[str, str] = {}
            for t, words in sorted(self.terms.items()):
                for w in words:
                    old = best.get(w.lower())
                    if old is None or self.ranks.get(t, 0) > self.ranks.get(old, 0):
                        best[w.lower()] = t
            key = tuple(sorted((w, t) for t, words in self.terms.items() for w in words if best[w.lower()] == t))
            object.__setattr__(self, "_pairs", key)
        return key

    def best(self, text: str, start: int = 0, end: int | None = None):
        """The match whose term has the highest rank (then the longest words, then the first)."""
        found = self.find(text, start, end)
        if not found:
            return None
        return max(found, key=lambda m: (self.ranks.get(m[2], 0), m[1] - m[0], -m[0]))


@lru_cache(maxsize=256)
def _all_matches(pairs: tuple[tuple[str, str], ...], text: str) -> tuple[tuple[int, int, str, str], ...]:
    if not pairs:  # a code list this ontology does not have
        return ()
    lookup = {w.lower(): t for w, t in pairs}
    # a cue's space matches any run of whitespace ("more  than", "more\nthan"): look it up as one space
    return tuple((m.start(), m.end(), lookup[" ".join(m.group().lower().split())], m.group())
                 for m in _compile(pairs).finditer(text))  # fmt: skip


@lru_cache(maxsize=64)
def _compile(pairs: tuple[tuple[str, str], ...]) -> re.Pattern:
    words = sorted({w for w, _ in pairs}, key=len, reverse=True)  # longest first: "more than" before "more"
    alternatives = []
    for w in words:
        body = re.escape(w).replace(r"\ ", r"\s+")
        left = r"(?<![\w$])" if w[0].isalnum() else ""
        right = r"(?![\w])" if w[-1].isalnum() else ""
        alternatives.append(left + body + right)
    return re.compile("|".join(alternatives), re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    kinds: CueList  # fact kind -> trigger words
    directed_kinds: frozenset[str]
    modalities: CueList  # modality code -> words
    bounds: CueList  # bound code -> words
    units: CueList  # unit code -> words
    changes: CueList  # change direction code -> words (fact model v2; empty before)
    roles: CueList  # partner role code -> words (fact model v2; empty before)
    groups: dict[str, CueList]  # ForwardCue, BackwardCue, SourceMarker, ... -> words


def _with_ing_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    """A verb cue in -ed also in -ing ("boycotted": "boycotting", "expelled": "expelling"):
    a text names the same event in either form, and the cue lists give one."""
    extra = [w[:-2] + "ing" for w in words if re.fullmatch(r"[a-z]{3,}ed", w) and not w.endswith("eed")]
    return tuple(sorted(set(words) | set(extra)))


@lru_cache(maxsize=1)
def read_cues() -> Cues:
    """Index ontology/cues.ttl with the codes of ontology/nkrel.ttl."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF

    from ..core.vocabulary import read_vocabulary

    g = Graph().parse(ontology_path(), format="turtle")
    vocabulary = read_vocabulary(g)
    g.parse(ontology_dir() / CUES_FILE, format="turtle")
    cue, rank, directed = URIRef(NK + "cue"), URIRef(NK + "cueRank"), URIRef(NK + "takesDirection")

    def local(iri) -> str:
        return str(iri)[len(NK) :]

    def words_of(subject) -> tuple[str, ...]:
        return tuple(sorted(str(w) for w in g.objects(subject, cue)))

    def code_list(name: str) -> CueList:
        codes = vocabulary.codes.get(name, {})
        terms = {code: words_of(URIRef(iri)) for code, iri in codes.items()}
        ranks = {code: int(g.value(URIRef(iri), rank) or 0) for code, iri in codes.items()}
        return CueList({t: w for t, w in terms.items() if w}, ranks)

    kinds = {k: _with_ing_forms(words_of(URIRef(NK + k))) for k in vocabulary.fact_kinds}
    kind_ranks = {k: int(g.value(URIRef(NK + k), rank) or 0) for k in vocabulary.fact_kinds}
    directed_kinds = frozenset(k for k in vocabulary.fact_kinds if g.value(URIRef(NK + k), directed) == Literal(True))
    groups = {
        local(s): CueList({local(s): words_of(s)}) for s in g.subjects(RDF.type, URIRef(NK + "DraftingCue"))
    }  # fmt: skip
    return Cues(
        kinds=CueList({k: w for k, w in kinds.items() if w}, kind_ranks),
        directed_kinds=directed_kinds,
        modalities=code_list("Modality"),
        bounds=code_list("Bound"),
        units=code_list("Unit"),
        changes=code_list("ChangeDirection"),
        roles=code_list("PartnerRole"),
        groups=groups,
    )
