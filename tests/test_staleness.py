"""A graph is stale exactly when something the build reads changed: documents.yaml,
entities.yaml, a text, a fact file (wherever documents.yaml keeps them), the ontology,
nkrel's version. Each edit makes the graph stale; undoing it makes it fresh again.
In-process on a copy of the session's built workspace: one build for the whole file."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from nkrel import fileindex, workspace
from nkrel.core import vocabulary
from nkrel.pipeline import build_and_publish


@pytest.fixture
def ws(session_workspace, tmp_path, monkeypatch) -> workspace.Workspace:
    """A copy of the session's built workspace: its corpus and its sealed build (times kept,
    so the seal still verifies), with a warm file index: its corpus files last modified an
    hour ago, recorded by a first check, so that a check reads no file until one changes."""
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(session_workspace / "nkrel.toml", root)
    shutil.copytree(session_workspace / "corpus", root / "corpus")
    shutil.copytree(session_workspace / "graphs", root / "graphs", symlinks=True)
    ws = workspace.load(root)
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in ws.corpus_dir.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    assert workspace.staleness(ws) is None
    written = (ws.cache_dir / fileindex.INDEX).stat()
    with monkeypatch.context() as m:
        m.setattr(workspace, "_listed_files", lambda corpus: pytest.fail("documents.yaml parsed again"))
        assert reads(ws, monkeypatch)[1] == [], "a warm index: no file is read"
    again = (ws.cache_dir / fileindex.INDEX).stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns), "nothing read, nothing written"
    return ws


def reads(ws, monkeypatch) -> tuple[str, list[str]]:
    """The corpus digest as a check computes it with the file index, and the files it read."""
    seen, real = [], workspace._file_digest
    monkeypatch.setattr(workspace, "_file_digest", lambda path: seen.append(os.path.basename(path)) or real(path))
    try:
        return workspace.corpus_digest(ws.corpus_dir, ws.cache_dir), seen
    finally:
        monkeypatch.setattr(workspace, "_file_digest", real)


def append(path: Path, text: str = "\n# an edit\n"):
    before = path.read_bytes()
    path.write_bytes(before + text.encode())
    return lambda: path.write_bytes(before)


def first_listed(corpus: Path, key: str) -> Path:
    documents = (corpus / "documents.yaml").read_text(encoding="utf-8")
    line = next(x for x in documents.splitlines() if x.strip().startswith(f"{key}: "))
    return corpus / line.split(": ", 1)[1].strip()


def edit_documents(ws, monkeypatch):
    return append(ws.corpus_dir / "documents.yaml")


def edit_entities(ws, monkeypatch):
    return append(ws.corpus_dir / "entities.yaml")


def edit_a_text(ws, monkeypatch):
    return append(first_listed(ws.corpus_dir, "file"), " ")


def edit_a_fact_file(ws, monkeypatch):
    return append(first_listed(ws.corpus_dir, "facts"))


def add_a_fact_file(ws, monkeypatch):
    extra = ws.corpus_dir / "facts" / "new-document.yaml"
    extra.write_text("document: new-document\nfacts: []\n", encoding="utf-8")
    return extra.unlink


def edit_the_ontology(ws, monkeypatch):
    copy = ws.root / "ontology-copy"
    shutil.copytree(vocabulary.ontology_dir(), copy)
    monkeypatch.setattr(vocabulary, "ontology_dir", lambda: copy)
    assert workspace.staleness(ws) is None, "a copy of the ontology is the same ontology"
    return append(copy / "shapes.ttl", "\n# an edit\n")


def change_nkrels_version(ws, monkeypatch):
    real = workspace.__version__
    monkeypatch.setattr(workspace, "__version__", real + ".post1")
    return lambda: monkeypatch.setattr(workspace, "__version__", real)


EDITS = {
    edit_documents: "the corpus changed",
    edit_entities: "the corpus changed",
    edit_a_text: "the corpus changed",
    edit_a_fact_file: "the corpus changed",
    add_a_fact_file: "the corpus changed",
    edit_the_ontology: "the ontology changed",
    change_nkrels_version: "nkrel's version changed",
}


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_each_input_edited_makes_the_graph_stale_and_undone_fresh(ws, monkeypatch, edit):
    assert workspace.staleness(ws) is None
    undo = edit(ws, monkeypatch)
    assert workspace.staleness(ws) == f"{EDITS[edit]} since the last build"
    undo()
    assert workspace.staleness(ws) is None


def test_texts_and_fact_files_kept_outside_texts_and_facts_count_too(ws, monkeypatch):
    """documents.yaml may name any file inside the corpus folder: those are inputs too."""
    corpus = ws.corpus_dir
    text, facts = first_listed(corpus, "file"), first_listed(corpus, "facts")
    (corpus / "sources").mkdir()
    documents = (corpus / "documents.yaml").read_text(encoding="utf-8")
    for path in (text, facts):
        path.rename(corpus / "sources" / path.name)
        documents = documents.replace(str(path.relative_to(corpus)), f"sources/{path.name}")
    (corpus / "documents.yaml").write_text(documents, encoding="utf-8")
    build_and_publish(ws.corpus_dir, ws.graphs_dir)  # a build records the files where they now are
    assert workspace.staleness(ws) is None
    for path in (corpus / "sources" / text.name, corpus / "sources" / facts.name):
        undo = append(path, " ")
        assert workspace.staleness(ws) == "the corpus changed since the last build", path.name
        undo()
        assert workspace.staleness(ws) is None


# ---- the file index (nkrel/fileindex.py): a check reads only what changed, never less ----------


def built_corpus(ws) -> str:
    """The corpus digest the build recorded (build.json)."""
    from nkrel.output.publish import read_manifest

    return read_manifest(ws.graphs_dir)["corpus"]


def index_path(ws) -> Path:
    return ws.cache_dir / fileindex.INDEX


def rewrite_index(ws, change, sign=True) -> None:
    """Change the record's payload (a dict) and write it back, signed with this user's key
    (sign=True), left with its old signature (False) or signed with another key ("foreign")."""
    import hashlib
    import hmac
    import json

    from nkrel.core import trust

    head, payload = index_path(ws).read_bytes().split(b"\n", 1)
    record = json.loads(payload)
    change(record)
    payload = json.dumps(record).encode()
    if sign is True:
        head = fileindex._MAGIC + trust.sign("corpus-index", payload).encode()
    elif sign == "foreign":
        mac = hmac.new(b"k" * 32, b"corpus-index\0" + payload, hashlib.sha256).hexdigest()
        head = fileindex._MAGIC + mac.encode()
    index_path(ws).write_bytes(head + b"\n" + payload)


def same_size_other_content(path: Path) -> bytes:
    before = path.read_bytes()
    path.write_bytes(before[:-1] + (b"x" if before[-1:] != b"x" else b"y"))
    return before


def test_a_same_size_edit_in_the_same_tick_as_the_recorded_read_is_caught(ws, monkeypatch):
    """Racily clean: the record says the file, with the stat it has now, held other bytes
    (it was edited after nkrel read it, within one timestamp tick: same size, same times).
    A file modified within 2 s of that read is read again; one modified long before is not."""
    text = first_listed(ws.corpus_dir, "file")
    name = str(text.relative_to(ws.corpus_dir))
    same_size_other_content(text)
    digest, read = reads(ws, monkeypatch)  # records the new stat, read just now
    assert text.name in read and digest == workspace.corpus_digest(ws.corpus_dir)

    def other_bytes(record, read_at=None):
        entry = record["files"][name]
        entry[6] = "0" * 64
        entry[5] = read_at or entry[5]

    rewrite_index(ws, other_bytes)
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    assert reads(ws, monkeypatch)[0] == workspace.corpus_digest(ws.corpus_dir)
    # the same record, its read 10 s after the file's mtime: trusted (what the rule exempts)
    mtime = text.stat().st_mtime_ns
    rewrite_index(ws, lambda record: other_bytes(record, mtime + 10 * 10**9))
    assert reads(ws, monkeypatch) == (reads(ws, monkeypatch)[0], []) != workspace.corpus_digest(ws.corpus_dir)


def test_a_real_same_size_edit_right_after_a_check_is_caught(ws, monkeypatch):
    text = first_listed(ws.corpus_dir, "file")
    before = same_size_other_content(text)
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    text.write_bytes(before)  # same size, at once: same second, maybe the same tick
    assert workspace.staleness(ws) is None
    same_size_other_content(text)
    assert workspace.staleness(ws) == "the corpus changed since the last build"


@pytest.mark.parametrize(
    "form",
    ["unsigned", "foreign", "truncated", "another corpus", "not json", "empty", "a short digest, signed", "too large"],
)
def test_a_forged_or_broken_index_is_ignored(ws, monkeypatch, form):
    """A record that says a changed file is unchanged (its stat as it is now, the old digest)
    is believed only when this user's nkrel signed it for this corpus folder."""
    text = first_listed(ws.corpus_dir, "file")
    name = str(text.relative_to(ws.corpus_dir))
    old_record = index_path(ws).read_bytes()
    hour_ago = text.stat().st_mtime_ns
    same_size_other_content(text)
    os.utime(text, ns=(hour_ago, hour_ago))
    new_stat = list(fileindex._stat_key(text))
    index_path(ws).write_bytes(old_record)

    def lie(record):
        record["files"][name][:5] = new_stat
        if form == "another corpus":
            record["corpus"] += "-elsewhere"
        if form == "a short digest, signed":
            record["files"][name][6] = record["files"][name][6][:2]

    rewrite_index(ws, lie, sign={"unsigned": False, "foreign": "foreign"}.get(form, True))
    if form == "truncated":
        index_path(ws).write_bytes(index_path(ws).read_bytes()[:-40])
    elif form == "not json":
        index_path(ws).write_bytes(index_path(ws).read_bytes().split(b"\n")[0] + b"\n{[")
    elif form == "empty":
        index_path(ws).write_bytes(b"")
    elif form == "too large":  # signed and well-formed, but over the size read: never read whole
        monkeypatch.setattr(fileindex, "MAX_BYTES", len(index_path(ws).read_bytes().split(b"\n", 1)[1]) - 1)
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    assert reads(ws, monkeypatch)[0] == workspace.corpus_digest(ws.corpus_dir)


