"""Mutation testing of nkrel's core modules with cosmic-ray (`make mutation`).

Usage:
  python tests/mutation/mutate.py [MODULE ...]      run (or resume) the sessions
  python tests/mutation/mutate.py --fresh MODULE    start a session again from scratch
  python tests/mutation/mutate.py --rerun-survivors MODULE
                                                    run the survivors again (after new tests)
  python tests/mutation/mutate.py --report [MODULE ...]
                                                    the score table and every survivor's diff

MODULE is a config name in this folder (load, build, coverage, query, safety, write,
sandbox, publish, api, workspace, review, runner, server, pipeline, draft-quantities, ...,
draft-drafter, draft-init: one per file of nkrel/draft/ but review.py, which is `review`);
without one, all of them in that order. cosmic-ray writes each mutant into the source
file itself and runs the module's test command (see its .toml), so the tests' `nkrel`
subprocesses (an editable install of this checkout) run the mutant too. Hence: one
mutant at a time, the checkout must have no uncommitted change under nkrel/, and
nothing else may use this checkout while a run goes on. Sessions (sqlite) are kept in
tests/mutation/sessions/, so an interrupted run resumes where it stopped.

Each run first runs the test command on the unmutated code (it must pass) and gives
every mutant three times that long, at least 60 s, before killing it (a timeout)."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SESSIONS = HERE / "sessions"
MODULES = ["load", "build", "coverage", "query", "safety", "write"]
MODULES += ["sandbox", "publish", "api", "workspace", "review", "runner", "server", "pipeline"]  # wave 2 (issue 20)
# the drafter (issue 20): one session per file of nkrel/draft/ (restore() writes back one file)
DRAFT = ["quantities", "dating", "times", "directions", "references", "givers", "clauses", "cues", "mentions"]
MODULES += [f"draft-{m}" for m in [*DRAFT, "proposals", "fit", "records", "drafter", "init"]]
sys.path.insert(0, str(HERE))
from run_tests import TIMEOUT_MARK  # noqa: E402


def environment(timeout: float | None = None) -> dict[str, str]:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)  # the venv's python, pytest and nkrel
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    if timeout is not None:
        env["NKREL_MUTANT_TIMEOUT"] = str(int(timeout))
    return env


def config_path(name: str) -> Path:
    """A module's cosmic-ray config: its own .toml, or for draft-X the drafter's one template
    (draft.toml) written out for nkrel/draft/X.py into the sessions folder."""
    own = HERE / f"{name}.toml"
    if own.exists() or not name.startswith("draft-"):
        return own
    module = name.removeprefix("draft-")
    SESSIONS.mkdir(exist_ok=True)
    path = SESSIONS / f"{name}.toml"
    text = (HERE / "draft.toml").read_text(encoding="utf-8")
    path.write_text(text.replace("MODULE", "__init__" if module == "init" else module), encoding="utf-8")
    return path


def config(name: str) -> dict:
    from cosmic_ray.config import load_config

    return load_config(str(config_path(name)))


TOOLS = {"cosmic-ray": "cosmic_ray.cli", "cr-filter-operators": "cosmic_ray.tools.filters.operators_filter"}


def tool(name: str) -> list[str]:
    """cosmic-ray's commands, run by this Python (wherever pip put their scripts)."""
    return [sys.executable, "-m", TOOLS[name]]


# A bug planted by hand where only the `nkrel build` subprocess runs it: the check that
# a mutant written into the source reaches the tests' subprocesses (not only pytest's).
PLANT = ("nkrel/model/build.py", "OA.end, Literal(span.end,", "OA.end, Literal(span.end + 1,")
PLANT_TESTS = "python tests/mutation/run_tests.py tests/test_build.py::test_every_quote_is_verbatim_at_its_offsets"


