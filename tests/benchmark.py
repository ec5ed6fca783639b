"""Benchmark: cold `nkrel query NAME` wall time against `python -c "import rdflib"`,
measured in the same run (these machines are shared and noisy, so compare medians
and report the ratio, never an absolute time).

Usage: python tests/benchmark.py [--runs N] [--query NAME]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--query", default="trade-by-year")
    args = parser.parse_args()
    nkrel = shutil.which("nkrel")
    if not nkrel:
        sys.exit("nkrel is not installed")
    commands = {
        "python -c 'import rdflib' (baseline)": [sys.executable, "-c", "import rdflib"],
        "python -c 'pass'": [sys.executable, "-c", "pass"],
        f"nkrel query {args.query}": [nkrel, "query", args.query, "--format", "json"],
        "nkrel queries": [nkrel, "queries"],
    }
    times = {name: [] for name in commands}
    for cmd in commands.values():  # warm the file cache once
        wall(cmd)
    for _ in range(args.runs):  # interleave so load spikes hit every command alike
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    baseline = statistics.median(times["python -c 'import rdflib' (baseline)"])
    print(f"{'command':45} {'median s':>9} {'min s':>7} {'x baseline':>10}   ({args.runs} runs)")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:45} {med:9.3f} {min(ts):7.3f} {med / baseline:10.2f}")
    ratio = statistics.median(times[f"nkrel query {args.query}"]) / baseline
    print(f"\ncold query / import rdflib = {ratio:.2f} (target: at most 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
