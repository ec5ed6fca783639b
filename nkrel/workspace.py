"""Workspaces: where a user's corpus, builds and caches live.

A workspace is a folder with an `nkrel.toml`; commands find it as git finds a
repository (from the current folder upward), or from --workspace DIR or the
NKREL_WORKSPACE variable. Outside any workspace, commands read the example that ships
with nkrel, read-only; commands that write refuse and say how to create a workspace.
Nothing is ever written inside an installed package.

Each build records what it was built from (build.json: the hashes of the corpus files,
the ontology and the nkrel version), so a reader can tell a fresh graph from a stale one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import sysconfig
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .core import __version__

CONFIG = "nkrel.toml"
ENV = "NKREL_WORKSPACE"
CONFIG_KEYS = {"name": str, "corpus": str, "graphs": str}


class WorkspaceError(Exception):
    """No usable workspace: not found, malformed, or read-only where a write was asked."""


@dataclass(frozen=True)
class Workspace:
    root: Path | None  # None: the example shipped with nkrel
    name: str
    corpus_dir: Path
    graphs_dir: Path

    @property
    def read_only(self) -> bool:
        return self.root is None

    @property
    def cache_dir(self) -> Path | None:
        return None if self.root is None else self.root / ".nkrel" / "cache"

    def require_writable(self, what: str) -> None:
        if self.read_only:
            raise WorkspaceError(
                f"{what} needs a workspace: you are outside any (no {CONFIG} here or above), so nkrel reads "
                "the example it ships, read-only. Create one with `nkrel init DIR` (or `nkrel init DIR --example` "
                "for a copy of the example), then run this command inside it, or give --workspace DIR"
            )


def package_dir() -> Path:
    return Path(str(files("nkrel")))


def shipped() -> Workspace:
    root = package_dir()
    return Workspace(None, "the example shipped with nkrel", root / "corpus", root / "graph")


def find(explicit: str | Path | None = None, start: Path | None = None) -> Workspace:
    """The workspace named (--workspace, NKREL_WORKSPACE), found upward from start, or the example."""
    named = explicit or os.environ.get(ENV) or None
    if named:
        root = Path(named).expanduser()
        if not (root / CONFIG).is_file():
            source = "--workspace" if explicit else ENV
            raise WorkspaceError(f"{source} names {root}, which has no {CONFIG} (create one with `nkrel init {root}`)")
        return load(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return load(folder)
    return shipped()


def load(root: Path) -> Workspace:
    """Read a workspace's nkrel.toml; every path in it stays inside the workspace."""
    root = Path(root).resolve()
    path = root / CONFIG
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise WorkspaceError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        config = _toml(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise WorkspaceError(f"{path}: not valid TOML ({_printable(str(e))})") from None
    except RecursionError:
        raise WorkspaceError(f"{path}: not valid TOML (nested too deeply)") from None
    section = config.get("workspace", {})
    if not isinstance(section, dict) or set(config) - {"workspace"}:
        raise WorkspaceError(f"{path}: expected one [workspace] table (keys: {', '.join(CONFIG_KEYS)})")
    for key, value in section.items():
        if key not in CONFIG_KEYS:
            raise WorkspaceError(f"{path}: unknown key '{key}' in [workspace] (known: {', '.join(CONFIG_KEYS)})")
        if not isinstance(value, CONFIG_KEYS[key]) or not value:
            raise WorkspaceError(f"{path}: '{key}' must be non-empty text")
    corpus = _inside(root, section.get("corpus", "corpus"), path, "corpus")
    graphs = _inside(root, section.get("graphs", "graphs"), path, "graphs")
    # a build replaces its whole folder: it must hold nothing but builds
    if graphs == root or graphs.is_relative_to(root / ".nkrel"):
        raise WorkspaceError(f"{path}: 'graphs' must be a folder of its own inside the workspace, got "
                             f"{section.get('graphs')!r}")  # fmt: skip
    if graphs.is_relative_to(corpus) or corpus.is_relative_to(graphs):
        raise WorkspaceError(f"{path}: 'graphs' and 'corpus' must be separate folders (a build replaces its "
                             "whole folder)")  # fmt: skip
    for folder in (corpus, graphs):
        if _in_installed_package(folder):
            raise WorkspaceError(f"{path}: {folder} is inside the installed nkrel package, which nkrel never writes")
    return Workspace(root, section.get("name", root.name), corpus, graphs)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _toml(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(str(e)) from None


def _inside(root: Path, relative: str, config: Path, key: str) -> Path:
    path = (root / relative).resolve()
    if Path(relative).is_absolute() or not path.is_relative_to(root):
        raise WorkspaceError(f"{config}: '{key}' must be a folder inside the workspace, got {relative!r}")
    return path


def _in_installed_package(path: Path) -> bool:
    """Inside nkrel's own folder when that folder is an installed copy (site-packages),
    not a source checkout installed in editable mode."""
    package = package_dir().resolve()
    site = {Path(p).resolve() for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])}
    return package.parent in site and path.resolve().is_relative_to(package)


