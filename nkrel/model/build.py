"""Build the RDF dataset: one named graph per source document, one for the shared
entities and claims, one for the ontology. No blank nodes: every node has an IRI a
user can point at.

The `_add_*` functions add rdflib terms to a graph-like sink (`g.add((s, p, o))`); the
sink keeps them as N-Triples term strings (see quads.py), which is what every later
stage reads: compact, sortable, and cheap to write or load into Oxigraph."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from ..ingest.load import Corpus, Fact, Span
from .quads import Quads, TripleSink
from .vocabulary import BASE, NK, Vocabulary

nk = Namespace(NK)
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

PREFIXES = {
    "dcterms": DCTERMS, "nk": nk, "nkid": ID, "nkg": GRAPH, "oa": OA, "owl": OWL, "prov": PROV,
    "rdf": RDF, "rdfs": RDFS, "schema": SCHEMA, "skos": SKOS, "wd": WD, "xsd": XSD,
    "vann": Namespace("http://purl.org/vocab/vann/"),
}  # fmt: skip

ENTITIES_GRAPH = GRAPH["entities"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
ANOMALIES_GRAPH = GRAPH["anomalies"]


def entity_iri(eid: str) -> URIRef:
    return ID[eid]


def document_iri(doc_id: str) -> URIRef:
    return ID["document/" + doc_id]


def document_graph(doc_id: str) -> URIRef:
    return GRAPH[doc_id]


def fact_iri(fid: str) -> URIRef:
    return ID["fact/" + fid]


def claim_iri(slug: str) -> URIRef:
    return ID["claim/" + slug]


def new_dataset() -> Dataset:
    """An empty rdflib Dataset with nkrel's prefixes (for code that builds graphs by hand)."""
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def build_dataset(
    corpus: Corpus,
    ontology: Graph | list,
    vocabulary: Vocabulary,
    documents: dict[str, list] | None = None,
    entities: list | None = None,
) -> Quads:
    """Turn a verified corpus into named graphs: the ontology, the shared entities and
    claims, and one graph per document. `ontology`: the parsed ontology, or its triples
    (ontology_triples); `documents` and `entities`: graphs already built (by
    build_document and entity_triples, e.g. from the cache or other processes)."""
    quads = Quads()
    quads.set_graph(ONTOLOGY_GRAPH, ontology if isinstance(ontology, list) else ontology_triples(ontology))
    quads.set_graph(ENTITIES_GRAPH, entities if entities is not None else entity_triples(corpus))
    documents = documents or {}
    by_document = facts_by_document(corpus)
    for doc in corpus.documents.values():
        triples = documents.get(doc.id)
        if triples is None:
            triples = build_document(doc, by_document.get(doc.id, []), vocabulary)
        quads.set_graph(document_graph(doc.id), triples)
    return quads


def facts_by_document(corpus: Corpus) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in corpus.facts:
        out.setdefault(f.document, []).append(f)
    return out


def build_document(doc, facts: list[Fact], vocabulary: Vocabulary) -> list[tuple[str, str, str]]:
    """One document's named graph: the document node and its facts, as sorted N-Triples terms.
    A pure function of the document, its facts and the vocabulary (so it can be cached)."""
    g = TripleSink()
    d = document_iri(doc.id)
    g.add((d, RDF.type, nk.SourceDocument))
    g.add((d, DCTERMS.identifier, Literal(doc.id)))
    g.add((d, DCTERMS.title, Literal(doc.title)))
    if doc.publisher:
        g.add((d, DCTERMS.publisher, Literal(doc.publisher)))
    g.add((d, nk.fileName, Literal(doc.file_name)))
    g.add((d, nk.sha256, Literal(doc.sha256)))
    g.add((d, nk.characterCount, Literal(len(doc.text), datatype=XSD.nonNegativeInteger)))
    for fact in facts:
        _add_fact(g, fact, vocabulary)
    return g.sorted()


def entity_triples(corpus: Corpus) -> list[tuple[str, str, str]]:
    g = TripleSink()
    _add_entities(g, corpus)
    return g.sorted()


def ontology_triples(ontology: Graph) -> list[tuple[str, str, str]]:
    g = TripleSink()
    for triple in ontology:
        g.add(triple)
    return g.sorted()


