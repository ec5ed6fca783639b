"""Shared fixtures: run the installed `nkrel` as a user would, in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nkrel.ingest.load import default_corpus_dir

REPO = Path(__file__).resolve().parent.parent


def nkrel(*args, cwd=None, env=None, check=False, input=None, timeout=None) -> subprocess.CompletedProcess:
    exe = shutil.which("nkrel")
    assert exe, "the nkrel command is not installed (pip install -e '.[test]')"
    merged = {**os.environ, **(env or {})}
    return subprocess.run(
        [exe, *map(str, args)],
        cwd=cwd,
        env=merged,
        capture_output=True,
        text=True,
        check=check,
        input=input,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """The shipped corpus built once, from a folder outside the repository."""
    out = tmp_path_factory.mktemp("built")
    result = nkrel("build", "--out", out, cwd=tmp_path_factory.mktemp("elsewhere"))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the shipped corpus, for tests that break it."""
    dest = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), dest, symlinks=False)
    return dest
