"""The corpus as nkrel holds it in memory: documents, entities, facts and their parts
(spans of evidence, quantities, times), the problems found while reading them, and the
constants of what a record may hold. Plain data: this module imports nothing of nkrel, so
that every stage can name these types (issue 24, docs/code-layout.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
CONTEXT = 32  # code points of prefix/suffix kept with each quote
MAX_AMOUNT = Decimal(10) ** 18  # amounts are below this in size ...
MAX_DIGITS = 18  # ... with at most this many significant digits ...
MAX_DECIMALS = 6  # ... and at most this many decimal places
LABEL_MAX, NOTE_MAX = 300, 2000  # characters
RUB_SINCE = 1998  # the ruble was redenominated on 1 January 1998: earlier amounts are RUR
RUR_SINCE = 1992  # the Russian ruble replaced the Soviet one (SUR) in 1992
RUBLES = {"SUR": (None, RUR_SINCE), "RUR": (RUR_SINCE, RUB_SINCE), "RUB": (RUB_SINCE, None)}  # years [from, to)


def default_corpus_dir() -> Path:
    return Path(str(files("nkrel") / "corpus"))


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    item: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.item + ': ' if self.item else ''}{self.message}"


class CorpusError(Exception):
    """The corpus could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class Document:
    id: str
    file_name: str
    title: str
    publisher: str | None
    sha256: str
    text: str
    source: dict | None = None  # a PDF's or a page's original: file, sha256, format, extractor, pages, ...

    def page_of(self, offset: int) -> int | None:
        """The 1-based page of a PDF that holds the code point at offset; None for other documents."""
        pages = (self.source or {}).get("pages")
        if not pages:
            return None
        import bisect

        return bisect.bisect_right(pages, offset)


@dataclass
class Reference:
    """Statements about an entity that no text makes: they go to the reference graph."""

    origin: str  # an https IRI, or "curator" (the curator's general knowledge)
    checked: str | None = None
    founded: str | None = None
    dissolved: str | None = None
    located_in: str | None = None
    capital_of: str | None = None


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: list[str]
    wikidata: str | None = None
    wikidata_verified: str | None = None
    located_in: str | None = None
    successor: str | None = None
    note: str | None = None
    doubt: str | None = None  # the curator found no such entity under this name
    reference: Reference | None = None


@dataclass
class Span:
    """Verbatim words of a document with code-point offsets [start, end)."""

    document: str
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass
class Quantity:
    measure: str
    amount: Decimal
    unit: str
    bound: str
    stated: str | None


@dataclass
class Slip:
    """A slip in the source that the curator saw: words of the quote and what is wrong."""

    type: str
    words: str
    says: str


SLIP_TYPES = {"misspelling", "garbled", "wrong-name", "inconsistency", "implausible", "missing-date", "ambiguous",
              "anachronism", "repetition", "grammar", "imprecise", "dangling-reference", "title-mismatch",
              "wrong-date", "name-variant"}  # fmt: skip


@dataclass
class Time:
    year: str | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    decade: str | None = None  # "1980": one unknown point in 1980-1989
    stated: str | None = None
    from_context: bool = False  # no year of it is in the quotes: the curator took it from the context

    @property
    def start_year(self) -> str | None:
        """First year of the interval holding the fact's time."""
        return self.year or (self.date or self.start or self.decade or "")[:4] or None

    @property
    def end_year(self) -> str | None:
        """Last year of that interval; None when open ("since 2014") or undated."""
        if self.decade:
            return str(int(self.decade) + 9)
        return self.year or (self.date or self.end or "")[:4] or None


@dataclass
class Commodity:
    goods: str  # code of the goods scheme
    stated: str  # the words of the text


@dataclass
class Coded:
    """A code of a code list (a rank, a qualifier, a recognition scope) with the words
    of the text that give it."""

    code: str
    stated: str


@dataclass
class Office:
    """An office a person holds, as the text states it (“the North's premier”)."""

    person: str  # entity id (Person)
    kind: str  # code of nk:OfficeKind
    of: str | None  # entity id (State) whose office it is, where the text says
    stated: str  # the words of the text
    for_: str | None = None  # entity id (Organisation or Region) the office is for, where the text names it


@dataclass
class Cause:
    fact: str  # id of the fact or event given as the cause
    span: Span  # the words that give it
    modality: str | None = None  # only when the cause is not asserted


@dataclass
class Attribution:
    by: str | None  # entity id of the speaker or source; None when the text names no one
    span: Span  # the words that attribute it


@dataclass
class Fact:
    id: str
    document: str
    kind: str
    label: str
    modality: str
    spans: list[Span]  # the verbatim spans it cites; the first is its main evidence
    line: int
    parties: list[str] = field(default_factory=list)
    from_party: str | None = None
    to_party: str | None = None
    involves: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    bypassing: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    agreement: str | None = None
    time: Time | None = None
    quantities: list[Quantity] = field(default_factory=list)
    commodities: list[Commodity] = field(default_factory=list)
    change_direction: str | None = None
    change_of: str | None = None
    role: str | None = None
    rank: Coded | None = None  # a code of nk:Rank: the text ranks the figure (the peak, the largest, ...)
    qualifiers: list[Coded] = field(default_factory=list)  # codes of nk:Qualifier (unconditional, bilateral, ...)
    scope: Coded | None = None  # a code of nk:RecognitionScope: what a recognition recognises
    offices: list[Office] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    topic_of: str | None = None
    causes: list[Cause] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    at_time_of: str | None = None
    after: str | None = None
    as_stated: dict[str, str] = field(default_factory=dict)
    claim: str | None = None
    note: str | None = None
    slips: list[Slip] = field(default_factory=list)

    @property
    def evidence(self) -> Span:
        return self.spans[0]

    @property
    def goods(self) -> list[str]:
        return sorted({c.goods for c in self.commodities})


@dataclass
class NonFact:
    reason: str
    span: Span


@dataclass
class DocumentSlip:
    """A slip of a document as a whole (its title against its body, say)."""

    document: str
    slip: Slip
    span: Span


@dataclass
class Corpus:
    documents: dict[str, Document]
    entities: dict[str, Entity]
    facts: list[Fact]
    non_facts: list[NonFact]
    document_slips: list[DocumentSlip] = field(default_factory=list)


NON_FACT_REASONS = {
    "heading",
    "page-chrome",
    "reference-list",
    "attribution",
    "unrelated-teaser",
    "unrelated-quotation",
    "opinion",
    "background",  # context the text gives with no fact of its own (proposed by `nkrel draft`)
    "speculation",
    "outside-topic",
}
