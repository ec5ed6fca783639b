"""A build's seal: the proof, for this user, that a build folder is one their nkrel made.

`build.json` says what a build was made from; the seal (`.nkrel-seal.json` in the build
folder) says what the build *is*: the size and sha256 of every file published and of
every file of its on-disk store, with the size and modification time each had when the
build wrote it, signed with this user's key (nkrel/core/trust.py). A reader checks the
signature and the sizes and times (cheap: no file is read); a file whose size or time
changed is hashed, and a hash that differs means the build is damaged. A folder with
no valid seal was made by someone else, by an older nkrel, or was tampered with.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

SEAL = ".nkrel-seal.json"  # a ".nkrel-" name: never carried over into the next build
_MAGIC = b"nkrel-seal 1 "


class Damaged(Exception):
    """The build folder's files differ from what the build wrote."""


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make(folder: Path, digests: dict[str, str], subfolders: list[str]) -> bytes:
    """The seal of a build folder about to be published: digests holds the sha256 of the
    files nkrel wrote from memory (by name); the files of subfolders (the on-disk store)
    are hashed here."""
    entries = {}
    for name, digest in digests.items():
        entries[name] = _entry(folder / name, digest)
    for sub in subfolders:
        for path in sorted(p for p in (folder / sub).rglob("*") if p.is_file()):
            entries[str(path.relative_to(folder))] = _entry(path, file_digest(path))
    payload = json.dumps({"files": entries}, sort_keys=True, separators=(",", ":")).encode("ascii")
    from ..core.trust import sign

    return _MAGIC + sign("build", payload).encode("ascii") + b"\n" + payload


def _entry(path: Path, digest: str) -> list:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, digest]


def check(folder: Path) -> bool:
    """True if the folder carries a valid seal and its files are the ones sealed; False if
    it has no seal that this user's nkrel made; Damaged if sealed files differ."""
    from ..core.trust import TrustError, verify

    try:
        with open(Path(folder) / SEAL, "rb") as fh:
            head = fh.readline(len(_MAGIC) + 65)
            payload = fh.read(1 << 24)
    except OSError:
        return False
    if not head.startswith(_MAGIC) or not head.endswith(b"\n"):
        return False
    try:
        if not verify("build", payload, head[len(_MAGIC) : -1].decode("ascii")):
            return False
        entries = json.loads(payload)["files"]
    except (TrustError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return False
    for name, (size, mtime_ns, digest) in sorted(entries.items()):
        path = Path(folder) / name
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            raise Damaged(f"{name} is missing") from None
        if not stat.S_ISREG(st.st_mode):
            raise Damaged(f"{name} is no longer a plain file")
        if st.st_size != size:
            raise Damaged(f"{name} has {st.st_size:,} bytes, the build wrote {size:,}")
        if st.st_mtime_ns != mtime_ns and file_digest(path) != digest:
            raise Damaged(f"{name} was changed since the build")
    return True
