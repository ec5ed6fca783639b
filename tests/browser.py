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


READY = "() => Boolean(window.nkrel && window.nkrel.status().ready)"
FAILED = "() => document.getElementById('status') && document.getElementById('status').textContent"


def wait_ready(page, timeout_s: float = 60.0, errors: list | None = None) -> None:
    """Wait until the page is interactive: data read, layout settled, physics stopped.

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
              bypass_csp: bool = False):  # fmt: skip
    """A new page with every non-file request aborted and counted; (page, requests, errors).

    bypass_csp=True ignores the page's Content-Security-Policy, to show that its
    escaping alone keeps hostile text inert.
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
    page.goto(Path(path).resolve().as_uri())
    if ready:
        wait_ready(page, timeout_s, errors)
    return page, requests, errors
