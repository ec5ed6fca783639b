"""Reading what the network view is built from: a built RDF file (as an rdflib Dataset or
as pyoxigraph quads) and the documents' texts in a folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .base import NetworkError


def read_dataset(path: Path):
    """A built RDF file (.trig .nq .ttl .nt .jsonld .rdf) as an rdflib Dataset.

    Parsed by pyoxigraph through nkrel/sparql/rdffile.py, which reads that file and
    nothing else (rdflib's JSON-LD parser would fetch a remote @context)."""
    from rdflib import BNode, Dataset, Literal, URIRef

    from ...sparql.query import QueryError
    from ...sparql.rdffile import parse_quads

    try:
        quads = parse_quads(Path(path))
    except QueryError as e:
        raise NetworkError(str(e)) from None

    def term(t):
        kind = type(t).__name__
        if kind == "NamedNode":
            return URIRef(t.value)
        if kind == "BlankNode":
            return BNode(t.value)
        if kind == "Literal":
            if t.language:
                return Literal(t.value, lang=t.language)
            return Literal(t.value, datatype=URIRef(t.datatype.value))
        raise NetworkError(f"{path}: RDF 1.2 triple terms are not supported")

    ds = Dataset(default_union=True)
    for q in quads:
        graph = ds.default_context if type(q.graph_name).__name__ == "DefaultGraph" else ds.graph(term(q.graph_name))
        graph.add((term(q.subject), term(q.predicate), term(q.object)))
    return ds


def read_quads(path: Path) -> list:
    """A built RDF file's quads, parsed by pyoxigraph (through nkrel/sparql/rdffile.py, which
    reads that file and nothing else): what ``network_graph`` reads fastest."""
    from ...sparql.query import QueryError
    from ...sparql.rdffile import parse_quads

    try:
        return list(parse_quads(Path(path)))
    except QueryError as e:
        raise NetworkError(str(e)) from None


def read_texts(folder: Path) -> dict[tuple[str, str], str]:
    """(file name, sha256) -> text of every .txt file in a folder (for `nkrel viz --texts`)."""
    out = {}
    for path in sorted(Path(folder).glob("*.txt")):
        raw = path.read_bytes()
        try:
            out[(path.name, hashlib.sha256(raw).hexdigest())] = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return out
