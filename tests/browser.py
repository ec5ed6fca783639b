"""Open nkrel's pages in Debian's chromium, driven by Playwright, with the network cut off.

Every request the page makes is routed: file: requests go through, anything else is
aborted and recorded, so a test can assert that none was attempted. Used by
tests/test_browser.py and tests/benchmark_network.py.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("NKREL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserMissing(RuntimeError):
    pass


def require_browser():
    """Playwright's sync API, or a clear error naming what to install."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise BrowserMissing(
            "the Python package playwright is missing: pip install -e '.[test]' (make test-deps)"
        ) from e
    if not Path(CHROMIUM).is_file():
        raise BrowserMissing(f"{CHROMIUM} is missing: apt-get install chromium (make test-deps)")
    return sync_playwright


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Requests:
    allowed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


READY = "() => Boolean(window.nkrel && window.nkrel.status().ready && window.nkrel.status().evidence)"
FAILED = "() => document.getElementById('status') && document.getElementById('status').textContent"


def wait_ready(page, timeout_s: float = 60.0, errors: list | None = None) -> None:
    """Wait until the page is interactive (layout settled, physics stopped) and has read its evidence.

    Polled from Python: Playwright's wait_for_function evaluates strings with eval,
    which the page's Content-Security-Policy forbids (as it should).
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(READY):
        if time.monotonic() > deadline or errors:
            raise TimeoutError(
                f"the page did not become ready within {timeout_s} s; status: {page.evaluate(FAILED)!r}; "
                f"errors: {errors}"
            )
        time.sleep(0.02)


def open_page(browser, path: Path, *, ready: bool = True, timeout_s: float = 60.0, viewport=(1400, 900),
              bypass_csp: bool = False, hash: str | None = None):  # fmt: skip
    """A new page with every non-file request aborted and counted; (page, requests, errors).

    bypass_csp=True ignores the page's Content-Security-Policy (to show that its escaping
    alone keeps hostile text inert, or to add axe-core); hash: the URL's #fragment.
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, offline=True, bypass_csp=bypass_csp
    )
    page = context.new_page()
    requests = Requests()
    errors: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith("file:"):
            requests.allowed.append(url)
            r.continue_()
        else:
            requests.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(Path(path).resolve().as_uri() + (f"#{hash}" if hash else ""))
    if ready:
        wait_ready(page, timeout_s, errors)
    return page, requests, errors


AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


def require_axe() -> Path:
    """axe-core's script (npm, installed by `make test-deps` into tests/js), or a clear error."""
    if not AXE.is_file():
        raise BrowserMissing(f"{AXE} is missing: npm ci --prefix tests/js (make test-deps)")
    return AXE


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now (WCAG 2.x A and AA rules).

    axe is added as a script tag, which the page's own Content-Security-Policy would refuse:
    open the page with bypass_csp=True for this check.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(require_axe()))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                                      'wcag21aa', 'best-practice']}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG (what chromium writes)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytes(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def ink(png: bytes) -> float:
    """The share of pixels of a screenshot that are not (near) white: 0 for a blank area."""
    width, height, rows = png_pixels(png)
    bpp = len(rows[0]) // width
    inked = 0
    for row in rows:
        for i in range(0, len(row), bpp):
            if min(row[i], row[i + 1], row[i + 2]) < 235:
                inked += 1
    return inked / (width * height)
