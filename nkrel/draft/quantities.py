"""Quantities as a text states them: money with scale words and currencies, percentages,
tonnes, hectares, factors, durations and counts, in digits or number words.

Unit and bound words come from the cues file; number words are read by text2num.
Each quantity keeps its exact wording (``stated``), a verbatim slice of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .cues import Cues

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"  # noqa: E501
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS = _UNITS_WORDS.split() + _TENS_WORDS.split() + ["hundred", "thousand", "million", "billion"]
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
WORDS = rf"(?:several\s+|a\s+)?(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)"
SCALES = {"billion": 10**9, "bn": 10**9, "million": 10**6, "m": 10**6, "thousand": 10**3, "k": 10**3}
SCALE = r"(?:\s*(?:billion|million|thousand|bn)\b|m\b)"
NUMBER = rf"(?:{DIGITS}|(?<![\w-]){WORDS}(?![\w-]))"
MULTIPLIERS = {"twice": 2, "thrice": 3, "half": 50}
YEAR = re.compile(r"^(1[6-9]\d\d|20\d\d)$")
AFTER_YEARS = re.compile(r"\s+(?:after|later|before|earlier|ago|since)\b", re.IGNORECASE)
# a dot before each group of three digits, with no scale word after: a European thousands
# separator, not a decimal point ("60.000 won" is 60,000; "US$1.97 billion" is not concerned)
EUROPEAN_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
# a small number word counts the things named right after it ("three children", "two ships"),
# but not the states, sides or leaders of a relation ("the two countries", "both sides")
COUNTED = re.compile(
    r"\s+(?![a-z]*(?:countries|states|nations|sides|koreas|governments|leaders|parties|peoples|powers|potencies|"
    r"allies|partners|neighbou?rs|regimes|capitals|times|"
    r"decades|years|months|weeks|days|of)\b)(?:[A-Z][\w-]*\s+){0,2}(?:[a-z]+-)?(?:[a-z]+s|children|people|men|women)\b"
)
TIME_SPAN_AFTER = re.compile(r"\s+(?:years?|decades?|months?|weeks?|days?)" + AFTER_YEARS.pattern, re.IGNORECASE)


@dataclass
class Quantity:
    start: int
    end: int
    stated: str
    amount: Decimal
    unit: str
    measure: str
    bound: str = "exact"
    cue: str = ""


def number_value(words: str) -> Decimal | None:
    """A number in digits (with thousands commas) or English words; None if not a number."""
    from text_to_num import text2num

    w = words.strip()
    if re.fullmatch(DIGITS, w):
        return Decimal(w.replace(",", ""))
    w = re.sub(r"[\s-]+", " ", w.lower())
    factor = 1
    if w.startswith("several "):  # "several hundred thousand": at least two of them
        w, factor = "two " + w[len("several ") :], 1
    elif w.startswith("a "):
        w = "one " + w[2:]
    try:
        return Decimal(text2num(w, "en")) * factor
    except ValueError:
        return None


def find_quantities(text: str, cues: Cues, masked: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Every quantity in ``text``; spans in ``masked`` (dates, years) are left alone."""
    found: list[Quantity] = []
    taken = list(masked)

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(q: Quantity) -> None:
        if free(q.start, q.end):
            q = _with_bound(text, q, cues)
            found.append(q)
            taken.append((q.start, q.end))

    unit_words = {code: words for code, words in cues.units.terms.items()}
    prefix_currency = sorted((w for c in ("USD", "RUB") for w in unit_words.get(c, ()) if not w[-1].isalpha()
                              or w.isupper()), key=len, reverse=True)  # fmt: skip
    suffix = {w: c for c, ws in unit_words.items() for w in ws if w[-1].isalpha() or w == "%"}
    suffix_re = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(suffix, key=len, reverse=True))
    pre_re = "|".join(re.escape(w) for w in prefix_currency)

    # Money with the currency first: $6.86 billion, US$105 million, USD 5m
    for m in re.finditer(rf"(?<![\w$])({pre_re})\s?({DIGITS})({SCALE})?", text):
        amount = _scaled(Decimal(m.group(2).replace(",", "")), m.group(3))
        unit = _unit_of(m.group(1), unit_words)
        add(Quantity(m.start(), m.end(), m.group(), amount, unit, "value", cue=f"money {m.group()!r}"))
    # A number, a scale word maybe, then a unit word: 4.5 billion "old" Rubles, 830,000 tons, 60%, 5m dollars
    for m in re.finditer(rf"({NUMBER})({SCALE})?\s?(?:worth\s+)?({suffix_re})(?![\w])", text, re.IGNORECASE):
        value = number_value(m.group(1))
        if value is None:
            continue
        unit = suffix[_key(m.group(3), suffix)]
        if unit == "year" and AFTER_YEARS.match(text, m.end()):
            continue  # "sixty years after the war": a time, not a figure
        if not m.group(2) and EUROPEAN_THOUSANDS.fullmatch(m.group(1).strip()):
            value = Decimal(m.group(1).strip().replace(".", ""))  # "60.000 won", "5.000 tons": thousands
        amount = _scaled(value, m.group(2))
        measure = _measure(unit, text, m.start(), cues)
        if measure == "change" and _decrease_before(text, m.start(), cues):
            amount = -amount
        add(Quantity(m.start(), m.end(), m.group(), amount, unit, measure, cue=f"{unit} {m.group()!r}"))
    # Factors and multipliers: tenfold, twice, over half
    for m in re.finditer(rf"(?<![\w-])({_WORD}|\d+)-?fold\b", text, re.IGNORECASE):
        value = number_value(m.group(1))
        if value is not None:
            add(Quantity(m.start(), m.end(), m.group(), value, "factor", "change", cue=f"factor {m.group()!r}"))
    for m in re.finditer(r"(?<![\w-])(twice|thrice|half)(?![\w-])", text, re.IGNORECASE):
        word = m.group(1).lower()
        unit, measure = ("percent", "share") if word == "half" else ("count", "count")
        add(Quantity(m.start(), m.end(), m.group(), Decimal(MULTIPLIERS[word]), unit, measure, cue=f"{m.group()!r}"))
    # A group's size: "a 103-man work brigade", "a 12-member delegation"
    for m in re.finditer(r"(?<![\w.,$-])(\d[\d,]*)-(?:man|men|member|strong|person)\b", text):
        value = number_value(m.group(1))
        if value is not None:
            add(Quantity(m.start(), m.end(), m.group(), value, "count", "count", cue=f"count {m.group()!r}"))
    # A scaled number after a money or mass figure of the sentence takes its unit: "US$3.2
    # million in 1990 (1991: 2.1 million)" is US$2,100,000
    for m in re.finditer(rf"(?<![\w.,$-])({DIGITS})({SCALE})(?![\w%$-])", text, re.IGNORECASE):
        earlier = [q for q in found if q.end <= m.start() and q.measure in ("value", "mass")]
        if earlier and free(m.start(), m.end()):
            last = max(earlier, key=lambda q: q.start)
            amount = _scaled(Decimal(m.group(1).replace(",", "")), m.group(2))
            add(Quantity(m.start(), m.end(), m.group(), amount, last.unit, last.measure, cue=f"{last.unit} carried"))
    # Counts: any other number that is not a year, an ordinal or part of a name
    for m in re.finditer(rf"(?<![\w.,$-])({NUMBER})(?![\w%$-]|[.,]\d)", text, re.IGNORECASE):
        words = m.group(1).strip()
        value = number_value(words)
        if value is None or YEAR.match(words) or _stopword_number(words):
            continue
        if TIME_SPAN_AFTER.match(text, m.end()):
            continue  # "sixty years after the war": a time, not a figure
        if not words[0].isdigit() and " " not in words and "-" not in words and value <= 10:
            if not COUNTED.match(text, m.start() + len(words)):
                continue  # "the two countries", "one of": small number words are rarely figures
        add(Quantity(m.start(), m.start() + len(words), words, value, "count", "count", cue=f"count {words!r}"))
    return sorted(found, key=lambda q: q.start)


