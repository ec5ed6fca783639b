"""Synthetic inputs for the network view: a small corpus (through the real loader), a
hostile one, and a large RDF dataset built directly in the nkrel model (benchmark)."""

from __future__ import annotations

import random
from pathlib import Path

from ruamel.yaml import YAML

from .synthetic import fact, money, write_corpus

ALPHA = (
    "China and North Korea: trade peaked at $6.86 billion in 2014. "
    "From 1965 to 1968, Soviet aid to the DPRK increased. "
    "In 1961 China and North Korea signed the Treaty of Friendship. "
    "In 2012, a Nigerian team visited Pyongyang. In 2012 the team met Kim Il-sung. "
    "On October 12, 1948, the Soviet Union recognised North Korea. "
    "Russia and North Korea have grown closer in recent years. "
    "Acme Corp invested in the Rason port in 2010. "
    "North Korea pursued self-reliance.\n"
)
BETA = "Their trade reached $6.86 billion in 2014, a peak.\n"

ENTITIES = [
    {"id": "north-korea", "type": "State", "label": "North Korea", "aliases": ["North Korea", "DPRK"]},
    {"id": "china", "type": "State", "label": "China", "aliases": ["China"]},
    {"id": "soviet-union", "type": "State", "label": "Soviet Union", "aliases": ["Soviet Union", "Soviet"],
     "successor": "russia",
     "reference": {"dissolved": "1991-12-26", "origin": "curator"}},
    {"id": "russia", "type": "State", "label": "Russia", "aliases": ["Russia"],
     "reference": {"founded": "1991-12-26", "origin": "curator"}},
    {"id": "nigeria", "type": "State", "label": "Nigeria", "aliases": ["Nigerian"]},
    {"id": "friendship-treaty", "type": "Treaty", "label": "Treaty of Friendship", "aliases": ["Treaty of Friendship"]},
    {"id": "pyongyang", "type": "City", "label": "Pyongyang", "aliases": ["Pyongyang"], "in": "north-korea"},
    {"id": "rason-port", "type": "Site", "label": "Rason port", "aliases": ["Rason port"]},
    {"id": "acme", "type": "Company", "label": "Acme Corp", "aliases": ["Acme Corp"]},
    {"id": "kim-il-sung", "type": "Person", "label": "Kim Il-sung", "aliases": ["Kim Il-sung"]},
]  # fmt: skip

FACTS = {
    "alpha": [
        fact("a-trade-2014", "TradeFlow", "trade peaked at $6.86 billion in 2014", label="China–North Korea trade peaked at $6.86 billion in 2014",
             parties=["china", "north-korea"], time={"year": 2014}, quantities=[money(6860000000, "$6.86 billion")], claim="trade-peak-2014"),
        fact("a-soviet-aid", "Aid", "From 1965 to 1968, Soviet aid to the DPRK increased",
             **{"from": "soviet-union", "to": "north-korea"}, time={"start": 1965, "end": 1968}),
        fact("a-treaty-1961", "Signing", "In 1961 China and North Korea signed the Treaty of Friendship",
             parties=["china", "north-korea"], agreement="friendship-treaty", time={"year": 1961}),
        fact("a-nigeria-visit", "Visit", "In 2012, a Nigerian team visited Pyongyang",
             **{"from": "nigeria", "to": "north-korea"}, places=["pyongyang"], time={"year": 2012}),
        fact("a-nigeria-meeting", "Meeting", "In 2012 the team met Kim Il-sung",
             parties=["nigeria", "north-korea"], involves=["kim-il-sung"], time={"year": 2012}),
        fact("a-recognition", "Recognition", "On October 12, 1948, the Soviet Union recognised North Korea",
             **{"from": "soviet-union", "to": "north-korea"}, time={"date": "1948-10-12"}),
        fact("a-russia-closer", "RelationState", "Russia and North Korea have grown closer in recent years",
             parties=["russia", "north-korea"], modality="ongoing", time={"stated": "in recent years"}),
        fact("a-acme-invest", "Investment", "Acme Corp invested in the Rason port in 2010",
             **{"from": "acme", "to": "north-korea"}, places=["rason-port"], time={"year": 2010}),
        fact("a-self-reliance", "Policy", "North Korea pursued self-reliance", parties=["north-korea"], modality="ongoing"),
    ],
    "beta": [
        fact("b-trade-2014", "TradeFlow", "Their trade reached $6.86 billion in 2014", parties=["china", "north-korea"],
             time={"year": 2014}, quantities=[money(6860000000, "$6.86 billion")], claim="trade-peak-2014"),
    ],
}  # fmt: skip