def check_reach() -> None:
    from cosmic_ray.testing import run_tests
    from cosmic_ray.util import restore_contents

    path, before, after = PLANT
    module = REPO / path
    text = module.read_text(encoding="utf-8")
    if text.count(before) != 1:
        sys.exit(f"mutate: the planted bug's line ({before!r}) is not once in {path}: update PLANT")
    saved = dict(os.environ)
    os.environ.update(environment(600))
    try:
        with restore_contents(module):
            module.write_text(text.replace(before, after), encoding="utf-8")
            outcome, output = run_tests(PLANT_TESTS, 900)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert module.read_text(encoding="utf-8") == text
    if outcome.value != "killed":
        sys.exit(f"mutate: a bug planted in {path} survived {PLANT_TESTS}: mutants do not reach the tests\n{output}")
    print(f"check: a bug planted in {path} (end offset + 1, seen only by `nkrel build`) is killed", flush=True)


def run_session(name: str, fresh: bool, rerun_survivors: bool) -> None:
    cfg, db = config_path(name), SESSIONS / f"{name}.sqlite"
    module = REPO / config(name)["module-path"]  # a file, or a package's folder (load)
    SESSIONS.mkdir(exist_ok=True)
    if fresh or not db.exists():
        db.unlink(missing_ok=True)
        init_session(name, db)
    else:
        carry_over(name, db)
    if rerun_survivors:
        forget_survivors(db)

    command = config(name)["test-command"]
    print(f"[{name}] baseline: {command}", flush=True)
    start = time.monotonic()
    base = subprocess.run(command.split(), cwd=REPO, env=environment(3600), capture_output=True, text=True)
    took = time.monotonic() - start
    if base.returncode != 0:
        sys.exit(f"mutate: the tests fail on the unmutated code ({name}):\n{base.stdout[-3000:]}")
    timeout = max(60.0, 3 * took)
    print(f"[{name}] baseline passed in {took:.0f} s; a mutant is stopped after {timeout:.0f} s", flush=True)

    original = sources(module)
    # its own session, so that a stop can tell its processes from this one's
    proc = subprocess.Popen([*tool("cosmic-ray"), "exec", str(cfg), str(db)], cwd=REPO, env=environment(timeout),
                            start_new_session=True)  # fmt: skip

    def stop(signum, frame):
        # raise, not wait here: the interrupted proc.wait() holds Popen's wait lock
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        start = time.monotonic()
        code = proc.wait()
        print(f"[{name}] mutants ran in {(time.monotonic() - start) / 60:.1f} min (exit {code})", flush=True)
    except KeyboardInterrupt:
        kill_tree()
        proc.wait()
        restore(original)  # never leave a mutant in the source
        sys.exit(f"mutate: stopped; {module.relative_to(REPO)} restored")
    finally:
        signal.signal(signal.SIGTERM, previous)
        for path in restore(original):
            print(f"mutate: {path.relative_to(REPO)} restored", file=sys.stderr)


def init_session(name: str, db: Path) -> None:
    cfg = config_path(name)
    subprocess.run([*tool("cosmic-ray"), "init", str(cfg), str(db)], cwd=REPO, check=True)
    subprocess.run([*tool("cr-filter-operators"), str(db), str(cfg)], cwd=REPO, check=True)
    sample(name, db)


def specs(db: Path) -> set[tuple]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT operator_name, occurrence, start_pos_row, start_pos_col FROM mutation_specs"))


