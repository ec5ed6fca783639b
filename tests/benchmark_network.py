"""Benchmark: how long the network page takes to become interactive in headless
chromium, for a synthetic 2,000-node graph, next to a trivial page measured in the
same run (these machines are shared and noisy: compare medians and the ratio).

"Interactive" is the moment the layout has settled and physics is switched off
(``window.nkrelNetwork.state.stabilized``), measured from navigation start by the
page's own clock, and as wall time seen from Python (goto + polling). After that the
script times one filter change and one hover.

Usage: python tests/benchmark_network.py [--runs N] [--nodes N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import launch, open_page, require_browser  # noqa: E402
from tests.network_fixtures import large_dataset  # noqa: E402

TRIVIAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>baseline</title></head>
<body><canvas id="c" width="800" height="600"></canvas>
<script>window.nkrelNetwork = {state: {stabilized: true, startedAt: performance.now(), stabilizedAt: 0}};</script>
</body></html>
"""


def measure(browser, path: Path, interact: bool) -> dict:
    start = time.perf_counter()
    page, requests, errors = open_page(browser, path, timeout_s=300)
    wall = time.perf_counter() - start
    state = page.evaluate("() => nkrelNetwork.state")
    result = {"wall": wall, "in_page": (state["startedAt"] + state["stabilizedAt"]) / 1000}
    if interact:
        partner = page.evaluate("() => nkrelNetwork.data.partners[0]")
        t = time.perf_counter()
        page.select_option("#partner", partner)
        page.evaluate("() => nkrelNetwork.visible()")
        result["filter"] = time.perf_counter() - t
        page.select_option("#partner", "")
        node = page.evaluate("() => nkrelNetwork.data.nodes[0].id")
        point = page.evaluate("id => nkrelNetwork.nodePoint(id)", node)
        t = time.perf_counter()
        page.mouse.move(point["x"], point["y"])
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")  # the next frame
        result["hover"] = time.perf_counter() - t
    if requests.blocked:
        sys.exit(f"{path.name} attempted requests: {requests.blocked}")
    if errors:
        sys.exit(f"{path.name}: errors in the page: {errors}")
    page.context.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--built", type=Path, default=Path("graphs/network.html"),
                        help="Also time this built page, if it exists.")  # fmt: skip
    args = parser.parse_args()

    from nkrel.output.network import network_graph, render_network_html

    sync_playwright = require_browser()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        dataset = large_dataset(args.nodes)
        t_dataset = time.perf_counter() - t
        t = time.perf_counter()
        graph = network_graph(dataset)
        t_project = time.perf_counter() - t
        t = time.perf_counter()
        html = render_network_html(graph)
        t_render = time.perf_counter() - t
        pages = {"trivial page (baseline)": (tmp / "trivial.html", False)}
        pages[f"synthetic {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"] = (
            tmp / "large.html",
            True,
        )
        (tmp / "trivial.html").write_text(TRIVIAL, encoding="utf-8")
        (tmp / "large.html").write_text(html, encoding="utf-8")
        if args.built.is_file():
            pages[f"built page ({args.built})"] = (args.built, True)
        print(f"synthetic graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges; "
              f"{len(html) / 1e6:.1f} MB of HTML")  # fmt: skip
        print(f"python: dataset {t_dataset:.2f} s, projection {t_project:.2f} s, rendering {t_render:.2f} s\n")
        times: dict[str, list[dict]] = {name: [] for name in pages}
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for path, interact in pages.values():  # warm-up
                measure(browser, path, interact)
            for _ in range(args.runs):
                for name, (path, interact) in pages.items():
                    times[name].append(measure(browser, path, interact))
            browser.close()
    base = statistics.median(r["wall"] for r in times["trivial page (baseline)"])
    print(f"median of {args.runs} runs (headless chromium, all non-file requests blocked)")
    print(f"{'page':<44} {'interactive (wall)':>18} {'(page clock)':>13} {'x baseline':>11} {'filter':>8} {'hover':>8}")
    for name, rows in times.items():
        wall = statistics.median(r["wall"] for r in rows)
        in_page = statistics.median(r["in_page"] for r in rows)
        filt = f"{statistics.median(r['filter'] for r in rows):.3f}s" if "filter" in rows[0] else "-"
        hover = f"{statistics.median(r['hover'] for r in rows):.3f}s" if "hover" in rows[0] else "-"
        print(f"{name:<44} {wall:>17.2f}s {in_page:>12.2f}s {wall / base:>10.1f}x {filt:>8} {hover:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
