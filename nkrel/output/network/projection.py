"""The projection of the RDF graph onto a network: the facts, the entities they involve,
and one edge per fact and pair of participants.

``network_graph(source)`` reads the built RDF graph (facts, entities, evidence) from an
rdflib Dataset or Graph, a pyoxigraph Store or any iterable of pyoxigraph quads, and
returns a ``networkx.MultiDiGraph`` whose nodes are the entities that facts involve
(states, agreements, organisations, companies, people, places, ...) and whose edges are
facts, carrying the fact's kind, label, modality, time, value with unit, the verbatim
quote and its document.
"""

from __future__ import annotations

import hashlib
import math
import re
from decimal import Decimal, InvalidOperation

from .base import (
    DCTERMS,
    ID,
    NK,
    OA,
    OWL_SAMEAS,
    RDF_TYPE,
    RDF_VALUE,
    RDFS_LABEL,
    RDFS_SUBCLASS,
    SCHEMA_VALUE,
    SKOS_ALT,
    SKOS_EXACT,
    WIKIDATA,
    _gc_paused,
)
from .read import read_texts

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
BOUND_WORDS = {"exact": "", "approximate": "about ", "at-least": "at least ", "more-than": "more than ",
               "at-most": "at most ", "less-than": "less than "}  # fmt: skip
ROLES = ("party", "directed", "agreement", "involves", "place")  # of an edge, as _pairs gives them


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

    nkrel/web/state.js derives the same pairs (function factPairs); a browser test holds
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
    from ...core.corpus import default_corpus_dir

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
