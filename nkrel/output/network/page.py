"""The network page: the projection's data as columns, and one self-contained, offline
HTML page that shows it.

``render_network_html(graph, title=...)`` writes the graph as an HTML page built on
vis-network (the copy pyvis ships) and D3 (vendored in nkrel/web/), both inlined: no
request to any host, every text from the documents carried as JSON data and shown with
``textContent`` (never parsed as HTML), and a Content-Security-Policy that allows only the
page's own scripts. The same graph gives byte-identical HTML.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

from .base import NetworkError, _gc_paused
from .projection import ROLES, _pairs

VIS_VERSION = "9.1.2"
D3_VERSION = "7.9.2"  # nkrel/web/d3.min.js, from the npm package d3 (ISC licence, see nkrel/web/VENDOR.md)
NETWORK_FILE = "network.html"  # written by `nkrel build` next to the graph files
DEFAULT_TITLE = "North Korea's international relations"
# Above this many characters of JSON the page carries its data gzip-compressed (base64),
# unpacked by the browser's own DecompressionStream: a 1,000x corpus stays a file of
# tens of megabytes. Smaller pages keep plain JSON, readable in the file itself.
COMPRESS_ABOVE = 4_000_000
# Beyond this many nodes the page opens on the aggregated view: states and agreements only,
# at most this many of them drawn; the rest come on demand.
AGGREGATE_ABOVE = 300

# The page's script, one file per part in nkrel/web/, joined in this order (a blank line
# between files) into one <script>: no bundler. The files are the consecutive pieces of one
# function (state.js opens it, start.js closes it), each opening with a comment that names
# its part; tests/test_network.py fails on a nkrel/web/*.js file missing from this list.
APP_SCRIPTS = (
    "state.js",  # start-up, helpers, the tables derived from the data, filters and shared state
    "network.js",  # the network view
    "panel.js",  # the evidence panel
    "selection.js",  # selecting a fact, entity or edge, in every view
    "controls.js",  # filter controls, search, the keyboard list of entities
    "views.js",  # the view tabs
    "timeline.js",  # the timeline view
    "trade.js",  # the trade chart (and the timeline's row control)
    "table.js",  # the table view, CSV and JSON downloads
    "source.js",  # the source view
    "permalinks.js",  # the state in the URL's hash
    "start.js",  # one update for every change, start-up of the network, the window.nkrel API
)

# Node kind (see NODE_KINDS in projection.py): (legend label, colour, vis shape, base size).
# Sizes grow with the number of facts.
# Colours keep a contrast of at least 3:1 against the white page (WCAG for graphics).
NODE_STYLE = {
    "state": ("State", "#1f4e79", "dot", 22),
    "agreement": ("Treaty or agreement", "#b03a2e", "diamond", 16),
    "organisation": ("Organisation", "#2e7d4f", "square", 12),
    "company": ("Company", "#7d3c98", "triangle", 12),
    "person": ("Person", "#b84a00", "dot", 9),
    "place": ("Place", "#0f7a7d", "triangleDown", 10),
    "event": ("Historical event", "#6c7778", "star", 11),
    "product": ("Product", "#8a6f00", "hexagon", 10),
    "other": ("Other", "#737f80", "dot", 9),
}
# Relation kind (see RELATIONS in projection.py): (legend label, colour)
RELATION_STYLE = {
    "trade": ("Trade", "#d08c00"),
    "aid": ("Aid and debt relief", "#008f68"),
    "investment": ("Investment and land lease", "#0072b2"),
    "project": ("Projects and labour", "#3a8fc2"),
    "recognition": ("Recognition", "#b8639a"),
    "relations": ("Relations and policy", "#6c7a89"),
    "embassy": ("Embassies", "#8c564b"),
    "visit": ("Visits and meetings", "#8f8200"),
    "agreement": ("Party to an agreement", "#b03a2e"),
    "military": ("Military support", "#c75300"),
    "sanction": ("Sanctions", "#7b241c"),
    "other": ("Other", "#8a9596"),
}


def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, from the copy shipped inside pyvis (read, not imported)."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise NetworkError("pyvis is not installed (pip install pyvis): the page needs the vis-network it ships")
    root = Path(list(spec.submodule_search_locations)[0])
    for folder in (root / "templates" / "lib" / f"vis-{VIS_VERSION}", root / "lib" / f"vis-{VIS_VERSION}"):
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            js_text = js.read_text(encoding="utf-8").replace("\r\n", "\n")
            css_text = css.read_text(encoding="utf-8").replace("\r\n", "\n")
            _check_inlinable(f"{folder} (vis-network)", js_text, css_text)
            return js_text, css_text
    raise NetworkError(f"vis-network {VIS_VERSION} not found inside pyvis at {root}")


def _check_inlinable(name: str, js: str, css: str = "") -> None:
    if re.search(r"</script|<!--", js, re.I) or re.search(r"</style", css, re.I):
        raise NetworkError(f"{name}: the assets cannot be inlined safely")


def _json_for_script(data) -> str:
    """JSON that cannot end its <script> element or open a comment: <, >, & escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(ch, esc)
    return text


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


