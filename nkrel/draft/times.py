"""Times as a text states them: dates, years, periods, decades, months, 'since' and vague
wordings kept as stated. Each time keeps its wording (a verbatim slice) and its reading
as years, year-months or dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .cues import Cues

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTH = "|".join(calendar.month_name[1:])
Y = r"(1[6-9]\d\d|20\d\d)"
LEAD = r"(?:(?:ever\s+)?since|in|by|during(?:\s+the\s+year)?|from|of|on|as\s+of)"
ORDINAL_MONTHS = {"first": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                  "ten": 10, "eleven": 11}  # fmt: skip
DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (6, 9)}  # the readings the curated facts use


@dataclass
class Time:
    start: int  # offsets of the wording in the text
    end: int
    stated: str
    year: str | None = None
    date: str | None = None
    period: tuple[str, str] | None = None
    since: bool = False
    vague: bool = False
    month: int | None = None  # a month named without its year ("in December")
    decade: int | None = None  # "in the 1990s", "in the late 1980s": some time in that decade

    def years(self) -> set[str]:
        values = [self.year, self.date] + list(self.period or ())
        return {v[:4] for v in values if v}


def find_times(text: str, cues: Cues, events: list[tuple[int, int]] = ()) -> list[Time]:
    """Every time wording in ``text``; ``events`` are spans naming historical events."""
    found: list[Time] = []

    def add(t: Time) -> None:
        if all(t.end <= o.start or t.start >= o.end for o in found):
            found.append(t)

    lead = rf"(?:{LEAD}\s+)?"
    for m in re.finditer(rf"(?i:on\s+)?\b({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,|\s+of)?\s+{Y}", text):
        add(_date(m, int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))))
    for m in re.finditer(rf"(?i:on\s+)?\b(\d{{1,2}})\s+({MONTH})\s+{Y}", text):
        add(_date(m, int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in re.finditer(rf"(?i:on\s+)?\b(\d{{1,2}})\.(\d{{1,2}})\.{Y}\b", text):
        add(_date(m, int(m.group(3)), int(m.group(2)), int(m.group(1))))
    for m in re.finditer(rf"(?i:the\s+)?first\s+(\w+)\s+months\s+of\s+{Y}", text):
        n = ORDINAL_MONTHS.get(m.group(1).lower())
        if n:
            add(Time(m.start(), m.end(), m.group(), period=(f"{m.group(2)}-01", f"{m.group(2)}-{n:02d}")))
    for m in re.finditer(rf"\b({MONTH})\s+to\s+({MONTH})\s+{Y}", text):
        a, b = MONTHS[m.group(1).lower()], MONTHS[m.group(2).lower()]
        add(Time(m.start(), m.end(), m.group(), period=(f"{m.group(3)}-{a:02d}", f"{m.group(3)}-{b:02d}")))
    for m in re.finditer(rf"(?i:(?:in|on|during)\s+)?(?i:(?:early|late|mid-?)\s*)?\b({MONTH})\s+{Y}", text):
        month = f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
        add(Time(m.start(), m.end(), m.group(), period=(month, month)))
    for m in re.finditer(rf"(?i:between)\s+{Y}\s+and\s+{Y}|(?i:from)\s+{Y}\s+to\s+{Y}", text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if a <= b:
            add(Time(m.start(), m.end(), m.group(), period=(a, b)))
    for m in re.finditer(rf"{lead}{Y}\s*[–-]\s*{Y}\b", text, re.IGNORECASE):
        if m.group(1) <= m.group(2):
            add(Time(m.start(), m.end(), m.group(), period=(m.group(1), m.group(2))))
    for m in re.finditer(rf"{lead}{Y}\s*[–-]\s*(\d\d)(?![\d%])", text, re.IGNORECASE):  # "the 2018–19 talks"
        end = m.group(1)[:2] + m.group(2)
        if m.group(1) < end:
            add(Time(m.start(), m.end(), m.group(), period=(m.group(1), end)))
    decades = r"(?i:in\s+|during\s+|(?:ever\s+)?since\s+)?(?i:the\s+)?(?:(early|mid|late)[\s-]+)?(1[6-9]\d|20\d)0s\b"
    for m in re.finditer(decades, text):
        lo, hi = DECADE_PARTS.get((m.group(1) or "").lower(), (0, 9))
        decade = int(m.group(2) + "0")
        since = m.group().lower().startswith(("since", "ever"))  # "since the 1960s": from then on, no end
        period = (f"{m.group(2)}{lo}", f"{m.group(2)}{hi}")
        add(Time(m.start(), m.end(), m.group(), period=period, decade=None if since else decade, since=since))
    for m in re.finditer(rf"{lead}{Y}(?![\d%,.]\d|\s*(?:tons?|tonnes?|hectares?|%))", text, re.IGNORECASE):
        since = m.group().lower().lstrip().startswith(("since", "ever"))
        add(Time(m.start(), m.end(), m.group(), year=m.group(1), since=since))
    for m in re.finditer(rf"(?i:on\s+)?\b(\d{{1,2}})\s+({MONTH})\b|(?i:in\s+)?\b({MONTH})\b(?!\s+\d)", text):
        month = MONTHS[(m.group(2) or m.group(3)).lower()]
        add(Time(m.start(), m.end(), m.group(), vague=True, month=None if m.group(1) else month))
    for s, e, _, words in cues.groups["VagueTimeCue"].find(text):
        add(Time(s, e, words, vague=True))
    for s, e, _, _words in cues.groups["EventTimeCue"].find(text):
        for a, b in events:  # after the Korean War, during the Chinese Cultural Revolution
            gap = text[e:a]
            if 0 <= a - e <= 5 and re.fullmatch(r"\s*(?:the\s+)?", gap):
                add(Time(s, b, text[s:b], vague=True))
    return sorted(found, key=lambda t: t.start)


def _date(m: re.Match, year: int, month: int, day: int) -> Time:
    try:
        value = dt.date(year, month, day).isoformat()
    except ValueError:
        return Time(m.start(), m.end(), m.group(), year=str(year))
    return Time(m.start(), m.end(), m.group(), date=value)