def carry_over(name: str, db: Path) -> None:
    """Resume a session whose module has changed since it began. cosmic-ray names a mutant by
    its operator and its occurrence in the file, so a site added before others shifts them:
    the session would run other mutants than it recorded (and report them at the old lines).
    The session is begun again, and each new mutant takes the result of the old one whose
    diff changes the same lines the same way (in the same context, or alone where no
    other mutant of that operator changes them so); the others are run."""
    import sqlite3

    new = db.with_suffix(".new.sqlite")
    new.unlink(missing_ok=True)
    init_session(name, new)
    if specs(new) == specs(db):
        new.unlink()
        return
    if config(name).get("sample"):
        new.unlink()
        sys.exit(f"mutate: {config(name)['module-path']} changed since the {name} session began: run it --fresh")
    old_results: dict[tuple, set[tuple]] = {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT s.operator_name, r.worker_outcome, r.output, r.test_outcome, r.diff FROM "
                            "work_results r JOIN mutation_specs s USING (job_id) WHERE r.worker_outcome = 'NORMAL'")  # fmt: skip
        for operator, *result in rows:
            for key in diff_key(result[3]):
                old_results.setdefault((operator, key), set()).add(tuple(result))
    kept = ran_again = 0
    with sqlite3.connect(new) as conn:
        mutants = mutant_diffs(conn)
        changes = Counter((operator, diff_key(diff)[1]) for _, operator, diff in mutants)
        for job_id, operator, diff in mutants:
            whole, changed = diff_key(diff)
            found = old_results.get((operator, whole), set())
            if not found and changes[operator, changed] == 1:  # its context changed, not its lines
                found = old_results.get((operator, changed), set())
            if len({r[2] for r in found}) == 1:  # one verdict (results that disagree: run it again)
                worker, output, outcome, _ = sorted(found)[0]
                conn.execute("INSERT INTO work_results (worker_outcome, output, test_outcome, diff, job_id) "
                             "VALUES (?, ?, ?, ?, ?)", (worker, output, outcome, diff, job_id))  # fmt: skip
                kept += 1
            else:
                ran_again += 1
    db.with_suffix(".before-change.sqlite").unlink(missing_ok=True)
    db.rename(db.with_suffix(".before-change.sqlite"))
    new.rename(db)
    print(f"[{name}] the module changed since the session began: {kept} results kept, {ran_again} mutants to run")


def mutant_diffs(conn) -> list[tuple[str, str, str]]:
    """(job id, operator, diff) of each mutant a session has not skipped, as cosmic-ray writes the diff."""
    import cosmic_ray.plugins
    from cosmic_ray.mutating import _make_diff, mutate_code

    found, sources_read = [], {}
    rows = conn.execute("SELECT s.job_id, s.module_path, s.operator_name, s.operator_args, s.occurrence FROM "
                        "mutation_specs s LEFT JOIN work_results r USING (job_id) WHERE r.job_id IS NULL")  # fmt: skip
    for job_id, path, operator_name, args, occurrence in rows.fetchall():
        code = sources_read.setdefault(path, (REPO / path).read_text(encoding="utf-8"))
        while isinstance(args, str):  # JSON, once or twice encoded
            args = json.loads(args)
        operator = cosmic_ray.plugins.get_operator(operator_name)(**(args or {}))
        mutated = mutate_code(code, operator, occurrence)
        found.append((job_id, operator_name, "\n".join(_make_diff(code, mutated, Path(path)))))
    return found


def diff_key(diff: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A mutant's diff without its line numbers: the lines changed with their context, and
    the lines changed alone."""
    lines = [line for line in diff.splitlines() if not line.startswith("@@")]
    return tuple(lines), tuple(line for line in lines if line[:1] in "+-")


def descendants() -> dict[int, int]:
    """The processes started beneath this one, each with its process group (from /proc)."""
    parent, group = {}, {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(stat_file.parent.name)
        parent[pid], group[pid] = int(fields[1]), int(fields[2])
    found, todo = {}, [os.getpid()]
    while todo:
        pid = todo.pop()
        for child in (p for p, pp in parent.items() if pp == pid):
            found[child] = group[child]
            todo.append(child)
    return found


def kill_tree() -> None:
    """Kill every process started beneath this one, in all their process groups: cosmic-ray
    runs each test command in a session of its own, and run_tests.py pytest in another, so
    killing cosmic-ray's group alone left the test run going. The groups are stopped
    (SIGSTOP) until no new one appears, so none escapes by starting or being orphaned
    meanwhile, then killed."""
    own, frozen = os.getpgrp(), set()
    while groups := set(descendants().values()) - frozen - {own}:
        for pgid in groups:
            try:
                os.killpg(pgid, signal.SIGSTOP)
            except ProcessLookupError:
                pass
        frozen |= groups
    for pgid in frozen:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def sources(module: Path) -> dict[Path, bytes]:
    """The bytes of each file a session mutates: the module, or every .py file of a
    package's folder (cosmic-ray's module-path may name either)."""
    files = sorted(module.rglob("*.py")) if module.is_dir() else [module]
    return {path: path.read_bytes() for path in files}


def restore(original: dict[Path, bytes]) -> list[Path]:
    """Write back each file a mutant changed; the files restored."""
    changed = [path for path, data in original.items() if path.read_bytes() != data]
    for path in changed:
        path.write_bytes(original[path])
    return changed


def sample(name: str, db: Path) -> None:
    """`sample = N` in the config's [cosmic-ray.sample]: keep N mutants drawn with a fixed seed."""
    spec = config(name).get("sample")
    if not spec:
        return
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(db), WorkDB.Mode.open) as work_db:
        pending = sorted(item.job_id for item in work_db.pending_work_items)
        keep = set(random.Random(spec.get("seed", 0)).sample(pending, min(spec["size"], len(pending))))
        for job_id in pending:
            if job_id not in keep:
                work_db.set_result(job_id, WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED))


