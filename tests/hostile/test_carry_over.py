"""What a person put in a build folder survives the next build exactly as it was:
dot-files (.nojekyll, .htaccess), dot-folders (.well-known/), symlinks (kept as links,
never followed, dangling ones too). Only nkrel's own names are replaced. Calls publish()
directly: no corpus is built."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

from nkrel.output.publish import MANIFEST, PublishError, publish, read_manifest
from nkrel.output.seal import SEAL, Damaged, check


def tree(root: Path) -> dict[str, tuple]:
    """Every entry under root: a link's target, a file's bytes, or 'dir' (links not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", path.read_bytes())
    return out


def put_things(out: Path, outside: Path) -> None:
    """What a person might add to a published folder."""
    (out / ".nojekyll").write_bytes(b"")
    (out / ".htaccess").write_text("Header set Access-Control-Allow-Origin *\n")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("Contact: mailto:me@example.org\n")
    (out / ".well-known" / ".hidden").write_text("deeper\n")
    (out / ".well-known" / "latest").symlink_to("../nkrel.ttl")
    (out / ".well-known" / "outside").symlink_to(outside)  # a link to a folder, inside a folder: kept a link
    (out / ".well-known" / "gone").symlink_to("no-such-file")
    (out / "NOTES.md").write_text("mine\n")
    (out / "latest.ttl").symlink_to("nkrel.ttl")  # a link to one of nkrel's files
    (out / "elsewhere").symlink_to(outside)  # a link to a folder outside: never copied
    (out / "gone").symlink_to("no-such-file")  # dangling
    (out / ".config").symlink_to(outside / "secret.txt")


def test_dot_files_dot_folders_and_symlinks_survive_a_rebuild(tmp_path):
    out, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not to be copied\n")
    publish({"nkrel.ttl": b"first\n", "network.html": b"<p>first</p>\n"}, out, {"nkrel": "1"})
    put_things(out, outside)
    before = tree(out)
    publish({"nkrel.ttl": b"second\n", "network.html": b"<p>second</p>\n"}, out, {"nkrel": "2"})
    after = tree(out)
    ours = {"nkrel.ttl", "network.html", MANIFEST, SEAL}
    assert {k: v for k, v in after.items() if k not in ours} == {k: v for k, v in before.items() if k not in ours}
    assert set(after) == set(before)
    assert (out / "nkrel.ttl").read_bytes() == b"second\n" and (out / "latest.ttl").read_bytes() == b"second\n"
    assert (outside / "secret.txt").read_text() == "not to be copied\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_without_hard_links_the_copies_are_the_same(tmp_path, monkeypatch):
    """Another file system (or one without hard links): what a person put there is copied, links as links."""
    import nkrel.output.publish as module

    out, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not to be copied\n")
    publish({"nkrel.ttl": b"first\n"}, out, {"nkrel": "1"})
    put_things(out, outside)
    before = tree(out)

    def no_link(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(module.os, "link", no_link)
    publish({"nkrel.ttl": b"second\n"}, out, {"nkrel": "2"})
    after = tree(out)
    ours = {"nkrel.ttl", MANIFEST, SEAL}
    assert {k: v for k, v in after.items() if k not in ours} == {k: v for k, v in before.items() if k not in ours}


def test_a_name_nkrel_stops_writing_is_not_mistaken_for_a_persons(tmp_path):
    """nkrel's own names go with the build that wrote them; everything else stays."""
    out = tmp_path / "site"
    publish({"nkrel.ttl": b"a\n", "old-format.xml": b"<x/>\n"}, out, {"nkrel": "1"})
    (out / ".nojekyll").write_bytes(b"")
    publish({"nkrel.ttl": b"b\n"}, out, {"nkrel": "2"})
    assert sorted(p.name for p in out.iterdir()) == [SEAL, ".nojekyll", MANIFEST, "nkrel.ttl"]


# publish() called directly, the promises of nkrel/output/publish.py one by one (fast:
# the mutation session of publish.py runs these, not the builds of test_publish.py)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_first_build_is_written_whole_with_its_record_and_seal(tmp_path):
    out = tmp_path / "site"
    chunks = iter([b"stream", b"ed\n"])  # an iterable of chunks is written as it comes
    done = publish({"b.ttl": b"bee\n", "a.nq": chunks}, out, {"nkrel": "1"})
    assert done == out
    assert (out / "a.nq").read_bytes() == b"streamed\n" and (out / "b.ttl").read_bytes() == b"bee\n"
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert record == {"nkrel": "1", "files": {"a.nq": _sha(b"streamed\n"), "b.ttl": _sha(b"bee\n")}}
    assert (out / MANIFEST).read_text(encoding="utf-8") == json.dumps(record, indent=2, sort_keys=True) + "\n"
    assert read_manifest(out) == record and check(out)
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert {oct((out / n).stat().st_mode & 0o777) for n in ("a.nq", "b.ttl", MANIFEST, SEAL)} == {"0o644"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # no old or new build beside it


def test_each_build_keeps_exactly_the_previous_one_beside_it(tmp_path):
    out = tmp_path / "site"
    for n in range(1, 4):
        publish({"x.ttl": f"{n}\n".encode()}, out, {"nkrel": str(n)})
    old = [p for p in tmp_path.iterdir() if p.name.startswith(".site.old-")]
    assert len(old) == 1 and (old[0] / "x.ttl").read_bytes() == b"2\n" and (out / "x.ttl").read_bytes() == b"3\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.new-")]


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path):
    out = tmp_path / "site"
    for name in (".site.new-abc", ".site.old-abc", ".site.old-def"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x").write_text("x")
    (tmp_path / ".other.new-abc").mkdir()  # another folder's: not ours to remove
    publish({"x.ttl": b"x\n"}, out, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.new-abc", ".site.lock", "site"]
    for name in (".site.new-file", ".site.old-file"):  # one that cannot be removed does not stop a build
        (tmp_path / name).write_text("not a folder")
    publish({"x.ttl": b"y\n"}, out, {})
    assert (out / "x.ttl").read_bytes() == b"y\n"


def test_folders_written_beforehand_are_moved_in_and_sealed(tmp_path):
    store = tmp_path / "store-in-progress"
    store.mkdir()
    (store / "data").write_bytes(b"rows")
    out = publish({"x.ttl": b"x\n"}, tmp_path / "site", {}, extra_dirs={"store": store})
    assert (out / "store" / "data").read_bytes() == b"rows" and not store.exists()
    assert check(out)
    (out / "store" / "data").write_bytes(b"changed")
    with pytest.raises(Damaged, match="store/data has 7 bytes"):
        check(out)


def test_publishing_through_a_symlink_replaces_its_target(tmp_path):
    real = tmp_path / "real"
    publish({"x.ttl": b"1\n"}, real, {})
    (tmp_path / "link").symlink_to(real)
    assert publish({"x.ttl": b"2\n"}, tmp_path / "link", {}) == real
    assert (tmp_path / "link").is_symlink() and (real / "x.ttl").read_bytes() == b"2\n"


@pytest.mark.parametrize("precious", ["nkrel.toml", "documents.yaml", ".git"])
def test_a_workspace_corpus_or_repository_is_never_replaced(tmp_path, precious):
    out = tmp_path / "site"
    publish({"x.ttl": b"1\n"}, out, {})
    (out / precious).write_text("mine")
    with pytest.raises(PublishError, match=f"holds {precious}: a build never replaces"):
        publish({"x.ttl": b"2\n"}, out, {})
    assert (out / "x.ttl").read_bytes() == b"1\n"


def test_what_counts_as_a_build_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError, match="is not a folder; nothing was written"):
        publish({"x.ttl": b"x\n"}, tmp_path / "file", {})
    early = tmp_path / "early"  # a build from before build.json: only nkrel's names
    early.mkdir()
    (early / "x.ttl").write_text("old")
    assert (publish({"x.ttl": b"new\n"}, early, {}) / "x.ttl").read_bytes() == b"new\n"
    sealed = tmp_path / "sealed"  # its build.json lost, its seal left: still nkrel's names only
    sealed.mkdir()
    (sealed / "x.ttl").write_text("old")
    (sealed / SEAL).write_text("{}")
    assert (publish({"x.ttl": b"new\n"}, sealed, {}) / "x.ttl").read_bytes() == b"new\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    publish({"x.ttl": b"x\n"}, empty, {})
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x.ttl").write_text("x")
    (foreign / "thesis.docx").write_text("mine")
    with pytest.raises(PublishError, match="holds files that are not an nkrel build"):
        publish({"x.ttl": b"x\n"}, foreign, {})


def test_a_failed_write_changes_nothing_and_leaves_nothing(tmp_path):
    out = tmp_path / "site"
    publish({"x.ttl": b"1\n"}, out, {"nkrel": "1"})

    def failing():
        yield b"part"
        raise OSError(28, "No space left on device")

    with pytest.raises(
        PublishError, match=r"cannot write the build into \S+: No space left on device; nothing was changed"
    ):
        publish({"x.ttl": failing()}, out, {"nkrel": "2"})
    assert (out / "x.ttl").read_bytes() == b"1\n" and read_manifest(out)["nkrel"] == "1"
    assert not [p for p in tmp_path.iterdir() if ".new-" in p.name]


def test_missing_parent_folders_are_made(tmp_path):
    out = publish({"x.ttl": b"x\n"}, tmp_path / "a" / "b" / "site", {})
    assert (out / "x.ttl").read_bytes() == b"x\n"


def test_a_parent_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError, match=r"cannot create \S+/file/sub: Not a directory$"):
        publish({"x.ttl": b"x\n"}, tmp_path / "file" / "sub" / "site", {})


