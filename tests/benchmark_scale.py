"""Benchmark: nkrel at 1x, 10x, 100x, 1,000x the shipped corpus.

Generates each scaled corpus itself (the shipped documents replicated under new ids:
copy k of document D is D-cK, its facts and claims get the same suffix; copy 0 is the
shipped corpus unchanged), builds it in a child process, times each stage, samples the
peak memory of the whole process tree, then runs every shipped query on the built graph
in nkrel's engine (pyoxigraph) and in rdflib's engine in the same run. Prints Markdown
tables with the growth ratio between consecutive sizes.

  --variant disjoint  (default) every copy has its own entities (china-c7, ...), texts
                      and facts: the honest case, the graph grows in width only
  --variant shared    replicas: every copy names the same entities (china, north-korea,
                      ...): many facts per entity, the worst case for rules that pair facts
  --variant subject   every copy names the same North Korea, the corpus's subject, and its
                      own other entities (china-c7, ...), texts and facts: what an analyst's
                      large corpus about North Korea looks like to the shipped queries, which
                      name id:north-korea and so answer about every copy (with the disjoint
                      copies they answer about copy 0 and scan the rest)

The anchors are measured in the same run: pyoxigraph's bulk load of the same N-Quads into
memory, and every shipped query on that in-memory store beside nkrel's on-disk store.
With --queries N (the `subject` variant unless --variant says otherwise): a workspace of N
copies built with `nkrel build`, then every shipped query (and a parametrised one) timed as
`nkrel query` runs it, a new process each run on the build's store, against the same text on
pyoxigraph in memory and on the store in a warm process, in the same run.
With --docs FILE the tables are written into FILE (docs/scale.md) between markers.

Usage: python tests/benchmark_scale.py [--sizes 1,10,100,1000] [--variant disjoint|shared|subject] [--docs FILE]
           [--queries N] [--runs R]
           [--work DIR] [--build-timeout S] [--query-timeout S] [--rdflib-max-size N]

A benchmark, not a test: the machine is shared and noisy, so read ratios measured in the
same run, never absolute times from another day.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "__COPY__"  # placeholder in the templates, replaced by each copy's suffix


# ----------------------------------------------------------------------------- corpora


def _suffix(k: int) -> str:
    return "" if k == 0 else f"-c{k}"


def _templates(variant: str) -> tuple[dict, str, str, dict[str, str]]:
    """The shipped corpus as text templates in which every id to rename ends in MARK."""
    from ruamel.yaml import YAML

    from nkrel.core.corpus import default_corpus_dir

    src = default_corpus_dir()
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True  # "no" must stay a string for a YAML 1.1 reader (libyaml)
    yaml.indent(mapping=2, sequence=4, offset=2)  # the shipped files' layout
    docs = yaml.load((src / "documents.yaml").read_text(encoding="utf-8"))["documents"]
    meta = {d["id"]: {"file": str(d["file"]), "title": str(d["title"]), "publisher": d.get("publisher"),
                      "sha256": str(d["sha256"]), "facts": str(d["facts"])} for d in docs}  # fmt: skip
    entities = yaml.load((src / "entities.yaml").read_text(encoding="utf-8"))
    kept = _kept_ids(variant, entities["entities"])

    def rename(value):
        return value if variant == "shared" or value in kept else value + MARK

    if variant != "shared":
        for e in entities["entities"]:
            e["id"] = rename(e["id"])
            for key in ("in", "capital_of", "successor"):
                if e.get(key):
                    e[key] = rename(e[key])
            if variant == "subject":  # the disjoint copies' reference statements stay as they were measured
                for key in ("in", "capital_of"):
                    if (e.get("reference") or {}).get(key):
                        e["reference"][key] = rename(e["reference"][key])
    entities_text = _dump(yaml, entities)
    if kept and variant != "shared":  # copies after the first name the kept entities without repeating them
        head, sep, body = entities_text.partition("entities:\n")
        blocks = re.split(r"(?m)^(?=  - id: )", body)
        rest = "".join(b for b in blocks if not re.match(r"  - id: (\S+)\n", b) or b.split()[2] not in kept)
        entities_text = (entities_text, head + sep + rest)
    fact_templates = {}
    for doc_id, m in meta.items():
        data = yaml.load((src / m["facts"]).read_text(encoding="utf-8"))
        data["document"] = doc_id + MARK
        for f in data.get("facts") or []:
            f["id"] += MARK
            if f.get("claim"):
                f["claim"] = rename(f["claim"])
            for key in ("parties", "involves", "places"):
                if f.get(key):
                    items = f[key] if isinstance(f[key], list) else [f[key]]
                    for i, v in enumerate(items):
                        items[i] = rename(v)
            for key in ("from", "to", "agreement"):
                if f.get(key):
                    f[key] = rename(f[key])
            for key in ("via", "bypassing"):
                for i, v in enumerate(f.get(key) or []):
                    f[key][i] = rename(v)
            for who in f.get("attributed_to") or []:
                if who.get("by"):
                    who["by"] = rename(who["by"])
            # links between facts point at the facts of the same copy
            for key in ("topic_of", "at_time_of", "after"):
                if f.get(key):
                    f[key] += MARK
            for cause in f.get("causes") or []:
                cause["fact"] += MARK
            if f.get("as_stated") and variant != "shared":
                for eid in list(f["as_stated"]):
                    f["as_stated"].insert(list(f["as_stated"]).index(eid), rename(eid), f["as_stated"].pop(eid))
        fact_templates[doc_id] = _dump(yaml, data)
    return meta, entities_text, src, fact_templates


SUBJECT = "north-korea"  # the entity every copy shares in the `subject` variant


def _kept_ids(variant: str, entities: list) -> set[str]:
    """The entity ids that every copy names unchanged."""
    if variant == "shared":
        return {str(e["id"]) for e in entities}
    return {SUBJECT} if variant == "subject" else set()


def _dump(yaml, data) -> str:
    import io

    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def generate_corpus(root: Path, copies: int, variant: str, extra: int = 0) -> dict:
    """Write a corpus of `copies` copies of the shipped documents (and `extra` more copies
    of the first document alone); return its size."""
    meta, entities_text, src, fact_templates = _templates(variant)
    if root.exists():
        shutil.rmtree(root)
    (root / "texts").mkdir(parents=True)
    (root / "facts").mkdir()
    texts = {doc_id: (src / m["file"]).read_bytes() for doc_id, m in meta.items()}
    lines = ["documents:"]
    first = next(iter(meta))
    for k in range(copies + extra):
        sfx = _suffix(k)
        for doc_id, m in meta.items():
            if k >= copies and doc_id != first:
                continue
            new_id = doc_id + sfx
            (root / "texts" / f"{new_id}.txt").write_bytes(texts[doc_id])
            (root / "facts" / f"{new_id}.yaml").write_text(fact_templates[doc_id].replace(MARK, sfx), encoding="utf-8")
            lines += [
                f"  - id: {new_id}",
                f"    file: texts/{new_id}.txt",
                f"    title: {json.dumps(m['title'] + (f' (copy {k})' if k else ''), ensure_ascii=False)}",
                f"    publisher: {json.dumps(m['publisher'], ensure_ascii=False)}",
                f"    sha256: {m['sha256']}",
                f"    facts: facts/{new_id}.yaml",
            ]
    (root / "documents.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if variant == "shared":
        (root / "entities.yaml").write_text(entities_text.replace(MARK, ""), encoding="utf-8")
    else:
        first, rest = entities_text if isinstance(entities_text, tuple) else (entities_text, entities_text)
        head, sep, body = first.partition("entities:\n")
        rest_body = rest.partition("entities:\n")[2]
        parts = [head + sep] + [(rest_body if k else body).replace(MARK, _suffix(k)) for k in range(copies + extra)]
        (root / "entities.yaml").write_text("".join(parts), encoding="utf-8")
    return {"documents": copies * len(meta) + extra}


# ----------------------------------------------------------------------------- child: build


class Stages:
    """Wall time of each named stage, in order."""

    def __init__(self):
        self.times: dict[str, float] = {}

    def __call__(self, name):
        stages = self

        class _Stage:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                stages.times[name] = stages.times.get(name, 0.0) + time.perf_counter() - self.start

        return _Stage()


def child_build(corpus: Path, out: Path, cache: Path | None = None, store: bool = True) -> dict:
    """Run every stage of `nkrel build` on a corpus (and write the Oxigraph store); return the numbers."""
    start = time.perf_counter()
    stage = Stages()
    with stage("import"):
        from nkrel.output.write import write_files
        from nkrel.pipeline import build_graph, graph_file_chunks, write_store
    if os.environ.get("NKREL_BENCH_WITHOUT_ANOMALY_RULES"):
        import nkrel.model.anomalies

        nkrel.model.anomalies.find_anomalies = lambda corpus, dataset: []  # measured apart: see --without-anomaly-rules
    built = build_graph(corpus, cache_dir=cache)
    with stage("write"):  # the writers stream into the files: their stage times are inside this one
        written = write_files(graph_file_chunks(built), out)
    times = {"import": stage.times["import"], **built.timings}
    times["write (all files, with the writers)"] = stage.times["write"]
    if store:
        with stage("store"):
            if (out / "store").exists():
                shutil.rmtree(out / "store")
            write_store(built, out / "store")
        times["store"] = stage.times["store"]
    return {
        "facts": len(built.corpus.facts),
        "documents": len(built.corpus.documents),
        "quads": len(built.dataset),
        "anomalies": len(built.anomalies),
        "reused": built.reused,
        "stages": times,
        "total": time.perf_counter() - start,
        "bytes": {path.name: path.stat().st_size for path in written},
    }


# ----------------------------------------------------------------------------- child: queries


def _rdflib_query(ds, text: str):
    return len(list(ds.query(text)))


def _in_fork(func, timeout: float):
    """func() in a forked child (so a runaway query can be stopped): (seconds, rows) or None."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            t0 = time.perf_counter()
            rows = func()
            msg = json.dumps([time.perf_counter() - t0, rows])
        except BaseException as e:  # noqa: BLE001 - reported in the table
            msg = json.dumps([None, f"error: {e}"])
        os.write(write_fd, msg.encode())
        os._exit(0)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
            return None
        time.sleep(0.02)
    with os.fdopen(read_fd, "rb") as fh:
        seconds, rows = json.loads(fh.read() or b"[null, null]")
    return None if seconds is None else (seconds, rows)


