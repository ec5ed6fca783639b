"""Build the RDF dataset: one named graph per source document, one for the shared
entities and claims, one for statements no text makes (the reference graph), one for
the ontology. No blank nodes: every node has an IRI a user can point at.

The `_add_*` functions add rdflib terms to a graph-like sink (`g.add((s, p, o))`); the
sink keeps them as N-Triples term strings (see quads.py), which is what every later
stage reads: compact, sortable, and cheap to write or load into Oxigraph."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from ..core.corpus import Corpus, Fact, Span
from ..core.vocabulary import BASE, NK, Vocabulary
from .quads import Quads, TripleSink

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
REFERENCE_GRAPH = GRAPH["reference"]
CURATOR_SOURCE = ID["source/curator"]


RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")  # the application/pdf fragment identifiers


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


def goods_iri(code: str) -> URIRef:
    return ID["goods/" + code]


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
    claims, the reference statements, and one graph per document. `ontology`: the parsed ontology, or its triples
    (ontology_triples); `documents` and `entities`: graphs already built (by
    build_document and entity_triples, e.g. from the cache or other processes)."""
    quads = Quads()
    quads.set_graph(ONTOLOGY_GRAPH, ontology if isinstance(ontology, list) else ontology_triples(ontology))
    quads.set_graph(ENTITIES_GRAPH, entities if entities is not None else entity_triples(corpus))
    reference = TripleSink()
    _add_reference(reference, corpus)
    quads.set_graph(REFERENCE_GRAPH, reference.sorted())
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
    _add_original(g, d, doc)
    for fact in facts:
        _add_fact(g, fact, vocabulary, doc.page_of if doc.source and doc.source.get("pages") else None)
    return g.sorted()


def _add_original(g: Graph, d: URIRef, doc) -> None:
    """What the page or PDF a text was extracted from says of itself, and where it was fetched."""
    source = doc.source or {}
    for key, term in (("author", DCTERMS.creator), ("date", DCTERMS.date)):
        if source.get(key):
            g.add((d, term, Literal(source[key])))
    for key in ("canonical", "address"):
        if source.get(key):
            g.add((d, DCTERMS.source, Literal(source[key], datatype=XSD.anyURI)))


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
            g.add((s, SKOS.exactMatch, WD[e.wikidata]))
            g.add((s, nk.matchEvidence, Literal(e.wikidata_verified)))
        if e.located_in:
            g.add((s, nk.locatedIn, entity_iri(e.located_in)))
        if e.successor:
            g.add((entity_iri(e.successor), nk.successorOf, s))
        if e.note:
            g.add((s, nk.curatorNote, Literal(e.note)))
    for slug in sorted({f.claim for f in corpus.facts if f.claim}):
        g.add((claim_iri(slug), RDF.type, nk.Claim))
        g.add((claim_iri(slug), RDFS.label, Literal(slug)))


