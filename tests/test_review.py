"""`nkrel review` as a user runs it: answers typed on stdin or in a terminal, the files it
writes checked exactly, and an interrupted review (Ctrl-C, kill) loses nothing already
answered and corrupts nothing."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml

from .conftest import default_sigint, nkrel
from .test_draft import NEW_TEXT

HEADER = "# Facts of vn-test. Every sentence below must be cited by a fact's quote or listed"


def draft_new_document(tmp: Path) -> Path:
    """A copy of the shipped corpus in tmp with a new document 'vn-test' added and drafted."""
    from nkrel.core.corpus import default_corpus_dir

    corpus = tmp / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    text = tmp / "vietnam.txt"
    text.write_text(NEW_TEXT, encoding="utf-8")
    r = nkrel("add-document", text, "--id", "vn-test", "--title", "North Korea and Vietnam", "--corpus", corpus)
    assert r.returncode == 0, r.stderr
    r = nkrel("draft", "vn-test", "--corpus", corpus)
    assert r.returncode == 0, r.stderr
    return corpus


@pytest.fixture(scope="module")
def drafted_once(tmp_path_factory) -> Path:
    """A corpus copy with a new document 'vn-test' and its drafts, made once per module."""
    corpus = draft_new_document(tmp_path_factory.mktemp("drafted"))
    from nkrel.draft.review import open_review

    review = open_review(corpus, "vn-test")  # the proposed entities answered first (issue 21)
    for entity in review.proposed_entities():
        review.accept_entity(entity)
    return corpus


@pytest.fixture
def drafted(drafted_once, tmp_path) -> Path:
    """A fresh copy of that corpus for each test (they write into it)."""
    return Path(shutil.copytree(drafted_once, tmp_path / "corpus"))


def read(corpus: Path, name: str):
    return yaml.safe_load((corpus / name).read_text(encoding="utf-8"))


def draft_ids(corpus: Path) -> list[str]:
    return [d["id"] for d in read(corpus, "drafts/vn-test.yaml")["drafts"]]


def without_draft_fields(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("status", "cues")}


def test_answers_on_stdin_accept_reject_discard_skip_quit(drafted):
    drafts = read(drafted, "drafts/vn-test.yaml")["drafts"]
    from nkrel.draft.review import REASONS as reasons  # the loader's reasons, in the order shown

    answers = ["a", "r", str(reasons.index("opinion") + 1), "d", "s", "q"]
    r = nkrel("review", "vn-test", "--corpus", drafted, input="\n".join(answers) + "\n")
    assert r.returncode == 0, r.stderr
    assert "[1/6] " + drafts[0]["id"] in r.stdout and "sentence: In 2019, Vietnam exported goods" in r.stdout
    assert r.stdout.rstrip().endswith("Done: 1 accepted, 1 rejected, 1 discarded; 3 draft(s) left.")
    facts_text = (drafted / "facts" / "vn-test.yaml").read_text(encoding="utf-8")
    assert facts_text.startswith(HEADER)  # the file's comments are kept
    facts = yaml.safe_load(facts_text)
    assert facts["facts"] == [without_draft_fields(drafts[0])]
    assert facts["not_facts"] == [{"quote": drafts[1]["evidence"]["quote"], "reason": "opinion"}]
    assert draft_ids(drafted) == [d["id"] for d in drafts[3:]]  # skipped and unanswered stay
    assert read(drafted, "drafts/vn-test.yaml")["entities"] == []  # answered first, in the fixture
    r = nkrel("validate", "--corpus", drafted, "--allow-uncovered")  # skipped drafts leave sentences open
    assert r.returncode == 0, r.stderr


def test_edit_then_accept(drafted, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, re\np = sys.argv[1]\ns = open(p).read()\n"
        "s = re.sub(r'label: .*', 'label: Vietnam exported US$12.3 million of goods to North Korea in 2019', s)\n"
        "open(p, 'w').write(s)\n",
        encoding="utf-8",
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": f"{sys.executable} {editor}"}
    r = nkrel("review", "vn-test", "--corpus", drafted, input="e\nq\n", env=env)
    assert r.returncode == 0, r.stderr
    fact = read(drafted, "facts/vn-test.yaml")["facts"][0]
    assert fact["label"] == "Vietnam exported US$12.3 million of goods to North Korea in 2019"
    assert (fact["from"], fact["to"]) == ("vietnam", "north-korea")  # Vietnam from the gazetteer


def test_an_edit_the_loader_refuses_is_not_accepted(drafted, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\np = sys.argv[1]\ns = open(p).read().replace('In 2019, Vietnam', 'In 2020, Vietnam')\n"
        "open(p, 'w').write(s)\n",
        encoding="utf-8",
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": f"{sys.executable} {editor}"}
    r = nkrel("review", "vn-test", "--corpus", drafted, input="e\ns\nq\n", env=env)
    assert r.returncode == 0, r.stderr
    assert "not accepted, the loader says:" in r.stdout and "quote not found verbatim" in r.stdout
    assert read(drafted, "facts/vn-test.yaml")["facts"] == []
    assert len(draft_ids(drafted)) == 6


def test_accept_all_leaves_a_broken_draft_and_says_why(drafted):
    path = drafted / "drafts" / "vn-test.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    broken = data["drafts"][2]["id"]
    path.write_text(path.read_text(encoding="utf-8").replace("China gave North Korea food aid", "China gave aid"))
    r = nkrel("review", "vn-test", "--accept-all", "--corpus", drafted)
    assert r.returncode == 1
    assert r.stderr.startswith(f"nkrel: error: draft {broken} was not accepted:\n  drafts/vn-test.yaml:")
    assert "quote not found verbatim" in r.stderr
    assert r.stdout == "Done: 5 accepted, 0 rejected, 0 discarded, 1 line(s) explained; 1 draft(s) left.\n"
    assert draft_ids(drafted) == [broken]


def test_a_review_cut_between_its_two_writes_is_finished_by_the_next(drafted):
    """The fact file is written first: if the review dies before the drafts file is
    rewritten, the next review sees the draft as done and does not add it twice."""
    first = read(drafted, "drafts/vn-test.yaml")["drafts"][0]
    facts_path = drafted / "facts" / "vn-test.yaml"
    text = facts_path.read_text(encoding="utf-8").replace("\nfacts: []\n", "\nfacts:\n" + _block(first))
    facts_path.write_text(text, encoding="utf-8")
    r = nkrel("review", "vn-test", "--accept-all", "--corpus", drafted)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Done: 5 accepted, 0 rejected, 0 discarded, 1 line(s) explained; 0 draft(s) left.\n"
    ids = [f["id"] for f in read(drafted, "facts/vn-test.yaml")["facts"]]
    assert len(ids) == len(set(ids)) == 6


def _block(record: dict) -> str:
    body = yaml.safe_dump([without_draft_fields(record)], allow_unicode=True, sort_keys=False, width=4096)
    return "".join("  " + line + "\n" for line in body.splitlines())


def test_review_needs_drafts(corpus_copy):
    r = nkrel("review", "trade-agreements", "--corpus", corpus_copy)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == "nkrel: error: no drafts for trade-agreements: run `nkrel draft trade-agreements` first\n"


# ---- an edit that changes the id -----------------------------------------------------


def test_an_edit_that_changes_the_id_takes_the_draft_out_for_good(drafted, tmp_path):
    """Accepted under its new id, the draft leaves the drafts file; a second review has
    nothing left for it (it is not offered again under its old id)."""
    old = draft_ids(drafted)[0]
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, re\np = sys.argv[1]\ns = open(p).read()\n"
        "s = re.sub(r'^id: (.*)$', r'id: \\1-edited', s, count=1, flags=re.M)\nopen(p, 'w').write(s)\n",
        encoding="utf-8",
    )
    env = {"EDITOR": f"{sys.executable} {editor}", "VISUAL": f"{sys.executable} {editor}"}
    r = nkrel("review", "vn-test", "--corpus", drafted, input="e\nq\n", env=env)
    assert r.returncode == 0, r.stderr
    assert [f["id"] for f in read(drafted, "facts/vn-test.yaml")["facts"]] == [old + "-edited"]
    assert old not in draft_ids(drafted) and len(draft_ids(drafted)) == 5
    again = nkrel("review", "vn-test", "--accept-all", "--corpus", drafted)
    assert again.returncode == 0, again.stderr
    assert old not in again.stdout and again.stdout.endswith("; 0 draft(s) left.\n")
    ids = [f["id"] for f in read(drafted, "facts/vn-test.yaml")["facts"]]
    assert len(ids) == len(set(ids)) == 6 and old not in ids


def test_an_edit_to_the_id_of_another_pending_draft_is_refused_and_both_stay(drafted):
    """Renaming draft A to B's id would make B vanish from pending() and --accept-all."""
    from nkrel.draft.review import open_review

    review = open_review(drafted, "vn-test")
    first, second = review.pending()[:2]
    edited = dict(first)
    edited["id"] = second["id"]
    problems = review.accept(first, edited)
    assert problems and second["id"] in str(problems[0]) and "another draft" in problems[0].message
    assert [d["id"] for d in open_review(drafted, "vn-test").pending()][:2] == [first["id"], second["id"]]