def test_without_renameat2_the_two_renames_give_the_same_result(tmp_path, monkeypatch):
    import nkrel.output.publish as module

    out = tmp_path / "site"
    publish({"x.ttl": b"1\n"}, out, {})
    monkeypatch.setattr(module.sys, "platform", "darwin")
    publish({"x.ttl": b"2\n"}, out, {})
    old = [p for p in tmp_path.iterdir() if p.name.startswith(".site.old-")]
    assert (out / "x.ttl").read_bytes() == b"2\n" and len(old) == 1 and (old[0] / "x.ttl").read_bytes() == b"1\n"
    assert check(out)


def test_a_manifest_that_is_missing_or_not_json_reads_as_none(tmp_path):
    assert read_manifest(tmp_path) is None
    (tmp_path / MANIFEST).write_text("{not json")
    assert read_manifest(tmp_path) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_on_linux_the_builds_are_exchanged_in_one_step(tmp_path, monkeypatch):
    """The output folder is never renamed away (no instant without it): renameat2 swaps it."""
    import nkrel.output.publish as module

    out = tmp_path / "site"
    publish({"x.ttl": b"1\n"}, out, {})
    renamed = []
    real = os.rename
    monkeypatch.setattr(module.os, "rename", lambda src, dst: (renamed.append(Path(src)), real(src, dst)))
    publish({"x.ttl": b"2\n"}, out, {})
    assert (out / "x.ttl").read_bytes() == b"2\n"
    assert out not in renamed and [p.name.startswith(".site.new-") for p in renamed] == [True]


def test_a_build_folder_whose_name_holds_dot_new_keeps_one_previous_build(tmp_path):
    """The previous build is renamed by the suffix nkrel added, not by the first ".new-" in
    the name: else each build left one more folder that no later build removed."""
    out = tmp_path / "site.new-1"
    for n in range(1, 4):
        publish({"x.ttl": f"{n}\n".encode()}, out, {})
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name != ".site.new-1.lock")
    assert len(beside) == 2 and beside[1] == "site.new-1" and beside[0].startswith(".site.new-1.old-"), beside
    assert (tmp_path / beside[0] / "x.ttl").read_bytes() == b"2\n"


def test_leftovers_of_a_build_folder_named_with_glob_characters_are_removed(tmp_path):
    """An interrupted build of `site[1]` leaves `.site[1].new-*`; the next build removes it
    (the name went into glob() unescaped, where `[1]` matches "1", not "[1]")."""
    out = tmp_path / "site[1]"
    leftover = tmp_path / ".site[1].new-interrupted"
    leftover.mkdir()
    (leftover / "x.ttl").write_bytes(b"half\n")
    publish({"x.ttl": b"1\n"}, out, {})
    assert not leftover.exists()
    assert (out / "x.ttl").read_bytes() == b"1\n"
