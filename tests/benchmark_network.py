"""Benchmark: the network page's size and time to interactive in headless chromium,
for the shipped corpus replicated 1, 10, 100 and 1,000 times (entities shared by every
copy, or renamed per copy), and for a synthetic 2,000-node graph, next to a trivial
page measured in the same run (these machines are shared and noisy: compare medians
and the ratio).

"Interactive" is the moment the network has been laid out, physics switched off and
the filters wired (``nkrel.status().ready``), measured from navigation start by the
page's own clock. On a large page the evidence (labels, quotes, texts) is read right
after, in the background: "evidence" is when that is done and every view can draw.
"wall" is the same seen from Python (goto plus polling). After that the script times
one filter change and one hover.

Usage: python tests/benchmark_network.py [--runs N] [--sizes 1,10,100,1000]
                                         [--variants shared,disjoint] [--nodes 2000]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import launch, open_page, require_browser  # noqa: E402
from tests.network_fixtures import large_dataset, scaled_graph  # noqa: E402

TRIVIAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>baseline</title></head>
<body><canvas id="c" width="800" height="600"></canvas>
<script>window.nkrel = {status: () => ({ready: true, evidence: true, startedAt: performance.now(), readyAt: 0,
evidenceAt: 0})};</script>
</body></html>
"""


def measure(browser, path: Path, interact: bool) -> dict:
    start = time.perf_counter()
    page, requests, errors = open_page(browser, path, timeout_s=300, viewport=(1440, 900))
    wall = time.perf_counter() - start
    status = page.evaluate("() => nkrel.status()")
    result = {
        "wall": wall,
        "interactive": (status["startedAt"] + status["readyAt"]) / 1000,
        "evidence": (status["startedAt"] + status["evidenceAt"]) / 1000,
    }
    if interact:
        partner = page.evaluate("() => nkrel.data.nodes.id[nkrel.data.focus]")
        t = time.perf_counter()
        page.select_option("#partner", partner)
        page.evaluate("() => nkrel.visible()")
        result["filter"] = time.perf_counter() - t
        page.select_option("#partner", "")
        node = page.evaluate("() => nkrel.nodes.getIds()[0]")
        point = page.evaluate("id => nkrel.nodePoint(id)", node)
        t = time.perf_counter()
        page.mouse.move(point["x"], point["y"])
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")  # the next frame
        result["hover"] = time.perf_counter() - t
        result["drawn"] = page.evaluate("() => nkrel.visible()")
    if requests.blocked:
        sys.exit(f"{path.name} attempted requests: {requests.blocked}")
    if errors:
        sys.exit(f"{path.name}: errors in the page: {errors}")
    page.context.close()
    return result


def write_page(graph, path: Path) -> dict:
    """Render the page; its size, the time it took, and how big each part of the data is."""
    from nkrel.output.network import page_data, render_network_html, split_page_data
    from nkrel.output.network.page import _json_for_script

    t = time.perf_counter()
    html = render_network_html(graph)
    render = time.perf_counter() - t
    path.write_text(html, encoding="utf-8")
    core, evidence = (_json_for_script(p) for p in split_page_data(page_data(graph)))
    return {"render": render, "page_mb": len(html.encode("utf-8")) / 1e6, "core_mb": len(core.encode()) / 1e6,
            "evidence_mb": len(evidence.encode()) / 1e6, "evidence_gz_mb": len(gzip.compress(evidence.encode(), 6)) / 1e6,
            "nodes": graph.number_of_nodes(), "facts": len(graph.graph["facts"])}  # fmt: skip


