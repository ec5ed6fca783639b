"""The network view: project the RDF graph onto a networkx graph, and render it as
one self-contained, offline HTML page.

``network_graph(dataset)`` reads the built RDF graph (facts, entities, evidence) and
returns a ``networkx.MultiDiGraph`` whose nodes are the entities that facts involve
(states, agreements, organisations, companies, people, places, ...) and whose edges
are facts: one edge per fact and pair of participants, carrying the fact's kind,
label, modality, time, value with unit, the verbatim quote and its document.

``render_network_html(graph, title=...)`` writes that graph as an HTML page built on
vis-network (the copy pyvis ships, inlined): no request to any host, every text from
the documents carried as JSON data and shown with ``textContent`` (never parsed as
HTML), and a Content-Security-Policy that allows only the page's own scripts. The
same graph gives byte-identical HTML.

``export_graph(graph, fmt)`` writes the projection as GraphML or GEXF for Gephi.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import re
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

NK = "https://w3id.org/nkrel/ontology#"
ID = "https://w3id.org/nkrel/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA_VALUE = "https://schema.org/value"

VIS_VERSION = "9.1.2"
NETWORK_FILE = "network.html"  # written by `nkrel build` next to the graph files
DEFAULT_TITLE = "North Korea's international relations"

# Entity classes of the ontology -> the kind of node drawn. Classes not listed here
# are looked up through rdfs:subClassOf in the ontology graph.
NODE_KINDS = {
    "State": "state",
    "Agreement": "agreement",
    "Treaty": "agreement",
    "DefenceAgreement": "agreement",
    "MemorandumOfUnderstanding": "agreement",
    "CooperationAgreement": "agreement",
    "Protocol": "agreement",
    "Organisation": "organisation",
    "Company": "company",
    "Person": "person",
    "Place": "place",
    "City": "place",
    "Region": "place",
    "Site": "place",
    "HistoricalEvent": "event",
    "Product": "product",
}

# kind: (legend label, colour, vis shape, base size). Sizes grow with the number of facts.
NODE_STYLE = {
    "state": ("State", "#1f4e79", "dot", 22),
    "agreement": ("Treaty or agreement", "#b03a2e", "diamond", 16),
    "organisation": ("Organisation", "#2e8b57", "square", 12),
    "company": ("Company", "#7d3c98", "triangle", 12),
    "person": ("Person", "#d35400", "dot", 9),
    "place": ("Place", "#138d90", "triangleDown", 10),
    "event": ("Historical event", "#7f8c8d", "star", 11),
    "product": ("Product", "#b7950b", "hexagon", 10),
    "other": ("Other", "#95a5a6", "dot", 9),
}
NODE_SYMBOL = {"dot": "\u25cf", "diamond": "\u25c6", "square": "\u25a0", "triangle": "\u25b2",
               "triangleDown": "\u25bc", "star": "\u2605", "hexagon": "\u2b22"}  # fmt: skip

# Fact classes -> relation kind (edge colour and the kind filter).
RELATIONS = {
    "TradeFlow": "trade",
    "TradeShare": "trade",
    "BorderFreight": "trade",
    "Aid": "aid",
    "DebtRelief": "aid",
    "MilitarySupport": "military",
    "Investment": "investment",
    "LandLease": "investment",
    "Project": "project",
    "Labour": "project",
    "Recognition": "recognition",
    "DiplomaticRelations": "relations",
    "RelationState": "relations",
    "Policy": "relations",
    "Membership": "relations",
    "Embassy": "embassy",
    "Visit": "visit",
    "Meeting": "visit",
    "Signing": "agreement",
    "AgreementInForce": "agreement",
    "Withdrawal": "agreement",
    "Sanction": "sanction",
}
RELATION_STYLE = {
    "trade": ("Trade", "#e69f00"),
    "aid": ("Aid and debt relief", "#009e73"),
    "investment": ("Investment and land lease", "#0072b2"),
    "project": ("Projects and labour", "#56b4e9"),
    "recognition": ("Recognition", "#cc79a7"),
    "relations": ("Relations and policy", "#6c7a89"),
    "embassy": ("Embassies", "#8c564b"),
    "visit": ("Visits and meetings", "#a89800"),
    "agreement": ("Party to an agreement", "#b03a2e"),
    "military": ("Military support", "#d55e00"),
    "sanction": ("Sanctions", "#c0392b"),
    "other": ("Other", "#aab7b8"),
}
BOUND_WORDS = {"exact": "", "approximate": "about ", "at-least": "at least ", "more-than": "more than ",
               "at-most": "at most ", "less-than": "less than "}  # fmt: skip
ROLES = ("party", "directed", "agreement", "involves", "place")


class NetworkError(Exception):
    """The page cannot be rendered (e.g. the vis-network assets are missing)."""


# --------------------------------------------------------------------------- projection


def _local(iri: str, base: str = NK) -> str:
    return iri[len(base) :] if iri.startswith(base) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _node_id(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


def _fact_id(iri: str) -> str:
    return iri[len(ID) + 5 :] if iri.startswith(ID + "fact/") else _node_id(iri)


def _natural(s: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def _union(dataset):
    """A read view of every triple of a Dataset (all named graphs) or a Graph."""
    from rdflib import Dataset

    if isinstance(dataset, Dataset) and not dataset.default_union:
        return Dataset(store=dataset.store, default_union=True)
    return dataset


class _Index:
    """Subject -> predicate -> sorted objects (as strings / rdflib terms), built in one pass."""

    def __init__(self, graph):
        from rdflib import Literal

        self.out: dict[str, dict[str, list]] = {}
        for s, p, o in graph.triples((None, None, None)):
            if not isinstance(o, Literal):
                o = str(o)
            self.out.setdefault(str(s), {}).setdefault(str(p), []).append(o)
        for props in self.out.values():
            for p, objs in props.items():
                props[p] = sorted(set(objs), key=str)

    def all(self, s: str, p: str) -> list:
        return self.out.get(s, {}).get(p, [])

    def one(self, s: str, p: str):
        values = self.all(s, p)
        return values[0] if values else None

    def text(self, s: str, p: str) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)


def _year(value: str | None) -> int | None:
    if value and re.match(r"^-?\d{4}", value):
        return int(value[:4])
    return None


def _plain_number(value: str | None) -> str | None:
    """A decimal's lexical form without a trailing .0 (rdflib writes 6860000000 as 6860000000.0)."""
    if value is None:
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d)