class _Strings:
    """A small table of repeated strings (kinds, units, documents): each stored once, used by index."""

    def __init__(self, initial=()):
        self.items: list = []
        self.index: dict = {}
        for item in initial:
            self.add(item)

    def add(self, item) -> int:
        if item not in self.index:
            self.index[item] = len(self.items)
            self.items.append(item)
        return self.index[item]


def _sparse(values: list) -> dict:
    """A column that is mostly empty, as {row: value} (the page reads column[row] either way)."""
    return {str(i): v for i, v in enumerate(values) if v not in (None, [], "")}


def page_data(graph) -> dict:
    """The plain data the page carries, as columns (one list per field, a row per node or fact).

    Columns keep a 1,000x corpus compact: repeated strings (kinds, relations, units,
    documents, anomaly texts) are stored once and referred to by number, fields that
    most facts lack are sparse ({row: value}), quotes are not repeated when the
    document's text is embedded (the page cuts them out of the text by their offsets),
    and per-fact edges are derived in the page from the participants (the same rule as
    ``_pairs``), stored only for a fact whose edges in the graph differ from that rule.
    """
    with _gc_paused():
        return _page_data(graph)


def _page_data(graph) -> dict:
    if any(not isinstance(n, str) for n in graph.nodes):
        import networkx as nx

        graph = nx.relabel_nodes(graph, str, copy=True)
    facts, graph_pairs = _facts_and_pairs(graph)
    documents = graph.graph.get("documents") or {}
    node_ids, fact_ids = sorted(graph.nodes), sorted(facts)
    rows = _Rows(node_ids, fact_ids, documents)
    nodes = _node_columns(graph, node_ids, rows)
    texts = {doc_id: (doc or {}).get("text") for doc_id, doc in documents.items()}
    titles = {doc_id: (doc or {}).get("title") for doc_id, doc in documents.items()}
    for f in facts.values():  # documents named only by the facts' evidence (a graph made by hand)
        for e in _spans_of(f):
            if e.get("document") and titles.get(e["document"]) is None:
                titles[e["document"]] = e.get("title")
    fact_cols = _fact_columns(facts, fact_ids, rows, texts, graph_pairs)
    years = [y for y in fact_cols["first"] + fact_cols["last"] if y is not None]
    aggregate = len(node_ids) > AGGREGATE_ABOVE
    return {
        "format": 2,
        "nodes": nodes,
        "facts": fact_cols,
        "documents": {
            "id": rows.docs.items,
            "title": [titles.get(d) for d in rows.docs.items],
            "text": [texts.get(d) for d in rows.docs.items],
        },
        "documentCount": len(rows.docs.items),  # for the page's "about this corpus" line, before the evidence
        "claims": [rows.claim_facts[c] for c in range(len(rows.claims.items))],
        "anomalies": rows.anomalies.items,
        "factKinds": rows.fact_kinds.items,
        "modalities": rows.modalities.items,
        "units": rows.units.items,
        "measures": rows.measures.items,
        "roles": rows.roles.items,
        **_legend(rows, nodes, fact_cols),
        "focus": _focus(node_ids, facts, fact_ids, rows, nodes),
        "years": [min(years), max(years)] if years else None,
        "edgeScale": _edge_scale(fact_ids, facts, graph_pairs),
        "aggregate": aggregate,
        "drawLimit": AGGREGATE_ABOVE,
        "options": _vis_options(len(node_ids), aggregate),
    }