def median(rows, key):
    values = [r[key] for r in rows if key in r]
    return statistics.median(values) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,10,100,1000", help="copies of the shipped corpus")
    parser.add_argument("--variants", default="shared,disjoint", help="shared and/or disjoint entities")
    parser.add_argument("--nodes", type=int, default=2000, help="a synthetic graph of this many entities (0: none)")
    args = parser.parse_args()

    from nkrel.output.network import COMPRESS_ABOVE, network_graph
    from nkrel.pipeline import build_graph

    sync_playwright = require_browser()
    t = time.perf_counter()
    base = network_graph(build_graph().dataset)
    print(f"shipped corpus: {len(base.graph['facts'])} facts, {base.number_of_nodes()} nodes; "
          f"build and projection {time.perf_counter() - t:.2f} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "trivial.html").write_text(TRIVIAL, encoding="utf-8")
        pages: dict[str, dict] = {"trivial page (baseline)": {"path": tmp / "trivial.html", "interact": False}}
        for variant in args.variants.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                name = f"{size}x {variant}"
                t = time.perf_counter()
                graph = scaled_graph(base, size, variant)
                made = time.perf_counter() - t
                info = write_page(graph, tmp / f"{size}-{variant}.html")
                del graph
                gc.collect()
                print(f"{name}: {info['facts']:,} facts, {info['nodes']:,} nodes; graph {made:.1f} s, "
                      f"page {info['render']:.1f} s, {info['page_mb']:.1f} MB (data: network {info['core_mb']:.1f} MB, "
                      f"evidence {info['evidence_mb']:.1f} MB, gzipped {info['evidence_gz_mb']:.1f} MB)")  # fmt: skip
                pages[name] = {"path": tmp / f"{size}-{variant}.html", "interact": True, **info}
        if args.nodes:
            graph = network_graph(large_dataset(args.nodes))
            name = f"synthetic {args.nodes:,} nodes"
            info = write_page(graph, tmp / "synthetic.html")
            pages[name] = {"path": tmp / "synthetic.html", "interact": True, **info}
        times: dict[str, list[dict]] = {name: [] for name in pages}
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for p in pages.values():  # warm-up
                measure(browser, p["path"], p["interact"])
            for _ in range(args.runs):
                for name, p in pages.items():
                    times[name].append(measure(browser, p["path"], p["interact"]))
            browser.close()
    base_wall = median(times["trivial page (baseline)"], "wall")
    print(f"\nmedian of {args.runs} runs (headless chromium at 1440x900, every non-file request blocked)\n")
    print(
        "| page | facts | nodes drawn | page size | interactive | evidence read | wall | x baseline | filter | hover |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, rows in times.items():
        p = pages[name]
        drawn = rows[0].get("drawn", {}).get("nodes", "-")
        size = f"{p['page_mb']:.1f} MB" if "page_mb" in p else "-"
        facts = f"{p['facts']:,}" if "facts" in p else "-"
        filt, hover = median(rows, "filter"), median(rows, "hover")
        print(f"| {name} | {facts} | {drawn} | {size} | {median(rows, 'interactive'):.2f} s "
              f"| {median(rows, 'evidence'):.2f} s | {median(rows, 'wall'):.2f} s | {median(rows, 'wall') / base_wall:.1f} "
              f"| {'-' if filt is None else f'{filt:.2f} s'} | {'-' if hover is None else f'{hover:.2f} s'} |")  # fmt: skip
    ones = {n.split("x ")[1]: p for n, p in pages.items() if n.startswith("1x ")}
    for name, p in pages.items():
        one = ones.get(name.split("x ")[-1]) if "x " in name else None
        packed = "core_mb" in p and (p["core_mb"] + p["evidence_mb"]) * 1e6 > COMPRESS_ABOVE
        if one and packed:  # replicated text gzips unusually well: what distinct texts would give
            ratio = one["evidence_gz_mb"] / one["evidence_mb"]
            estimate = p["page_mb"] + (p["evidence_mb"] * ratio - p["evidence_gz_mb"]) * 4 / 3  # base64: 4/3
            print(f"{name}: with every copy's text different, the evidence would gzip about as well as one copy's "
                  f"({ratio:.2f}): a page of about {estimate:.0f} MB")  # fmt: skip
    print("\n" + json.dumps({n: {k: v for k, v in p.items() if k != "path"} for n, p in pages.items()}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