def forget_survivors(db: Path) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        n = conn.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'").rowcount
    print(f"{db.stem}: {n} survivors to run again")


def outcomes(name: str) -> dict:
    """Counts of one session, and its survivors (job id, operator, line, diff)."""
    from cosmic_ray.work_db import WorkDB, use_db

    counts = dict(killed=0, survived=0, timeouts=0, incompetent=0, skipped=0, pending=0, total=0)
    survivors = []
    with use_db(str(SESSIONS / f"{name}.sqlite"), WorkDB.Mode.open) as work_db:
        results = dict(work_db.results)
        for item in work_db.work_items:
            result = results.get(item.job_id)
            if result is None:
                counts["pending"] += 1
            elif result.worker_outcome.value == "skipped":
                counts["skipped"] += 1
                continue
            elif result.test_outcome is None or result.test_outcome.value == "incompetent":
                counts["incompetent"] += 1
            elif result.test_outcome.value == "survived":
                counts["survived"] += 1
                m = item.mutations[0]
                survivors.append((item.job_id, m.operator_name, m.start_pos[0], result.diff))
            elif TIMEOUT_MARK in (result.output or ""):
                counts["timeouts"] += 1
            else:
                counts["killed"] += 1
            counts["total"] += 1
    return {"counts": counts, "survivors": survivors}


def report(names: list[str]) -> None:
    print("| module | killed | survived | timeouts | incompetent | pending | total | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    details = []
    for name in names:
        if not (SESSIONS / f"{name}.sqlite").exists():
            continue
        o = outcomes(name)
        c = o["counts"]
        done = c["killed"] + c["timeouts"] + c["survived"]
        score = f"{100 * (c['killed'] + c['timeouts']) / done:.1f}%" if done else "-"
        path = config(name)["module-path"]
        print(f"| `{path}` | {c['killed']} | {c['survived']} | {c['timeouts']} | {c['incompetent']} | "
              f"{c['pending']} | {c['total']} | {score} |")  # fmt: skip
        details += [(name, *s) for s in o["survivors"]]
    for name, job, operator, line, diff in details:
        print(f"\n### {name} {job} line {line} {operator}\n{diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--fresh", action="store_true", help="start the sessions again from scratch")
    parser.add_argument("--rerun-survivors", action="store_true", help="run the survivors again")
    parser.add_argument("--report", action="store_true", help="print the scores and the survivors, run nothing")
    args = parser.parse_args()
    names = args.modules or MODULES
    for name in names:
        if name not in MODULES:
            parser.error(f"unknown module {name!r} (one of: {', '.join(MODULES)})")
    if not args.report:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "nkrel"], cwd=REPO, capture_output=True, text=True
        )
        if dirty.stdout.strip():
            sys.exit(f"mutate: uncommitted changes under nkrel/ (a run overwrites them):\n{dirty.stdout}")
        check_reach()
        for name in names:
            run_session(name, args.fresh, args.rerun_survivors)
    report(names)


if __name__ == "__main__":
    main()