def _stopword_number(words: str) -> bool:
    """'one', 'a' and 'zero' alone are rarely counts worth a fact."""
    return words.lower() in {"one", "a", "zero", "several", "hundred", "thousand", "million", "billion"}


def _key(words: str, table: dict[str, str]) -> str:
    norm = re.sub(r"\s+", " ", words)
    for w in table:
        if w.lower() == norm.lower():
            return w
    raise KeyError(words)


def _unit_of(symbol: str, unit_words: dict[str, tuple[str, ...]]) -> str:
    return next(code for code, words in unit_words.items() if symbol in words)


def _scaled(value: Decimal, scale: str | None) -> Decimal:
    if scale:
        value *= SCALES[scale.strip().lower()]
    return value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))


def _measure(unit: str, text: str, start: int, cues: Cues) -> str:
    if re.fullmatch(r"[A-Z]{3}", unit) or unit == "RUB-old":  # an ISO 4217 currency (RUB-old: fact model v1)
        return "value"
    if unit == "tonne":
        return "mass"
    if unit == "hectare":
        return "area"
    if unit in ("year", "hour"):
        return "duration"
    if unit == "percent":
        before = text[max(0, start - 25) : start]
        for group, measure in (("LevelCue", "level"), ("RelativeChangeCue", "change")):
            hits = cues.groups[group].find(before)
            if hits and not before[hits[-1][1] :].strip(" ,"):
                return measure
        return "share"
    return "count"


def _decrease_before(text: str, start: int, cues: Cues) -> bool:
    return bool(cues.groups["DecreaseCue"].find(text[max(0, start - 40) : start]))


def _with_bound(text: str, q: Quantity, cues: Cues) -> Quantity:
    """Widen the quantity to the bound words right before it (over, about, no more than)."""
    before = text[max(0, q.start - 20) : q.start]
    for s, e, code, words in reversed(cues.bounds.find(before)):
        if not before[e:].strip():
            if code == "at-least" and words.lower() == "several":
                continue  # already read into the number
            start = q.start - len(before) + s
            return Quantity(start, q.end, text[start : q.end], q.amount, q.unit, q.measure, code, q.cue)
    if q.stated.lower().startswith("several "):
        return Quantity(q.start, q.end, q.stated, q.amount, q.unit, q.measure, "at-least", q.cue)
    return q