def _amount_text(value: str) -> str:
    try:
        d = Decimal(value)
    except InvalidOperation:
        return value
    if d == d.to_integral_value():
        return f"{d.to_integral_value():,}"
    return f"{d:,}"


def _fmt_quantity(q: dict) -> str:
    unit = q["unit"]
    amount = _amount_text(q["value"])
    number = {"USD": f"US${amount}", "percent": f"{amount}%", "factor": f"{amount}-fold"}.get(unit, f"{amount} {unit}")
    text = BOUND_WORDS.get(q["bound"], "") + number
    if q.get("measure") and q["measure"] not in ("value", "share", "change"):
        text += f" ({q['measure']})"
    if q.get("stated"):
        text += f", as stated: \u201c{q['stated']}\u201d"
    return text


def _fmt_time(year, date, start, end, stated) -> str:
    parts = []
    if date:
        parts.append(date)
    elif year:
        parts.append(year)
    elif start or end:
        parts.append(f"{start or '?'} to {end or '?'}")
    if stated:
        parts.append(f"\u201c{stated}\u201d" if parts else f"as stated: \u201c{stated}\u201d")
    return " ".join(parts)


def _entity_kinds(index: _Index, types: list[str]) -> tuple[str, str]:
    """(node kind, entity class local name) of an entity's rdf:types."""
    names = [_local(t) for t in types if t.startswith(NK)]
    for name in names:
        if name in NODE_KINDS:
            return NODE_KINDS[name], name
    for name in names:  # a subclass the table does not know: climb the ontology
        seen, todo = set(), [NK + name]
        while todo:
            cls = todo.pop(0)
            if _local(cls) in NODE_KINDS:
                return NODE_KINDS[_local(cls)], name
            for sup in index.all(cls, RDFS_SUBCLASS):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
    return "other", names[0] if names else ""


