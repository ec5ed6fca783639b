"""`pip install .` (not only editable) ships everything the package reads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from .conftest import REPO


def test_the_wheel_holds_every_file_of_the_package(tmp_path):
    tracked = subprocess.run(
        ["git", "ls-files", "nkrel"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    source = tmp_path / "src"  # a clean copy: a stale build/ folder could hide a missing file
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("nkrel-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for path in tracked:
        full = REPO / path
        if full.is_symlink() and full.is_dir():  # nkrel/ontology, nkrel/graph: the files they point at
            target = full.resolve()
            # not the build's seal: it is this machine's, signed with this user's key (gitignored)
            expected |= {f"{path}/{p.name}" for p in target.iterdir() if p.is_file() and p.name != ".nkrel-seal.json"}
        elif full.is_file():
            expected.add(path)
    assert expected - shipped == set()


def tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_user_works_in_a_workspace_and_never_writes_into_the_package(tmp_path):
    """From the wheel (not an editable install): init, build, add a document, change a
    fact; the installed package's files stay as installed."""
    import json
    import os

    source = tmp_path / "src"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info"))
    assert subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
                          cwd=source, capture_output=True).returncode == 0  # fmt: skip
    (wheel,) = tmp_path.glob("nkrel-*.whl")
    target = tmp_path / "site"
    assert subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True).returncode == 0  # fmt: skip
    installed = tree(target / "nkrel")
    env = {**os.environ, "PYTHONPATH": str(target), "NKREL_WORKSPACE": ""}

    def nkrel_(*args, cwd):
        return subprocess.run([sys.executable, "-m", "nkrel", *map(str, args)], cwd=cwd, env=env,
                              capture_output=True, text=True)  # fmt: skip

    home = tmp_path / "home"
    home.mkdir()
    article = home / "article.txt"
    article.write_text("North Korea signed a trade pact with Laos in 2021.\n", encoding="utf-8")
    refused = nkrel_("add-document", article, "--id", "laos-2021", "--title", "Laos", cwd=home)
    assert refused.returncode == 2 and "nkrel init" in refused.stderr, refused.stderr
    assert nkrel_("build", cwd=home).returncode == 2
    assert nkrel_("init", "ws", "--example", cwd=home).returncode == 0
    ws = home / "ws"
    built = nkrel_("build", cwd=ws)
    assert built.returncode == 0, built.stderr
    assert nkrel_("add-document", article, "--id", "laos-2021", "--title", "Laos", cwd=ws).returncode == 0
    assert (ws / "corpus" / "texts" / "article.txt").is_file() and (
        ws / "corpus" / "facts" / "laos-2021.yaml"
    ).is_file()

    count = "SELECT (COUNT(?f) AS ?n) WHERE { ?f nk:evidence ?e }"
    before = nkrel_("query", count, "--format", "csv", "--no-rebuild", cwd=ws / "graphs")
    assert before.returncode == 2 and "the graph is stale: run nkrel build" in before.stderr
    facts = ws / "corpus" / "facts" / "laos-2021.yaml"  # curate it: its one sentence is explained
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "not_facts: []", 'not_facts:\n  - {quote: "North Korea signed a trade pact with Laos in 2021.", reason: opinion}'),
        encoding="utf-8")  # fmt: skip
    fresh = nkrel_("query", count, "--format", "csv", cwd=ws)
    assert fresh.returncode == 0, fresh.stderr
    n = int(fresh.stdout.splitlines()[1])

    # remove one fact whose sentence another fact also cites: the corpus stays covered
    cov = json.loads(nkrel_("coverage", "--format", "json", cwd=ws).stdout)
    shared = next(s for d in cov["documents"].values() for s in d["sentences"] if len(s["facts"]) > 1)
    victim = shared["facts"][0]
    for path in (ws / "corpus" / "facts").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        marker = f"  - id: {victim}\n"
        if marker in text:
            start = text.index(marker)
            end = text.find("\n  - id: ", start + 1)
            path.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")
    stale = nkrel_("query", count, "--format", "csv", "--no-rebuild", cwd=ws)
    assert stale.returncode == 2 and "the graph is stale" in stale.stderr
    after = nkrel_("query", count, "--format", "csv", cwd=ws)
    assert after.returncode == 0, after.stderr
    assert int(after.stdout.splitlines()[1]) == n - 1
    assert tree(target / "nkrel") == {k: v for k, v in installed.items()} | {
        k: v for k, v in tree(target / "nkrel").items() if "__pycache__" in k
    }, "the installed package changed"
