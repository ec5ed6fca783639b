"""The README's pictures: each view of the built network page, in headless chromium.

Usage: python tests/screenshots.py OUT_DIR (docs/screenshots) [--page graphs/network.html]   (make screenshots)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import launch, open_page, require_browser  # noqa: E402

FACT = "ta-china-dprk-trade-peak-2014"
# (file, viewport, steps: page.evaluate / click calls, in order)
SHOTS = [
    ("network.png", (1440, 900), [("eval", "() => nkrel.select({edge: 'g|china|north-korea|trade'})")]),
    (
        "timeline.png",
        (1440, 900),
        [("click", "#tab-timeline"), ("eval", f"() => nkrel.select('{FACT}')"), ("click", "#tab-timeline")],
    ),  # fmt: skip
    (
        "trade.png",
        (1440, 900),
        [("click", "#tab-trade"), ("click", "#trade-log"), ("hover", f'#trade-main .mark[data-fact="{FACT}"]')],
    ),  # fmt: skip
    ("table.png", (1440, 900), [("select", "#partner", "nigeria"), ("click", "#tab-table")]),
    (
        "source.png",
        (1440, 900),
        [
            ("eval", "() => nkrel.select('ta-nigeria-dprk-diplomatic-ties-1976')"),
            ("click", "#panel .evidence-actions button"),
        ],
    ),  # fmt: skip
    ("phone.png", (390, 844), []),
    ("phone-timeline.png", (390, 844), [("click", "#tab-timeline")]),
    ("phone-trade.png", (390, 844), [("click", "#tab-trade")]),
    ("phone-table.png", (390, 844), [("click", "#tab-table")]),
    (
        "phone-source.png",
        (390, 844),
        [
            ("eval", "() => nkrel.select('ta-nigeria-dprk-diplomatic-ties-1976')"),
            ("click", "#panel .evidence-actions button"),
            ("eval", "() => window.scrollTo(0, 0)"),
        ],
    ),  # fmt: skip
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--page", type=Path, default=Path("graphs/network.html"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with require_browser()() as playwright:
        browser = launch(playwright)
        for name, viewport, steps in SHOTS:
            page, requests, errors = open_page(browser, args.page, viewport=viewport)
            for step in steps:
                if step[0] == "eval":
                    page.evaluate(step[1])
                elif step[0] == "click":
                    page.click(step[1])
                elif step[0] == "hover":
                    page.hover(step[1])
                elif step[0] == "select":
                    page.select_option(step[1], step[2])
                page.wait_for_timeout(200)
            page.mouse.move(0, 0) if steps and steps[-1][0] != "hover" else None
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.out / name))
            if requests.blocked or errors:
                sys.exit(f"{name}: requests {requests.blocked}, errors {errors}")
            page.context.close()
            print(args.out / name)
        serve_shot(browser, args.out / "serve.png")
        browser.close()
    return 0


def serve_shot(browser, path: Path) -> None:
    """`nkrel serve`'s query page (YASGUI, served by Oxigraph behind nkrel's guard), with a query run."""
    import re
    import shutil
    import signal
    import subprocess

    proc = subprocess.Popen([shutil.which("nkrel"), "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        lines = []
        while not any("Ctrl-C" in line for line in lines):
            line = proc.stdout.readline()
            if not line:
                sys.exit("nkrel serve did not start")
            lines.append(line)
        base = re.search(r"Query page:\s+(\S+)", "".join(lines)).group(1)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page.goto(base)
        page.wait_for_selector(".yasqe .CodeMirror", timeout=30_000)
        page.evaluate("""() => {
            const cm = document.querySelector('.yasqe .CodeMirror').CodeMirror;
            cm.setValue('PREFIX nk: <https://w3id.org/nkrel/ontology#>\\nPREFIX oa: <http://www.w3.org/ns/oa#>\\nSELECT ?fact ?quote WHERE {\\n  ?fact a nk:TradeFlow ;\\n        nk:evidence/oa:hasSelector/oa:exact ?quote\\n} LIMIT 10');
        }""")
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable, .yasr table", timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(path))
        page.context.close()
        print(path)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


if __name__ == "__main__":
    sys.exit(main())