def _code(index: _Index, iri: str | None) -> str | None:
    if iri is None:
        return None
    return index.text(iri, NK + "code") or _local(iri).lower()


def _read_fact(index: _Index, s: str, kind_iri: str, anomalies: dict, claims: dict) -> dict:
    kind = _local(kind_iri)
    year = index.text(s, NK + "year")
    date = index.text(s, NK + "date")
    start = index.text(s, NK + "start")
    end = index.text(s, NK + "end")
    stated_time = index.text(s, NK + "timeAsStated")
    first = _year(date) or _year(year) or _year(start)
    last = _year(date) or _year(year) or _year(end) or first
    quantities = []
    for q in sorted(index.all(s, NK + "quantity"), key=_natural):
        value = _plain_number(index.text(q, SCHEMA_VALUE))
        if value is None:
            continue
        quantities.append({"value": value, "unit": _code(index, index.one(q, NK + "unit")) or "",
                           "measure": _code(index, index.one(q, NK + "measure")) or "",
                           "bound": _code(index, index.one(q, NK + "bound")) or "exact",
                           "stated": index.text(q, NK + "asStated")})  # fmt: skip
    main = next((q for q in quantities if q["measure"] == "value"), quantities[0] if quantities else None)
    quote = document = title = None
    q_start = q_end = None
    for ev in index.all(s, NK + "evidence"):
        for sel in index.all(ev, OA + "hasSelector"):
            if index.text(sel, OA + "exact") is not None:
                quote = index.text(sel, OA + "exact")
            if index.text(sel, OA + "start") is not None:
                q_start, q_end = int(index.text(sel, OA + "start")), int(index.text(sel, OA + "end") or 0)
        doc = index.one(ev, OA + "hasSource")
        if doc is not None:
            document = index.text(doc, DCTERMS + "identifier") or _node_id(doc)
            title = index.text(doc, DCTERMS + "title")
    mentions = []
    for m in index.all(s, NK + "mention"):
        ref, words = index.one(m, NK + "refersTo"), index.text(m, NK + "asStated")
        if ref and words:
            mentions.append((_node_id(ref), words))
    claim = index.one(s, NK + "states")
    return {
        "fact": _fact_id(s),
        "kind": kind,
        "kind_label": index.text(kind_iri, RDFS_LABEL) or kind,
        "relation": RELATIONS.get(kind, "other"),
        "label": index.text(s, RDFS_LABEL) or _fact_id(s),
        "modality": _code(index, index.one(s, NK + "modality")) or "",
        "year": year,
        "date": date,
        "start": start,
        "end": end,
        "time_stated": stated_time,
        "time": _fmt_time(year, date, start, end, stated_time)
        + (" (from the surrounding text)" if index.text(s, NK + "timeFromContext") == "true" else ""),
        "first_year": first,
        "last_year": last,
        "value": float(main["value"]) if main else None,
        "value_text": main["value"] if main else None,
        "unit": main["unit"] if main else None,
        "value_stated": main["stated"] if main else None,
        "usd": float(main["value"]) if main and main["unit"] == "USD" and main["measure"] == "value" else None,
        "quantities": [_fmt_quantity(q) for q in quantities],
        "commodities": [str(c) for c in index.all(s, NK + "commodity")],
        "quote": quote,
        "quote_start": q_start,
        "quote_end": q_end,
        "document": document,
        "document_title": title,
        "parties": [_node_id(p) for p in index.all(s, NK + "party")],
        "from": _node_id(index.one(s, NK + "fromParty")) if index.one(s, NK + "fromParty") else None,
        "to": _node_id(index.one(s, NK + "toParty")) if index.one(s, NK + "toParty") else None,
        "involves": [_node_id(e) for e in index.all(s, NK + "involves")],
        "places": [_node_id(e) for e in index.all(s, NK + "place")],
        "agreement": _node_id(index.one(s, NK + "agreement")) if index.one(s, NK + "agreement") else None,
        "mentions": mentions,
        "note": index.text(s, NK + "curatorNote"),
        "anomalies": anomalies.get(s, []),
        "claim": _local(claim, ID + "claim/") if claim else None,
        "also_stated_in": sorted({d for f, d in claims.get(claim, []) if f != s and d}) if claim else [],
    }