def _add_entities(g: Graph, corpus: Corpus) -> None:
    for e in corpus.entities.values():
        s = entity_iri(e.id)
        g.add((s, RDF.type, nk[e.type]))
        g.add((s, RDFS.label, Literal(e.label)))
        for alias in e.aliases:
            g.add((s, SKOS.altLabel, Literal(alias)))
        if e.wikidata:
            g.add((s, OWL.sameAs, WD[e.wikidata]))
        if e.located_in:
            g.add((s, nk.locatedIn, entity_iri(e.located_in)))
        if e.capital_of:
            g.add((s, nk.capitalOf, entity_iri(e.capital_of)))
        if e.successor:
            g.add((entity_iri(e.successor), nk.successorOf, s))
        if e.founded:
            g.add((s, nk.founded, Literal(e.founded, datatype=XSD.date)))
        if e.dissolved:
            g.add((s, nk.dissolved, Literal(e.dissolved, datatype=XSD.date)))
        if e.note:
            g.add((s, nk.curatorNote, Literal(e.note)))
    for slug in sorted({f.claim for f in corpus.facts if f.claim}):
        g.add((claim_iri(slug), RDF.type, nk.Claim))
        g.add((claim_iri(slug), RDFS.label, Literal(slug)))


def _decimal_lexical(value) -> str:
    """Canonical xsd:decimal form ("6860000000.0"): Turtle writes decimals bare with a
    decimal point, so every format then carries the same lexical form."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _time_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def _add_fact(g: Graph, f: Fact, vocabulary: Vocabulary) -> None:
    s = fact_iri(f.id)
    codes = vocabulary.codes
    g.add((s, RDF.type, nk[f.kind]))
    g.add((s, RDFS.label, Literal(f.label)))
    g.add((s, nk.modality, URIRef(codes["Modality"][f.modality])))
    g.add((s, PROV.wasDerivedFrom, document_iri(f.document)))
    for p in f.parties:
        g.add((s, nk.party, entity_iri(p)))
    # Directed roles are materialised as nk:party too, so queries need no inference.
    for prop, p in ((nk.fromParty, f.from_party), (nk.toParty, f.to_party)):
        if p:
            g.add((s, prop, entity_iri(p)))
            g.add((s, nk.party, entity_iri(p)))
    for e in f.involves:
        g.add((s, nk.involves, entity_iri(e)))
    for e in f.places:
        g.add((s, nk.place, entity_iri(e)))
    if f.agreement:
        g.add((s, nk.agreement, entity_iri(f.agreement)))
    if f.time:
        t = f.time
        if t.year:
            g.add((s, nk.year, Literal(t.year, datatype=XSD.gYear)))
        if t.date:
            g.add((s, nk.date, Literal(t.date, datatype=XSD.date)))
        if t.start:
            g.add((s, nk.start, _time_literal(t.start)))
            g.add((s, nk.end, _time_literal(t.end)))
        if t.stated:
            g.add((s, nk.timeAsStated, Literal(t.stated)))
        if t.from_context:
            g.add((s, nk.timeFromContext, Literal(True)))
    for i, q in enumerate(f.quantities, 1):
        qn = URIRef(f"{s}/quantity/{i}")
        unit = URIRef(codes["Unit"][q.unit])
        g.add((s, nk.quantity, qn))
        g.add((qn, RDF.type, nk.Quantity))
        g.add((qn, nk.measure, URIRef(codes["Measure"][q.measure])))
        g.add((qn, SCHEMA.value, Literal(_decimal_lexical(q.amount), datatype=XSD.decimal)))
        g.add((qn, nk.unit, unit))
        g.add((qn, nk.bound, URIRef(codes["Bound"][q.bound])))
        if q.stated:
            g.add((qn, nk.asStated, Literal(q.stated)))
    for c in f.commodities:
        g.add((s, nk.commodity, Literal(c)))
    for eid, words in sorted(f.as_stated.items()):
        m = URIRef(f"{s}/mention/{eid}")
        g.add((s, nk.mention, m))
        g.add((m, RDF.type, nk.Mention))
        g.add((m, nk.refersTo, entity_iri(eid)))
        g.add((m, nk.asStated, Literal(words)))
    if f.claim:
        g.add((s, nk.states, claim_iri(f.claim)))
    if f.note:
        g.add((s, nk.curatorNote, Literal(f.note)))
    _add_evidence(g, s, f.evidence)


def _add_evidence(g: Graph, fact: URIRef, span: Span) -> None:
    ev = URIRef(f"{fact}/evidence")
    quote, position = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
    doc = document_iri(span.document)
    g.add((fact, nk.evidence, ev))
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, doc))
    g.add((ev, OA.hasSelector, quote))
    g.add((ev, OA.hasSelector, position))
    g.add((ev, PROV.wasQuotedFrom, doc))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(span.exact)))
    g.add((quote, OA.prefix, Literal(span.prefix)))
    g.add((quote, OA.suffix, Literal(span.suffix)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
