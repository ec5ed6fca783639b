"""The built dataset, held compactly: named graphs of triples whose terms are N-Triples
strings (``<iri>``, ``"text"``, ``"1"^^<datatype>``, ``"text"@en``).

Why strings: an rdflib Dataset of five million quads takes minutes to fill and more than
4 GB. Term strings are small, sort deterministically, are written out as N-Quads by
joining, and load into Oxigraph (for SPARQL) at Rust speed. Each graph keeps its
triples sorted and unique, so every writer streams them in a fixed order.

``Quads`` also answers the few rdflib-style calls that readers of the dataset make
(``triples``, ``value``, ``serialize(format="nquads")``, ``graph(iri).add``), with rdflib
terms, so code written against an rdflib Dataset keeps working.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

Triple = tuple[str, str, str]

# N-Triples escapes, exactly as Oxigraph writes them (its canonical form).
_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def literal_nt(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal in canonical N-Triples syntax."""
    text = '"' + lexical.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language.lower()}"
    if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        return f"{text}^^<{datatype}>"
    return text


class TermCache:
    """rdflib term -> N-Triples string; IRIs repeat a lot, so they are remembered."""

    def __init__(self):
        from rdflib import BNode, Literal, URIRef

        self._iris: dict[str, str] = {}
        self._uriref, self._literal, self._bnode = URIRef, Literal, BNode

    def __call__(self, term) -> str:
        if type(term) is self._uriref:
            nt = self._iris.get(term)
            if nt is None:
                nt = self._iris[term] = f"<{term}>"
            return nt
        if isinstance(term, self._literal):
            dt = term.datatype
            return literal_nt(str(term), str(dt) if dt is not None else None, term.language)
        if isinstance(term, self._bnode):
            raise ValueError(f"blank node {term!r}: every node needs an IRI")
        return f"<{term}>"


_TERMS: TermCache | None = None


def _terms() -> TermCache:
    global _TERMS
    if _TERMS is None:
        _TERMS = TermCache()
    return _TERMS


class TripleSink:
    """Collects the triples of one named graph; `add` takes rdflib terms (as Graph.add does)."""

    def __init__(self):
        self.triples: list[Triple] = []
        self._nt = _terms()

    def add(self, triple) -> None:
        nt = self._nt
        s, p, o = triple
        self.triples.append((nt(s), nt(p), nt(o)))

    def sorted(self) -> list[Triple]:
        return sorted(set(self.triples))