def _pairs(f: dict) -> list[tuple[str, str, str]]:
    """(source, target, role) for each edge of a fact: one per pair of participants."""
    parties = list(f["parties"])
    principal = parties or list(f["involves"])
    pairs: list[tuple[str, str, str]] = []
    if f["agreement"]:
        pairs += [(p, f["agreement"], "agreement") for p in principal]
    else:
        directed = (f["from"], f["to"]) if f["from"] and f["to"] else None
        for i, a in enumerate(principal):
            for b in principal[i + 1 :]:
                if directed and {a, b} == set(directed):
                    pairs.append((directed[0], directed[1], "directed"))
                else:
                    pairs.append((a, b, "party"))
    if parties:
        pairs += [(p, e, "involves") for e in f["involves"] for p in parties if e not in parties]
    pairs += [(p, pl, "place") for pl in f["places"] for p in principal if pl not in principal]
    seen, out = set(), []
    for a, b, role in pairs:
        if a != b and (a, b, role) not in seen:
            seen.add((a, b, role))
            out.append((a, b, role))
    return out


def network_graph(dataset):
    """Project an rdflib Dataset (or Graph) of the nkrel model onto a networkx MultiDiGraph.

    Nodes: every entity a fact involves, keyed by its slug, with ``label``, ``kind``
    (state, agreement, organisation, company, person, place, event, product, other),
    ``entity_type`` (the ontology class), ``iri``, ``wikidata`` and ``facts`` (ids of
    the facts it takes part in). Edges: one per fact and pair of participants, keyed
    ``<fact>|<role>|<source>|<target>``, with the fact's attributes (see ``_read_fact``)
    and ``role`` (directed, party, agreement, involves, place). ``graph.graph["facts"]``
    holds every fact, including those that draw no edge (one participant only).
    """
    import networkx as nx

    index = _Index(_union(dataset))
    anomalies: dict[str, list[str]] = {}
    claims: dict[str, list[tuple[str, str]]] = {}
    fact_kinds: dict[str, str] = {}
    for s, props in index.out.items():
        types = props.get(RDF_TYPE, [])
        if NK + "Anomaly" in types:
            text = index.text(s, NK + "explanation") or index.text(s, RDFS_LABEL) or _node_id(s)
            for target in props.get(NK + "concerns", []):
                anomalies.setdefault(target, []).append(text)
        if NK + "evidence" in props:
            kinds = sorted(t for t in types if t.startswith(NK) and t != NK + "Fact")
            fact_kinds[s] = kinds[0] if kinds else NK + "Fact"
            for c in props.get(NK + "states", []):
                doc = index.one(index.one(s, NK + "evidence") or "", OA + "hasSource")
                claims.setdefault(c, []).append((s, index.text(doc, DCTERMS + "identifier") if doc else None))
    for texts in anomalies.values():
        texts.sort()

    facts = {}
    for s in sorted(fact_kinds, key=_fact_id):
        f = _read_fact(index, s, fact_kinds[s], anomalies, claims)
        facts[f["fact"]] = f

    graph = nx.MultiDiGraph(name="nkrel")
    members: dict[str, set[str]] = {}
    for fid, f in facts.items():
        for e in {*f["parties"], *f["involves"], *f["places"], *([f["agreement"]] if f["agreement"] else [])}:
            members.setdefault(e, set()).add(fid)
    for nid in sorted(members):
        iri = nid if "://" in nid else ID + nid
        kind, etype = _entity_kinds(index, index.all(iri, RDF_TYPE))
        wikidata = next((_local(w, "http://www.wikidata.org/entity/") for w in index.all(iri, OWL_SAMEAS)), None)
        attrs = {"label": index.text(iri, RDFS_LABEL) or nid, "kind": kind, "entity_type": etype, "iri": iri,
                 "facts": sorted(members[nid])}  # fmt: skip
        if wikidata:
            attrs["wikidata"] = wikidata
        if anomalies.get(iri):
            attrs["anomalies"] = anomalies[iri]
        graph.add_node(nid, **attrs)
    edges = []
    for fid, f in facts.items():
        attrs = {k: v for k, v in f.items() if k not in ("parties", "involves", "places", "mentions", "anomalies",
                                                          "also_stated_in", "quantities", "commodities")}  # fmt: skip
        for a, b, role in _pairs(f):
            edges.append((a, b, f"{fid}|{role}|{a}|{b}", {**attrs, "role": role, "directed": role == "directed"}))
    for a, b, key, attrs in sorted(edges, key=lambda e: e[2]):
        graph.add_edge(a, b, key=key, **attrs)
    graph.graph["facts"] = facts
    return graph


