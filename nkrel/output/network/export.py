"""The projection as GraphML or GEXF, for Gephi."""

from __future__ import annotations

import io
import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _scalar(value):
    """A value as GraphML/GEXF can hold it: lists joined as text, and the characters XML 1.0
    cannot carry at all (most control characters) shown escaped, as \\x01."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(" ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
    if isinstance(value, str):
        return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], value)
    return value


def export_graph(graph, fmt: str) -> bytes:
    """The projection as GraphML or GEXF (for Gephi): lists joined as text, empty values left out.

    In GEXF each dated edge carries ``start`` and ``end`` dates (the first of January of
    its fact's first year, the last of December of its last year; an open end is left
    out), so Gephi's timeline shows the network as it was in a year; undated edges have
    no interval and show at every time. The period's own start and
    end as stated become ``period_start`` / ``period_end``.
    """
    import networkx as nx

    plain = nx.MultiDiGraph(name=graph.graph.get("name", "nkrel"))
    for n, data in graph.nodes(data=True):
        plain.add_node(_scalar(n), **{k: _scalar(v) for k, v in data.items() if v is not None and v != []})
    renames = {"start": "period_start", "end": "period_end"}  # GEXF reserves start/end for its timeline
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {renames.get(k, k): _scalar(v) for k, v in data.items() if v is not None and v != []}
        if fmt == "gexf":  # GEXF's own timeline: dates (timeformat "date") spanning the fact's years
            attrs["id"] = _scalar(str(key))  # the edge's id in Gephi is its key, <fact>|<role>|<source>|<target>
            if isinstance(data.get("first_year"), int):
                attrs["start"] = f"{data['first_year']:04d}-01-01"
            if isinstance(data.get("last_year"), int):
                attrs["end"] = f"{data['last_year']:04d}-12-31"
        plain.add_edge(_scalar(a), _scalar(b), key=_scalar(key), **attrs)
    if fmt == "graphml":
        return ("\n".join(nx.generate_graphml(plain, edge_id_from_attribute=None)) + "\n").encode("utf-8")
    if fmt == "gexf":
        plain.graph["mode"] = "dynamic"
        buf = io.BytesIO()
        nx.write_gexf(plain, buf)
        return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)
    raise ValueError(f"unknown network format {fmt!r}")
