"""HTML: the main text of a page without its chrome, and the page's own metadata.

trafilatura (Apache-2.0) finds the article among navigation, menus, cookie notices,
footers, share buttons and teasers, and reads the title, author, date and canonical
address the page gives. No script runs and no entity or resource is fetched: the page
is parsed by lxml's HTML parser from the bytes given, and a document type that
declares entities is refused before parsing.
"""

from __future__ import annotations

import re
from importlib.metadata import version

RULES = 1  # raise when the options below change what a page's text is
MAX_DEPTH = 256  # element nesting a real page never reaches; lxml itself stops at 255

_ENTITY = re.compile(rb"<!ENTITY", re.I)
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track",
         b"wbr", b"p", b"li", b"option", b"td", b"tr", b"th", b"dt", b"dd"}  # fmt: skip


def extractor() -> str:
    return f"nkrel-html/{RULES} trafilatura/{version('trafilatura')}"


def check_html(raw: bytes) -> None:
    """Refuse, before any parsing, what a page never needs: declared entities, deep nesting."""
    if _ENTITY.search(raw):
        raise ValueError("the page declares XML entities (<!ENTITY): refused, nothing is expanded")
    depth = 0
    for match in _TAG.finditer(raw):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            raise ValueError(f"elements nested more than {MAX_DEPTH} deep: refused")
        depth = max(depth, 0)


def extract_html(raw: bytes, address: str | None = None) -> dict:
    """{"text", "title", "author", "date", "canonical", "site"}; ValueError when no main text is found."""
    import trafilatura

    found = trafilatura.bare_extraction(
        raw.decode("utf-8", "replace") if _declares_utf8(raw) else raw,
        url=address,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    if found is None:
        raise ValueError("no main text found in the page")
    data = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    lines = [" ".join(line.split()) for line in (data.get("text") or "").splitlines()]
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise ValueError("no main text found in the page")
    meta = {key: _clean(data.get(key)) for key in ("title", "author", "date", "sitename")}
    canonical = _clean(data.get("url"))
    return {"text": text + "\n", "canonical": canonical if canonical != address else None, **meta}


def _declares_utf8(raw: bytes) -> bool:
    head = raw[:2048].lower()
    return b"utf-8" in head or b"utf8" in head


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