@pytest.mark.parametrize("cut_at", [1, 2, 3])
def test_a_review_cut_at_any_write_of_an_id_changing_edit_accepts_it_once(drafted, monkeypatch, cut_at):
    """The review killed at its first, second or third file write while accepting an
    edit that renames the draft: the next review leaves exactly one fact for the draft."""
    from nkrel.draft import review as review_module

    writes, real = [], review_module.atomic_write

    def cut(path, data):
        writes.append(Path(path).name)
        if len(writes) == cut_at:
            raise KeyboardInterrupt  # the process dies here: this write never happens
        real(path, data)

    first = review_module.open_review(drafted, "vn-test")
    entry = first.pending()[0]
    old = entry["id"]
    edited = dict(entry, id=old + "-edited")
    monkeypatch.setattr(review_module, "atomic_write", cut)
    try:
        first.accept(entry, edited)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(review_module, "atomic_write", real)
    second = review_module.open_review(drafted, "vn-test")
    for pending in second.pending():
        assert second.accept(pending) == [], pending["id"]
    ids = [f["id"] for f in read(drafted, "facts/vn-test.yaml")["facts"]]
    assert len(ids) == len(set(ids)) == 6, ids
    assert len({old, old + "-edited"} & set(ids)) == 1, ids
    assert review_module.open_review(drafted, "vn-test").pending() == []