def _facts_and_pairs(graph) -> tuple[dict, dict[str, set]]:
    """The facts table, and each fact's (source, target, role) edges as the graph holds them.

    A graph made by hand may lack the facts table: each edge is then its own fact."""
    facts = dict(graph.graph.get("facts") or {})
    keys = [str(k) for _, _, k in graph.edges(keys=True)]
    unique_keys = len(set(keys)) == len(keys)
    graph_pairs: dict[str, set] = {}
    for a, b, key, d in graph.edges(keys=True, data=True):
        fid = str(d.get("fact") or (str(key) if unique_keys else f"{a}|{b}|{key}"))
        if fid not in facts:
            facts[fid] = {**d, "fact": fid, "parties": [a, b], "from": None, "to": None, "involves": [],
                          "places": [], "agreement": None}  # fmt: skip
        role = d.get("role") if d.get("role") in ROLES else "party"
        graph_pairs.setdefault(fid, set()).add((a, b, role))
    return facts, graph_pairs


class _Rows:
    """What the columns refer to by number: the rows of nodes and facts, and the tables of
    repeated strings (filled as the columns are built, in row order)."""

    def __init__(self, node_ids: list[str], fact_ids: list[str], documents):
        self.node_index = {n: i for i, n in enumerate(node_ids)}
        self.fact_index = {f: i for i, f in enumerate(fact_ids)}
        self.kinds = list(NODE_STYLE)
        self.relations = list(RELATION_STYLE)
        self.anomalies, self.fact_kinds, self.modalities = _Strings(), _Strings(), _Strings()
        self.units, self.measures, self.claims = _Strings(), _Strings(), _Strings()
        self.roles = _Strings(ROLES)
        self.docs = _Strings(documents)
        self.claim_facts: dict[int, list[int]] = {}  # claim -> the rows of the facts that state it

    def ref(self, nid):
        return self.node_index.get(nid) if nid is not None else None

    def refs(self, ids):
        return [self.node_index[n] for n in ids or [] if n in self.node_index]


def _node_columns(graph, node_ids: list[str], rows: _Rows) -> dict:
    nodes = {"id": [], "label": [], "kind": [], "type": [], "aliases": {}, "wikidata": {}, "anomalies": {}}
    for i, n in enumerate(node_ids):
        d = graph.nodes[n]
        kind = d.get("kind") if d.get("kind") in NODE_STYLE else "other"
        nodes["id"].append(n)
        nodes["label"].append(str(d.get("label", n)))
        nodes["kind"].append(rows.kinds.index(kind))
        nodes["type"].append(d.get("entity_type") or "")
        if d.get("aliases"):
            nodes["aliases"][str(i)] = [str(a) for a in d["aliases"]]
        if d.get("wikidata"):
            nodes["wikidata"][str(i)] = d["wikidata"]
        if d.get("anomalies"):
            nodes["anomalies"][str(i)] = [rows.anomalies.add(str(a)) for a in d["anomalies"]]
    return nodes


DENSE_FACT_COLUMNS = ("id", "label", "kind", "relation", "modality", "first", "last", "time", "parties", "evidence")
SPARSE_FACT_COLUMNS = ("quantities", "values", "goods", "from", "to", "involves", "places", "agreement", "words",
                       "note", "anomalies", "claim", "causes", "attributed", "direction", "edges", "pages")  # fmt: skip


