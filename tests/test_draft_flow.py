"""The README's own-corpus flow on every text of the drafting set: a file of its own, so
that the suite's two workers can share the drafting tests (pytest-xdist gives each worker
whole files)."""

from __future__ import annotations

import pytest

from .conftest import REPO, nkrel

DEVSET = REPO / "tests" / "drafting"


def _devset() -> list[tuple[str, str]]:
    import yaml

    texts = yaml.safe_load((DEVSET / "sources.yaml").read_text(encoding="utf-8"))["texts"]
    return [(t["id"], t["title"]) for t in texts]


@pytest.mark.parametrize("text_id,title", _devset())
def test_every_devset_text_goes_from_init_to_build_with_no_flag(tmp_path, text_id, title):
    """The README's own-corpus flow on each text of the development set (tune and held-out):
    init, add-document, draft, review --accept-all, build, with no flag and no hand edit."""
    ws = tmp_path / "ws"
    assert nkrel("init", ws).returncode == 0
    steps = [("add-document", DEVSET / "texts" / f"{text_id}.txt", "--id", text_id, "--title", title), ("draft", text_id),
             ("review", text_id, "--accept-all"), ("build",)]  # fmt: skip
    for args in steps:
        r = nkrel(*args, "--workspace", ws)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
