"""Turn what an analyst has (plain text, a saved web page, a PDF, an address) into a text.

``extract(raw, name)`` decides the format from the bytes (and the name or media type
for HTML), runs the extractor for it in a limited child process and returns an
``Extracted``: the text the facts will quote, the page starts of a PDF, the page's
metadata, and which extractor (and version) made the text. The build never calls
this: it reads the text kept in the corpus, so a new extractor never changes a
built graph silently (see ``nkrel add-document --refresh``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .limits import LimitError, run_limited

MAX_TEXT_BYTES = 64 * 1024 * 1024  # the corpus reader's own limit (yamlfile.MAX_BYTES)
MAX_ORIGINAL_BYTES = 64 * 1024 * 1024  # a PDF or a page as received
FORMATS = {"pdf": ".pdf", "html": ".html", "text": ".txt"}
PDF_TIMEOUT = 600.0  # s: pdfminer.six reads ~3 pages a second on a busy 2-core machine; a bomb hits the memory cap


class ExtractError(Exception):
    """The bytes cannot be turned into a source text; the message says why."""


@dataclass
class Extracted:
    format: str  # "text", "html" or "pdf"
    text: str
    extractor: str | None = None  # None for plain text, which is kept as it is
    pages: list[int] | None = None  # a PDF: the code-point offset where each page starts
    meta: dict = field(default_factory=dict)  # title, author, date, canonical, site (as the page gives them)


def sniff(raw: bytes, name: str = "", media_type: str | None = None) -> str:
    """The format of a document: its bytes first, then its media type and file name."""
    if raw.lstrip()[:5] == b"%PDF-" or b"%PDF-" in raw[:1024]:
        return "pdf"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if media_type in ("text/html", "application/xhtml+xml") or name.lower().endswith((".html", ".htm", ".xhtml")):
        return "html"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def current_extractor(fmt: str) -> str | None:
    if fmt == "pdf":
        from .pdf import extractor

        return extractor()
    if fmt == "html":
        from .html import extractor

        return extractor()
    return None


def extract(raw: bytes, fmt: str, address: str | None = None) -> Extracted:
    """The source text of raw in format fmt; ExtractError with a clear reason."""
    if fmt == "text":
        return Extracted("text", _plain(raw))
    try:
        if fmt == "pdf":
            from .pdf import extract_pdf

            found = run_limited(extract_pdf, raw, timeout=PDF_TIMEOUT)
            return Extracted("pdf", _clean(found["text"]), current_extractor("pdf"), found["pages"],
                             {"title": found["title"]} if found["title"] else {})  # fmt: skip
        from .html import check_html, extract_html

        check_html(raw)
        found = run_limited(extract_html, raw, address)
    except (ValueError, LimitError) as e:
        raise ExtractError(str(e)) from None
    meta = {k: found[k] for k in ("title", "author", "date", "canonical", "sitename") if found.get(k)}
    return Extracted("html", _clean(found["text"]), current_extractor("html"), None, meta)


def _plain(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ExtractError(f"is not UTF-8 text ({e.reason} at byte {e.start})") from None
    return text


def _clean(text: str) -> str:
    """What an extractor gives may still hold control characters (a PDF's text layer can)."""
    import re

    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", " ", text)
