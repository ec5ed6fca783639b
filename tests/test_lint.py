"""The code stays lint-clean and formatted (ruff), as `make lint` checks."""

from __future__ import annotations

import shutil
import subprocess

from .conftest import REPO


def test_ruff_check_and_format():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is missing: pip install -e '.[test]'"
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([ruff, *args], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