def _median_query(store, text: str) -> float:
    """Median of three runs after a first one (stop repeating past 1 s)."""
    list(store.query(text, use_default_graph_as_union=True))
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        list(store.query(text, use_default_graph_as_union=True))
        runs.append(time.perf_counter() - t0)
        if runs[-1] > 1:
            break
    return statistics.median(runs)


def child_queries(graph_file: Path, timeout: float, with_rdflib: bool) -> dict:
    """Every shipped query on the build: Oxigraph on the on-disk store written beside the
    files (opened read-only; else the N-Quads loaded in memory), then rdflib on the
    N-Quads, in the same run. Also times loading the N-Quads into Oxigraph's memory."""
    import pyoxigraph as ox

    from nkrel.sparql.query import shipped_queries

    queries = shipped_queries()
    result: dict = {"oxigraph": {}, "rdflib": {}, "rows": {}}
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(graph_file), format=ox.RdfFormat.N_QUADS)
    result["oxigraph_load"] = time.perf_counter() - t0
    result["memory"] = {name: _median_query(store, q.text) for name, q in queries.items()}  # the anchor
    on_disk = graph_file.parent / "store"
    if on_disk.is_dir():
        del store
        t0 = time.perf_counter()
        store = ox.Store.read_only(str(on_disk))
        result["store_open"] = time.perf_counter() - t0
    for name, q in queries.items():
        t0 = time.perf_counter()
        list(store.query(q.text, use_default_graph_as_union=True))  # the first run reads the store from disk
        result.setdefault("oxigraph_first", {})[name] = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            rows = len(list(store.query(q.text, use_default_graph_as_union=True)))
            runs.append(time.perf_counter() - t0)
            if runs[-1] > 1:
                break
        result["oxigraph"][name] = statistics.median(runs)
        result["rows"][name] = rows
    del store
    if not with_rdflib:
        return result
    from rdflib import Dataset

    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(str(graph_file), format="nquads")
    result["rdflib_load"] = time.perf_counter() - t0
    for name, q in queries.items():
        got = _in_fork(lambda q=q: _rdflib_query(ds, q.text), timeout)
        result["rdflib"][name] = None if got is None else got[0]
        if got is not None and got[1] != result["rows"][name]:
            result.setdefault("row_mismatch", {})[name] = [result["rows"][name], got[1]]
    return result


