"""PDF: the text layer in reading order, one paragraph a line, page starts recorded.

pdfminer.six (MIT) groups characters into lines and text boxes by their position and
orders the boxes in reading order. Then: words hyphenated at a line end are joined,
running headers and footers (a box in the top or bottom tenth of a page that repeats,
digits aside, on another page) and page numbers are dropped, and a paragraph cut by a
page break is joined again. A PDF with no text layer at all is a scan: refused.
"""

from __future__ import annotations

import io
import re
from importlib.metadata import version

RULES = 1  # raise when the rules below change what a PDF's text is
MARGIN = 0.1  # the top and bottom tenth of a page hold running headers and footers
MAX_PAGES = 3000

SCANNED = "no text layer: this looks like a scanned PDF; run OCR first, for example with ocrmypdf"
_PAGE_NUMBER = re.compile(r"^(page\s+)?[-–—]?\s*([0-9]+|[ivxlc]+)\s*[-–—]?(\s*(/|of)\s*[0-9]+)?$", re.I)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\xad": ""})
_SENTENCE_END = re.compile(r"[.!?:;”\"’)]$")


def extractor() -> str:
    return f"nkrel-pdf/{RULES} pdfminer.six/{version('pdfminer.six')}"


def extract_pdf(raw: bytes) -> dict:
    """{"text", "pages": start offset of each page, "title"}; ValueError with a clear reason."""
    pages, title = _read_boxes(raw)
    if not any(box for page in pages for box in page["boxes"]):
        raise ValueError(SCANNED)
    chrome = _running_chrome(pages)
    paragraphs: list[str] = []  # the text, one paragraph a line
    starts: list[int] = []  # for each page, (paragraph index, offset in it) where it starts
    marks: list[tuple[int, int]] = []
    for page in pages:
        kept = [b for b in page["boxes"] if not _is_chrome(b, page["height"], chrome)]
        marks.append((len(paragraphs), 0))
        for i, box in enumerate(kept):
            text = _join_lines(box["lines"])
            if i == 0 and paragraphs and _continues(paragraphs[-1], text):
                glue = "" if paragraphs[-1].endswith("-") and text[:1].islower() else " "
                head = paragraphs[-1][:-1] if glue == "" else paragraphs[-1]
                marks[-1] = (len(paragraphs) - 1, len(head) + len(glue))
                paragraphs[-1] = head + glue + text
            else:
                paragraphs.append(text)
    offsets = [0]
    for p in paragraphs:
        offsets.append(offsets[-1] + len(p) + 2)
    starts = [min(offsets[i] + at, max(offsets[-1] - 2, 0)) for i, at in marks]
    starts[0] = 0
    return {"text": "\n\n".join(paragraphs) + "\n", "pages": starts, "title": title}


def _read_boxes(raw: bytes) -> tuple[list[dict], str | None]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(raw)))
    title = None
    for info in document.info:
        value = info.get("Title")
        if isinstance(value, bytes):
            title = _pdf_string(value)
    pages = []
    for n, layout in enumerate(extract_pages(io.BytesIO(raw), laparams=LAParams()), 1):
        if n > MAX_PAGES:
            raise ValueError(f"more than {MAX_PAGES} pages")
        boxes = []
        for element in layout:
            if not isinstance(element, LTTextContainer):
                continue
            lines = [" ".join(line.get_text().translate(_LIGATURES).split()) for line in element
                     if isinstance(line, LTTextLine)]  # fmt: skip
            lines = [line for line in lines if line]
            if lines:
                boxes.append({"lines": lines, "top": element.y1, "bottom": element.y0})
        pages.append({"height": layout.height or 1, "boxes": boxes})
    return pages, title


def _pdf_string(value: bytes) -> str | None:
    if value.startswith(b"\xfe\xff"):
        text = value[2:].decode("utf-16-be", "replace")
    else:
        text = value.decode("latin-1")
    text = " ".join(text.split())
    return text or None


def _key(text: str) -> str:
    return re.sub(r"[0-9]+", "#", " ".join(text.lower().split()))


def _in_margin(box: dict, height: float) -> bool:
    return box["bottom"] >= (1 - MARGIN) * height or box["top"] <= MARGIN * height


def _running_chrome(pages: list[dict]) -> set[str]:
    """Margin texts (digits aside) found on more than one page."""
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_key(" ".join(b["lines"])) for b in page["boxes"] if _in_margin(b, page["height"])}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n > 1}


def _is_chrome(box: dict, height: float, chrome: set[str]) -> bool:
    if not _in_margin(box, height):
        return False
    text = " ".join(box["lines"])
    return _key(text) in chrome or bool(_PAGE_NUMBER.match(text.strip()))


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its lines: a word hyphenated at a line end is joined."""
    text = lines[0]
    for line in lines[1:]:
        if re.search(r"[a-z]-$", text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def _continues(previous: str, text: str) -> bool:
    """A page's first paragraph goes on from the last one of the page before."""
    return not _SENTENCE_END.search(previous) and text[:1].islower()
