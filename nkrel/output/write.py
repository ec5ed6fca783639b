"""Serialise the dataset deterministically and write files atomically.

rdflib's Turtle output is stable; its TriG, N-Quads and JSON-LD output orders vary
between runs, so those are assembled or sorted here. The same dataset always gives
the same bytes.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

GRAPH_FILES = {"turtle": "nkrel.ttl", "trig": "nkrel.trig", "nquads": "nkrel.nq", "jsonld": "nkrel.jsonld"}


def _named_graphs(ds: Dataset) -> list[Graph]:
    graphs = [g for g in ds.graphs() if len(g) and not str(g.identifier).startswith("urn:x-rdflib:")]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _union(ds: Dataset) -> Graph:
    union = Graph()
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns, override=True, replace=True)
    for g in _named_graphs(ds):
        for triple in g:
            union.add(triple)
    return union


def _prefix_lines(text: str) -> list[str]:
    """The prefix lines longturtle wrote for a union text: reused as the TriG header."""
    return [line for line in text.splitlines() if line.startswith("PREFIX ")]


def serialize(ds: Dataset, fmt: str) -> bytes:
    """Serialise the dataset (turtle, ntriples, nquads, trig or jsonld), byte for byte reproducibly."""
    if fmt == "turtle":
        return _union(ds).serialize(format="longturtle").encode("utf-8")
    if fmt == "ntriples":
        lines = _union(ds).serialize(format="nt").splitlines()
        return ("\n".join(sorted(set(filter(None, lines)))) + "\n").encode("utf-8")
    if fmt == "nquads":
        lines = ds.serialize(format="nquads").splitlines()
        return ("\n".join(sorted(set(filter(None, lines)))) + "\n").encode("utf-8")
    if fmt == "trig":
        return _trig(ds).encode("utf-8")
    if fmt == "jsonld":
        return _jsonld(ds).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


def _trig(ds: Dataset) -> str:
    header = _prefix_lines(_union(ds).serialize(format="longturtle"))
    blocks = []
    for g in _named_graphs(ds):
        single = Graph()
        for prefix, ns in ds.namespaces():
            single.bind(prefix, ns, override=True, replace=True)
        for triple in g:
            single.add(triple)
        body = [line for line in single.serialize(format="longturtle").splitlines() if not line.startswith("PREFIX ")]
        # Not indented: a line inside a multi-line literal must stay as it is.
        inner = "\n".join(body).strip("\n")
        blocks.append(f"<{g.identifier}> {{\n{inner}\n}}\n")
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


def _jsonld(ds: Dataset) -> str:
    context = {prefix: str(ns) for prefix, ns in ds.namespaces() if prefix}
    doc = json.loads(ds.serialize(format="json-ld", context=dict(sorted(context.items())), auto_compact=False))
    return json.dumps(_canonical(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _canonical(value):
    """Sort JSON-LD node arrays (unordered in RDF) so output does not depend on hashing."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _canonical(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def write_files(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write each file to a temporary name in out_dir, then rename it into place."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    temps = []
    try:
        for name, data in sorted(files.items()):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            temps.append((tmp, out_dir / name))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        for tmp, final in temps:
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
            written.append(final)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return written
