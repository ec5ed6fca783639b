"""Reads one YAML file of the corpus and the typed fields of its records.

Every problem is collected (not only the first) and reported as one line naming the
file, the line and the fact id. Every field of a record has one declared type: a value
of another type is refused, never coerced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ...core.corpus import SLUG, Problem


class _Reader:
    """Collects problems while reading one YAML file."""

    def __init__(self, path: Path, root: Path, problems: list[Problem], raw: bytes | None = None):
        self.path = path
        self.raw = raw  # the file's bytes when the caller already read them (and keyed a cache by them)
        self.name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        self.problems = problems

    def problem(self, node, item, message, key=None):
        self.problems.append(Problem(self.name, _line(node, key), item, message))

    def load(self, top_key: str | None = None):
        """The file's content; None (and a problem recorded) when it cannot be used.

        An empty or comment-only file is a problem, never an empty corpus: a truncated
        file must not silently drop a document's facts."""
        from ..yamlfile import YamlError, parse_yaml_bytes, read_yaml

        try:
            data = read_yaml(self.path) if self.raw is None else parse_yaml_bytes(self.raw)
        except OSError as e:
            self.problems.append(Problem(self.name, None, None, f"cannot read: {_reason(e)}"))
            return None
        except YamlError as e:
            self.problems.append(Problem(self.name, e.line, None, str(e)))
            return None
        if data is None:
            self.problems.append(Problem(self.name, None, None, "the file is empty (no YAML content)"))
            return None
        if top_key is not None and not (isinstance(data, dict) and isinstance(data.get(top_key), list)):
            self.problem(data, None, f"expected a mapping with a '{top_key}:' list at the top")
            return None
        return data


def _line(node, key=None) -> int | None:
    from ..yamlfile import line_of

    return line_of(node, key)


def _reason(e: OSError | UnicodeDecodeError) -> str:
    return e.strerror or str(e) if isinstance(e, OSError) else f"not UTF-8 ({e.reason})"


def _clip(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# ---- typed fields -----------------------------------------------------------------
#
# Each field of a record has one declared type. A checker returns the value, or None
# after reporting one line "must be <type>, got <what was there>".


def _what(value) -> str:
    """A short description of a YAML value for error messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    if isinstance(value, str):
        return f"the text {_clip(value)}"
    if isinstance(value, dict):
        return f"a mapping {_clip(repr(dict(value)))}"
    if isinstance(value, list):
        return f"a list {_clip(repr(list(value)))}"
    return f"a {type(value).__name__}"


def _is_text(value) -> bool:
    return isinstance(value, str) and value != ""


class _Fields:
    """Typed access to one record's fields; every refusal is one problem line."""

    def __init__(self, entry, reader, item, known: set[str], what="field"):
        self.entry, self.reader, self.item, self.ok = entry, reader, item, True
        for key in sorted(set(entry) - known, key=str):
            self.bad(f"unknown {what} '{key}' (known: {', '.join(sorted(known))})", key)

    def bad(self, message, key=None, node=None):
        self.ok = False
        self.reader.problem(self.entry if node is None else node, self.item, message, key)

    def text(self, key, required=False, max_len=None):
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if value is None:
            self.bad(f"missing field '{key}'", key)
            return None
        if not _is_text(value):
            self.bad(f"'{key}' must be text, got {_what(value)}", key)
            return None
        if max_len and len(value) > max_len:
            self.bad(f"'{key}' is {len(value)} characters long (at most {max_len})", key)
            return None
        return value

    def slug(self, key, required=False):
        value = self.text(key, required)
        if value is not None and not SLUG.match(value):
            self.bad(f"'{key}' must be a slug [a-z0-9-], got {_clip(value)}", key)
            return None
        return value

    def text_list(self, key):
        value = self.entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(_is_text(v) for v in value):
            self.bad(f"'{key}' must be a list of text, got {_what(value)}", key)
            return []
        return list(value)

    def mapping(self, key, required=False):
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.bad(f"'{key}' must be a mapping, got {_what(value)}", key)
            return None
        return value

    def mappings(self, key):
        value = self.entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.bad(f"'{key}' must be a list of mappings, got {_what(value)}", key)
            return []
        return list(value)

    def occurrence(self, key="occurrence"):
        value = self.entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.bad(f"'{key}' must be a whole number from 1, got {_what(value)}", key)
            return False
        return value
