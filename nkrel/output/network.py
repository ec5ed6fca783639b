"""The network view: project the RDF graph onto a networkx graph, and render it as
one self-contained, offline HTML page.

``network_graph(source)`` reads the built RDF graph (facts, entities, evidence) from
an rdflib Dataset or Graph, a pyoxigraph Store or any iterable of pyoxigraph quads,
and returns a ``networkx.MultiDiGraph`` whose nodes are the entities that facts
involve (states, agreements, organisations, companies, people, places, ...) and
whose edges are facts: one edge per fact and pair of participants, carrying the
fact's kind, label, modality, time, value with unit, the verbatim quote and its
document.

``render_network_html(graph, title=...)`` writes that graph as an HTML page built on
vis-network (the copy pyvis ships) and D3 (vendored in nkrel/web/), both inlined: no
request to any host, every text from the documents carried as JSON data and shown
with ``textContent`` (never parsed as HTML), and a Content-Security-Policy that
allows only the page's own scripts. The same graph gives byte-identical HTML.

``export_graph(graph, fmt)`` writes the projection as GraphML or GEXF for Gephi (the
GEXF is dynamic: each edge's start and end years drive Gephi's timeline).
"""

from __future__ import annotations

import base64
import gc
import gzip
import hashlib
import html
import io
import json
import math
import re
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path

NK = "https://w3id.org/nkrel/ontology#"
ID = "https://w3id.org/nkrel/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
WIKIDATA = "http://www.wikidata.org/entity/"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA_VALUE = "https://schema.org/value"

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
    "Event": "event",
    "Product": "product",
}

# kind: (legend label, colour, vis shape, base size). Sizes grow with the number of facts.
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

# Fact classes -> relation kind (edge colour and the kind filter). Classes not listed
# are looked up through rdfs:subClassOf; a class with no known ancestor is "other".
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
BOUND_WORDS = {"exact": "", "approximate": "about ", "at-least": "at least ", "more-than": "more than ",
               "at-most": "at most ", "less-than": "less than "}  # fmt: skip
ROLES = ("party", "directed", "agreement", "involves", "place")


class NetworkError(Exception):
    """The page cannot be rendered (e.g. the vis-network assets are missing)."""


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while building millions of small objects that all stay
    alive: at 1,000x the corpus each full collection would walk every one of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --------------------------------------------------------------------------- projection


def _local(iri: str, base: str = NK) -> str:
    return iri[len(base) :] if iri.startswith(base) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _node_id(iri: str) -> str:
    return iri[len(ID) :] if iri.startswith(ID) else iri


def _fact_id(iri: str) -> str:
    return iri[len(ID) + 5 :] if iri.startswith(ID + "fact/") else _node_id(iri)


def _natural(s: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def _triples(source):
    """(subject, predicate, object) as plain strings from any graph nkrel reads.

    The one place that knows the input's type: an rdflib Dataset (all its named graphs)
    or Graph, a pyoxigraph Store, or an iterable of pyoxigraph Quads or Triples.
    IRIs and literals both become their lexical form; the model keeps them apart by
    predicate, so no datatype is needed here.
    """
    if hasattr(source, "triples") and hasattr(source, "namespace_manager"):  # rdflib
        from rdflib import Dataset

        if isinstance(source, Dataset) and not source.default_union:
            source = Dataset(store=source.store, default_union=True)
        for s, p, o in source.triples((None, None, None)):
            yield str(s), str(p), str(o)
        return
    if hasattr(source, "quads_for_pattern"):  # a pyoxigraph Store
        source = source.quads_for_pattern(None, None, None, None)
    for q in source:
        yield q.subject.value, q.predicate.value, q.object.value


class _Index:
    """Subject -> predicate -> sorted distinct objects, built in one pass over the triples."""

    def __init__(self, source):
        self.out: dict[str, dict[str, list]] = {}
        for s, p, o in _triples(source):
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
        for props in self.out.values():
            for p, objs in props.items():
                props[p] = sorted(set(objs)) if len(objs) > 1 else objs

    def all(self, s: str, p: str) -> list:
        return self.out.get(s, {}).get(p, [])

    def one(self, s: str, p: str):
        values = self.all(s, p)
        return values[0] if values else None

    def text(self, s: str, p: str) -> str | None:
        return self.one(s, p)

    def ancestors(self, cls: str):
        """cls and its superclasses in the ontology, nearest first."""
        seen, todo = {cls}, [cls]
        while todo:
            c = todo.pop(0)
            yield c
            for sup in self.all(c, RDFS_SUBCLASS):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)