class Quads:
    """Named graphs (graph IRI -> sorted unique triples of N-Triples term strings); the
    default graph, if any (a file read back may have one), is named ""."""

    @classmethod
    def from_rdflib(cls, dataset) -> Quads:
        """The quads of an rdflib Dataset or Graph (e.g. a built file read back)."""
        nt = _terms()
        by_graph: dict[str, list[Triple]] = {}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = (
                ""
                if g is None or str(getattr(g, "identifier", g)).startswith("urn:x-rdflib:")
                else str(getattr(g, "identifier", g))
            )
            by_graph.setdefault(name, []).append((nt(s), nt(p), nt(o)))
        quads = cls()
        for name, triples in by_graph.items():
            quads.set_graph(name, sorted(set(triples)))
        return quads

    def __init__(self):
        self.graphs: dict[str, list[Triple]] = {}
        self._dirty: set[str] = set()  # graphs added to by graph(iri).add, to sort before reading
        self._store = None

    # ---- building
    def set_graph(self, iri, triples: list[Triple]) -> None:
        """Set a graph's triples (already sorted and unique, as TripleSink.sorted gives them)."""
        self.graphs[str(iri)] = triples
        self._dirty.discard(str(iri))
        self._store = None

    def _settle(self) -> None:
        for name in self._dirty:
            self.graphs[name] = sorted(set(self.graphs[name]))
        self._dirty.clear()

    def graph(self, iri) -> _GraphWriter:
        """An rdflib-style handle whose add() adds to the named graph `iri`."""
        return _GraphWriter(self, str(iri))

    # ---- reading
    def graph_triples(self, iri) -> list[Triple]:
        """One graph's triples, sorted and unique (empty if there is no such graph)."""
        self._settle()
        return self.graphs.get(str(iri), [])

    def names(self) -> list[str]:
        """Graph IRIs, sorted, non-empty graphs only."""
        self._settle()
        return sorted(name for name, triples in self.graphs.items() if triples)

    def __len__(self) -> int:
        self._settle()
        return sum(map(len, self.graphs.values()))

    def counts(self) -> dict[str, int]:
        return {name: len(self.graphs[name]) for name in self.names()}

    def union(self) -> list[Triple]:
        """Every triple of every graph once, sorted. The graphs are sorted runs, so the
        sort is a merge of runs (Timsort), about n log(graphs) comparisons."""
        merged = [t for name in self.names() for t in self.graphs[name]]
        merged.sort()
        out, last = [], None
        for t in merged:
            if t != last:
                out.append(t)
                last = t
        return out

    def nquad_lines(self) -> Iterator[str]:
        """N-Quads lines, graph by graph (sorted by IRI), each graph's triples sorted."""
        for name in self.names():
            g = f" <{name}> .\n" if name else " .\n"  # "": the default graph
            for s, p, o in self.graphs[name]:
                yield f"{s} {p} {o}{g}"

    def nquads(self) -> bytes:
        return "".join(self.nquad_lines()).encode("utf-8")

    def nquads_reader(self) -> io.RawIOBase:
        """The N-Quads as a binary file object, produced while it is read (no copy of it all)."""
        return _LinesReader(line.encode("utf-8") for line in self.nquad_lines())

    def store(self):
        """The quads in an in-memory Oxigraph store (built once, then reused)."""
        if self._store is None:
            import pyoxigraph as ox

            store = ox.Store()
            store.bulk_load(self.nquads_reader(), format=ox.RdfFormat.N_QUADS)
            self._store = store
        return self._store

    def __iter__(self) -> Iterator:
        """Iterating the dataset gives its quads as pyoxigraph Quads (as iterating a Store does)."""
        return iter(self.oxigraph_quads())

    def oxigraph_quads(self) -> Iterator:
        """The quads as pyoxigraph Quad objects, in nquad_lines order, parsed as they are
        read (terms exactly as built: no store normalises a literal on the way)."""
        import pyoxigraph as ox

        return ox.parse(self.nquads_reader(), format=ox.RdfFormat.N_QUADS)

    # ---- rdflib-style reading, for code written against an rdflib Dataset
    def serialize(self, format: str = "nquads", **_) -> str:  # noqa: A002 - rdflib's name
        if format not in ("nquads", "nt11"):
            raise ValueError(f"Quads.serialize writes N-Quads only; use nkrel.output.write.serialize for {format}")
        return "".join(self.nquad_lines())

    def triples(self, pattern) -> Iterator[tuple]:
        """(s, p, o) rdflib terms of the union matching a pattern (None matches anything)."""
        import bisect

        s, p, o = (None if t is None else _terms()(t) for t in pattern)
        for name in self.names():
            graph = self.graphs[name]
            # each graph is sorted by subject: with a subject, look only at its run
            i = 0 if s is None else bisect.bisect_left(graph, (s,))
            for t in itertools.islice(graph, i, None):
                if s is not None and t[0] != s:
                    break
                if (p is None or t[1] == p) and (o is None or t[2] == o):
                    yield term(t[0]), term(t[1]), term(t[2])

    def quads(self, pattern=(None, None, None, None)) -> Iterator[tuple]:
        """(s, p, o, graph IRI) rdflib terms matching a pattern, as rdflib's Dataset.quads gives them."""
        from rdflib import URIRef

        g = pattern[3] if len(pattern) > 3 else None
        for name in self.names():
            if g is not None and str(getattr(g, "identifier", g)) != name:
                continue
            graph = URIRef(name) if name else None
            for s, p, o in _GraphView(self, name).triples(pattern[:3]):
                yield s, p, o, graph

    def value(self, subject, predicate):
        return next((o for _, _, o in self.triples((subject, predicate, None))), None)


class _GraphView(Quads):
    """One graph of a Quads, read with the same rdflib-style calls."""

    def __init__(self, quads: Quads, name: str):
        super().__init__()
        self.graphs = {name: quads.graph_triples(name)}


class _LinesReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte strings."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if len(self._pending) < len(buffer):
            parts, size = [self._pending], len(self._pending)
            for chunk in self._chunks:
                parts.append(chunk)
                size += len(chunk)
                if size >= len(buffer):
                    break
            self._pending = b"".join(parts)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class _GraphWriter:
    def __init__(self, quads: Quads, name: str):
        self.quads, self.name = quads, name
        self._nt = _terms()

    def add(self, triple) -> None:
        nt = self._nt
        s, p, o = triple
        self.quads.graphs.setdefault(self.name, []).append((nt(s), nt(p), nt(o)))
        self.quads._dirty.add(self.name)
        self.quads._store = None

    def __len__(self) -> int:
        self.quads._settle()
        return len(self.quads.graphs.get(self.name, ()))


_UNESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(text: str) -> str:
    """The lexical form inside an N-Triples string literal."""
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            n = text[i + 1]
            if n == "u":
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            if n == "U":
                out.append(chr(int(text[i + 2 : i + 10], 16)))
                i += 10
                continue
            out.append(_UNESCAPES[n])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def split_literal(nt: str) -> tuple[str, str | None, str | None]:
    """(lexical form, datatype IRI or None, language or None) of an N-Triples literal."""
    end = nt.rindex('"')
    lexical = unescape(nt[1:end])
    rest = nt[end + 1 :]
    if rest.startswith("^^<"):
        return lexical, rest[3:-1], None
    if rest.startswith("@"):
        return lexical, None, rest[1:]
    return lexical, None, None


def term(nt: str):
    """An rdflib term from its N-Triples string."""
    from rdflib import Literal, URIRef

    if nt[0] == "<":
        return URIRef(nt[1:-1])
    lexical, datatype, language = split_literal(nt)
    return Literal(lexical, datatype=URIRef(datatype) if datatype else None, lang=language)


def iri(nt: str) -> str:
    """The IRI of an N-Triples IRI term ("<x>" -> "x")."""
    return nt[1:-1]