def init(root: Path, example: bool = False, name: str | None = None) -> Workspace:
    """Create a workspace folder: nkrel.toml, corpus/ (documents, entities, texts, facts), graphs/."""
    root = Path(root).expanduser()
    if (root / CONFIG).exists():
        raise WorkspaceError(f"{root} is already a workspace ({CONFIG} exists)")
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(f"{root} exists and is not empty; give a new or empty folder")
    stage = root.parent / f".{root.name}.init-{os.getpid()}"
    try:
        stage.mkdir(parents=True)
        corpus = stage / "corpus"
        if example:
            shutil.copytree(shipped().corpus_dir, corpus)
            for extra in corpus.glob("drafts"):
                shutil.rmtree(extra)
        else:
            for sub in ("texts", "facts"):
                (corpus / sub).mkdir(parents=True)
            (corpus / "documents.yaml").write_text(
                "# The source documents: add one with `nkrel add-document FILE --id ID --title TITLE`.\n"
                "documents: []\n",
                encoding="utf-8",
            )
            (corpus / "entities.yaml").write_text(
                "# Canonical entities shared by all documents (see the data dictionary in nkrel's README).\n"
                "entities: []\n",
                encoding="utf-8",
            )
        (stage / "graphs").mkdir()
        title = name or root.name
        (stage / CONFIG).write_text(
            "# An nkrel workspace: `nkrel build` here reads corpus/ and writes graphs/.\n"
            f'[workspace]\nname = {_toml_string(title)}\ncorpus = "corpus"\ngraphs = "graphs"\n',
            encoding="utf-8",
        )
        ignored = (".nkrel/", "graphs/store/", ".nkrel-seal.json", ".*.lock", ".*.new-*/", ".*.old-*/", ".*.store-*/")
        (stage / ".gitignore").write_text("".join(f"{line}\n" for line in ignored), encoding="utf-8")
        if root.exists():
            root.rmdir()
        os.rename(stage, root)
    except OSError as e:
        raise WorkspaceError(f"cannot create {root}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return load(root)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- what a build was built from ------------------------------------------------------


def corpus_digest(corpus_dir: Path, cache_dir: Path | None = None) -> str:
    """sha256 over every file the build reads: documents.yaml, entities.yaml, texts/, facts/, and
    originals/ (the PDFs and pages that texts were extracted from, checked against their sha256).
    cache_dir: where the corpus' file index is kept (nkrel/fileindex.py): a file whose stat
    is the one recorded there is not read again. None: every file is read."""
    from .fileindex import Index

    corpus_dir = Path(corpus_dir)
    index = Index(corpus_dir, cache_dir, _file_digest)
    documents = index.digest("documents.yaml")
    names = ["entities.yaml"]
    for sub in ("texts", "facts", "originals"):
        names += sorted(_files_under(corpus_dir, sub), key=_path_order)
    listed = index.listed_files(documents, lambda: [str(p.relative_to(corpus_dir)) for p in _listed_files(corpus_dir)])
    names += sorted(set(listed) - {"documents.yaml", *names}, key=_path_order)  # kept elsewhere in the corpus
    digest = hashlib.sha256(b"documents.yaml\0" + documents)
    for name in names:
        digest.update(name.encode("utf-8") + b"\0" + index.digest(name))
    index.save()
    return digest.hexdigest()


def _files_under(corpus_dir: Path, sub: str) -> list[str]:
    """The files in the folder sub of the corpus and below, by their name in the corpus
    ("texts/a.txt"): links to files count, linked folders are not entered (as
    Path.rglob("*") with is_file() finds them, without a Path per file)."""
    found, folders = [], [sub]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(corpus_dir / folder) as entries:
                entries = list(entries)
        except OSError:  # missing, not a folder, unreadable
            continue
        for entry in entries:
            name = f"{folder}/{entry.name}"
            try:
                if entry.is_file():
                    found.append(name)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(name)
            except OSError:
                continue
    return found


def _path_order(name: str) -> tuple[str, ...]:
    """The order of Path objects (part by part: "a/b" before "a-b/c"), for names in the corpus."""
    return () if name == "." else tuple(name.split("/"))


def _file_digest(path: Path) -> bytes:
    """sha256 of a regular file, read in blocks; a marker for anything else. A FIFO or a
    device (a link to /dev/zero) is never read: the build refuses it with its own message."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return b"missing"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b"not a regular file"
        os.set_blocking(fd, True)
        h = hashlib.sha256()
        for block in iter(lambda: os.read(fd, 1 << 20), b""):
            h.update(block)
        return h.digest()
    except OSError:
        return b"unreadable"
    finally:
        os.close(fd)


def _listed_files(corpus_dir: Path) -> list[Path]:
    """The texts and fact files documents.yaml names (the build reads them wherever they are)."""
    from .ingest.yamlfile import YamlError, read_yaml

    try:
        data = read_yaml(corpus_dir / "documents.yaml")
    except (OSError, YamlError):
        return []  # the build refuses it; the file's own hash already stands for it
    entries = data.get("documents") if isinstance(data, dict) else None
    listed = []
    for entry in entries if isinstance(entries, list) else []:
        for key in ("file", "facts"):
            value = entry.get(key) if isinstance(entry, dict) else None
            if isinstance(value, str) and value and "\0" not in value and not Path(value).is_absolute():
                listed.append(corpus_dir / value)
    return listed


def ontology_digest() -> str:
    from .core.vocabulary import ontology_dir

    digest = hashlib.sha256()
    for path in sorted(ontology_dir().glob("*.ttl")):
        digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_record(corpus_dir: Path, cache_dir: Path | None = None) -> dict:
    """What a build records about its inputs (written to build.json); cache_dir: see corpus_digest."""
    return {"nkrel": __version__, "corpus": corpus_digest(corpus_dir, cache_dir), "ontology": ontology_digest()}


def staleness(ws: Workspace) -> str | None:
    """Why the workspace's build cannot be read as it is (stale, or not made by this
    user's nkrel), or None when it is fresh and sealed. A sealed build whose files were
    changed since raises WorkspaceError: it is damaged, not merely stale."""
    from .output import seal
    from .output.publish import read_manifest

    built = read_manifest(ws.graphs_dir)
    if built is None:
        return f"there is no build in {ws.graphs_dir}"
    now = build_record(ws.corpus_dir, ws.cache_dir)
    for key, what in (("corpus", "the corpus"), ("ontology", "the ontology"), ("nkrel", "nkrel's version")):
        if built.get(key) != now[key]:
            return f"{what} changed since the last build"
    try:
        if not seal.check(ws.graphs_dir):
            return f"the build in {ws.graphs_dir} was not made by your nkrel (it has no valid seal)"
    except seal.Damaged as e:
        raise WorkspaceError(f"the build is damaged: run nkrel build ({ws.graphs_dir}: {e})") from None
    return None


def built_source(ws: Workspace):
    """What a reader of the workspace's build queries: its on-disk store, which the caller
    has checked (staleness() is None), or the shipped example's N-Quads file."""
    from .sparql.query import STORE_DIR, Source

    graph = ws.graphs_dir / "nkrel.nq"
    if ws.read_only or not (ws.graphs_dir / STORE_DIR).is_dir():
        return Source(graph)
    return Source(graph, ws.graphs_dir / STORE_DIR)
