"""What nkrel trusts in a workspace: only what this user's nkrel wrote there.

A workspace can come from anyone (an archive, a shared folder, a repository), and with
it its `.nkrel/` cache and its published build. Both are therefore signed with a key
that never lives in a workspace: 32 random bytes in `$XDG_CONFIG_HOME/nkrel/key`
(`~/.config/nkrel/key`), readable by this user only, made on first use. A signature is
HMAC-SHA256 over a purpose and the bytes; whatever does not verify was not written by
this user's nkrel (or was changed since) and is rebuilt or refused, never believed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "NKREL_KEY_FILE"  # another place for the key (a read-only home, tests)
_KEY_BYTES = 32


class TrustError(Exception):
    """The key cannot be read or made: nothing nkrel wrote can be told from a forgery."""


def key_path() -> Path:
    named = os.environ.get(KEY_ENV)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "nkrel" / "key"


_cached: dict[Path, bytes] = {}


def key() -> bytes:
    """This user's key, made (mode 0600, in a folder of mode 0700) if there is none yet."""
    path = key_path()
    if path in _cached:
        return _cached[path]
    try:
        data = _read_key(path)
        if data is None:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_KEY_BYTES))
            data = _read_key(path)
    except FileExistsError:  # another nkrel made it at the same moment
        data = _read_key(path)
    except OSError as e:
        raise TrustError(
            f"cannot make nkrel's signing key {path}: {e.strerror or e} (set {KEY_ENV} to a file path in a "
            "folder you can write, outside any workspace)"
        ) from None
    if data is None or len(data) != _KEY_BYTES:
        raise TrustError(f"nkrel's signing key {path} is not {_KEY_BYTES} bytes: remove it to make a new one")
    _cached[path] = data
    return data


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise TrustError(f"cannot read nkrel's signing key {path}: {e.strerror or e}") from None
    with os.fdopen(fd, "rb") as fh:
        return fh.read(_KEY_BYTES + 1)


def sign(purpose: str, data: bytes) -> str:
    """The signature (hex) of data for one purpose: a signature made for one purpose (a
    cache entry's name, a build folder) never verifies for another."""
    mac = hmac.new(key(), purpose.encode("utf-8") + b"\0", hashlib.sha256)
    mac.update(data)
    return mac.hexdigest()


def verify(purpose: str, data: bytes, signature: str) -> bool:
    try:
        return hmac.compare_digest(sign(purpose, data), signature)
    except (TypeError, ValueError):  # a signature that is not text of hex digits
        return False
