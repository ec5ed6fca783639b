"""What a person put in a build folder survives the next build exactly as it was:
dot-files (.nojekyll, .htaccess), dot-folders (.well-known/), symlinks (kept as links,
never followed, dangling ones too). Only nkrel's own names are replaced. Calls publish()
directly: no corpus is built."""

from __future__ import annotations

import os
from pathlib import Path

from nkrel.output.publish import MANIFEST, publish
from nkrel.output.seal import SEAL


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


def test_a_name_nkrel_stops_writing_is_not_mistaken_for_a_persons(tmp_path):
    """nkrel's own names go with the build that wrote them; everything else stays."""
    out = tmp_path / "site"
    publish({"nkrel.ttl": b"a\n", "old-format.xml": b"<x/>\n"}, out, {"nkrel": "1"})
    (out / ".nojekyll").write_bytes(b"")
    publish({"nkrel.ttl": b"b\n"}, out, {"nkrel": "2"})
    assert sorted(p.name for p in out.iterdir()) == [SEAL, ".nojekyll", MANIFEST, "nkrel.ttl"]