def test_a_file_touched_back_to_its_old_mtime_with_other_bytes_is_caught(ws):
    """Same size, same mtime, same inode: only the ctime, which no user can set, differs."""
    text = first_listed(ws.corpus_dir, "file")
    st = text.stat()
    same_size_other_content(text)
    os.utime(text, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [text.stat().st_size, text.stat().st_mtime_ns, text.stat().st_ino] == [
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
    ]
    assert workspace.staleness(ws) == "the corpus changed since the last build"


def test_a_deleted_or_added_text_is_caught(ws):
    text = first_listed(ws.corpus_dir, "file")
    before = text.read_bytes()
    text.unlink()
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    text.write_bytes(before)
    assert workspace.staleness(ws) is None
    (ws.corpus_dir / "texts" / "added.txt").write_text("a new text\n", encoding="utf-8")
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    (ws.corpus_dir / "texts" / "added.txt").unlink()
    assert workspace.staleness(ws) is None


def test_a_check_that_cannot_write_its_index_still_answers(ws, monkeypatch):
    """A received workspace whose cache folder cannot be written: no error, every file read."""
    shutil.rmtree(ws.root / ".nkrel")
    (ws.root / ".nkrel").write_text("not a folder")
    assert workspace.staleness(ws) is None
    assert len(reads(ws, monkeypatch)[1]) > 3
    undo = append(first_listed(ws.corpus_dir, "facts"))
    assert workspace.staleness(ws) == "the corpus changed since the last build"
    undo()
    assert workspace.staleness(ws) is None


def test_the_build_writes_the_index_and_a_clean_build_reads_every_file(ws, monkeypatch):
    index_path(ws).unlink()
    build_and_publish(ws.corpus_dir, ws.graphs_dir, cache_dir=ws.cache_dir, clean=True)
    assert not index_path(ws).exists()
    build_and_publish(ws.corpus_dir, ws.graphs_dir, cache_dir=ws.cache_dir)
    assert index_path(ws).is_file()
    assert workspace.staleness(ws) is None and reads(ws, monkeypatch)[1] == []


def _swap_two_texts(ws):
    a, b = sorted((ws.corpus_dir / "texts").iterdir())[:2]
    a.rename(ws.corpus_dir / "swap")
    b.rename(a)
    (ws.corpus_dir / "swap").rename(b)


def _move_a_text_outside_texts(ws):
    """documents.yaml names it elsewhere: its list is parsed again, the file counted there."""
    text = first_listed(ws.corpus_dir, "file")
    (ws.corpus_dir / "sources").mkdir()
    text.rename(ws.corpus_dir / "sources" / text.name)
    documents = ws.corpus_dir / "documents.yaml"
    rel = str(text.relative_to(ws.corpus_dir))
    documents.write_text(documents.read_text(encoding="utf-8").replace(rel, f"sources/{text.name}"), encoding="utf-8")


def _link_a_text_to_another(ws):
    a, b = sorted((ws.corpus_dir / "texts").iterdir())[:2]
    a.unlink()
    a.symlink_to(b)


def _copy_a_text_over_itself(ws):
    text = first_listed(ws.corpus_dir, "file")
    shutil.copy(text, ws.corpus_dir / "copy")
    os.replace(ws.corpus_dir / "copy", text)


EDIT_TABLE = {
    "append to a text": lambda ws: append(first_listed(ws.corpus_dir, "file"), " "),
    "same size, other bytes": lambda ws: same_size_other_content(first_listed(ws.corpus_dir, "facts")),
    "touch only": lambda ws: os.utime(first_listed(ws.corpus_dir, "file")),
    "chmod only": lambda ws: os.chmod(first_listed(ws.corpus_dir, "file"), 0o600),
    "the same bytes, a new inode": _copy_a_text_over_itself,
    "two texts swapped": _swap_two_texts,
    "a text replaced by a link to another": _link_a_text_to_another,
    "a text moved outside texts/": _move_a_text_outside_texts,
    "entities.yaml emptied": lambda ws: (ws.corpus_dir / "entities.yaml").write_bytes(b""),
    "a fact file removed": lambda ws: first_listed(ws.corpus_dir, "facts").unlink(),
    "documents.yaml removed": lambda ws: (ws.corpus_dir / "documents.yaml").unlink(),
}


@pytest.mark.parametrize("edit", EDIT_TABLE)
def test_the_index_answers_as_the_full_hash_does(ws, monkeypatch, edit):
    EDIT_TABLE[edit](ws)
    full = workspace.corpus_digest(ws.corpus_dir)
    for _ in range(2):  # the check that records the edit, and the one that reads that record
        assert reads(ws, monkeypatch)[0] == full
        expected = None if full == built_corpus(ws) else "the corpus changed since the last build"
        assert workspace.staleness(ws) == expected


def _digest_as_before(corpus_dir: Path) -> str:
    """corpus_digest as it was before the file index (main at db66195): the reference."""
    import hashlib

    digest = hashlib.sha256()
    paths = [corpus_dir / "documents.yaml", corpus_dir / "entities.yaml"]
    for sub in ("texts", "facts", "originals"):
        paths += sorted(p for p in (corpus_dir / sub).rglob("*") if p.is_file())
    paths += sorted(set(workspace._listed_files(corpus_dir)) - set(paths))
    for path in paths:
        digest.update(str(path.relative_to(corpus_dir)).encode("utf-8") + b"\0" + workspace._file_digest(path))
    return digest.hexdigest()


def test_the_walk_finds_the_files_rglob_found_in_the_same_order(tmp_path):
    """Nested folders, names that sort differently as text and as paths ("a-b/x", "a/b"),
    hidden files, a link to a file (counted), a linked folder (not entered), a FIFO, files
    named in documents.yaml outside texts/ and facts/, with "./" and ".." in their names."""
    corpus = tmp_path / "corpus"
    for folder in ("texts/a", "texts/a-b", "texts/a/deep", "facts", "originals/x", "outside", "elsewhere"):
        (corpus / folder).mkdir(parents=True)
    for name in ("texts/a/b", "texts/a-b/x", "texts/a.txt", "texts/.hidden", "texts/a/deep/z", "facts/f.yaml",
                 "originals/x/o.pdf", "outside/o.txt", "elsewhere/e.yaml"):  # fmt: skip
        (corpus / name).write_text(name, encoding="utf-8")
    (corpus / "texts" / "link.txt").symlink_to(corpus / "outside" / "o.txt")
    (corpus / "texts" / "linked-folder").symlink_to(corpus / "outside")
    os.mkfifo(corpus / "facts" / "pipe")
    (corpus / "entities.yaml").write_text("entities: []\n", encoding="utf-8")
    (corpus / "documents.yaml").write_text(
        "documents:\n  - {id: a, file: ./outside/o.txt, facts: texts/../elsewhere/e.yaml}\n"
        "  - {id: b, file: texts/a.txt, facts: missing.yaml}\n",
        encoding="utf-8",
    )
    assert workspace.corpus_digest(corpus) == _digest_as_before(corpus)
    assert workspace.corpus_digest(corpus, tmp_path / "cache") == _digest_as_before(corpus)  # recorded
    assert workspace.corpus_digest(corpus, tmp_path / "cache") == _digest_as_before(corpus)  # read back
