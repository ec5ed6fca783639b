"""Reads a fact's time: a year, a date, a period or a decade, and the words that state it."""

from __future__ import annotations

import datetime as dt
import re

from ...core.corpus import Time
from .reader import _clip, _Fields, _what

TIME_KEYS = {"year", "date", "start", "end", "decade", "stated"}


def _read_time(facts: _Fields, in_quotes, quotes) -> Time | None:
    t = facts.mapping("time")
    if t is None:
        return None
    f = _Fields(t, facts.reader, facts.item, TIME_KEYS, "time field")
    if not t:
        f.bad("time must say something, such as {year: 2014} or {stated: ...}")
    forms = [k for k in ("year", "date", "start", "decade") if k in t]
    if len(forms) > 1:
        f.bad(f"time takes one of year, date, start/end or decade, got {', '.join(forms)}")
    if "end" in t and "start" not in t:
        f.bad("a period needs its 'start' ('end' alone is not a dated time)", "end")
    out = Time()
    if "year" in t:
        out.year = _year_value(t["year"])
        if out.year is None:
            f.bad(f"'year' must be four digits, got {_what(t['year'])}", "year")
    if "date" in t:
        out.date = _date_value(t["date"])
        if out.date is None:
            f.bad(f"'date' must be a real date YYYY-MM-DD, got {_what(t['date'])}", "date")
    if "decade" in t:
        out.decade = _year_value(t["decade"])
        if out.decade is None or not out.decade.endswith("0"):
            f.bad(f"'decade' must be a year ending in 0 (1990 for the 1990s), got {_what(t['decade'])}", "decade")
    for key in ("start", "end"):
        if key in t:
            setattr(out, key, _moment(t[key]))
            if getattr(out, key) is None:
                f.bad(f"'{key}' must be YYYY, YYYY-MM or YYYY-MM-DD (a real date), got {_what(t[key])}", key)
    if out.start and out.end and _first_day(out.start) > _last_day(out.end):
        f.bad(f"period starts after it ends ({out.start} > {out.end})", "start")
    if "stated" in t:
        out.stated = f.text("stated")
        if out.stated is not None and not in_quotes(out.stated):
            f.bad(f"time wording {_clip(out.stated)} is not in a quote", "stated")
    facts.ok = facts.ok and f.ok
    if not f.ok:
        return None
    years = {v[:4] for v in (out.year, out.date, out.start, out.end, out.decade) if v}
    out.from_context = bool(years) and not any(y in q for y in years for q in quotes)
    return out


def _first_day(moment: str) -> dt.date:
    return dt.date.fromisoformat(moment if len(moment) == 10 else (moment + "-01-01")[:10])


def _last_day(moment: str) -> dt.date:
    if len(moment) == 10:
        return dt.date.fromisoformat(moment)
    if len(moment) == 4:
        return dt.date(int(moment), 12, 31)
    year, month = int(moment[:4]), int(moment[5:7])
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _year_value(v) -> str | None:
    s = str(v) if isinstance(v, (int, str)) and not isinstance(v, bool) else ""
    return s if re.fullmatch(r"[0-9]{4}", s) else None


def _date_value(v) -> str | None:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
        try:
            return dt.date.fromisoformat(v).isoformat()
        except ValueError:
            return None
    return None


def _moment(v) -> str | None:
    if _year_value(v):
        return _year_value(v)
    if isinstance(v, str) and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", v):
        return v
    return _date_value(v)