# ----------------------------------------------------------------------------- parent


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


CPU_SECONDS: list[float] = []  # CPU time (user + system) of the last child and its own children


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_child(args: list[str], timeout: float) -> tuple[dict | None, float, int, str]:
    """Run this script as a child; return (its JSON result or None, wall s, peak tree RSS bytes, stderr tail).
    Its CPU time goes to CPU_SECONDS: on a shared machine it is steadier than the wall time. When it
    does not finish, the stages it did finish (NKREL_STAGE_LOG) are named in the error."""
    log = Path(tempfile.mkstemp(prefix="nkrel-stages-")[1])
    env = dict(os.environ, PYTHONHASHSEED="0", NKREL_STAGE_LOG=str(log))
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        start_new_session=True,
    )  # fmt: skip
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        stop.set()
        done = "; ".join(line for line in log.read_text().split("\n") if line)
        log.unlink()
        return None, time.perf_counter() - start, peak[0], f"stopped after {timeout:g} s; stages done: {done}"
    log.unlink()
    wall = time.perf_counter() - start
    CPU_SECONDS.append(_children_cpu() - cpu_before)
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        return None, wall, peak[0], err.decode(errors="replace")[-2000:]
    return json.loads(out), wall, peak[0], ""


def cold_build_1x(runs: int, baseline_src: Path | None = None) -> dict:
    """Median wall time of `nkrel build` on the shipped corpus, cold process, against `import rdflib`
    (and against the `nkrel build` of another source tree, e.g. an older commit, when given)."""
    nkrel = shutil.which("nkrel")
    out = tempfile.mkdtemp(prefix="nkrel-bench-1x-")
    commands = {"nkrel build": [nkrel, "build", "--out", out], "import rdflib": [sys.executable, "-c", "import rdflib"]}
    if baseline_src:
        code = (f"import sys; sys.path.insert(0, {str(baseline_src)!r}); sys.argv = ['nkrel', 'build', '--out', "
                f"{out + '-baseline'!r}]; from nkrel.cli import main; main()")  # fmt: skip
        commands["nkrel build (baseline source)"] = [sys.executable, "-c", code]
    times: dict[str, list[float]] = {k: [] for k in commands}
    for cmd in commands.values():
        subprocess.run(cmd, check=True, capture_output=True, cwd=out)
    for _ in range(runs):  # interleaved, so that load spikes hit every command alike
        for name, cmd in commands.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=out)
            times[name].append(time.perf_counter() - t0)
    shutil.rmtree(out)
    shutil.rmtree(out + "-baseline", ignore_errors=True)
    return {k: statistics.median(v) for k, v in times.items()}


