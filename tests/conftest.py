"""Shared fixtures: run the installed `nkrel` as a user would, in a subprocess."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from nkrel.core.corpus import default_corpus_dir

REPO = Path(__file__).resolve().parent.parent


def default_sigint() -> None:
    """A preexec_fn for processes a test sends SIGINT: a suite started from a background
    job (cron, nohup, some CI runners) inherits SIGINT ignored, and so would they."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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


@pytest.fixture(scope="session", autouse=True)
def session_workspace(tmp_path_factory) -> Path:
    """A workspace holding a copy of the example, built once in this session: every
    command a test runs reads it (NKREL_WORKSPACE), never the committed graphs/."""
    root = tmp_path_factory.mktemp("session") / "workspace"
    assert nkrel("init", root, "--example", env={"NKREL_WORKSPACE": ""}).returncode == 0
    previous = os.environ.get("NKREL_WORKSPACE")
    os.environ["NKREL_WORKSPACE"] = str(root)
    result = nkrel("build", cwd=root)
    assert result.returncode == 0, result.stderr
    yield root
    if previous is None:
        os.environ.pop("NKREL_WORKSPACE", None)
    else:
        os.environ["NKREL_WORKSPACE"] = previous


@pytest.fixture(scope="session")
def built_dir(session_workspace) -> Path:
    """The example built in this session (the session workspace's graphs/)."""
    return session_workspace / "graphs"


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the shipped corpus, for tests that break it."""
    dest = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), dest, symlinks=False)
    return dest


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, driven by Playwright (tests/browser.py); a test fails, never skips,
    naming what to install when either is missing."""
    from .browser import BrowserMissing, launch, require_browser

    try:
        sync_playwright = require_browser()
    except BrowserMissing as e:
        pytest.fail(str(e))
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
