"""Benchmark: what starting a query costs on a large workspace (issue 25, the staleness check).

For each size, a workspace of that many `subject` copies of the shipped corpus (as
tests/benchmark_scale.py makes them) is built once with `nkrel build`; then, in new
processes, interleaved run by run between this checkout and a baseline checkout (another
copy of nkrel's source, e.g. `git archive main | tar -x -C DIR`) on the same workspace:

  staleness   `workspace.staleness(ws)` alone, timed inside a new process
  ASK {}      a cold `nkrel query "ASK {}"` (start, staleness, safety check, store)
  QUERY       a cold `nkrel query QUERY` (a shipped query; default: anomalies, the cheapest at 100x)

Each figure is the median of --runs runs after one warm-up run per checkout (the OS file
cache then holds the corpus for both), as wall time and as CPU time (user + system) of the
process, which a loaded machine disturbs less. Prints one Markdown table with the ratios
baseline / this.

Usage: python tests/benchmark_startup.py --baseline-src DIR [--sizes 10,100] [--runs 5]
           [--query partners] [--work DIR]

A benchmark, not a test: the machine is shared and noisy, so read the ratios measured in
the same run, never absolute times from another day.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

STALENESS = (
    "import sys, time\n"
    "from nkrel import workspace\n"
    "ws = workspace.load(sys.argv[1])\n"
    "t, c = time.perf_counter(), time.process_time()\n"
    "reason = workspace.staleness(ws)\n"
    "print(time.perf_counter() - t, time.process_time() - c, reason)\n"
)


def make_workspace(work: Path, n: int) -> Path:
    """A built workspace of n subject copies (reused when already built)."""
    from benchmark_scale import generate_corpus

    ws = work / f"startup-{n}"
    if (ws / "graphs" / "build.json").is_file():
        return ws
    shutil.rmtree(ws, ignore_errors=True)
    generate_corpus(ws / "corpus", n, "subject")
    (ws / "nkrel.toml").write_text('[workspace]\nname = "benchmark"\ncorpus = "corpus"\ngraphs = "graphs"\n')
    print(f"[{n}x] building...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "nkrel", "build", "--workspace", str(ws)], check=True, capture_output=True)
    return ws


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(src: Path, args: list[str]) -> tuple[float, float, bytes]:
    """`python ARGS` with nkrel imported from src: (wall s, CPU s of the process, its stdout)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cpu, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, *args], env=env, capture_output=True, cwd=src)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu
    if proc.returncode not in (0, 1):  # 1: an ASK that answers false, or no rows
        raise SystemExit(f"{src}: {' '.join(args)}: {proc.stderr.decode(errors='replace')[-400:]}")
    return wall, cpu, proc.stdout


def measures(ws: Path, query: str) -> dict[str, callable]:
    """{label: measure(src) -> (wall s, CPU s)}"""

    def staleness(src):
        _, _, out = _run(src, ["-c", STALENESS, str(ws)])
        wall, cpu, reason = out.decode().strip().split(" ", 2)
        if reason != "None":
            raise SystemExit(f"{src}: the build is not fresh: {reason}")
        return float(wall), float(cpu)

    def cold(text):
        cmd = ["-m", "nkrel", "query", text, "--workspace", str(ws), "--no-rebuild", "--format", "csv"]
        return lambda src: _run(src, cmd)[:2]

    return {"staleness()": staleness, "cold `ASK {}`": cold("ASK {}"), f"cold `{query}`": cold(query)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", type=Path, required=True, help="a checkout of nkrel to compare with")
    parser.add_argument("--sizes", default="10,100")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="anomalies")
    parser.add_argument("--work", type=Path, default=Path("/tmp/nkrel-bench-startup"))
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 (medians)")
    checkouts = {"baseline": args.baseline_src.resolve(), "this": ROOT}
    print("| size | measure | baseline wall | this wall | ratio | baseline CPU | this CPU | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        ws = make_workspace(args.work, n)
        for label, measure in measures(ws, args.query).items():
            times = {name: [] for name in checkouts}
            for run in range(args.runs + 1):
                for name, src in checkouts.items():
                    t = measure(src)
                    if run:  # the first run of each checkout warms the file cache
                        times[name].append(t)
            (old_wall, old_cpu), (new_wall, new_cpu) = (
                [statistics.median(t[i] for t in times[k]) for i in (0, 1)] for k in checkouts
            )
            print(f"| {n}x | {label} | {old_wall:.3f} | {new_wall:.3f} | {old_wall / new_wall:.1f}x "
                  f"| {old_cpu:.3f} | {new_cpu:.3f} | {old_cpu / new_cpu:.1f}x |", flush=True)  # fmt: skip
            print(f"[{n}x] {label}: {times}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