def _year(value: str | None) -> int | None:
    if value and re.match(r"^-?\d{4}", value):
        return int(value[:4]) if not value.startswith("-") else int(value[:5])
    return None


def _plain_number(value: str | None) -> str | None:
    """A decimal's lexical form without a trailing .0 (the build writes 6860000000 as 6860000000.0)."""
    if value is None:
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    if d == d.to_integral_value() and d.adjusted() < _PLAIN_DIGITS:  # quantize needs the digits to fit
        return str(d.quantize(Decimal(1)))
    return str(d)


_PLAIN_DIGITS = 28  # larger numbers stay in exponent form (1E+999999 is not written out in a million digits)


def _float(value: str | None) -> float | None:
    """A value as a number for the page's charts and sums; None when it is ill-typed (a
    graph read from a file) or beyond a float's range (1E+999999): the page then shows the
    value as written."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _offset(value: str | None) -> int | None:
    return int(value) if value is not None and re.fullmatch(r"[0-9]{1,12}", value) else None


def _amount_text(value: str) -> str:
    try:
        d = Decimal(value)
    except InvalidOperation:
        return value
    if not d.is_finite() or abs(d.adjusted()) >= _PLAIN_DIGITS:
        return str(d)
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


def _fmt_time(year, date, start, end, stated, first=None, last=None) -> str:
    parts = []
    if date:
        parts.append(date)
    elif year:
        parts.append(year)
    elif start or end:
        parts.append(f"{start or '?'} to {end or '?'}")
    elif first is not None or last is not None:  # only nk:startYear / nk:endYear
        if first == last:
            parts.append(str(first))
        elif last is None:
            parts.append(f"since {first}")
        elif first is None:
            parts.append(f"until {last}")
        else:
            parts.append(f"{first} to {last}")
    if stated:
        parts.append(f"\u201c{stated}\u201d" if parts else f"as stated: \u201c{stated}\u201d")
    return " ".join(parts)


def _fact_years(index: _Index, s: str) -> tuple[int | None, int | None]:
    """(first, last) year of a fact's interval; None on a side means open (or undated, if both).

    nk:startYear / nk:endYear when the build gives them (a single year sets both, "since
    2014" only the start); otherwise the date, the year, or the start and end of a period.
    """
    start_year, end_year = index.text(s, NK + "startYear"), index.text(s, NK + "endYear")
    if start_year is not None or end_year is not None:
        return _year(start_year), _year(end_year)
    single = _year(index.text(s, NK + "date")) or _year(index.text(s, NK + "year"))
    if single is not None:
        return single, single
    return _year(index.text(s, NK + "start")), _year(index.text(s, NK + "end"))


def _is_fact_class(index: _Index, cls: str) -> bool:
    """nk:Fact or one of its subclasses (through rdfs:subClassOf, when the graph holds the
    ontology; without it, a class the page knows as a relation)."""
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c == NK + "Fact":
            return True
        if c not in seen:
            seen.add(c)
            todo += [str(s) for s in index.all(c, RDFS_SUBCLASS)]
    return len(seen) == 1 and (_local(cls) in RELATIONS or cls == NK + "Fact")


def _entity_kinds(index: _Index, types: list[str]) -> tuple[str, str]:
    """(node kind, entity class local name) of an entity's rdf:types."""
    names = [_local(t) for t in types if t.startswith(NK)]
    for name in names:
        if name in NODE_KINDS:
            return NODE_KINDS[name], name
    for name in names:  # a subclass the table does not know: climb the ontology
        for cls in index.ancestors(NK + name):
            if _local(cls) in NODE_KINDS:
                return NODE_KINDS[_local(cls)], name
    return "other", names[0] if names else ""


def _relation(index: _Index, kind_iri: str) -> str:
    for cls in index.ancestors(kind_iri):
        if cls.startswith(NK) and _local(cls) in RELATIONS:
            return RELATIONS[_local(cls)]
    return "other"


def _code(index: _Index, iri: str | None) -> str | None:
    if iri is None:
        return None
    return index.text(iri, NK + "code") or _local(iri).lower()


def _label(index: _Index, iri: str) -> str:
    return index.text(iri, RDFS_LABEL) or _fact_id(iri)


def _evidence(index: _Index, s: str) -> list[dict]:
    """Every evidence span of a fact (one or several oa:SpecificResource), by document and offset."""
    spans = []
    for ev in index.all(s, NK + "evidence"):
        quote = start = end = page = None
        for sel in index.all(ev, OA + "hasSelector"):
            if index.text(sel, OA + "exact") is not None:
                quote = index.text(sel, OA + "exact")
            if index.text(sel, OA + "start") is not None:
                start, end = _offset(index.text(sel, OA + "start")), _offset(index.text(sel, OA + "end"))
            fragment = index.text(sel, RDF_VALUE) or ""
            if fragment.startswith("page=") and fragment[5:].isdigit():  # a PDF's page (RFC 3778)
                page = int(fragment[5:])
        doc = index.one(ev, OA + "hasSource")
        span = {
            "quote": quote, "start": start, "end": end,
            "document": (index.text(doc, DCTERMS + "identifier") or _node_id(doc)) if doc else None,
            "title": index.text(doc, DCTERMS + "title") if doc else None,
        }  # fmt: skip
        if page is not None:
            span["page"] = page
        spans.append(span)
    spans.sort(key=lambda e: (e["document"] or "", e["start"] if e["start"] is not None else -1, e["quote"] or ""))
    return spans


def _read_fact(index: _Index, s: str, kind_iri: str, anomalies: dict) -> dict:
    kind = _local(kind_iri)
    year = index.text(s, NK + "year")
    date = index.text(s, NK + "date")
    start = index.text(s, NK + "start")
    end = index.text(s, NK + "end")
    stated_time = index.text(s, NK + "timeAsStated")
    first, last = _fact_years(index, s)
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
    evidence = _evidence(index, s)
    first_span = evidence[0] if evidence else {"quote": None, "start": None, "end": None, "document": None,
                                               "title": None}  # fmt: skip
    mentions = []
    for m in index.all(s, NK + "mention"):
        ref, words = index.one(m, NK + "refersTo"), index.text(m, NK + "asStated")
        if ref and words:
            mentions.append((_node_id(ref), words))
    claim = index.one(s, NK + "states")

    def node(prop):
        value = index.one(s, NK + prop)
        return _node_id(value) if value else None

    return {
        "fact": _fact_id(s),
        "kind": kind,
        "kind_label": index.text(kind_iri, RDFS_LABEL) or kind,
        "relation": _relation(index, kind_iri),
        "label": index.text(s, RDFS_LABEL) or _fact_id(s),
        "modality": _code(index, index.one(s, NK + "modality")) or "",
        "year": year,
        "date": date,
        "start": start,
        "end": end,
        "time_stated": stated_time,
        "time": _fmt_time(year, date, start, end, stated_time, first, last)
        + (" (from the surrounding text)" if index.text(s, NK + "timeFromContext") == "true" else ""),
        "first_year": first,
        "last_year": last,
        "value": _float(main["value"]) if main else None,
        "value_text": main["value"] if main else None,
        "unit": main["unit"] if main else None,
        "value_stated": main["stated"] if main else None,
        "usd": _float(main["value"]) if main and main["unit"] == "USD" and main["measure"] == "value" else None,
        "quantities": [_fmt_quantity(q) for q in quantities],
        "values": [(_float(q["value"]), q["unit"], q["measure"]) for q in quantities if _float(q["value"]) is not None],
        "commodities": list(index.all(s, NK + "commodity")),
        "quote": first_span["quote"],
        "quote_start": first_span["start"],
        "quote_end": first_span["end"],
        "document": first_span["document"],
        "document_title": first_span["title"],
        "evidence": evidence,
        "parties": [_node_id(p) for p in index.all(s, NK + "party")],
        "from": node("fromParty"),
        "to": node("toParty"),
        "involves": [_node_id(e) for e in index.all(s, NK + "involves")],
        "places": [_node_id(e) for e in index.all(s, NK + "place")],
        "agreement": node("agreement"),
        "mentions": mentions,
        "causes": [(_fact_id(c), _label(index, c)) for c in index.all(s, NK + "cause")],
        "attributed_to": [_label(index, a) for a in index.all(s, NK + "attributedTo")],
        "direction": _code(index, index.one(s, NK + "direction")),
        "note": index.text(s, NK + "curatorNote"),
        "anomalies": anomalies.get(s, []),
        "claim": _local(claim, ID + "claim/") if claim else None,
    }


def _pairs(f: dict) -> list[tuple[str, str, str]]:
    """(source, target, role) for each edge of a fact: one per pair of participants.

    nkrel/web/app.js derives the same pairs (function factPairs); a browser test holds
    the two to the same answer.
    """
    parties = list(f.get("parties") or [])
    principal = parties or list(f.get("involves") or [])
    pairs: list[tuple[str, str, str]] = []
    if f.get("agreement"):
        pairs += [(p, f["agreement"], "agreement") for p in principal]
    else:
        fr, to = f.get("from"), f.get("to")
        for i, a in enumerate(principal):
            for b in principal[i + 1 :]:
                if fr and to and ((a == fr and b == to) or (a == to and b == fr)):
                    pairs.append((fr, to, "directed"))
                else:
                    pairs.append((a, b, "party"))
    if parties:
        pairs += [(p, e, "involves") for e in f.get("involves") or [] for p in parties if e not in parties]
    pairs += [(p, pl, "place") for pl in f.get("places") or [] for p in principal if pl not in principal]
    seen, out = set(), []
    for a, b, role in pairs:
        if a != b and (a, b, role) not in seen:
            seen.add((a, b, role))
            out.append((a, b, role))
    return out


def _shipped_texts() -> dict[tuple[str, str], str]:
    """(file name, sha256) -> text of the documents shipped with nkrel."""
    from ..core.corpus import default_corpus_dir

    return read_texts(default_corpus_dir() / "texts")


def network_graph(dataset, texts: dict[str, str] | None = None, text_folders=()):
    """Project the nkrel model onto a networkx MultiDiGraph.

    ``dataset``: an rdflib Dataset or Graph, a pyoxigraph Store, or an iterable of
    pyoxigraph quads. ``texts``: document id -> the document's text, for the page's
    source view; documents not given are looked for by file name and sha256 in
    ``text_folders``, then among the texts shipped with nkrel. A text whose sha256
    differs from the one the graph records is left out.

    Nodes: every entity a fact involves, keyed by its slug, with ``label``, ``aliases``,
    ``kind`` (state, agreement, organisation, company, person, place, event, product,
    other), ``entity_type`` (the ontology class), ``iri``, ``wikidata`` and ``facts``
    (ids of the facts it takes part in). Edges: one per fact and pair of participants,
    keyed ``<fact>|<role>|<source>|<target>``, with the fact's attributes (see
    ``_read_fact``) and ``role`` (directed, party, agreement, involves, place).
    ``graph.graph["facts"]`` holds every fact, including those that draw no edge (one
    participant only); ``graph.graph["claims"]`` each claim's (fact, document) pairs;
    ``graph.graph["documents"]`` each document's title and text (None if not found).
    """
    with _gc_paused():
        return _network_graph(dataset, texts, text_folders)


def _network_graph(dataset, texts, text_folders):
    import networkx as nx

    index = _Index(dataset)
    anomalies: dict[str, list[str]] = {}
    fact_kinds: dict[str, str] = {}
    documents: dict[str, dict] = {}
    for s, props in index.out.items():
        types = props.get(RDF_TYPE, [])
        if NK + "Anomaly" in types:
            text = index.text(s, NK + "explanation") or index.text(s, RDFS_LABEL) or _node_id(s)
            for target in props.get(NK + "concerns", []):
                anomalies.setdefault(target, []).append(text)
        if NK + "SourceDocument" in types:
            doc_id = index.text(s, DCTERMS + "identifier") or _node_id(s)
            documents[doc_id] = {"title": index.text(s, DCTERMS + "title"), "file": index.text(s, NK + "fileName"),
                                 "sha256": index.text(s, NK + "sha256"), "text": None}  # fmt: skip
        if NK + "evidence" in props:  # facts, but also cause and attribution links, which quote too
            kinds = sorted(t for t in types if t.startswith(NK) and _is_fact_class(index, t))
            known = [k for k in kinds if _local(k) in RELATIONS]
            if kinds:
                fact_kinds[s] = (known or kinds)[0]
    for found in anomalies.values():
        found.sort()

    facts = {}
    for s in sorted(fact_kinds, key=_fact_id):
        f = _read_fact(index, s, fact_kinds[s], anomalies)
        facts[f["fact"]] = f
    claims: dict[str, list[tuple[str, str | None]]] = {}
    for fid, f in facts.items():
        if f["claim"]:
            claims.setdefault(f["claim"], []).append((fid, f["document"]))
        for span in f["evidence"]:  # a document named only by evidence still gets its title
            if span["document"] and span["document"] not in documents:
                documents[span["document"]] = {"title": span["title"], "file": None, "sha256": None, "text": None}
    _attach_texts(documents, texts, text_folders)

    graph = nx.MultiDiGraph(name="nkrel")
    members: dict[str, set[str]] = {}
    for fid, f in facts.items():
        for e in {*f["parties"], *f["involves"], *f["places"], *([f["agreement"]] if f["agreement"] else [])}:
            members.setdefault(e, set()).add(fid)
    for nid in sorted(members):
        iri = nid if "://" in nid else ID + nid
        kind, etype = _entity_kinds(index, index.all(iri, RDF_TYPE))
        links = index.all(iri, SKOS_EXACT) + index.all(iri, OWL_SAMEAS)  # v2 links with skos:exactMatch
        wikidata = next((_local(w, WIKIDATA) for w in links if str(w).startswith(WIKIDATA)), None)
        label = index.text(iri, RDFS_LABEL) or nid
        attrs = {"label": label, "kind": kind, "entity_type": etype, "iri": iri,
                 "aliases": [a for a in index.all(iri, SKOS_ALT) if a != label],
                 "facts": sorted(members[nid])}  # fmt: skip
        if wikidata:
            attrs["wikidata"] = wikidata
        if anomalies.get(iri):
            attrs["anomalies"] = anomalies[iri]
        graph.add_node(nid, **attrs)
    edges = []
    skip = ("parties", "involves", "places", "mentions", "anomalies", "quantities", "values", "commodities",
            "evidence", "causes", "attributed_to")  # fmt: skip
    for fid, f in facts.items():
        attrs = {k: v for k, v in f.items() if k not in skip}
        for a, b, role in _pairs(f):
            edges.append((a, b, f"{fid}|{role}|{a}|{b}", {**attrs, "role": role, "directed": role == "directed"}))
    for a, b, key, attrs in sorted(edges, key=lambda e: e[2]):
        graph.add_edge(a, b, key=key, **attrs)
    graph.graph["facts"] = facts
    graph.graph["claims"] = {c: sorted(pairs) for c, pairs in sorted(claims.items())}
    graph.graph["documents"] = dict(sorted(documents.items()))
    return graph


def _attach_texts(documents: dict[str, dict], texts: dict[str, str] | None, folders) -> None:
    """Each document's text, when it is given or found and matches the recorded sha256."""
    found = None
    for doc_id, doc in documents.items():
        text = (texts or {}).get(doc_id)
        if text is None and doc["file"] and doc["sha256"]:
            if found is None:
                found = _shipped_texts()
                for folder in folders:
                    found.update(read_texts(folder))
            text = found.get((doc["file"], doc["sha256"]))
        if text is not None and doc["sha256"] and hashlib.sha256(text.encode("utf-8")).hexdigest() != doc["sha256"]:
            text = None  # not the text the graph was built from
        doc["text"] = text


# --------------------------------------------------------------------------- export


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


# --------------------------------------------------------------------------- page data


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
    """Parse a built RDF file (.trig .nq .ttl .nt .jsonld) into an rdflib Dataset."""
    with _gc_paused():
        return _page_data(graph)


def _page_data(graph) -> dict:
    """The plain data the page carries, as columns (one list per field, a row per node or fact).

    Columns keep a 1,000x corpus compact: repeated strings (kinds, relations, units,
    documents, anomaly texts) are stored once and referred to by number, fields that
    most facts lack are sparse ({row: value}), quotes are not repeated when the
    document's text is embedded (the page cuts them out of the text by their offsets),
    and per-fact edges are derived in the page from the participants (the same rule as
    ``_pairs``), stored only for a fact whose edges in the graph differ from that rule.
    """
    if any(not isinstance(n, str) for n in graph.nodes):
        import networkx as nx

        graph = nx.relabel_nodes(graph, str, copy=True)
    facts = dict(graph.graph.get("facts") or {})
    documents = graph.graph.get("documents") or {}
    keys = [str(k) for _, _, k in graph.edges(keys=True)]
    unique_keys = len(set(keys)) == len(keys)

    # a graph made by hand may lack the facts table: each edge is then its own fact
    graph_pairs: dict[str, set] = {}
    for a, b, key, d in graph.edges(keys=True, data=True):
        fid = str(d.get("fact") or (str(key) if unique_keys else f"{a}|{b}|{key}"))
        if fid not in facts:
            facts[fid] = {**d, "fact": fid, "parties": [a, b], "from": None, "to": None, "involves": [],
                          "places": [], "agreement": None}  # fmt: skip
        role = d.get("role") if d.get("role") in ROLES else "party"
        graph_pairs.setdefault(fid, set()).add((a, b, role))

    node_ids = sorted(graph.nodes)
    node_index = {n: i for i, n in enumerate(node_ids)}
    fact_ids = sorted(facts)
    fact_index = {f: i for i, f in enumerate(fact_ids)}
    kinds = [k for k in NODE_STYLE]
    relations = [r for r in RELATION_STYLE]
    anomaly_texts, fact_kinds, modalities, units, measures = _Strings(), _Strings(), _Strings(), _Strings(), _Strings()
    roles = _Strings(ROLES)
    docs = _Strings()
    for doc_id in documents:
        docs.add(doc_id)

    nodes = {"id": [], "label": [], "kind": [], "type": [], "aliases": {}, "wikidata": {}, "anomalies": {}}
    for i, n in enumerate(node_ids):
        d = graph.nodes[n]
        kind = d.get("kind") if d.get("kind") in NODE_STYLE else "other"
        nodes["id"].append(n)
        nodes["label"].append(str(d.get("label", n)))
        nodes["kind"].append(kinds.index(kind))
        nodes["type"].append(d.get("entity_type") or "")
        if d.get("aliases"):
            nodes["aliases"][str(i)] = [str(a) for a in d["aliases"]]
        if d.get("wikidata"):
            nodes["wikidata"][str(i)] = d["wikidata"]
        if d.get("anomalies"):
            nodes["anomalies"][str(i)] = [anomaly_texts.add(str(a)) for a in d["anomalies"]]

    def ref(nid):
        return node_index.get(nid) if nid is not None else None

    def refs(ids):
        return [node_index[n] for n in ids or [] if n in node_index]

    texts = {doc_id: (doc or {}).get("text") for doc_id, doc in documents.items()}
    titles = {doc_id: (doc or {}).get("title") for doc_id, doc in documents.items()}
    for f in facts.values():  # documents named only by the facts' evidence (a graph made by hand)
        for e in _spans_of(f):
            if e.get("document") and titles.get(e["document"]) is None:
                titles[e["document"]] = e.get("title")
    cols = {name: [] for name in ("id", "label", "kind", "relation", "modality", "first", "last", "time", "parties",
                                  "evidence")}  # fmt: skip
    sparse = {name: [] for name in ("quantities", "values", "goods", "from", "to", "involves", "places", "agreement",
                                    "words", "note", "anomalies", "claim", "causes", "attributed", "direction",
                                    "edges", "pages")}  # fmt: skip
    claims = _Strings()
    claim_facts: dict[int, list[int]] = {}
    years = []
    for i, fid in enumerate(fact_ids):
        f = facts[fid]
        relation = f.get("relation") if f.get("relation") in RELATION_STYLE else "other"
        first, last = f.get("first_year"), f.get("last_year")
        years += [y for y in (first, last) if isinstance(y, int)]
        cols["id"].append(fid)
        cols["label"].append(str(f.get("label") or fid))
        cols["kind"].append(fact_kinds.add(str(f.get("kind_label") or f.get("kind") or "fact")))
        cols["relation"].append(relations.index(relation))
        cols["modality"].append(modalities.add(str(f.get("modality") or "")))
        cols["first"].append(first if isinstance(first, int) else None)
        cols["last"].append(last if isinstance(last, int) else None)
        cols["time"].append(str(f.get("time") or ""))
        cols["parties"].append(refs(f.get("parties")))
        cols["evidence"].append([_span(e, docs, texts) for e in _spans_of(f)])
        pages = [e.get("page") for e in _spans_of(f)]
        sparse["pages"].append(pages if any(p is not None for p in pages) else None)
        sparse["quantities"].append([str(q) for q in f.get("quantities") or []])
        sparse["values"].append([[v, units.add(u), measures.add(m)] for v, u, m in f.get("values") or []])
        sparse["goods"].append([str(c) for c in f.get("commodities") or []])
        sparse["from"].append(ref(f.get("from")))
        sparse["to"].append(ref(f.get("to")))
        sparse["involves"].append(refs(f.get("involves")))
        sparse["places"].append(refs(f.get("places")))
        sparse["agreement"].append(ref(f.get("agreement")))
        sparse["words"].append([[node_index[e], w] for e, w in f.get("mentions") or [] if e in node_index])
        sparse["note"].append(f.get("note"))
        sparse["anomalies"].append([anomaly_texts.add(str(a)) for a in f.get("anomalies") or []])
        if f.get("claim"):
            c = claims.add(f["claim"])
            claim_facts.setdefault(c, []).append(i)
            sparse["claim"].append(c)
        else:
            sparse["claim"].append(None)
        sparse["causes"].append([[fact_index.get(c), str(label)] for c, label in f.get("causes") or []])
        sparse["attributed"].append([str(a) for a in f.get("attributed_to") or []])
        sparse["direction"].append(f.get("direction"))
        expected = set(_pairs(f))
        actual = graph_pairs.get(fid, set())
        if actual != expected:  # edges the participants do not explain: carry them as given
            sparse["edges"].append([[node_index[a], node_index[b], roles.add(r)] for a, b, r in sorted(actual)])
        else:
            sparse["edges"].append(None)
    fact_cols = {**cols, **{k: _sparse(v) for k, v in sparse.items()}}

    counts = [0] * len(node_ids)
    for fid in fact_ids:
        f = facts[fid]
        for n in {*(f.get("parties") or []), *(f.get("involves") or []), *(f.get("places") or []),
                  *([f["agreement"]] if f.get("agreement") else [])}:  # fmt: skip
            if n in node_index:
                counts[node_index[n]] += 1
    # the state most facts involve (North Korea in nkrel's corpus): the timeline's and the
    # trade chart's partners are the states beside it
    states = [(-counts[i], n) for i, n in enumerate(node_ids) if kinds[nodes["kind"][i]] == "state"]
    focus = node_index[min(states)[1]] if states else None
    edge_scale = _edge_scale(fact_ids, facts, graph_pairs)
    present_kinds = sorted({kinds[k] for k in nodes["kind"]}, key=kinds.index)
    present_relations = sorted({relations[r] for r in cols["relation"]}, key=relations.index)
    aggregate = len(node_ids) > AGGREGATE_ABOVE
    return {
        "format": 2,
        "nodes": nodes,
        "facts": fact_cols,
        "documents": {
            "id": docs.items,
            "title": [titles.get(d) for d in docs.items],
            "text": [texts.get(d) for d in docs.items],
        },
        "documentCount": len(docs.items),  # for the page's "about this corpus" line, before the evidence
        "claims": [claim_facts[c] for c in range(len(claims.items))],
        "anomalies": anomaly_texts.items,
        "factKinds": fact_kinds.items,
        "modalities": modalities.items,
        "units": units.items,
        "measures": measures.items,
        "roles": roles.items,
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
        "focus": focus,
        "years": [min(years), max(years)] if years else None,
        "edgeScale": edge_scale,
        "aggregate": aggregate,
        "drawLimit": AGGREGATE_ABOVE,
        "options": _vis_options(len(node_ids), aggregate),
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
    app_script = "\n" + _web_asset("app.js").strip() + "\n"
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


def read_quads(path: Path) -> list:
    """A built RDF file's quads, parsed by pyoxigraph (through nkrel/sparql/rdffile.py, which
    reads that file and nothing else): what ``network_graph`` reads fastest."""
    from ..sparql.query import QueryError
    from ..sparql.rdffile import parse_quads

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
    "read_quads",
    "read_texts",
    "render_network_html",
    "split_page_data",
]