# (source, target, role) of every edge the small corpus must give
EXPECTED_EDGES = {
    ("a-trade-2014", "china", "north-korea", "party"),
    ("b-trade-2014", "china", "north-korea", "party"),
    ("a-soviet-aid", "soviet-union", "north-korea", "directed"),
    ("a-treaty-1961", "china", "friendship-treaty", "agreement"),
    ("a-treaty-1961", "north-korea", "friendship-treaty", "agreement"),
    ("a-nigeria-visit", "nigeria", "north-korea", "directed"),
    ("a-nigeria-visit", "nigeria", "pyongyang", "place"),
    ("a-nigeria-visit", "north-korea", "pyongyang", "place"),
    ("a-nigeria-meeting", "nigeria", "north-korea", "party"),
    ("a-nigeria-meeting", "nigeria", "kim-il-sung", "involves"),
    ("a-nigeria-meeting", "north-korea", "kim-il-sung", "involves"),
    ("a-recognition", "soviet-union", "north-korea", "directed"),
    ("a-russia-closer", "north-korea", "russia", "party"),
    ("a-acme-invest", "acme", "north-korea", "directed"),
    ("a-acme-invest", "acme", "rason-port", "place"),
    ("a-acme-invest", "north-korea", "rason-port", "place"),
}


def small_corpus(root: Path) -> Path:
    return write_corpus(root, {"alpha": ALPHA, "beta": BETA}, ENTITIES, FACTS)


# ------------------------------------------------------------------ hostile input

HOSTILE_LABEL = "<img src=x onerror=window.pwned=1>"
HOSTILE_NK_LABEL = "North Korea</script><script>window.pwned=5</script>"
HOSTILE_FACT_LABEL = '<b onmouseover="window.pwned=6">bold</b> & <a href="javascript:window.pwned=8">x</a>'
HOSTILE_TITLE = "</title><script>window.pwned=7</script><!--"
HOSTILE_QUOTE = (
    "<script>window.pwned=2</script> traded <img src=x onerror=window.pwned=3> with "
    '<a href="javascript:window.pwned=4">a link</a> &amp; &lt;b&gt; \u2028 ]]> {{DATA}} {{VIS_JS}}'
)
HOSTILE_AGREEMENT = 'javascript:window.pwned=9 href="#" &lt;i&gt;'
HOSTILE_TEXT = f"Evil State {HOSTILE_QUOTE} and DPRK signed a pact in 2001.\n"


def hostile_corpus(root: Path) -> Path:
    entities = [
        {"id": "north-korea", "type": "State", "label": HOSTILE_NK_LABEL, "aliases": ["DPRK"]},
        {"id": "evil", "type": "State", "label": HOSTILE_LABEL, "aliases": ["Evil State"]},
        {"id": "evil-pact", "type": "CooperationAgreement", "label": HOSTILE_AGREEMENT},
    ]
    facts = {
        "hostile": [
            fact("h-trade", "TradeFlow", HOSTILE_QUOTE, label=HOSTILE_FACT_LABEL, parties=["evil", "north-korea"],
                 note="</script><script>window.pwned=10</script>"),
            fact("h-pact", "Signing", "Evil State", label="A pact <svg onload=window.pwned=11>",
                 parties=["evil", "north-korea"], agreement="evil-pact"),
        ]
    }  # fmt: skip
    write_corpus(root, {"hostile": HOSTILE_TEXT}, entities, facts)
    yaml = YAML()
    docs = yaml.load(root / "documents.yaml")
    docs["documents"][0]["title"] = HOSTILE_TITLE
    yaml.dump(docs, root / "documents.yaml")
    return root