def _fact_columns(facts: dict, fact_ids: list[str], rows: _Rows, texts: dict, graph_pairs: dict) -> dict:
    """A column per field of the facts: dense ones as lists, the others sparse."""
    cols = {name: [] for name in DENSE_FACT_COLUMNS}
    sparse = {name: [] for name in SPARSE_FACT_COLUMNS}
    for i, fid in enumerate(fact_ids):
        f = facts[fid]
        _add_dense_fields(cols, fid, f, rows, texts)
        _add_sparse_fields(sparse, i, fid, f, rows, graph_pairs)
    return {**cols, **{k: _sparse(v) for k, v in sparse.items()}}


def _add_dense_fields(cols: dict, fid: str, f: dict, rows: _Rows, texts: dict) -> None:
    relation = f.get("relation") if f.get("relation") in RELATION_STYLE else "other"
    first, last = f.get("first_year"), f.get("last_year")
    cols["id"].append(fid)
    cols["label"].append(str(f.get("label") or fid))
    cols["kind"].append(rows.fact_kinds.add(str(f.get("kind_label") or f.get("kind") or "fact")))
    cols["relation"].append(rows.relations.index(relation))
    cols["modality"].append(rows.modalities.add(str(f.get("modality") or "")))
    cols["first"].append(first if isinstance(first, int) else None)
    cols["last"].append(last if isinstance(last, int) else None)
    cols["time"].append(str(f.get("time") or ""))
    cols["parties"].append(rows.refs(f.get("parties")))
    cols["evidence"].append([_span(e, rows.docs, texts) for e in _spans_of(f)])


def _add_sparse_fields(sparse: dict, i: int, fid: str, f: dict, rows: _Rows, graph_pairs: dict) -> None:
    pages = [e.get("page") for e in _spans_of(f)]
    sparse["pages"].append(pages if any(p is not None for p in pages) else None)
    sparse["quantities"].append([str(q) for q in f.get("quantities") or []])
    sparse["values"].append([[v, rows.units.add(u), rows.measures.add(m)] for v, u, m in f.get("values") or []])
    sparse["goods"].append([str(c) for c in f.get("commodities") or []])
    sparse["from"].append(rows.ref(f.get("from")))
    sparse["to"].append(rows.ref(f.get("to")))
    sparse["involves"].append(rows.refs(f.get("involves")))
    sparse["places"].append(rows.refs(f.get("places")))
    sparse["agreement"].append(rows.ref(f.get("agreement")))
    sparse["words"].append([[rows.node_index[e], w] for e, w in f.get("mentions") or [] if e in rows.node_index])
    sparse["note"].append(f.get("note"))
    sparse["anomalies"].append([rows.anomalies.add(str(a)) for a in f.get("anomalies") or []])
    if f.get("claim"):
        c = rows.claims.add(f["claim"])
        rows.claim_facts.setdefault(c, []).append(i)
        sparse["claim"].append(c)
    else:
        sparse["claim"].append(None)
    sparse["causes"].append([[rows.fact_index.get(c), str(label)] for c, label in f.get("causes") or []])
    sparse["attributed"].append([str(a) for a in f.get("attributed_to") or []])
    sparse["direction"].append(f.get("direction"))
    actual = graph_pairs.get(fid, set())
    if actual != set(_pairs(f)):  # edges the participants do not explain: carry them as given
        sparse["edges"].append(
            [[rows.node_index[a], rows.node_index[b], rows.roles.add(r)] for a, b, r in sorted(actual)]
        )
    else:
        sparse["edges"].append(None)


