"""Attacks on the promise that `--out` holds one whole build, old or new: kills at any
moment, a full disk, things in the way, concurrent builds, a folder that is not a build."""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import nkrel
from .conftest import snapshot


def consistent(out: Path) -> bool:
    """Every file build.json names is there with its recorded sha256."""
    record = json.loads((out / "build.json").read_text(encoding="utf-8"))
    return all(
        (out / name).is_file() and hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
        for name, digest in record["files"].items()
    )


def leftovers(out: Path) -> list[str]:
    """Unfinished builds beside out (the previous build, .NAME.old-*, is kept on purpose)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.new-"))


def previous_builds(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.old-"))


@pytest.fixture
def two_corpora(corpus_copy, tmp_path):
    """The example, and a copy of it whose build differs (one amount changed)."""
    other = tmp_path / "other"
    shutil.copytree(corpus_copy, other)
    facts = other / "facts" / "encyclopedia-economic-relations.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("amount: 1970000000", "amount: 1000000000", 1),
                     encoding="utf-8")  # fmt: skip
    return corpus_copy, other


def test_kill_9_at_any_moment_leaves_one_whole_build(two_corpora, tmp_path):
    first, second = two_corpora
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    builds = {json.dumps(json.loads((out / "build.json").read_text())["files"], sort_keys=True)}
    start = time.monotonic()
    assert nkrel("build", "--corpus", second, "--out", out).returncode == 0
    duration = time.monotonic() - start
    builds.add(json.dumps(json.loads((out / "build.json").read_text())["files"], sort_keys=True))
    assert len(builds) == 2
    rng = random.Random(20261130)
    for i in range(12):
        corpus = (first, second)[i % 2]
        proc = subprocess.Popen([shutil.which("nkrel"), "build", "--corpus", str(corpus), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.3, 1.05) * duration)  # most kills land in the writing phase
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert consistent(out), f"run {i}: a mixed or torn build"
        files = json.dumps(json.loads((out / "build.json").read_text())["files"], sort_keys=True)
        assert files in builds, f"run {i}: a build that is neither the old nor the new one"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    assert consistent(out) and leftovers(out) == [], "an interrupted build's folder was not cleaned up"
    assert len(previous_builds(out)) == 1, "exactly the previous build is kept for readers"


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG


def test_a_full_disk_during_the_write_changes_nothing(two_corpora, tmp_path):
    first, second = two_corpora
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    before = snapshot(out)
    result = subprocess.run([shutil.which("nkrel"), "build", "--corpus", str(second), "--out", str(out)],
                            capture_output=True, text=True, preexec_fn=_limit_file_size)  # fmt: skip
    assert result.returncode == 1, result
    assert (
        result.stderr.startswith("nkrel: error: cannot write the build into") and "nothing was changed" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_things_in_the_way_do_not_mix_builds(two_corpora, tmp_path):
    first, second = two_corpora
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    (out / "nkrel.nq").unlink()
    (out / "nkrel.nq").mkdir()  # a folder where a file of the build goes
    (out / "nkrel.nq" / "x").write_text("x")
    result = nkrel("build", "--corpus", second, "--out", out)
    assert result.returncode == 0, result.stderr
    assert consistent(out) and (out / "nkrel.nq").is_file()


def test_a_folder_that_is_not_a_build_is_never_replaced(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"years of work")
    before = snapshot(home)
    result = nkrel("build", "--out", home)
    assert result.returncode == 1 and "holds files that are not an nkrel build" in result.stderr
    assert snapshot(home) == before


def test_files_a_person_put_in_the_build_folder_survive_a_rebuild(two_corpora, tmp_path):
    first, second = two_corpora
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    (out / "screenshots").mkdir()
    (out / "screenshots" / "view.png").write_bytes(b"png")
    (out / "NOTES.md").write_text("mine")
    assert nkrel("build", "--corpus", second, "--out", out).returncode == 0
    assert (out / "screenshots" / "view.png").read_bytes() == b"png" and (out / "NOTES.md").read_text() == "mine"
    assert consistent(out)


def test_concurrent_builds_of_one_folder_take_turns(two_corpora, tmp_path):
    first, second = two_corpora
    out = tmp_path / "out"
    procs = [subprocess.Popen([shutil.which("nkrel"), "build", "--corpus", str(c), "--out", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for c in (first, second, first)]  # fmt: skip
    for p in procs:
        assert p.wait(600) == 0, p.stderr.read()
    assert consistent(out) and leftovers(out) == []


def test_a_reader_during_builds_always_sees_a_whole_build(two_corpora, tmp_path):
    """Open the folder, then read every file through that handle: one build, whatever happens meanwhile."""
    first, second = two_corpora
    out = tmp_path / "out"
    assert nkrel("build", "--corpus", first, "--out", out).returncode == 0
    proc = subprocess.Popen(["sh", "-c", " ; ".join(
        f"{shutil.which('nkrel')} build --corpus {c} --out {out} >/dev/null 2>&1" for c in (second, first) * 3)])  # fmt: skip
    seen = 0
    while proc.poll() is None:
        try:
            fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue
        try:
            record = json.loads(_read_at(fd, "build.json"))
            for name, digest in record["files"].items():
                assert hashlib.sha256(_read_at(fd, name)).hexdigest() == digest, f"{name} from another build"
            seen += 1
        finally:
            os.close(fd)
    assert proc.returncode == 0 and seen > 0


def _read_at(dir_fd: int, name: str) -> bytes:
    fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()