# ---- in a terminal: Ctrl-C and kill -----------------------------------------------------


def _controlling_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pty (stdin), so
    that Ctrl-C typed into the pty becomes SIGINT, as in a real terminal."""
    default_sigint()
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`nkrel review` in a pseudo-terminal, read and typed into like a person would."""

    def __init__(self, corpus: Path):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [shutil.which("nkrel"), "review", "vn-test", "--corpus", str(corpus)],
            stdin=slave, stdout=slave, stderr=slave, close_fds=True, preexec_fn=_controlling_terminal,
        )  # fmt: skip
        os.close(slave)
        self.screen = ""

    def wait_for(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while text not in self.screen:
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never shown; the screen:\n{self.screen}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:
                    break

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # our own child only, by its id
            self.proc.wait()
            raise
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    break
                self.screen += os.read(self.master, 4096).decode("utf-8", "replace")
        except OSError:
            pass
        os.close(self.master)
        return code


def test_ctrl_c_mid_review_keeps_what_was_answered(drafted):
    drafts = read(drafted, "drafts/vn-test.yaml")["drafts"]
    term = Terminal(drafted)
    term.wait_for("[1/6]")
    term.wait_for("[q]uit")
    term.type("a\n")
    term.wait_for("[2/6]")
    term.wait_for("[q]uit")
    term.type("\x03")  # Ctrl-C, as the terminal sends it
    assert term.finish() == 130
    assert "review stopped; 1 accepted, 0 rejected, 0 discarded saved" in term.screen
    assert "Traceback" not in term.screen
    assert read(drafted, "facts/vn-test.yaml")["facts"] == [without_draft_fields(drafts[0])]
    assert draft_ids(drafted) == [d["id"] for d in drafts[1:]]
    assert not list(drafted.rglob("*.tmp"))  # no temporary file left behind


def test_kill_mid_review_corrupts_nothing(drafted):
    drafts = read(drafted, "drafts/vn-test.yaml")["drafts"]
    term = Terminal(drafted)
    term.wait_for("[q]uit")
    term.type("a\n")
    term.wait_for("[2/6]")
    term.wait_for("[q]uit")
    term.type("r\n")
    term.wait_for("reason")
    os.killpg(term.proc.pid, signal.SIGKILL)
    assert term.finish() == -signal.SIGKILL
    assert read(drafted, "facts/vn-test.yaml")["facts"] == [without_draft_fields(drafts[0])]
    assert draft_ids(drafted) == [d["id"] for d in drafts[1:]]
    r = nkrel("validate", "--corpus", drafted, "--allow-uncovered")  # skipped drafts leave sentences open
    assert r.returncode == 0, r.stderr
    r = nkrel("review", "vn-test", "--accept-all", "--corpus", drafted)  # and the review goes on
    assert r.stdout == "Done: 5 accepted, 0 rejected, 0 discarded, 1 line(s) explained; 0 draft(s) left.\n", r.stderr


# ---- issue 21: proposed entities are reviewed first, with the drafts naming them --------------


def test_an_edited_entity_id_leaves_no_pending_duplicate_and_the_drafts_follow_it(tmp_path):
    from nkrel.draft.review import open_review

    ws = tmp_path / "ws"
    assert nkrel("init", ws).returncode == 0
    text = tmp_path / "bg.txt"
    text.write_text("North Korea and Bulgaria\n\nBulgaria provided assistance to North Korea during the war.\n")
    assert (
        nkrel("add-document", text, "--id", "bg", "--title", "North Korea and Bulgaria", "--workspace", ws).returncode
        == 0
    )
    assert nkrel("draft", "bg", "--workspace", ws).returncode == 0
    review = open_review(ws / "corpus", "bg")
    proposal = next(e for e in review.proposed_entities() if e["id"] == "bulgaria")
    edited = dict(proposal, id="people-s-republic-of-bulgaria", label="People's Republic of Bulgaria")
    review.accept_entity(proposal, edited)
    assert [e["id"] for e in review.proposed_entities()] == ["north-korea"]
    assert review.pending()[0]["from"] == "people-s-republic-of-bulgaria"
    r = nkrel("review", "bg", "--accept-all", "--workspace", ws)
    assert r.returncode == 0, r.stderr
    assert nkrel("build", "--workspace", ws).returncode == 0


def test_interactive_review_shows_proposed_entities_first(tmp_path):
    ws = tmp_path / "ws"
    assert nkrel("init", ws).returncode == 0
    text = tmp_path / "bg.txt"
    text.write_text("North Korea and Bulgaria\n\nBulgaria provided assistance to North Korea during the war.\n")
    assert (
        nkrel("add-document", text, "--id", "bg", "--title", "North Korea and Bulgaria", "--workspace", ws).returncode
        == 0
    )
    assert nkrel("draft", "bg", "--workspace", ws).returncode == 0
    r = nkrel("review", "bg", "--workspace", ws, input="a\na\na\na\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.index("proposed entity bulgaria") < r.stdout.index("Aid")
    assert nkrel("build", "--workspace", ws).returncode == 0
