"""Shared checks of the hostile suite: every attack ends in a clear refusal, with the
output folder untouched and no traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) with its sha256."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """An output folder holding an earlier build's stand-in, to prove nothing changes."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "nkrel.nq").write_text("<urn:old> <urn:build> <urn:here> .\n", encoding="utf-8")
    return out


def assert_refused(result, before: dict[str, str], out: Path, *, code: int = 1, mentions: str | None = None) -> None:
    """Exit code as given, one-line errors, no traceback, and `out` exactly as it was."""
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert result.stderr.startswith("nkrel: error: "), result.stderr
    if mentions is not None:
        assert mentions in result.stderr, result.stderr
    assert snapshot(out) == before, "the output folder changed"
