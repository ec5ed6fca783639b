"""Reads evidence: quotes found verbatim in their document, and hints when one is not."""

from __future__ import annotations

import re

from ...core.corpus import CONTEXT, Document, Span
from .reader import _clip, _Fields, _what

SPAN_KEYS = {"quote", "occurrence"}


def _read_evidence(f: _Fields, doc: Document) -> list[Span]:
    """A fact's evidence: one span, or a list of spans; none when any is refused."""
    evidence = f.entry.get("evidence")
    blocks = evidence if isinstance(evidence, list) else [evidence]
    spans: list[Span] = []
    if evidence is None:
        f.bad("missing field 'evidence'", "evidence")
    elif not blocks or not all(isinstance(b, dict) for b in blocks):
        f.bad(f"'evidence' must be a mapping {{quote: ...}} or a list of them, got {_what(evidence)}", "evidence")
    else:
        for block in blocks:
            span = _span(block, f.reader, f.item, doc, "evidence field")
            if span is None:
                f.ok = False
            else:
                spans.append(span)
    return spans


def _span(block, reader, fid, doc, what) -> Span | None:
    """A verbatim span given as {quote, occurrence} inside a larger record."""
    keys = SPAN_KEYS if what == "evidence field" else set(block)
    f = _Fields(block, reader, fid, keys, what) if what == "evidence field" else _Fields(block, reader, fid, keys)
    quote, occurrence = f.text("quote", required=True), f.occurrence()
    if not f.ok:
        return None
    return _locate(quote, occurrence, doc, reader, block, fid)


def _locate(quote, occurrence, doc: Document, reader, node, item) -> Span | None:
    """Find a quote verbatim in its document; it must be unique or name its occurrence."""
    if not isinstance(quote, str) or not quote:
        reader.problem(node, item, f"quote must be non-empty text, got {_what(quote)}", "quote")
        return None
    starts = [m.start() for m in re.finditer(re.escape(quote), doc.text)]
    if not starts:
        hint = _closest_passage(quote, doc.text)
        reader.problem(node, item, f"quote not found verbatim in {doc.file_name}: {_clip(quote)}{hint}", "quote")
        return None
    if occurrence is None:
        if len(starts) > 1:
            reader.problem(
                node, item, f"quote occurs {len(starts)} times in {doc.file_name}; add 'occurrence'", "quote"
            )
            return None
        start = starts[0]
    elif isinstance(occurrence, int) and not isinstance(occurrence, bool) and 1 <= occurrence <= len(starts):
        start = starts[occurrence - 1]
    else:
        reader.problem(node, item, f"occurrence must be 1..{len(starts)}, got {_what(occurrence)}", "occurrence")
        return None
    end = start + len(quote)
    return Span(doc.id, quote, start, end, doc.text[max(0, start - CONTEXT) : start], doc.text[end : end + CONTEXT])


# Characters a curator's keyboard gives where a text has a typographic one: named in the
# hint when the closest passage differs from the quote by one of them.
_LOOKALIKES = [
    ("quote", "'\u2018\u2019\u201a\u2032`\u00b4", {"'": "a straight quote", "`": "a backtick"}, "a curly quote"),
    ("quote", '"\u201c\u201d\u201e\u2033', {'"': "a straight double quote"}, "a curly double quote"),
    (
        "dash",
        "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
        {"-": "a hyphen", "\u2013": "an en dash", "\u2014": "an em dash"},
        "a dash",
    ),
    (
        "space",
        " \u00a0\u2009\u202f\n\t",
        {" ": "a space", "\u00a0": "a no-break space", "\n": "a line break", "\t": "a tab"},
        "a thin space",
    ),
]


def _describe(char: str) -> str:
    for _family, members, names, default in _LOOKALIKES:
        if char in members:
            return f"{names.get(char, default)} {char!r}"
    return repr(char)


def _closest_passage(quote: str, text: str) -> str:
    """Lines for a quote not found verbatim: the closest passage of the text, a caret
    where it first differs from the quote, and what differs (a straight quote for a
    curly one, a hyphen for a dash, a space) when that is it."""
    lo, hi = 0, len(quote)  # the longest prefix of the quote found in the text
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= min(12, len(quote) // 2):
        start = text.index(quote[:lo])
    else:  # the quote differs early: align it where it matches best
        from rapidfuzz import fuzz

        found = fuzz.partial_ratio_alignment(quote, text)
        if found is None or found.score < 60:
            return "\n    no passage of the text is close to it: is it the right document?"
        start, lo = found.dest_start, 0
        while lo < len(quote) and start + lo < len(text) and quote[lo] == text[start + lo]:
            lo += 1
    at = start + lo
    if at >= len(text):
        return "\n    the text ends before the quote does"
    before = text[max(0, at - 40) : at].replace("\n", "\u21b5")
    passage = before + text[at : at + 20].replace("\n", "\u21b5")
    got, want = quote[lo : lo + 1], text[at]
    what = f"the text has {_describe(want)} where the quote has {_describe(got) if got else 'its end'}"
    same = [family for family, members, *_ in _LOOKALIKES if got and got in members and want in members]
    if same:
        what += f" (a {same[0]} difference)"
    return (f"\n    closest passage (character {at}): {passage}"
            f"\n    {' ' * (len('closest passage (character ): ') + len(str(at)) + len(before))}^ {what}")  # fmt: skip


def _entity_hint(eid: str, entities: dict) -> str:
    """'; did you mean X?' for a misspelt entity id, label or alias, and how to add a new one."""
    from rapidfuzz import fuzz, process

    names = {}
    for entity in entities.values():
        for name in (entity.id, entity.label, *entity.aliases):
            names.setdefault(name.lower(), entity.id)
    best = process.extractOne(eid.lower(), list(names), scorer=fuzz.WRatio, score_cutoff=80)
    guess = f"; did you mean {names[best[0]]!r}?" if best else ""
    return f"{guess} (a new entity: add it to entities.yaml, or accept the draft entity in `nkrel review`)"
