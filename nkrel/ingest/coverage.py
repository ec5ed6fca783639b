"""Coverage: every sentence of every document is cited by a fact or explained.

Sentences are found by a small, deterministic splitter: each non-blank line, cut
after a full stop, question or exclamation mark (and a closing bracket, any reference markers such as
"[3]") that is followed by a space and a capital letter, digit or opening quote, but
not after an abbreviation ("U.S.", "Dr.", "Jan.", "No.") or an initial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.corpus import Corpus

# a parenthesised sentence keeps its closing bracket: "(As of 1991, it was not completed.) North ..."
_SENTENCE_END = re.compile(r"(?<=[.!?])(?P<bracket>\))?[”\"’]?(?:\[[^\[\]\n]{1,40}\])*\s+(?=[A-Z0-9“\"‘(])")
# a full stop after these is no sentence's end ("the U.S. Treasury", "Dr. Kim", "Jan. 5", "J. Smith")
_ABBREVIATION = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|D\.P\.R\.K|e\.g|i\.e|Dr|Mr|Mrs|Ms|Prof|Gen|Lt|Col|Capt|Sgt|Gov|Sen|Rep|St|Jr|Sr|No|Nos"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|Inc|Ltd|Corp|Co|approx|est)|(?<![\w.])[A-Z])\.$"
)


@dataclass
class Sentence:
    document: str
    start: int
    end: int
    text: str
    facts: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "fact" if self.facts else ("explained" if self.reasons else "uncovered")


@dataclass
class Coverage:
    sentences: list[Sentence]

    def totals(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for s in self.sentences:
            t = out.setdefault(s.document, {"sentences": 0, "fact": 0, "explained": 0, "uncovered": 0})
            t["sentences"] += 1
            t[s.status] += 1
        return out

    @property
    def uncovered(self) -> list[Sentence]:
        return [s for s in self.sentences if s.status == "uncovered"]


def split_sentences(doc_id: str, text: str) -> list[Sentence]:
    sentences = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group()
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        if not body:
            continue
        base = line.start() + lead
        pos = 0
        for cut in _SENTENCE_END.finditer(body):
            if _ABBREVIATION.search(body, max(0, cut.start() - 12), cut.start()):
                continue
            end = cut.start() + len(cut.group("bracket") or "")
            sentences.append(Sentence(doc_id, base + pos, base + end, body[pos:end]))
            pos = cut.end()
        sentences.append(Sentence(doc_id, base + pos, base + len(body), body[pos:]))
    return sentences


def coverage(corpus: Corpus) -> Coverage:
    """Match each sentence with the facts whose evidence overlaps it, or the reason it is not a fact.

    Facts and reasons are grouped by document first, so the cost grows with the corpus,
    not with its square."""
    facts: dict[str, list] = {}
    for f in corpus.facts:
        facts.setdefault(f.document, []).append(f)
    reasons: dict[str, list] = {}
    for nf in corpus.non_facts:
        reasons.setdefault(nf.span.document, []).append(nf)
    sentences = []
    for doc in corpus.documents.values():
        doc_sentences = split_sentences(doc.id, doc.text)
        for s in doc_sentences:
            for f in facts.get(doc.id, ()):
                if any(span.start < s.end and span.end > s.start for span in f.spans):  # any span it cites
                    s.facts.append(f.id)
            for nf in reasons.get(doc.id, ()):
                if nf.span.start < s.end and nf.span.end > s.start and nf.reason not in s.reasons:
                    s.reasons.append(nf.reason)
        sentences += doc_sentences
    return Coverage(sentences)


def require_coverage(corpus: Corpus) -> None:
    """Refuse a corpus in which some sentence is neither cited by a fact nor explained:
    a truncated or emptied fact file must not silently drop a document's facts."""
    from ..core.corpus import CorpusError, Problem

    gaps: dict[str, list[Sentence]] = {}
    for s in coverage(corpus).uncovered:
        gaps.setdefault(s.document, []).append(s)
    problems = []
    for doc, sentences in gaps.items():
        first = sentences[0]
        text = first.text if len(first.text) <= 60 else first.text[:59] + "…"
        problems.append(
            Problem(
                corpus.documents[doc].file_name,
                None,
                doc,
                f"{len(sentences)} sentence(s) neither cited by a fact nor explained in not_facts, the first "
                f"[{first.start}:{first.end}] {text!r} (`nkrel coverage --uncovered-only` lists them; "
                "--allow-uncovered builds anyway)",
            )  # fmt: skip
        )
    if problems:
        raise CorpusError(problems)
