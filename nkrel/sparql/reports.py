"""Reports read from a built graph (not rebuilt from the corpus): `nkrel stats` and
`nkrel anomalies`. The build is the one source of truth that every reader shares."""

from __future__ import annotations

from .query import ID, PREFIXES

FACTS = """
SELECT ?f ?kind ?doc WHERE {
  ?f nk:evidence ?ev ; a ?kind ; prov:wasDerivedFrom ?d .
  ?d dcterms:identifier ?doc .
  FILTER(STRSTARTS(STR(?kind), STR(nk:)))
}"""
DOCUMENTS = "SELECT ?doc WHERE { ?d a nk:SourceDocument ; dcterms:identifier ?doc }"
ENTITIES = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t . ?t rdfs:subClassOf* nk:Entity }"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ANOMALIES = """
SELECT ?a ?type ?severity ?explanation ?rule ?words WHERE {
  ?a a nk:Anomaly ; nk:anomalyType/nk:code ?type ; nk:severity/nk:code ?severity ;
     nk:explanation ?explanation ; nk:detectedBy ?rule .
  OPTIONAL { ?a nk:wordsAtFault ?words }
}"""
CONCERNS = "SELECT ?a ?x WHERE { ?a a nk:Anomaly ; nk:concerns ?x }"
EVIDENCE = """
SELECT ?f ?doc ?title ?quote ?start ?end WHERE {
  ?a a nk:Anomaly ; nk:concerns ?f .
  ?f nk:evidence ?ev .
  ?ev oa:hasSource ?d ; oa:hasSelector ?q, ?p .
  ?d dcterms:identifier ?doc ; dcterms:title ?title .
  ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end .
}"""


def _rows(store, text):
    return store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)


def stats(store) -> dict:
    """Facts by kind and document, entities, triples per named graph."""
    by_kind: dict[str, int] = {}
    by_doc: dict[str, int] = {row["doc"].value: 0 for row in _rows(store, DOCUMENTS)}
    seen = set()
    for row in _rows(store, FACTS):
        fact = row["f"].value
        if fact in seen:  # a fact of several classes counts once, under its first
            continue
        seen.add(fact)
        kind = row["kind"].value.rsplit("#", 1)[-1]
        by_kind[kind] = by_kind.get(kind, 0) + 1
        by_doc[row["doc"].value] = by_doc.get(row["doc"].value, 0) + 1
    graphs = {row["g"].value: int(row["n"].value) for row in _rows(store, GRAPHS)}
    entities = next(iter(_rows(store, ENTITIES)))["n"].value
    return {
        "facts": len(seen),
        "facts_by_kind": dict(sorted(by_kind.items())),
        "facts_by_document": dict(sorted(by_doc.items())),
        "entities": int(entities),
        "triples_by_graph": dict(sorted(graphs.items())),
        "quads": sum(graphs.values()),
    }


def anomalies(store) -> list[dict]:
    """Every anomaly with the facts (and their evidence) and entities it concerns, sorted by id."""
    found = {}
    for row in _rows(store, ANOMALIES):
        iri = row["a"].value
        found[iri] = {
            "id": iri[len(ID + "anomaly/") :],
            "type": row["type"].value,
            "severity": row["severity"].value,
            "explanation": row["explanation"].value,
            "detected_by": row["rule"].value,
            "words": row["words"].value if row["words"] is not None else None,
            "facts": [],
            "entities": [],
            "documents": [],
        }
    for row in _rows(store, CONCERNS):
        if row["a"].value in found:
            target = row["x"].value
            if target.startswith(ID + "fact/"):
                found[row["a"].value]["facts"].append(target[len(ID + "fact/") :])
            elif target.startswith(ID + "document/"):
                found[row["a"].value]["documents"].append(target[len(ID + "document/") :])
            else:
                found[row["a"].value]["entities"].append(target[len(ID) :])
    evidence: dict[str, dict] = {}
    for row in _rows(store, EVIDENCE):
        fact = row["f"].value[len(ID + "fact/") :]
        span = {"fact": fact, "document": row["doc"].value, "title": row["title"].value, "quote": row["quote"].value,
                "start": int(row["start"].value), "end": int(row["end"].value)}  # fmt: skip
        if fact not in evidence or span["start"] < evidence[fact]["start"]:
            evidence[fact] = span  # several spans: the first in the text
    report = []
    for a in sorted(found.values(), key=lambda a: a["id"]):
        a["facts"].sort()
        a["entities"].sort()
        a["documents"].sort()
        a["evidence"] = [evidence[f] for f in a["facts"] if f in evidence]
        report.append(a)
    return report