def _add_reference(g: Graph, corpus: Corpus) -> None:
    """Statements no text makes, each reified with the origin it was derived from."""
    used_curator = False
    for e in corpus.entities.values():
        r = e.reference
        if r is None:
            continue
        origin = CURATOR_SOURCE if r.origin == "curator" else URIRef(r.origin)
        used_curator |= r.origin == "curator"
        s = entity_iri(e.id)
        statements = [
            ("founded", nk.founded, r.founded and Literal(r.founded, datatype=XSD.date)),
            ("dissolved", nk.dissolved, r.dissolved and Literal(r.dissolved, datatype=XSD.date)),
            ("in", nk.locatedIn, r.located_in and entity_iri(r.located_in)),
            ("capital-of", nk.capitalOf, r.capital_of and entity_iri(r.capital_of)),
        ]
        for name, p, o in statements:
            if not o:
                continue
            g.add((s, p, o))
            st = ID[f"reference/{e.id}/{name}"]
            g.add((st, RDF.type, nk.ReferenceStatement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            g.add((st, PROV.wasDerivedFrom, origin))
            if r.checked:
                g.add((st, nk.curatorNote, Literal(r.checked)))
    if used_curator:
        g.add((CURATOR_SOURCE, RDF.type, nk.ReferenceSource))
        g.add((CURATOR_SOURCE, RDFS.label, Literal("the curator's general knowledge, checked as each statement says")))


def _decimal_lexical(value) -> str:
    """Canonical xsd:decimal form ("6860000000.0"): Turtle writes decimals bare with a
    decimal point, so every format then carries the same lexical form."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _time_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def _add_fact(g: Graph, f: Fact, vocabulary: Vocabulary, page_of=None) -> None:
    s = fact_iri(f.id)
    codes = vocabulary.codes
    g.add((s, RDF.type, nk[f.kind]))
    g.add((s, RDFS.label, Literal(f.label)))
    g.add((s, nk.modality, URIRef(codes["Modality"][f.modality])))
    g.add((s, PROV.wasDerivedFrom, document_iri(f.document)))
    _add_participants(g, s, f)
    if f.time:
        _add_time(g, s, f)
    _add_quantities(g, s, f, codes)
    for c in f.commodities:
        g.add((s, nk.commodity, Literal(c.stated)))
        g.add((s, nk.goods, goods_iri(c.goods)))
    if f.change_direction:
        g.add((s, nk.direction, URIRef(codes["ChangeDirection"][f.change_direction])))
    if f.change_of:
        g.add((s, nk.changeOf, nk[f.change_of]))
    if f.role:
        g.add((s, nk.role, URIRef(codes["PartnerRole"][f.role])))
    _add_coded(g, s, f, codes)
    for kind in f.about:
        g.add((s, nk.about, nk[kind]))
    if f.topic_of:
        g.add((s, nk.topicOf, fact_iri(f.topic_of)))
    if f.at_time_of:
        g.add((s, nk.atTimeOf, fact_iri(f.at_time_of)))
    if f.after:
        g.add((s, nk.after, fact_iri(f.after)))
    _add_causes_and_attributions(g, s, f, codes, page_of)
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
    for i, span in enumerate(f.spans, 1):
        # the first span keeps the IRI of v1 (.../evidence); further ones are numbered
        _add_evidence(g, s, span, URIRef(f"{s}/evidence" + (f"/{i}" if i > 1 else "")), page_of)


def _add_participants(g: Graph, s: URIRef, f: Fact) -> None:
    """Parties, directed roles, involved entities, places and the agreement of a fact."""
    for p in f.parties:
        g.add((s, nk.party, entity_iri(p)))
    # Directed roles are materialised as nk:party too, so queries need no inference.
    for prop, p in ((nk.fromParty, f.from_party), (nk.toParty, f.to_party)):
        if p:
            g.add((s, prop, entity_iri(p)))
            g.add((s, nk.party, entity_iri(p)))
    for e in f.involves:
        g.add((s, nk.involves, entity_iri(e)))
    # via / bypassing are kinds of involvement: materialised as nk:involves too
    for prop, ids in ((nk.via, f.via), (nk.bypasses, f.bypassing)):
        for e in ids:
            g.add((s, prop, entity_iri(e)))
            g.add((s, nk.involves, entity_iri(e)))
    for e in f.places:
        g.add((s, nk.place, entity_iri(e)))
    if f.agreement:
        g.add((s, nk.agreement, entity_iri(f.agreement)))


def _add_quantities(g: Graph, s: URIRef, f: Fact, codes) -> None:
    """Each quantity as a node of its own: measure, value, unit, bound and the words."""
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


def _add_causes_and_attributions(g: Graph, s: URIRef, f: Fact, codes, page_of) -> None:
    """Cause links and attributions, each qualified by a node that carries its evidence."""
    for i, cause in enumerate(f.causes, 1):
        link = URIRef(f"{s}/cause/{i}")
        g.add((s, nk.cause, fact_iri(cause.fact)))
        g.add((s, nk.qualifiedCause, link))
        g.add((link, RDF.type, nk.CauseLink))
        g.add((link, nk.causeFact, fact_iri(cause.fact)))
        if cause.modality:
            g.add((link, nk.modality, URIRef(codes["Modality"][cause.modality])))
        _add_evidence(g, link, cause.span, URIRef(f"{link}/evidence"), page_of)
    for i, a in enumerate(f.attributions, 1):
        node = URIRef(f"{s}/attribution/{i}")
        g.add((s, nk.qualifiedAttribution, node))
        g.add((node, RDF.type, nk.Attribution))
        if a.by:
            g.add((s, nk.attributedTo, entity_iri(a.by)))
            g.add((node, nk.speaker, entity_iri(a.by)))
        _add_evidence(g, node, a.span, URIRef(f"{node}/evidence"), page_of)


def _add_coded(g: Graph, s: URIRef, f: Fact, codes) -> None:
    """Ranks, qualifiers, recognition scope and offices: each a code beside the text's words."""
    for prop, words, list_name, items in (
        (nk.rank, nk.rankAsStated, "Rank", [f.rank] if f.rank else []),
        (nk.qualifier, nk.qualifierAsStated, "Qualifier", f.qualifiers),
        (nk.recognitionScope, nk.scopeAsStated, "RecognitionScope", [f.scope] if f.scope else []),
    ):
        for c in items:
            g.add((s, prop, URIRef(codes[list_name][c.code])))
            g.add((s, words, Literal(c.stated)))
    for o in f.offices:
        node = URIRef(f"{s}/office/{o.person}")
        g.add((s, nk.office, node))
        g.add((node, RDF.type, nk.OfficeHolding))
        g.add((node, nk.holder, entity_iri(o.person)))
        g.add((node, nk.officeKind, URIRef(codes["OfficeKind"][o.kind])))
        if o.of:
            g.add((node, nk.officeOf, entity_iri(o.of)))
        if o.for_:
            g.add((node, nk.officeFor, entity_iri(o.for_)))
        g.add((node, nk.asStated, Literal(o.stated)))


def _add_time(g: Graph, s: URIRef, f: Fact) -> None:
    t = f.time
    if t.year:
        g.add((s, nk.year, Literal(t.year, datatype=XSD.gYear)))
    if t.date:
        g.add((s, nk.date, Literal(t.date, datatype=XSD.date)))
    if t.start:
        g.add((s, nk.start, _time_literal(t.start)))
    if t.end:
        g.add((s, nk.end, _time_literal(t.end)))
    if t.start_year:
        g.add((s, nk.startYear, Literal(t.start_year, datatype=XSD.gYear)))
    if t.end_year:
        g.add((s, nk.endYear, Literal(t.end_year, datatype=XSD.gYear)))
    # the months where the time covers part of a year: a month or a day (full years have none)
    first, last = t.date or t.start, t.date or t.end or t.start
    if first and len(first) >= 7 and t.start_year:
        g.add((s, nk.startMonth, Literal(int(first[5:7]))))
    if last and len(last) >= 7 and t.end_year:
        g.add((s, nk.endMonth, Literal(int(last[5:7]))))
    if t.stated:
        g.add((s, nk.timeAsStated, Literal(t.stated)))
    if t.from_context:
        g.add((s, nk.timeFromContext, Literal(True)))


def _add_evidence(g: Graph, fact: URIRef, span: Span, ev: URIRef, page_of=None) -> None:
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
    if page_of is not None:
        # the PDF page the quote starts on, as a fragment of the PDF (RFC 3778: page=N)
        page = URIRef(f"{ev}/page")
        g.add((ev, OA.hasSelector, page))
        g.add((page, RDF.type, OA.FragmentSelector))
        g.add((page, DCTERMS.conformsTo, RFC3778))
        g.add((page, RDF.value, Literal(f"page={page_of(span.start)}")))