def _fmt_s(x) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def _ratio(a, b) -> str:
    return "–" if not a or not b else f"{b / a:.1f}x"


def child_publish(corpus: Path, out: Path, cache: Path | None, clean: bool) -> dict:
    """What `nkrel build` runs in a workspace (build_and_publish with its cache); return the numbers."""
    start = time.perf_counter()
    from nkrel.pipeline import build_and_publish, unchanged_build

    same = unchanged_build(corpus, out, cache) if cache and not clean else None
    if same:  # as `nkrel build` does: nothing changed since the build published there, nothing built
        total = time.perf_counter() - start
        return {"documents": same["documents"], "reused": same["documents"], "stages": {"unchanged": total},
                "total": total}  # fmt: skip
    built = build_and_publish(corpus, out, cache_dir=cache, clean=clean)
    return {
        "documents": len(built.corpus.documents),
        "reused": built.reused,
        "stages": built.timings,
        "total": time.perf_counter() - start,
    }


INCREMENTAL_FILES = ("nkrel.ttl", "nkrel.trig", "nkrel.nq", "nkrel.jsonld", "network.html", "ontology.html")


def _edit_one_fact(corpus: Path) -> None:
    """Change one fact of one document (a label), as a curator's correction would."""
    path = sorted((corpus / "facts").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    i = text.index("label: ") + len("label: ")
    path.write_text(text[:i] + "Revised " + text[i:], encoding="utf-8")


def incremental(work: Path, n: int, variant: str, timeout: float, runs: int = 1, clean_each: bool = True) -> None:
    """Time `nkrel build` (build_and_publish with the workspace cache) at n copies: the build
    that fills the cache, then rebuilds after nothing changed, one document added, one fact
    changed, the document removed again; each against a --clean build of the same corpus
    in the same run, whose files must be byte-identical (clean_each False: one --clean build,
    after the first change, to spare the minutes of the others). Medians of `runs` rebuilds."""
    corpus, cache, out = work / f"incremental-{variant}-{n}", work / f"cache-{variant}-{n}", work / "inc-out"
    for folder in (cache, out, work / "inc-clean"):
        shutil.rmtree(folder, ignore_errors=True)
    generate_corpus(corpus, n, variant)
    print(f"[incremental {n}x] filling the cache...", file=sys.stderr)
    first, first_wall, _, err = run_child(["--child-publish", str(corpus), str(out), "--cache", str(cache)], timeout)
    if first is None:
        print(f"incremental build failed: {err}", file=sys.stderr)
        return
    # the corpus each change leaves, in order: a repeated rebuild of a change first goes back to
    # the state before it (rebuilt, untimed), so that every timed run makes the change anew
    states = [
        ("nothing changed", lambda: generate_corpus(corpus, n, variant)),  # the same bytes again
        ("one document added", lambda: generate_corpus(corpus, n, variant, extra=1)),
        ("one fact changed", lambda: (generate_corpus(corpus, n, variant, extra=1), _edit_one_fact(corpus))),
        ("one document removed (the fact restored)", lambda: generate_corpus(corpus, n, variant)),
    ]
    publish = ["--child-publish", str(corpus), str(out), "--cache", str(cache)]
    rows = []
    for k, (name, make) in enumerate(states):
        walls, cpus, result = [], [], None
        for run in range(runs):
            if run and k:
                states[k - 1][1]()
                if run_child(publish, timeout)[0] is None:
                    print(f"incremental rebuild (before {name}) failed", file=sys.stderr)
                    return
            make()
            result, wall, _, err = run_child(publish, timeout)
            if result is None:
                print(f"incremental rebuild ({name}) failed: {err}", file=sys.stderr)
                return
            walls.append(wall)
            cpus.append(CPU_SECONDS[-1])
        clean_wall, clean_cpu, same = None, None, None
        if clean_each or k == 1:
            clean, clean_wall, _, err = run_child(["--child-publish", str(corpus), str(work / "inc-clean"), "--clean"],
                                                  timeout)  # fmt: skip
            if clean is None:
                print(f"clean build ({name}) failed: {err}", file=sys.stderr)
                return
            clean_cpu = CPU_SECONDS[-1]
            same = all((out / f).read_bytes() == (work / "inc-clean" / f).read_bytes() for f in INCREMENTAL_FILES)
        stages = ", ".join(f"{k} {_fmt_s(v)}" for k, v in result["stages"].items())
        rows.append((name, statistics.median(walls), statistics.median(cpus), clean_wall, clean_cpu,
                     result, same, stages))  # fmt: skip
        print(f"[incremental {n}x] {name}: {statistics.median(walls):.1f} s (clean: {_fmt_s(clean_wall)} s)",
              file=sys.stderr)  # fmt: skip
    print(f"\n### `nkrel build` with its cache, {first['documents']:,} documents ({variant} entities)\n")
    print(f"First build, filling the cache: {_fmt_s(first_wall)} s. Rebuilds: median of {runs}.\n")
    print(
        "| change | rebuild s | CPU s | --clean s | CPU s | rebuild / clean | documents from the cache "
        "| files identical to --clean | stages of the rebuild (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, wall, cpu, clean_wall, clean_cpu, result, same, stages in rows:
        ratio = f"{wall / clean_wall:.2f}" if clean_wall else "–"
        identical = "not compared" if same is None else "yes" if same else "NO"
        print(f"| {name} | {_fmt_s(wall)} | {_fmt_s(cpu)} | {_fmt_s(clean_wall)} | {_fmt_s(clean_cpu)} "
              f"| {ratio} | {result['reused']:,} of {result['documents']:,} | {identical} | {stages} |")  # fmt: skip
    sys.stdout.flush()


# ----------------------------------------------------------------------------- queries as `nkrel query` runs them

# the parametrised queries timed beside the shipped ones: one partner and one year, as an analyst asks
PARAMETRISED = {"trade-by-year, partner=russia year=2005": ("trade-by-year", {"partner": "russia", "year": "2005"})}


def query_cases() -> dict[str, tuple[str, dict[str, str]]]:
    """Every shipped query without parameters, then the parametrised ones: {label: (query, params)}."""
    from nkrel.sparql.query import shipped_queries

    return {name: (name, {}) for name in shipped_queries()} | PARAMETRISED | {FLOOR: (FLOOR, {})}


FLOOR = "ASK {}"  # what a cold `nkrel query` costs before any query work: start, staleness check, opening the store


def child_memory_queries(graph_file: Path, runs: int) -> dict:
    """The anchor: the build's N-Quads bulk-loaded into pyoxigraph's memory, then each case's text
    (parameters bound as `nkrel query` binds them) run and formatted as CSV by the same function
    `nkrel query` uses; median of `runs` runs after a first one (fewer past 5 s)."""
    import pyoxigraph as ox

    from nkrel.sparql.query import bind_params, entity_names, shipped_queries

    shipped = shipped_queries()
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(graph_file), format=ox.RdfFormat.N_QUADS)
    result: dict = {"load": time.perf_counter() - t0, "seconds": {}, "rows": {}}
    texts = {}
    for label, (name, params) in query_cases().items():
        query = shipped.get(name)
        texts[label] = bind_params(query.text, query, params, entities=lambda: entity_names(store)) if query else name
    for label, text in texts.items():
        result["seconds"][label], result["rows"][label] = _median_csv(store, text, runs)
    # the build's store in this warm process: the store's own cost, without a new process's start
    del store
    store = ox.Store.read_only(str(graph_file.parent / "store"))
    result["store_warm"] = {label: _median_csv(store, text, runs)[0] for label, text in texts.items()}
    return result


def _median_csv(store, text: str, runs: int) -> tuple[float, int]:
    """(median seconds of `runs` runs after a first one, fewer past 5 s; rows) of a query formatted as CSV."""
    from nkrel.sparql.query import execute

    out, _ = execute(store, text, "csv")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out, _ = execute(store, text, "csv")
        times.append(time.perf_counter() - t0)
        if times[-1] > 5:
            break
    return statistics.median(times), out.count(b"\n") - 1


def _cold_query(ws: Path, name: str, params: dict[str, str], timeout: float) -> tuple[float | None, int | None]:
    """One `nkrel query NAME --format csv` in a new process on the workspace's build: (wall s, rows)."""
    cmd = [shutil.which("nkrel") or "nkrel", "query", name, "--workspace", str(ws), "--no-rebuild", "--format", "csv",
           "--timeout", str(timeout)] + [a for k, v in params.items() for a in ("--param", f"{k}={v}")]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout + 60)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: no rows
        print(f"  {name} {params}: {proc.stderr.decode(errors='replace').strip()[-300:]}", file=sys.stderr)
        return None, None
    return wall, proc.stdout.count(b"\n") - 1