# ------------------------------------------------------------------ a large synthetic graph

RELATION_KINDS = ["TradeFlow", "Aid", "Investment", "Recognition", "DiplomaticRelations", "Embassy", "Visit",
                  "Meeting", "Project", "Signing"]  # fmt: skip
OTHER_TYPES = ["Organisation", "Company", "Person", "City", "Site", "Treaty", "CooperationAgreement"]


def large_dataset(n_nodes: int = 2000, n_facts: int | None = None, seed: int = 7):
    """An rdflib Dataset in the nkrel model with about n_nodes entities and 2*n_nodes facts."""
    from rdflib import RDF, RDFS, XSD, Literal, URIRef

    from nkrel.core.vocabulary import read_ontology
    from nkrel.model.build import (
        DCTERMS,
        ENTITIES_GRAPH,
        OA,
        ONTOLOGY_GRAPH,
        document_graph,
        document_iri,
        entity_iri,
        fact_iri,
        new_dataset,
        nk,
    )

    rng = random.Random(seed)
    ds = new_dataset()
    onto = ds.graph(ONTOLOGY_GRAPH)
    for triple in read_ontology()[0]:
        onto.add(triple)
    ents = ds.graph(ENTITIES_GRAPH)
    n_states = max(3, n_nodes // 20)
    states = [f"state-{i}" for i in range(n_states)]
    others = [(f"entity-{i}", rng.choice(OTHER_TYPES)) for i in range(n_nodes - n_states)]
    for s in states:
        ents.add((entity_iri(s), RDF.type, nk.State))
        ents.add((entity_iri(s), RDFS.label, Literal(s.replace("-", " ").title())))
    for e, t in others:
        ents.add((entity_iri(e), RDF.type, nk[t]))
        ents.add((entity_iri(e), RDFS.label, Literal(f"{t} {e.split('-')[1]}")))
    doc = "synthetic"
    g = ds.graph(document_graph(doc))
    d = document_iri(doc)
    g.add((d, RDF.type, nk.SourceDocument))
    g.add((d, DCTERMS.identifier, Literal(doc)))
    g.add((d, DCTERMS.title, Literal("A synthetic document")))
    n_facts = n_facts or 2 * n_nodes
    for i in range(n_facts):
        f = fact_iri(f"f-{i}")
        kind = rng.choice(RELATION_KINDS)
        a, b = rng.sample(states, 2)
        g.add((f, RDF.type, nk[kind]))
        g.add((f, RDFS.label, Literal(f"Synthetic fact {i}")))
        g.add((f, nk.modality, nk.Happened))
        g.add((f, nk.year, Literal(str(1950 + i % 70), datatype=XSD.gYear)))
        # every other entity takes part in some fact; states trade among themselves
        if i < len(others):
            e, t = others[i]
            prop = nk.agreement if t in ("Treaty", "CooperationAgreement") else nk.involves
            g.add((f, prop, entity_iri(e)))
        g.add((f, nk.party, entity_iri(a)))
        g.add((f, nk.party, entity_iri(b)))
        if kind in ("TradeFlow", "Aid", "Investment"):
            g.add((f, nk.fromParty, entity_iri(a)))
            g.add((f, nk.toParty, entity_iri(b)))
            q = URIRef(f"{f}/quantity/1")
            g.add((f, nk.quantity, q))
            g.add(
                (q, URIRef("https://schema.org/value"), Literal(str(rng.randint(10**5, 10**10)), datatype=XSD.decimal))
            )
            g.add((q, nk.unit, nk.USD))
            g.add((q, nk.measure, nk.Value))
        ev, quote = URIRef(f"{f}/evidence"), URIRef(f"{f}/evidence/quote")
        g.add((f, nk.evidence, ev))
        g.add((ev, OA.hasSource, d))
        g.add((ev, OA.hasSelector, quote))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(f"Synthetic sentence number {i} of the document.")))
    return ds