def _focus(node_ids: list[str], facts: dict, fact_ids: list[str], rows: _Rows, nodes: dict) -> int | None:
    """The state most facts involve (North Korea in nkrel's corpus): the timeline's and the
    trade chart's partners are the states beside it."""
    counts = [0] * len(node_ids)
    for fid in fact_ids:
        f = facts[fid]
        for n in {*(f.get("parties") or []), *(f.get("involves") or []), *(f.get("places") or []),
                  *([f["agreement"]] if f.get("agreement") else [])}:  # fmt: skip
            if n in rows.node_index:
                counts[rows.node_index[n]] += 1
    states = [(-counts[i], n) for i, n in enumerate(node_ids) if rows.kinds[nodes["kind"][i]] == "state"]
    return rows.node_index[min(states)[1]] if states else None


def _legend(rows: _Rows, nodes: dict, fact_cols: dict) -> dict:
    """Every node kind and relation kind with its style, and whether the graph has any."""
    kinds, relations = rows.kinds, rows.relations
    present_kinds = sorted({kinds[k] for k in nodes["kind"]}, key=kinds.index)
    present_relations = sorted({relations[r] for r in fact_cols["relation"]}, key=relations.index)
    return {
        "kinds": [
            {
                "id": k,
                "label": NODE_STYLE[k][0],
                "color": NODE_STYLE[k][1],
                "shape": NODE_STYLE[k][2],
                "size": NODE_STYLE[k][3],
                "present": k in present_kinds,
            }
            for k in kinds
        ],  # fmt: skip
        "relations": [
            {
                "id": r,
                "label": RELATION_STYLE[r][0],
                "color": RELATION_STYLE[r][1],
                "text": _text_colour(RELATION_STYLE[r][1]),
                "present": r in present_relations,
            }
            for r in relations
        ],  # fmt: skip
    }


def _edge_scale(fact_ids: list[str], facts: dict, graph_pairs: dict) -> dict:
    """The most facts, and the largest summed US$ value, of one edge of the grouped view
    (pair and relation kind, a claim stated by several documents counted once), so that the
    page scales every edge's width to the whole graph, whatever the filters show."""
    counts: dict[tuple, int] = {}
    sums: dict[tuple, float] = {}
    claims: set[tuple] = set()
    for fid in fact_ids:
        f = facts[fid]
        relation = f.get("relation") if f.get("relation") in RELATION_STYLE else "other"
        usd = f.get("usd")
        for a, b in {tuple(sorted((a, b))) for a, b, _ in graph_pairs.get(fid) or _pairs(f)}:
            key = (a, b, relation)
            counts[key] = counts.get(key, 0) + 1
            if usd and (not f.get("claim") or (key, f["claim"]) not in claims):
                sums[key] = sums.get(key, 0.0) + usd
                if f.get("claim"):
                    claims.add((key, f["claim"]))
    return {"count": max(counts.values(), default=1), "usd": max(sums.values(), default=0.0)}


def _spans_of(f: dict) -> list[dict]:
    if f.get("evidence"):
        return f["evidence"]
    if f.get("quote") is None and f.get("document") is None:
        return []
    return [{"quote": f.get("quote"), "start": f.get("quote_start"), "end": f.get("quote_end"),
             "document": f.get("document"), "title": f.get("document_title")}]  # fmt: skip


def _span(e: dict, docs: _Strings, texts: dict) -> list:
    """[document, start, end], plus the quote unless the embedded text gives it at those offsets."""
    doc = docs.add(e["document"]) if e.get("document") else None
    span = [doc, e.get("start"), e.get("end")]
    text = texts.get(e.get("document"))
    if not (text is not None and e.get("start") is not None and text[e["start"] : e["end"]] == e.get("quote")):
        span.append(e.get("quote"))
    return span