def queries_mode(work: Path, n: int, variant: str, runs: int, timeout: float, build_timeout: float) -> dict | None:
    """Build a workspace of n copies with `nkrel build`, then time every case cold on the build's
    store (`nkrel query`, a new process each run, median of `runs`; one run past 10 s) and on
    pyoxigraph in memory loaded from the same N-Quads (same query text), in the same run."""
    ws = work / f"queries-{variant}-{n}"
    shutil.rmtree(ws, ignore_errors=True)
    generate_corpus(ws / "corpus", n, variant)
    (ws / "nkrel.toml").write_text('[workspace]\nname = "benchmark"\ncorpus = "corpus"\ngraphs = "graphs"\n')
    print(f"[queries {n}x {variant}] building...", file=sys.stderr)
    t0 = time.perf_counter()
    subprocess.run([shutil.which("nkrel") or "nkrel", "build", "--workspace", str(ws)], check=True,
                   capture_output=True, timeout=build_timeout)  # fmt: skip
    info = {"size": n, "variant": variant, "build": time.perf_counter() - t0, "store": {}, "store_rows": {}}
    info["quads"] = json.loads((ws / "graphs" / "build.json").read_text())["counts"]["quads"]
    for label, (name, params) in query_cases().items():
        times, rows = [], None
        for _ in range(runs):
            wall, rows = _cold_query(ws, name, params, timeout)
            if wall is None:
                break
            times.append(wall)
            if wall > 10:
                break
        info["store"][label] = statistics.median(times) if times else None
        info["store_rows"][label] = rows
        print(f"[queries {n}x] {label}: {_fmt_s(info['store'][label])} s, {rows} rows", file=sys.stderr)
    memory, _, _, err = run_child(["--child-memory-queries", str(ws / "graphs" / "nkrel.nq"), "--runs", str(runs)],
                                  build_timeout)  # fmt: skip
    if memory is None:
        print(f"[queries {n}x] in memory failed: {err}", file=sys.stderr)
    info["memory"] = memory
    return info


