"""The drafting development set checks out, and its checker catches what it should."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check_keys  # noqa: E402


def test_shipped_set_checks_out(capsys):
    assert check_keys.main([]) == 0
    out = capsys.readouterr().out
    assert "tune: 8 keys" in out and "heldout: 8 keys" in out and "third: 4 keys" in out


def test_runs_with_plain_python():
    done = subprocess.run([sys.executable, str(HERE / "check_keys.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("all keys check out")


@pytest.fixture
def copy(tmp_path):
    root = tmp_path / "set"
    shutil.copytree(HERE, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("keys/wp-cuba.yaml", 'an embassy in Pyongyang"}', 'an embassy in  Pyongyang"}', "not found verbatim"),
        ("keys/wp-cuba.yaml", "involves: [che-guevara]", "involves: [ernesto-guevara]", "not in keys/entities.yaml"),
        ("keys/wp-cuba.yaml", "reason: background", "reason: trivia", "reason 'trivia'"),
        ("keys/wp-cuba.yaml", "kind: Aid\n", "kind: Assistance\n", "unknown kind"),
        ("keys/wp-cuba.yaml", 'stated: "100,000"', 'stated: "100.000"', "not inside the fact's quotes"),
        ("keys/wp-cuba.yaml", "amount: 103,", 'amount: "103",', "amount is not a number"),
        (
            "keys/wp-cuba.yaml",
            'quote: "Cuba has been one of North Korea\'s most consistent allies"',
            'quote: "North Korea"',
            "times; give occurrence",
        ),
        (
            "keys/wp-romania.yaml",
            "    reason: opinion\n",
            "    reason: opinion\n    extra: 1\n",
            "unknown evidence keys",
        ),
        ("sources.yaml", "words: 302", "words: 300", "words 300 but the text has 302"),
        ("sources.yaml", "state: egypt", "state: cuba", "states in both halves"),
        ("sources.yaml", "state: uganda", "state: cuba", "third-set states the drafter was tuned on: ['cuba']"),
        ("sources.yaml", "    split: third\n", "    split: thrid\n", "split 'thrid' is not tune, heldout or third"),
        (
            "keys/entities.yaml",
            'label: "Iran, North Korea, Syria Nonproliferation Act"',
            "label: Iran, North Korea",
            "unknown fields",
        ),
    ],
)
def test_catches(copy, capsys, file, old, new, message):
    edit(copy / file, old, new)
    assert check_keys.main(["--root", str(copy)]) == 1
    assert message in capsys.readouterr().err


def test_catches_an_unexplained_sentence(copy, capsys):
    key = copy / "keys" / "wp-romania.yaml"
    text = key.read_text(encoding="utf-8")
    start = text.index("  - id: ro-little-contact")
    key.write_text(text[:start] + text[text.index("  - id: ro-ceausescu-visit-1971") :], encoding="utf-8")
    assert check_keys.main(["--root", str(copy)]) == 1
    assert "neither a fact nor explained: 'In the following years" in capsys.readouterr().err


def test_sentences_keep_abbreviations_whole():
    text = "Egypt refrained from rejecting the U.S.-sponsored resolutions. It abstained. Then: a list\n• item one"
    got = [text[s:e] for s, e in check_keys.sentences(text)]
    assert got == [
        "Egypt refrained from rejecting the U.S.-sponsored resolutions.",
        "It abstained.",
        "Then: a list",
        "item one",
    ]
