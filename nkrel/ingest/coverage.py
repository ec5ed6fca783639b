"""Coverage: every sentence of every document is cited by a fact or explained.

Sentences are found by a small, deterministic splitter: each non-blank line, cut
after a full stop, question or exclamation mark that is followed by a space and a
capital letter, digit or opening quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .load import Corpus

_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[A-Z0-9“\"‘(])")


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
            sentences.append(Sentence(doc_id, base + pos, base + cut.start(), body[pos : cut.start()]))
            pos = cut.end()
        sentences.append(Sentence(doc_id, base + pos, base + len(body), body[pos:]))
    return sentences


def coverage(corpus: Corpus) -> Coverage:
    """Match each sentence with the facts whose evidence overlaps it, or the reason it is not a fact."""
    sentences = []
    for doc in corpus.documents.values():
        doc_sentences = split_sentences(doc.id, doc.text)
        for s in doc_sentences:
            for f in corpus.facts:
                if f.document == doc.id and f.evidence.start < s.end and f.evidence.end > s.start:
                    s.facts.append(f.id)
            for nf in corpus.non_facts:
                if nf.span.document == doc.id and nf.span.start < s.end and nf.span.end > s.start:
                    if nf.reason not in s.reasons:
                        s.reasons.append(nf.reason)
        sentences += doc_sentences
    return Coverage(sentences)