def print_queries_table(info: dict) -> None:
    mem = (info.get("memory") or {}).get("seconds", {})
    mem_rows = (info.get("memory") or {}).get("rows", {})
    print(f"\n### Shipped queries at {info['size']}x ({info['variant']} copies, {info['quads']:,} quads): "
          "the build's store against pyoxigraph in memory, same run\n")  # fmt: skip
    load = (info.get("memory") or {}).get("load")
    print(f"`nkrel build`: {_fmt_s(info['build'])} s. N-Quads into pyoxigraph's memory: {_fmt_s(load)} s.\n")
    warm = (info.get("memory") or {}).get("store_warm", {})
    print("| query | rows | `nkrel query`, cold, on the store s | the store, warm process s | in memory s "
          "| cold / memory | warm store / memory |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for label, t in info["store"].items():
        rows = info["store_rows"][label] if label != FLOOR else "–"
        same = "" if label == FLOOR or rows == mem_rows.get(label) else f" (in memory: {mem_rows.get(label)})"
        m, w = mem.get(label), warm.get(label)
        print(f"| {label} | {rows}{same} | {_fmt_s(t)} | {_fmt_s(w)} | {_fmt_s(m)} | {_ratio(m, t)} | {_ratio(m, w)} |")
    done = [k for k, t in info["store"].items() if t and mem.get(k) and warm.get(k) and k != FLOOR]
    if done:
        cold = sorted(info["store"][k] / mem[k] for k in done)
        hot = sorted(warm[k] / mem[k] for k in done)
        print(f"| **all {len(done)}** | | {_fmt_s(sum(info['store'][k] for k in done))} | "
              f"{_fmt_s(sum(warm[k] for k in done))} | {_fmt_s(sum(mem[k] for k in done))} | "
              f"median {statistics.median(cold):.1f}x ({cold[0]:.1f}-{cold[-1]:.1f}x) | "
              f"median {statistics.median(hot):.1f}x ({hot[0]:.1f}-{hot[-1]:.1f}x) |")  # fmt: skip
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--variant", choices=["disjoint", "shared", "subject"],
                        help="default: disjoint (subject with --queries)")  # fmt: skip
    parser.add_argument("--docs", type=Path, help="write the tables into this Markdown file (between markers)")
    parser.add_argument("--work", type=Path, help="folder for the generated corpora and builds (default: a temp dir)")
    parser.add_argument("--build-timeout", type=float, default=1800.0)
    parser.add_argument(
        "--query-timeout", type=float, default=300.0, help="per rdflib query, and per `nkrel query` with --queries"
    )
    parser.add_argument("--rdflib-max-size", type=int, default=1000, help="run rdflib's engine up to this size")
    parser.add_argument("--queries-max-size", type=int, default=1000, help="run the shipped queries up to this size")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs of the cold 1x `nkrel build` (0: skip)")
    parser.add_argument("--baseline-src", type=Path,
                        help="a source tree of nkrel (e.g. `git archive` of an older commit) whose cold 1x "
                        "`nkrel build` to time in the same run")  # fmt: skip
    parser.add_argument("--incremental", type=int, default=100,
                        help="size at which to time adding one document with the cache (0: skip)")  # fmt: skip
    parser.add_argument("--without-anomaly-rules", action="store_true",
                        help="do not run the anomaly rules (to time every other stage where the rules do not "
                        "finish); the tables say so")  # fmt: skip
    parser.add_argument("--child-build", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-publish", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--clean", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--incremental-runs", type=int, default=1, help="rebuilds per change (median)")
    parser.add_argument("--incremental-clean-once", action="store_true",
                        help="one --clean build (after adding a document) instead of one after each change")  # fmt: skip
    parser.add_argument("--queries", type=int, default=0,
                        help="at this size, time every shipped query as `nkrel query` runs it (cold, on the "
                        "build's store) against pyoxigraph in memory, same run (0: skip); --variant defaults "
                        "to subject here")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs per query in --queries (median)")
    parser.add_argument("--child-memory-queries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-queries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-rdflib", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        print(json.dumps(child_build(*args.child_build, cache=args.cache)))
        return 0
    if args.child_publish:
        print(json.dumps(child_publish(*args.child_publish, cache=args.cache, clean=args.clean)))
        return 0
    if args.child_queries:
        print(json.dumps(child_queries(args.child_queries, args.query_timeout, args.with_rdflib)))
        return 0
    if args.child_memory_queries:
        print(json.dumps(child_memory_queries(args.child_memory_queries, args.runs)))
        return 0
    if args.queries:
        work = args.work or Path(tempfile.mkdtemp(prefix="nkrel-queries-"))
        info = queries_mode(work, args.queries, args.variant or "subject", args.runs, args.query_timeout,
                            args.build_timeout)  # fmt: skip
        print_queries_table(info)
        if args.docs:
            write_docs(args.docs, [], "", lambda: print_queries_table(info), QBEGIN, QEND)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    args.variant = args.variant or "disjoint"

    sizes = [int(s) for s in args.sizes.split(",") if s]  # --sizes "": the incremental run alone
    if args.without_anomaly_rules:
        os.environ["NKREL_BENCH_WITHOUT_ANOMALY_RULES"] = "1"
        print("\n**The anomaly rules were not run in this benchmark (--without-anomaly-rules).**")
    work = args.work or Path(tempfile.mkdtemp(prefix="nkrel-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        corpus = work / f"corpus-{args.variant}-{n}"
        out = work / f"graphs-{args.variant}-{n}"
        t0 = time.perf_counter()
        generate_corpus(corpus, n, args.variant)
        print(f"[{n}x] corpus generated in {time.perf_counter() - t0:.1f} s; building...", file=sys.stderr)
        build, wall, peak, err = run_child(["--child-build", str(corpus), str(out)], args.build_timeout)
        row = {
            "size": n,
            "build": build,
            "wall": wall,
            "peak": peak,
            "error": err,
            "cpu": CPU_SECONDS[-1] if build else None,
        }
        if build is None:
            print(f"[{n}x] build failed: {err}", file=sys.stderr)
            rows.append(row)
            print_tables(rows, args.variant)
            break
        print(f"[{n}x] built in {wall:.1f} s, peak {peak / 2**20:.0f} MiB", file=sys.stderr)
        if n > args.queries_max_size:
            rows.append(row)
            print_tables(rows, args.variant)
            continue
        qargs = ["--child-queries", str(out / "nkrel.nq"), "--query-timeout", str(args.query_timeout)]
        if n <= args.rdflib_max_size:
            qargs.append("--with-rdflib")
        timeout = args.build_timeout + 30 * args.query_timeout
        row["queries"], row["query_wall"], row["query_peak"], qerr = run_child(qargs, timeout)
        if qerr:
            print(f"[{n}x] queries failed: {qerr}", file=sys.stderr)
        rows.append(row)
        print_tables(rows, args.variant)
    if args.docs:
        write_docs(args.docs, rows, args.variant)
    if args.incremental:
        incremental(work, args.incremental, args.variant, args.build_timeout, args.incremental_runs,
                    not args.incremental_clean_once)  # fmt: skip
    if args.cold_runs and shutil.which("nkrel"):
        cold = cold_build_1x(args.cold_runs, args.baseline_src)
        print(f"\n### Cold `nkrel build` of the shipped corpus (median of {args.cold_runs} runs, interleaved)\n")
        print("| command | median s |\n|---|---|")
        for name, t in cold.items():
            print(f"| {name} | {t:.2f} |")
        print("\nTarget: at most 1.5 s.")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


BEGIN, END = "<!-- benchmark_scale.py: begin -->", "<!-- benchmark_scale.py: end -->"


QBEGIN, QEND = "<!-- benchmark_scale.py --queries: begin -->", "<!-- benchmark_scale.py --queries: end -->"


def write_docs(path: Path, rows: list[dict], variant: str, tables=None, begin=BEGIN, end=END) -> None:
    """Put the tables of this run between the markers of a Markdown page (added at its end if missing)."""
    import contextlib
    import io
    import platform

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        (tables or (lambda: print_tables(rows, variant)))()
    load = os.getloadavg()
    head = (f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node() or 'this machine'} "
            f"({os.cpu_count()} CPUs, load average {load[0]:.1f} at the end), "
            f"`python {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}`.\n")  # fmt: skip
    block = f"{begin}\n{head}{out.getvalue()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text + ("\n" if text else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def print_tables(rows: list[dict], variant: str) -> None:
    done = [r for r in rows if r["build"]]
    print(f"\n### Build ({variant} entities); growth = this size over the previous one\n")
    print("| size | facts | documents | quads | anomalies | build s | growth | CPU s | growth | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    prev = None
    for r in rows:
        b = r["build"]
        if not b:
            why = r["error"].strip().splitlines()[-1] if r["error"].strip() else "failed"
            why = why.replace("|", "/")
            print(f"| {r['size']}x | | | | | did not finish ({why}) | | | | {r['peak'] / 2**20:,.0f} |")
            continue
        print(
            f"| {r['size']}x | {b['facts']:,} | {b['documents']:,} | {b['quads']:,} | {b['anomalies']:,} | "
            f"{_fmt_s(r['wall'])} | {_ratio(prev['wall'], r['wall']) if prev else ''} | {_fmt_s(r.get('cpu'))} | "
            f"{_ratio(prev.get('cpu'), r.get('cpu')) if prev else ''} | {r['peak'] / 2**20:,.0f} |"
        )
        prev = r
    stage_names = list(dict.fromkeys(s for r in done for s in r["build"]["stages"]))
    print("\nSeconds per stage (growth over the previous size):\n")
    print("| stage | " + " | ".join(f"{r['size']}x" for r in done) + " |")
    print("|---|" + "---|" * len(done))
    for name in stage_names:
        cells, before = [], None
        for r in done:
            t = r["build"]["stages"].get(name)
            grow = _ratio(before, t) if before is not None else "–"
            cells.append(_fmt_s(t) + (f" ({grow})" if grow != "–" else ""))
            before = t
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n### Shipped queries: Oxigraph (nkrel) against rdflib, same run\n")
    print("| size | N-Quads into Oxigraph's memory s | open the on-disk store s | N-Quads into rdflib s | "
          "queries | slowest Oxigraph s (first run) | total Oxigraph s | total rdflib s | smallest speed-up | "
          "rdflib timeouts |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in done:
        q = r.get("queries")
        if not q:
            continue
        ox_t = q["oxigraph"]
        rd = q.get("rdflib", {})
        speedups = [rd[n] / ox_t[n] for n in ox_t if rd.get(n) and ox_t[n] > 0]
        timeouts = sum(1 for n in ox_t if n in rd and rd[n] is None) if rd else "–"
        print(
            f"| {r['size']}x | {_fmt_s(q['oxigraph_load'])} | {_fmt_s(q.get('store_open'))} | "
            f"{_fmt_s(q.get('rdflib_load'))} | {len(ox_t)} | {_fmt_s(max(ox_t.values()))} "
            f"({_fmt_s(max(q.get('oxigraph_first', {0: 0}).values()))}) | "
            f"{_fmt_s(sum(ox_t.values()))} | {_fmt_s(sum(v for v in rd.values() if v)) if rd else '–'} | "
            f"{f'{min(speedups):.0f}x' if speedups else '–'} | {timeouts} |"
        )
        if q.get("row_mismatch"):
            print(f"|  | rows differ (Oxigraph, rdflib): {q['row_mismatch']} |")
    last = next((r for r in reversed(done) if r.get("queries")), None)
    if last:
        q = last["queries"]
        print(f"\nPer query at {last['size']}x (seconds):\n")
        print("| query | rows | on-disk store, first run | on-disk store (median of 3 more) | "
              "pyoxigraph in memory (anchor) | on disk / in memory | rdflib | speed-up over rdflib |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        for name, t in q["oxigraph"].items():
            rd = q.get("rdflib", {}).get(name)
            sp = f"{rd / t:.0f}x" if rd and t else ("timeout" if name in q.get("rdflib", {}) else "–")
            first = q.get("oxigraph_first", {}).get(name)
            mem = q.get("memory", {}).get(name)
            print(f"| {name} | {q['rows'][name]} | {_fmt_s(first)} | {_fmt_s(t)} | {_fmt_s(mem)} | "
                  f"{_ratio(mem, t)} | {_fmt_s(rd)} | {sp} |")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