def fact_row(data: dict, fid: str) -> dict:
    """One fact of the page's data (columns, some sparse) as a dict of its fields."""
    i = data["facts"]["id"].index(fid)
    return {name: col[i] if isinstance(col, list) else col.get(str(i)) for name, col in data["facts"].items()}


# ------------------------------------------------------------------ the shipped corpus, n times over


def scaled_graph(base, copies: int, variant: str = "shared"):
    """The projection of the shipped corpus replicated ``copies`` times under new fact,
    document and claim ids, as ``network_graph`` would give for such a corpus: with the
    entities shared by every copy ("shared", about 60 nodes) or renamed per copy
    ("disjoint", about 60 nodes per copy). Edges carry only their fact and role (all the
    page reads from them); the facts table carries the rest."""
    import networkx as nx

    if variant not in ("shared", "disjoint"):
        raise ValueError(variant)
    graph = nx.MultiDiGraph(name="nkrel")

    def ent(e, c):
        return e if variant == "shared" or e is None else f"{e}--{c}"

    facts = {}
    for c in range(copies):
        for fid, f in base.graph["facts"].items():
            new = dict(f)
            new["fact"] = f"{fid}--{c}"
            for key in ("parties", "involves", "places"):
                new[key] = [ent(e, c) for e in f[key]]
            for key in ("from", "to", "agreement"):
                new[key] = ent(f[key], c)
            new["mentions"] = [(ent(e, c), w) for e, w in f["mentions"]]
            new["evidence"] = [{**e, "document": f"{e['document']}--{c}"} for e in f["evidence"]]
            new["document"] = f"{f['document']}--{c}"
            new["claim"] = f"{f['claim']}--{c}" if f["claim"] else None
            new["causes"] = [(f"{cause}--{c}", label) for cause, label in f["causes"]]
            facts[new["fact"]] = new
    for n, d in base.nodes(data=True):
        for c in range(copies) if variant == "disjoint" else [0]:
            graph.add_node(ent(n, c), **{**d, "facts": []})
    for c in range(copies):
        for a, b, d in base.edges(data=True):
            fid, a2, b2 = f"{d['fact']}--{c}", ent(a, c), ent(b, c)
            graph.add_edge(a2, b2, key=f"{fid}|{d['role']}|{a2}|{b2}", fact=fid, role=d["role"])
    graph.graph["facts"] = facts
    graph.graph["documents"] = {f"{d}--{c}": doc for c in range(copies) for d, doc in base.graph["documents"].items()}
    return graph


def with_second_span(dataset, fid: str, text: str, words: str, document: str = "alpha"):
    """A copy of a built dataset in which fact ``fid`` has a second evidence span: ``words``,
    found in ``text`` (fact model v2 allows several oa:SpecificResource per fact)."""
    from rdflib import Dataset, Literal, URIRef

    nk, oa, base = "https://w3id.org/nkrel/ontology#", "http://www.w3.org/ns/oa#", "https://w3id.org/nkrel/id/"
    ds = Dataset(default_union=True)
    for q in dataset.quads((None, None, None, None)):
        ds.add(q)
    extra = ds.graph(URIRef("https://w3id.org/nkrel/graph/test-extra"))
    f, ev = URIRef(f"{base}fact/{fid}"), URIRef(f"{base}fact/{fid}/evidence/2")
    sel = URIRef(f"{base}fact/{fid}/evidence/2/position")
    start = text.index(words)
    for t in ((f, URIRef(nk + "evidence"), ev), (ev, URIRef(oa + "hasSource"), URIRef(f"{base}document/{document}")),
              (ev, URIRef(oa + "hasSelector"), sel), (sel, URIRef(oa + "exact"), Literal(words)),
              (sel, URIRef(oa + "start"), Literal(start)), (sel, URIRef(oa + "end"), Literal(start + len(words)))):  # fmt: skip
        extra.add(t)
    return ds
