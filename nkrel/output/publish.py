"""Publish a build: readers always see one whole build, the old one or the new one.

The new build is written into a hidden sibling folder, synced, and then exchanged with
the output folder in one atomic step (Linux renameat2 RENAME_EXCHANGE; elsewhere two
renames, with an instant in which the folder is missing but never mixed). The old build
is kept beside it as a hidden `.NAME.old-*` folder until the next build, so a reader
that started on it can finish. A kill at any moment leaves either build whole, and at
worst a hidden `.NAME.new-*` folder; the next build removes both. Builds of one folder
are serialised by a lock file beside it.

The folder must be nkrel's: new, empty, or holding a previous build (its build.json).
Files that a person put there (screenshots, notes) are carried over into the new build.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

MANIFEST = "build.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class PublishError(Exception):
    """The build could not be published; the output folder is as it was."""


def publish(files: dict, out_dir: Path, manifest: dict, extra_dirs: dict[str, Path] | None = None) -> Path:
    """Write files (name -> bytes, or an iterable of byte chunks), build.json and the seal
    into out_dir as one atomic step.

    extra_dirs: folders already written (e.g. a persistent store) to move into the build
    under the given names; they are sealed with the files (nkrel/output/seal.py). Returns
    the published folder."""
    from . import seal

    out_dir = Path(os.path.abspath(out_dir))
    if out_dir.is_symlink():
        out_dir = out_dir.resolve()
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(f"cannot create {parent}: {e.strerror or e}") from None
    _check_ours(out_dir, set(files) | set(extra_dirs or {}) | {MANIFEST, seal.SEAL})
    with _lock(parent / f".{out_dir.name}.lock"):
        _remove_leftovers(parent, out_dir.name)
        stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
        try:
            digests = {name: _write_synced(stage / name, data) for name, data in sorted(files.items())}
            for name, folder in sorted((extra_dirs or {}).items()):
                os.replace(folder, stage / name)
            record = (json.dumps(dict(manifest, files=digests), indent=2, sort_keys=True) + "\n").encode("utf-8")
            digests = dict(digests, **{MANIFEST: _write_synced(stage / MANIFEST, record)})
            _write_synced(stage / seal.SEAL, seal.make(stage, digests, sorted(extra_dirs or {})))
            if out_dir.exists():
                ours = set(files) | set(extra_dirs or {}) | {MANIFEST} | _written_by(out_dir)
                _carry_over(out_dir, stage, ours)
            os.chmod(stage, 0o755)
            _fsync_dir(stage)
            _swap(stage, out_dir)
            if stage.exists():  # now the previous build: kept for readers still on it
                suffix = stage.name[len(f".{out_dir.name}.new-") :]  # the name may hold ".new-" too
                os.rename(stage, stage.with_name(f".{out_dir.name}.old-{suffix}"))
        except OSError as e:
            raise PublishError(
                f"cannot write the build into {out_dir}: {e.strerror or e}; nothing was changed"
            ) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # an unfinished new build
    return out_dir


def read_manifest(out_dir: Path) -> dict | None:
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _written_by(out_dir: Path) -> set[str]:
    """The files the previous build wrote (its build.json lists them): nkrel's, not a person's."""
    files = (read_manifest(out_dir) or {}).get("files")
    return {name for name in files if isinstance(name, str)} if isinstance(files, dict) else set()


def _check_ours(out_dir: Path, names: set[str]) -> None:
    """Refuse to replace a folder that is not a build (say --out ~ by mistake)."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise PublishError(f"{out_dir} is not a folder; nothing was written")
    for precious in ("nkrel.toml", "documents.yaml", ".git"):  # a workspace or corpus, whatever build.json says
        if (out_dir / precious).exists():
            raise PublishError(f"{out_dir} holds {precious}: a build never replaces a workspace, corpus or "
                               "repository folder; nothing was written")  # fmt: skip
    if (out_dir / MANIFEST).is_file() or all(p.name in names for p in out_dir.iterdir()):
        return  # a build, an earlier one written before build.json existed, or an empty folder
    raise PublishError(
        f"{out_dir} holds files that are not an nkrel build (no {MANIFEST}); give an empty or new folder "
        "with --out; nothing was written"
    )


def _write_synced(path: Path, data) -> str:
    """Write bytes, or an iterable of byte chunks (streamed, never held whole); their sha256."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:
            digest.update(chunk)
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """Hard-link (or copy) what a person put in the old build folder into the new one."""
    for entry in old.iterdir():
        if entry.name in ours or entry.name.startswith(".nkrel-"):
            continue
        target = new / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _swap(stage: Path, out_dir: Path) -> None:
    """Put stage in out_dir's place atomically; afterwards stage holds the old build (if any)."""
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            done = renameat2(_AT_FDCWD, os.fsencode(stage), _AT_FDCWD, os.fsencode(out_dir), _RENAME_EXCHANGE)
            if done == 0:
                _fsync_dir(out_dir.parent)
                return
            if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(out_dir))
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    os.rename(stage, out_dir)
    os.rename(old, stage)


def _remove_leftovers(parent: Path, name: str) -> None:
    """Folders an interrupted build left behind (the lock is held: no build is running)."""
    for leftover in parent.glob(f".{glob.escape(name)}.new-*"):  # a name may hold [ ] * ?
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f".{glob.escape(name)}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


class _lock:
    """An exclusive flock on a file beside the output folder."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.fh = open(self.path, "a+b")
        try:
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock
            pass
        return self

    def __exit__(self, *exc):
        self.fh.close()