# --------------------------------------------------------------------------- export


def _scalar(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(" ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
    return value


def export_graph(graph, fmt: str) -> bytes:
    """The projection as GraphML or GEXF (for Gephi): lists joined as text, empty values left out."""
    import networkx as nx

    plain = nx.MultiDiGraph(name=graph.graph.get("name", "nkrel"))
    for n, data in graph.nodes(data=True):
        plain.add_node(n, **{k: _scalar(v) for k, v in data.items() if v is not None and v != []})
    renames = {"start": "period_start", "end": "period_end"}  # GEXF reserves start/end for its timeline
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {renames.get(k, k): _scalar(v) for k, v in data.items() if v is not None and v != []}
        plain.add_edge(a, b, key=key, **attrs)
    if fmt == "graphml":
        return ("\n".join(nx.generate_graphml(plain, edge_id_from_attribute=None)) + "\n").encode("utf-8")
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(plain, buf)
        return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)
    raise ValueError(f"unknown network format {fmt!r}")


# --------------------------------------------------------------------------- rendering


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
            if re.search(r"</script|<!--", js_text, re.I) or re.search(r"</style", css_text, re.I):
                raise NetworkError(f"{folder}: the vis-network assets cannot be inlined safely")
            return js_text, css_text
    raise NetworkError(f"vis-network {VIS_VERSION} not found inside pyvis at {root}")


def _json_for_script(data) -> str:
    """JSON that cannot end its <script> element or open a comment: <, >, & escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(ch, esc)
    return text


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _edge_width(f: dict) -> float:
    role = f.get("role", "party")
    if f.get("usd") and f["usd"] > 0 and role in ("directed", "party"):
        return round(1.5 + 1.2 * max(0.0, math.log10(f["usd"] / 1e5)), 2)
    return 1.0 if role in ("involves", "place") else 1.5


def page_data(graph) -> dict:
    """The plain data the page carries: nodes, edges, facts, legend and vis options."""
    if any(not isinstance(n, str) for n in graph.nodes):
        import networkx as nx

        graph = nx.relabel_nodes(graph, str, copy=True)
    facts = dict(graph.graph.get("facts") or {})
    keys = [str(k) for _, _, k in graph.edges(keys=True)]
    unique_keys = len(set(keys)) == len(keys)

    def edge_id(a, b, key) -> str:
        return str(key) if unique_keys else f"{a}|{b}|{key}"

    # a graph made by hand may lack the facts table: each edge is then its own fact
    edge_fact = {}
    for a, b, key, d in graph.edges(keys=True, data=True):
        fid = str(d.get("fact") or edge_id(a, b, key))
        edge_fact[(a, b, key)] = fid
        if fid not in facts:
            facts[fid] = {**d, "parties": [a, b], "involves": [], "places": []}
    node_facts = {n: {f for f in d.get("facts", []) if f in facts} for n, d in graph.nodes(data=True)}
    for (a, b, _), fid in edge_fact.items():
        node_facts[a].add(fid)
        node_facts[b].add(fid)
    node_facts = {n: sorted(fs) for n, fs in node_facts.items()}
    labels = {n: str(d.get("label", n)) for n, d in graph.nodes(data=True)}
    nodes = []
    for n in sorted(graph.nodes):
        d = graph.nodes[n]
        kind = d.get("kind") if d.get("kind") in NODE_STYLE else "other"
        _, colour, shape, base = NODE_STYLE[kind]
        count = len(node_facts.get(n, []))
        nodes.append({"id": n, "label": labels[n], "kind": kind, "type": d.get("entity_type", ""),
                      "wikidata": d.get("wikidata"), "facts": node_facts.get(n, []),
                      "anomalies": list(d.get("anomalies") or []),
                      "size": round(base + (2.0 if kind == "state" else 1.5) * math.sqrt(count), 1)})  # fmt: skip
    edges = []
    parallel: dict[tuple, int] = {}
    for a, b, key, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[2]), e[0], e[1])):
        pair = tuple(sorted((a, b)))
        i = parallel.get(pair, 0)
        parallel[pair] = i + 1
        relation = d.get("relation") if d.get("relation") in RELATION_STYLE else "other"
        edges.append({"id": edge_id(a, b, key), "from": a, "to": b,
                      "fact": edge_fact[(a, b, key)], "relation": relation,
                      "role": d.get("role", "party"), "directed": bool(d.get("directed")),
                      "flagged": bool(facts[edge_fact[(a, b, key)]].get("anomalies")),
                      "width": _edge_width(d), "curve": i})  # fmt: skip
    total = {}
    for e in edges:
        pair = tuple(sorted((e["from"], e["to"])))
        total[pair] = total.get(pair, 0) + 1
    for e in edges:  # parallel edges fan out in alternate directions
        n = total[tuple(sorted((e["from"], e["to"])))]
        if n == 1:
            e["curve"] = 0
        else:
            i = e["curve"]
            sign = 1 if i % 2 == 0 else -1
            if e["from"] > e["to"]:
                sign = -sign
            e["curve"] = round(sign * 0.6 * (i // 2 + 1) / ((n + 1) // 2), 3)
    members: dict[str, list[str]] = {}
    for n in sorted(node_facts):
        for fid in node_facts[n]:
            members.setdefault(fid, []).append(n)
    fact_rows = {}
    for fid in sorted(facts):
        f = facts[fid]

        def name(e):
            return labels.get(e, e)

        fact_rows[fid] = {
            "kind": f.get("kind_label") or f.get("kind"),
            "relation": f.get("relation") if f.get("relation") in RELATION_STYLE else "other",
            "label": f.get("label"),
            "modality": f.get("modality"),
            "time": f.get("time") or "",
            "first": f.get("first_year"),
            "last": f.get("last_year"),
            "quantities": list(f.get("quantities") or []),
            "commodities": list(f.get("commodities") or []),
            "quote": f.get("quote"),
            "span": [f["quote_start"], f["quote_end"]] if f.get("quote_start") is not None else None,
            "document": f.get("document"),
            "title": f.get("document_title"),
            "from": name(f["from"]) if f.get("from") else None,
            "to": name(f["to"]) if f.get("to") else None,
            "parties": [name(p) for p in f.get("parties", [])],
            "involves": [name(p) for p in f.get("involves", [])],
            "places": [name(p) for p in f.get("places", [])],
            "agreement": name(f["agreement"]) if f.get("agreement") else None,
            "mentions": [f"{name(e)}: the text says \u201c{w}\u201d" for e, w in f.get("mentions", [])],
            "note": f.get("note"),
            "anomalies": list(f.get("anomalies") or []),
            "also": list(f.get("also_stated_in") or []),
            "members": members.get(fid, []),
        }
    years = [y for f in fact_rows.values() for y in (f["first"], f["last"]) if y is not None]
    present_kinds = sorted({n["kind"] for n in nodes}, key=list(NODE_STYLE).index)
    present_relations = sorted({f["relation"] for f in fact_rows.values()}, key=list(RELATION_STYLE).index)
    # Large graphs: a coarser Barnes-Hut approximation and fewer iterations, so that a
    # 2,000-node graph settles in a few seconds; physics stops once it has settled.
    big = len(nodes) > 400
    iterations = 600 if not big else (150 if len(nodes) <= 1000 else 100)
    options = {
        "autoResize": True,
        "layout": {"randomSeed": 20240601, "improvedLayout": len(nodes) <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80 if big else -150,
                "centralGravity": 0.01,
                "springLength": 110 if big else 160,
                "springConstant": 0.06,
                "damping": 0.6,
                "avoidOverlap": 0.3 if big else 0.8,
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
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {"selectionWidth": 2, "hoverWidth": 1.5, "font": {"size": 0}},
    }
    return {
        "nodes": nodes,
        "edges": edges,
        "facts": fact_rows,
        "years": [min(years), max(years)] if years else None,
        "partners": sorted((n["id"] for n in nodes if n["kind"] == "state"), key=lambda i: (labels[i], i)),
        "nodeKinds": {
            k: {
                "label": NODE_STYLE[k][0],
                "color": NODE_STYLE[k][1],
                "shape": NODE_STYLE[k][2],
                "symbol": NODE_SYMBOL.get(NODE_STYLE[k][2], "\u25cf"),
            }
            for k in present_kinds
        },
        "relations": {r: {"label": RELATION_STYLE[r][0], "color": RELATION_STYLE[r][1]} for r in present_relations},
        "kindOrder": present_kinds,
        "relationOrder": present_relations,
        "options": options,
    }


def render_network_html(graph, title: str = DEFAULT_TITLE) -> str:
    """One self-contained HTML page showing the graph; the same graph gives the same bytes."""
    js, css = _vis_assets()
    data = _json_for_script(page_data(graph))
    vis_script = "\n" + js + "\n"
    app_script = "\n" + _web_asset("app.js").strip() + "\n"
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_csp_hash(vis_script)} {_csp_hash(app_script)}",
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
        "DATA": data,
        "VIS_CSS": css,
        "VIS_JS": vis_script,
        "APP_JS": app_script,
    }
    # one pass: text put in (titles, quotes, assets) is never scanned again for placeholders
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _web_asset("page.html"))


def read_dataset(path: Path):
    """A built RDF file (.trig .nq .ttl .nt .jsonld .rdf) as an rdflib Dataset.

    Parsed by pyoxigraph through nkrel/sparql/rdffile.py, which reads that file and
    nothing else (rdflib's JSON-LD parser would fetch a remote @context)."""
    from rdflib import BNode, Dataset, Literal, URIRef

    from ..sparql.query import QueryError
    from ..sparql.rdffile import parse_quads

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


def _web_asset(name: str) -> str:
    """The page's own template, stylesheet and script (nkrel/web/), kept as files."""
    return (files("nkrel") / "web" / name).read_text(encoding="utf-8")


__all__ = [
    "NETWORK_FILE",
    "NetworkError",
    "export_graph",
    "network_graph",
    "page_data",
    "read_dataset",
    "render_network_html",
]
