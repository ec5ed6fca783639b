"""The network view: project the RDF graph onto a networkx graph, and render it as
one self-contained, offline HTML page.

One stage per module:

- ``projection``: ``network_graph(source)``, the built RDF graph (an rdflib Dataset or
  Graph, a pyoxigraph Store or any iterable of pyoxigraph quads) as a
  ``networkx.MultiDiGraph``: the entities that facts involve as nodes, one edge per fact
  and pair of participants.
- ``page``: ``page_data(graph)``, the data the page carries (as columns), and
  ``render_network_html(graph, title=...)``, the HTML page (vis-network and D3 inlined,
  the script joined from nkrel/web/ in the order of ``APP_SCRIPTS``, a
  Content-Security-Policy that allows only the page's own scripts). The same graph gives
  byte-identical HTML.
- ``export``: ``export_graph(graph, fmt)``, the projection as GraphML or GEXF for Gephi
  (the GEXF is dynamic: each edge's start and end years drive Gephi's timeline).
- ``read``: reading a built RDF file and a folder of documents' texts.
- ``base``: the IRIs, ``NetworkError`` and what the others share.
"""

from .base import NetworkError
from .export import _scalar as _scalar  # for nkrel/api.py
from .export import export_graph
from .page import (
    APP_SCRIPTS,
    COMPRESS_ABOVE,
    DEFAULT_TITLE,
    NETWORK_FILE,
    page_data,
    render_network_html,
    split_page_data,
)
from .projection import network_graph
from .read import read_dataset, read_quads, read_texts

__all__ = [
    "APP_SCRIPTS",
    "COMPRESS_ABOVE",
    "DEFAULT_TITLE",
    "NETWORK_FILE",
    "NetworkError",
    "export_graph",
    "network_graph",
    "page_data",
    "read_dataset",
    "read_quads",
    "read_texts",
    "render_network_html",
    "split_page_data",
]
