"""What add-document accepts as a new source text.

A new text is UTF-8 without control characters other than tab, line feed and carriage
return: a NUL or an escape byte is never an author's word, would reach a terminal as a
command (ESC) and cannot be written in the YAML fact file that add-document starts with
every sentence. The corpus reader itself still reads a text that holds one (a corpus
received from elsewhere is evidence as it is): everything nkrel prints escapes it.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def control_character(text: str) -> str | None:
    """Where the first forbidden control character is ("U+001B at line 3, column 7"), or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return f"U+{ord(found.group()):04X} at line {line}, column {column}"


def field_problem(value: str) -> str | None:
    """Why a one-line field (a title, a publisher) cannot be recorded, or None."""
    if _SURROGATE.search(value):
        return "is not valid UTF-8 text"
    if _CONTROL.search(value) or "\n" in value or "\r" in value or "\t" in value:
        return "holds a control character (a line break, tab, NUL or escape)"
    if not value.strip():
        return "is empty"
    return None