def _vis_options(n_nodes: int, aggregate: bool) -> dict:
    # Large graphs (the aggregated view draws a few hundred nodes at a time): a coarser
    # Barnes-Hut approximation and fewer iterations, so that the view settles in a second
    # or two; physics stops once it has settled.
    big = n_nodes > 400 or aggregate
    iterations = 600 if not big else 150
    return {
        "autoResize": True,
        "layout": {"randomSeed": 20240601, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80 if big else -220,
                "centralGravity": 0.015,
                "springLength": 110 if big else 150,
                "springConstant": 0.05,
                "damping": 0.6,
                "avoidOverlap": 0.3 if big else 0.9,
                "theta": 1.2 if big else 0.5,
            },
            "maxVelocity": 60,
            "minVelocity": 1.5,
            "timestep": 0.5,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "edges": {"selectionWidth": 2, "hoverWidth": 1.5, "font": {"size": 0}},
    }


# --------------------------------------------------------------------------- rendering


# What the page needs to draw and filter the network: read first. The rest (labels, words,
# quotes, document texts) is the evidence, read right after, in the background on a large page.
CORE_FACT_COLUMNS = ("id", "relation", "first", "last", "parties", "from", "to", "involves", "places", "agreement",
                     "values", "anomalies", "claim", "edges")  # fmt: skip
DETAIL_KEYS = ("documents", "claims", "anomalies", "factKinds", "modalities")


def split_page_data(data: dict) -> tuple[dict, dict]:
    """(core, evidence): the page data in the two parts the page reads one after the other."""
    core = {k: v for k, v in data.items() if k not in DETAIL_KEYS}
    core["facts"] = {k: v for k, v in data["facts"].items() if k in CORE_FACT_COLUMNS}
    detail = {k: data[k] for k in DETAIL_KEYS}
    detail["facts"] = {k: v for k, v in data["facts"].items() if k not in CORE_FACT_COLUMNS}
    return core, detail


def render_network_html(graph, title: str = DEFAULT_TITLE, compress: bool | None = None) -> str:
    """One self-contained HTML page showing the graph; the same graph gives the same bytes.

    ``compress``: carry the evidence gzip-compressed (None: only when the page's data is
    above COMPRESS_ABOVE characters).
    """
    js, css = _vis_assets()
    d3 = _web_asset("d3.min.js").replace("\r\n", "\n").strip()
    _check_inlinable("nkrel/web/d3.min.js", d3)
    core, detail = (_json_for_script(part) for part in split_page_data(page_data(graph)))
    encoding = "json"
    if compress or (compress is None and len(core) + len(detail) > COMPRESS_ABOVE):
        packed = gzip.compress(detail.encode("utf-8"), compresslevel=6, mtime=0)
        detail, encoding = base64.b64encode(packed).decode("ascii"), "gzip-base64"
    vis_script = "\n" + js + "\n"
    d3_script = "\n" + d3 + "\n"
    app_script = "\n" + _app_js().strip() + "\n"
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_csp_hash(vis_script)} {_csp_hash(d3_script)} {_csp_hash(app_script)}",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])  # fmt: skip
    values = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title, quote=True),
        "APP_CSS": _web_asset("app.css").strip(),
        "VIS_VERSION": VIS_VERSION,
        "D3_VERSION": D3_VERSION,
        "DATA": core,
        "DETAIL_ENCODING": encoding,
        "DETAIL_TYPE": "application/json" if encoding == "json" else "text/plain",
        "DETAIL": detail,
        "VIS_CSS": css,
        "VIS_JS": vis_script,
        "D3_JS": d3_script,
        "APP_JS": app_script,
    }
    # one pass: text put in (titles, quotes, assets) is never scanned again for placeholders
    return re.sub(r"\{\{([A-Z0-9_]+)\}\}", lambda m: values[m.group(1)], _web_asset("page.html"))


def _app_js() -> str:
    """The page's script: the files of APP_SCRIPTS in order, a blank line between them."""
    return "\n".join(_web_asset(name) for name in APP_SCRIPTS)


def _web_asset(name: str) -> str:
    """The page's own template, stylesheet and script (nkrel/web/), kept as files."""
    return (files("nkrel") / "web" / name).read_text(encoding="utf-8")
