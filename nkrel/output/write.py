"""Serialise the dataset deterministically and write files atomically.

The writers stream the built quads (nkrel.model.quads.Quads: sorted named graphs of
N-Triples terms) in one pass, so their cost grows linearly with the data: graphs in
order of their IRIs, triples sorted within each, the Turtle union merged from the
sorted graphs. The same dataset always gives the same bytes, whatever the hash seed.
IRIs are written with a prefix only when the rest is a plain name (letters, digits,
"_" and "-"), so no local name ever needs an escape ("/" stays in full IRIs).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

GRAPH_FILES = {"turtle": "nkrel.ttl", "trig": "nkrel.trig", "nquads": "nkrel.nq", "jsonld": "nkrel.jsonld"}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def serialize(quads, fmt: str) -> bytes:
    """Serialise the dataset (turtle, ntriples, nquads, trig or jsonld), byte for byte reproducibly.
    quads: a built nkrel.model.quads.Quads, or an rdflib Dataset or Graph."""
    return b"".join(serialize_chunks(quads, fmt))


def serialize_chunks(quads, fmt: str) -> Iterator[bytes]:
    """The bytes of serialize(quads, fmt), piece by piece (a graph or a few thousand
    subjects at a time), to stream to a file without holding it whole."""
    from ..model.quads import Quads

    if not isinstance(quads, Quads):
        quads = Quads.from_rdflib(quads)
    writers = {"nquads": _nquads, "ntriples": _ntriples, "turtle": _turtle, "trig": _trig, "jsonld": _jsonld}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}")
    return (text.encode("utf-8") for text in writers[fmt](quads) if text)


def _nquads(quads) -> Iterator[str]:
    for name in quads.names():
        g = f" <{name}> .\n" if name else " .\n"  # "": the default graph
        for batch in _batched(quads.graphs[name], _BATCH):
            yield "".join([f"{s} {p} {o}{g}" for s, p, o in batch])


def _ntriples(quads) -> Iterator[str]:
    for batch in _batched(quads.union(), _BATCH):
        yield "".join([f"{s} {p} {o} .\n" for s, p, o in batch])


def _turtle(quads) -> Iterator[str]:
    names = _Names()
    yield names.header() + "\n"
    yield from _turtle_blocks(quads.union(), names, "")


def _trig(quads) -> Iterator[str]:
    names = _Names()
    yield names.header() + "\n"
    for i, g in enumerate(quads.names()):
        yield ("\n" if i else "") + (f"<{g}> " if g else "") + "{\n"
        yield from _turtle_blocks(quads.graphs[g], names, "    ")
        yield "}\n"


_BATCH = 20_000  # triples per chunk: large enough to write fast, small next to the dataset


def _batched(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _prefixes() -> dict[str, str]:
    from ..model.build import PREFIXES

    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


class _Names:
    """Shortens IRIs to prefixed names where that needs no escape; remembers each answer."""

    def __init__(self):
        self.prefixes = _prefixes()
        # longest namespace first, so nkrel's own namespaces win over shorter ones
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self._cache: dict[str, str] = {}

    def header(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())

    def iri(self, nt: str) -> str:
        """ "<iri>" -> "prefix:name" when safe, else unchanged."""
        short = self._cache.get(nt)
        if short is None:
            short = nt
            iri = nt[1:-1]
            for prefix, ns in self._by_length:
                if iri.startswith(ns) and _PLAIN_NAME.match(iri, len(ns)):
                    short = f"{prefix}:{iri[len(ns) :]}"
                    break
            self._cache[nt] = short
        return short

    def bare(self, nt: str) -> str:
        """ "<iri>" -> "prefix:name" when safe, else the IRI without brackets (for JSON-LD)."""
        short = self.iri(nt)
        return nt[1:-1] if short == nt else short

    def term(self, nt: str) -> str:
        if nt[0] == "<":
            return self.iri(nt)
        if nt[-1] == ">":  # "lexical"^^<datatype>
            at = nt.rindex("^^<")
            return nt[: at + 2] + self.iri(nt[at + 2 :])
        return nt


def _turtle_blocks(triples, names: _Names, indent: str) -> Iterator[str]:
    """Turtle for sorted triples: one block per subject, rdf:type first, then predicates in order."""
    out = []
    for subject, group in itertools.groupby(triples, key=lambda t: t[0]):
        out.append(f"{indent}{names.iri(subject)}\n")
        by_predicate = [(p, [t[2] for t in ts]) for p, ts in itertools.groupby(group, key=lambda t: t[1])]
        by_predicate.sort(key=lambda item: item[0] != RDF_TYPE)  # stable: the rest keep their order
        for p, objects in by_predicate:
            verb = "a" if p == RDF_TYPE else names.iri(p)
            if len(objects) == 1:
                out.append(f"{indent}    {verb} {names.term(objects[0])} ;\n")
            else:
                inner = f" ,\n{indent}        ".join(names.term(o) for o in objects)
                out.append(f"{indent}    {verb}\n{indent}        {inner} ;\n")
        out.append(f"{indent}.\n\n")
        if len(out) > _BATCH:
            yield "".join(out)
            out = []
    yield "".join(out)


def _jsonld(quads) -> Iterator[str]:
    """JSON-LD 1.1: one object per named graph, one line per node; values always as
    arrays, literals as {"@value", "@type" | "@language"} (plain strings as JSON
    strings), so every lexical form survives. The default graph's nodes (graph "",
    first in order) stand at the top level."""
    names = _Names()
    context = json.dumps(names.prefixes, ensure_ascii=False, sort_keys=True)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    yield '{"@context": ' + context + ', "@graph": [\n'
    first = True
    for g in quads.names():
        nodes = _jsonld_nodes(quads.graphs[g], names, dumps, "  " if g else "")
        if g:
            yield ("" if first else ",\n") + f'  {{"@id": {dumps(g)}, "@graph": [\n'
            for i, node in enumerate(nodes):
                yield (",\n" if i else "") + node
            yield "\n  ]}"
            first = False
        else:
            for node in nodes:
                yield ("" if first else ",\n") + node
                first = False
    yield "\n]}\n"


def _jsonld_nodes(triples, names: _Names, dumps, indent: str) -> Iterator[str]:
    from ..model.quads import split_literal

    def value(nt: str):
        if nt[0] == "<":
            return {"@id": names.bare(nt)}
        lexical, datatype, language = split_literal(nt)
        if language:
            return {"@value": lexical, "@language": language}
        if datatype:
            return {"@value": lexical, "@type": names.bare(f"<{datatype}>")}
        return lexical

    for subject, group in itertools.groupby(triples, key=lambda t: t[0]):
        node: dict = {"@id": names.bare(subject)}
        for p, ts in itertools.groupby(group, key=lambda t: t[1]):
            if p == RDF_TYPE:
                node["@type"] = [names.bare(t[2]) for t in ts]
            else:
                node[names.bare(p)] = [value(t[2]) for t in ts]
        yield indent + "  " + dumps(node)


def write_files(files: dict[str, bytes | Iterable[bytes]], out_dir: Path) -> list[Path]:
    """Write each file (its bytes, or its chunks as serialize_chunks gives them) to a
    temporary name in out_dir, then rename it into place."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    temps = []
    try:
        for name, data in sorted(files.items()):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            temps.append((tmp, out_dir / name))
            with os.fdopen(fd, "wb") as fh:
                for chunk in [data] if isinstance(data, (bytes, bytearray)) else data:
                    fh.write(chunk)
        for tmp, final in temps:
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
            written.append(final)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return written
