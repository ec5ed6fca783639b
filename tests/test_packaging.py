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
            expected |= {f"{path}/{p.name}" for p in target.iterdir() if p.is_file()}
        elif full.is_file():
            expected.add(path)
    assert expected - shipped == set()
