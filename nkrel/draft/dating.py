"""Which time a draft takes: its clause's own, a list's label ("1991: 2.1 million"), one of
a list of times ("in 1980 and again in 1986"), a time shared with a party joined by "and",
or an explicit anchor ("a year later", "the same year"); never a year from an unrelated
sentence."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from .quantities import Quantity, number_value
from .times import Time

if TYPE_CHECKING:  # drafter imports this module
    from .drafter import Draft, _Context


def ctx_text_before(ctx, pos: int) -> str:
    return ctx.text[max(ctx.start, pos - 12) - ctx.start : pos - ctx.start]


def label_time(group: list[Quantity], times: list[Time], text: str) -> Time | None:
    """The year that labels a figure of a list: "(1991: 2.1 million; 1992: 1.5 million)"."""
    first = group[0].start
    return next((t for t in times if t.end <= first and LIST_LABEL.fullmatch(text, t.end, first)), None)


LIST_LABEL = re.compile(r"\s*[:=]\s*(?:[A-Za-z$€£]{0,3}\s?)?")


# "in 1980 and again in 1986", "in 1986, 1991 and 1995", "severed in 1990 and restored in 2001"
TIME_LIST = re.compile(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:(?:again|later|once more|[a-z]+ed)\s+)?")


def each_time(draft: Draft, times: list[Time], text: str) -> list[Draft]:
    """'made a state visit to North Korea in 1980 and again in 1986': one draft per time of a
    list (not for figures, which have their own times)."""
    if draft.quantities or draft.time is None:
        return [draft]
    # the times after the event word only: a time before it belongs to an earlier clause
    dated = [t for t in times if draft.kind_at <= t.start and t.end <= draft.end and not t.vague and t.years()]
    chains: list[list[Time]] = []
    for t in sorted(dated, key=lambda t: t.start):
        if chains and t.start >= chains[-1][-1].end and TIME_LIST.fullmatch(text, chains[-1][-1].end, t.start):
            chains[-1].append(t)
        else:
            chains.append([t])
    chain = next((c for c in chains if any(t.start == draft.time.start for t in c)), [])
    if len(chain) < 2:
        return [draft]
    out = []
    for t in chain:
        one = copy.copy(draft)
        one.time, one.cues = t, [*draft.cues, f"one of {len(chain)} times: {t.stated!r}"]
        out.append(one)
    return out


def draft_time(draft: Draft, group, region, ctx: _Context, previous, time_anchor, text: str) -> None:
    inside = [t for t in ctx.times if draft.start <= t.start and t.end <= draft.end]
    chosen = None
    if group:
        lo, hi = region
        after = [t for t in inside if group[-1].end <= t.start and t.end <= hi and not t.vague]
        before = [t for t in inside if lo <= t.start and t.end <= group[0].start and not t.vague]
        if not (after or before):  # a period stated before all the figures: "During 2000–2005, ... from X to Y"
            before = [t for t in inside if t.end <= group[0].start and t.period]
        chosen = label_time(group, ctx.times, text) or (after[:1] or before[-1:] or [None])[0]
        if chosen is not None and chosen.period and chosen in before:
            chosen = _end_of_period(chosen, ctx, group[0].start)
    if chosen is None:
        dated = [t for t in inside if not t.vague]
        if len(dated) > 1:  # a time inside a leading phrase ("In response to ... in the mid-1990s,") is background
            lead = ctx.text[: max(0, ctx.text.find(",", draft.start - ctx.start))]
            background = [t for t in dated if t.end - ctx.start <= len(lead) and len(lead) > len(t.stated) + 3]
            dated = [t for t in dated if t not in background] or dated
        pool = dated or inside
        chosen = min(pool, key=lambda t: abs(t.start - draft.kind_at)) if pool else None
    earlier = [t for t in ctx.times if not t.vague and t.end <= draft.start]
    if chosen is None and earlier:
        chosen = earlier[-1]
        draft.cues.append("time from earlier in the sentence")
    later = [t for t in ctx.times if not t.vague and t.start >= draft.end]
    if chosen is None and len(later) == 1 and SHARED_TIME.fullmatch(text, draft.end, later[0].start):
        chosen = later[0]  # "sold rifles to Tanzania and Uganda in the 1970s": one time for both
        draft.cues.append("time shared with the party named after 'and'")
    if (chosen is None or chosen.month) and previous is not None and previous.last_time is not None:
        # a year from another sentence only with an explicit anchor ("the same year", "a year later")
        if chosen is None and time_anchor:
            chosen = previous.last_time
            draft.time_from_context = True
            draft.cues.append("time from the preceding sentences of the paragraph")
    if chosen is not None and chosen.month:  # "in December" of the year given before
        year_from = (earlier[-1] if earlier else None) or (previous.last_time if previous else None)
        if year_from and year_from.years():
            month = f"{max(year_from.years())}-{chosen.month:02d}"
            chosen = Time(chosen.start, chosen.end, chosen.stated, period=(month, month), vague=False)
            draft.cues.append("year of the month from earlier in the text")
    relative = _relative_time(draft, ctx, previous, text)
    if relative is not None:
        chosen = relative
    if chosen is not None:
        draft.time = chosen
        draft.cues.append(f"time: {chosen.stated!r}")


RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\s+later"
    r"|the\s+(?P<next>following|next|subsequent)\s+year|(?:the|that)\s+(?:very\s+)?same\s+year)\b",
    re.IGNORECASE,
)


SHARED_TIME = re.compile(r"\s+and\s+[A-Z][^,;]{0,40}")  # "... to Tanzania and Uganda in the 1970s"


def _relative_time(draft: Draft, ctx: _Context, previous, text: str) -> Time | None:
    """'a year later', 'the following year', 'the same year': the year of the time stated
    before it (in its sentence, else the paragraph's last), moved on; None when no dated time
    is stated after it in the quote."""
    found = list(RELATIVE_YEAR.finditer(text, draft.start, draft.end))
    if not found:
        return None
    m = found[-1]
    if any(m.end() <= t.start and t.end <= draft.end and not t.vague for t in ctx.times):
        return None
    earlier = [t for t in ctx.times if t.end <= m.start() and not t.vague and t.years()]
    base = earlier[-1] if earlier else (previous.last_time if previous is not None else None)
    if base is None or not base.years():
        return None
    n = m.group("n")
    if n is None:
        step = 1 if m.group("next") else 0
    else:
        step = 1 if n.lower() in ("a", "an") else int(number_value(n) or 0)
    if not step and n is not None:
        return None
    year = str(max(int(y) for y in base.years()) + step)
    draft.cues.append(f"year {year}: {m.group()!r} after {base.stated!r}")
    return Time(m.start(), m.end(), m.group(), year=year)


def _end_of_period(t: Time, ctx: _Context, figure_start: int) -> Time:
    """'During 2000–2005, trade grew from X to Y': X is of the period's start, Y of its end."""
    words = ctx_text_before(ctx, figure_start)
    if re.search(r"\bfrom\s*$", words):
        return Time(t.start, t.end, t.stated, year=t.period[0][:4])
    if re.search(r"\bto\s*$", words):
        return Time(t.start, t.end, t.stated, year=t.period[1][:4])
    return t
