"""Reads a fact's quantities: measure, amount, unit and bound, and the ruble of a year."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ...core.corpus import MAX_AMOUNT, MAX_DECIMALS, MAX_DIGITS, RUB_SINCE, RUBLES, RUR_SINCE, Quantity, Time
from .reader import _clip, _Fields, _what

QUANTITY_KEYS = {"measure", "amount", "unit", "bound", "stated"}
NON_NEGATIVE = {"value", "mass", "share", "count", "area", "duration", "level"}


def _read_quantity(q, reader, fid, vocabulary, in_quotes, time: Time | None) -> Quantity | None:
    f = _Fields(q, reader, fid, QUANTITY_KEYS, "quantity field")
    codes = {}
    for key, code_list in (("measure", "Measure"), ("unit", "Unit"), ("bound", "Bound")):
        code = f.text(key, required=key != "bound")
        if code is None and key == "bound" and "bound" not in q:
            code = "exact"
        if code is not None and code not in vocabulary.codes[code_list]:
            known = ", ".join(sorted(vocabulary.codes[code_list]))
            f.bad(f"unknown {key} {code!r} (known: {known})", key)
        codes[key] = code
    stated = f.text("stated")
    if stated is not None and not in_quotes(stated):
        f.bad(f"quantity wording {_clip(stated)} is not in a quote", "stated")
    amount = q.get("amount")
    value = None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        f.bad(f"'amount' must be a number (not text), got {_what(amount)}", "amount")
    else:
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            f.bad(f"'amount' must be a finite number, got {_what(amount)}", "amount")
            value = None
        elif abs(value) >= MAX_AMOUNT:
            f.bad(f"'amount' {amount} is out of range (its size must be below 10^18)", "amount")
            value = None
        else:
            digits = value.normalize().as_tuple()
            if len(digits.digits) > MAX_DIGITS or -min(digits.exponent, 0) > MAX_DECIMALS:
                f.bad(f"'amount' {amount} has more than {MAX_DIGITS} significant digits or {MAX_DECIMALS} "
                      "decimal places", "amount")  # fmt: skip
                value = None
    if not f.ok or value is None:
        return None
    measure, unit = codes["measure"], codes["unit"]
    if value < 0 and measure in NON_NEGATIVE:
        f.bad(f"a {measure} cannot be negative, got {amount}", "amount")
        return None
    if measure == "share" and unit == "percent" and value > 100:
        f.bad(f"a share cannot exceed 100 percent, got {amount}", "amount")
        return None
    if unit in RUBLES and time and time.start_year and ruble_of(int(time.start_year)) != unit:
        f.bad(f"{unit} is {_RUBLE_NAMES[unit]}; an amount dated {time.start_year} is in "
              f"{ruble_of(int(time.start_year))}, whatever its wording", "unit")  # fmt: skip
        return None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Quantity(measure, value, unit, codes["bound"], stated)


_RUBLE_NAMES = {"SUR": f"the Soviet ruble, until {RUR_SINCE - 1}",
                "RUR": f"the Russian ruble of {RUR_SINCE}-{RUB_SINCE - 1}, before the redenomination",
                "RUB": f"the ruble since {RUB_SINCE}"}  # fmt: skip


def ruble_of(year: int) -> str:
    """The ruble code of a year: SUR until 1991, RUR 1992-1997, RUB since 1998."""
    return next(code for code, (start, end) in RUBLES.items()
                if (start is None or year >= start) and (end is None or year < end))  # fmt: skip
