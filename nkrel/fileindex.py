"""The corpus' file index: what a staleness check knows of each corpus file without reading it.

Whether a build is fresh depends on the sha256 of every file the build reads (workspace.
corpus_digest). Hashing them all on every `nkrel query` costs seconds on a large corpus, so,
as git's index does, a signed record in the workspace's cache folder keeps each file's stat
(size, mtime_ns, ctime_ns, inode, device) beside its sha256 and the time it was read. A
check stats each file and hashes it only when its stat differs from the record, or when
its mtime is within RACY_NS of the time the record's hash was read ("racily clean": an edit
of the same size in the same timestamp tick as that read leaves the stat unchanged). The
ctime catches a file touched back to its old mtime: no user can set it. The list of files
that documents.yaml names is kept too, reused while documents.yaml's digest is the same.
As in git, the rule assumes the file system stamps files with this machine's clock, give or
take RACY_NS: a network file system whose server's clock is behind by more could let an
edit made in the tick of the recorded one go unseen.

The record never makes a changed corpus look fresh: one that is unsigned, signed by
another user's key, truncated, malformed or made for another corpus folder is ignored
(every file hashed), never an error. It is written (atomically, in the cache folder only)
when a check had to hash a file, and never where there is no cache folder (the example
shipped with nkrel).
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

INDEX = "corpus-index.json"  # in the workspace's cache folder (.nkrel/cache)
_MAGIC = b"nkrel-corpus-index 1 "
_PURPOSE = "corpus-index"
RACY_NS = 2_000_000_000  # a file modified this close to its hashing is hashed again
MAX_BYTES = 1 << 26  # a record larger than this is ignored (about 150 bytes a file: 400,000 files)


def _stat_key(path: str) -> list[int] | None:
    """What the record compares: None for anything but a regular file (hashed every time)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _valid_entry(entry) -> bool:
    """[size, mtime_ns, ctime_ns, ino, dev, read_ns, sha256 hex]"""
    return isinstance(entry, list) and len(entry) == 7 and all(type(x) is int for x in entry[:6])


def _recorded_digest(entry) -> bytes | None:
    try:
        digest = bytes.fromhex(entry[6])
    except (TypeError, ValueError):
        return None
    return digest if len(digest) == 32 else None


class Index:
    """The digests of one corpus folder's files, from the record where its stat allows.
    folder: the cache folder holding the record, or None (no record read or written)."""

    def __init__(self, corpus_dir: Path, folder: Path | None, hasher: Callable[[str], bytes]):
        self.corpus_dir = Path(corpus_dir)
        self.folder = Path(folder) if folder is not None else None
        self.hasher = hasher
        self.hashed: list[str] = []  # the files read this time, by their name in the corpus
        self.old = self._read() if self.folder is not None else {}
        self.files: dict[str, list] = {}  # what the next record holds
        self.listed: dict | None = None

    def _read(self) -> dict:
        from .core.trust import TrustError, verify

        try:
            with open(self.folder / INDEX, "rb") as fh:
                head = fh.readline(len(_MAGIC) + 65)
                payload = fh.read(MAX_BYTES + 1)  # a received workspace's file could be any size
            if len(payload) > MAX_BYTES or not (head.startswith(_MAGIC) and head.endswith(b"\n")):
                return {}
            if not verify(_PURPOSE, payload, head[len(_MAGIC) : -1].decode("ascii")):
                return {}
            record = json.loads(payload)
            if record["corpus"] != str(self.corpus_dir.resolve()) or not isinstance(record["files"], dict):
                return {}
        except (OSError, TrustError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return {}
        return record

    def digest(self, name: str) -> bytes:
        """The sha256 of the corpus file by that name (or the hasher's marker for a missing
        or special file)."""
        path = os.path.join(self.corpus_dir, name)
        key = _stat_key(path)
        entry = self.old["files"].get(name) if self.old else None
        if key is not None and _valid_entry(entry) and entry[:5] == key and key[1] < entry[5] - RACY_NS:
            recorded = _recorded_digest(entry)
            if recorded is not None:
                self.files[name] = entry
                return recorded
        digest = self.hasher(path)  # read after the stat: a later edit changes the stat, or is racy
        if key is not None and len(digest) == 32:  # a marker (missing, special file) is never recorded
            self.hashed.append(name)
            self.files[name] = [*key, time.time_ns(), digest.hex()]
        return digest

    def listed_files(self, documents_digest: bytes, parse: Callable[[], list[str]]) -> list[str]:
        """The names of the files documents.yaml names, parsed again only when its digest changed."""
        old = self.old.get("listed") if self.old else None
        try:
            names = old["files"]
            if (
                old["digest"] == documents_digest.hex()
                and isinstance(names, list)
                and all(isinstance(v, str) for v in names)
            ):
                self.listed = old
                return names
        except (TypeError, KeyError):
            pass
        names = parse()
        self.listed = {"digest": documents_digest.hex(), "files": names}
        return names

    def save(self) -> None:
        """Write the record if this check read a file or the corpus' files changed; any
        failure (no key, a read-only folder) leaves the record as it was."""
        if self.folder is None:
            return
        if self.old and not self.hashed and self.old["files"].keys() == self.files.keys():
            if self.old.get("listed") == self.listed:
                return
        from .core.trust import TrustError, sign

        record = {"corpus": str(self.corpus_dir.resolve()), "files": self.files, "listed": self.listed}
        payload = json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")
        try:
            head = _MAGIC + sign(_PURPOSE, payload).encode("ascii") + b"\n"
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{os.getpid()}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(head + payload)
                os.replace(tmp, self.folder / INDEX)
            except OSError:
                os.unlink(tmp)
                raise
        except (OSError, TrustError):
            return
