"""Every SHACL shape refuses data that breaks it.

For each property shape of ontology/shapes.ttl (and each node-level constraint), a real
focus node of a build made in this session is broken in one constrained triple (a
required value removed, one too many added, a wrong datatype, class, code or pattern),
and nkrel's validation must report a violation from that very shape. A meta-test checks
that every shape of the file has such a case, so a shape switched off (sh:deactivated)
or never exercised fails the suite.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef

from nkrel.core.vocabulary import shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")
NK = Namespace("https://w3id.org/nkrel/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDFS_SUBCLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
SHAPES = Graph().parse(shapes_path(), format="turtle")


def shape_name(shape, parent=None, path=None) -> str:
    if isinstance(shape, BNode):
        return f"{SHAPES.namespace_manager.normalizeUri(parent)}/{SHAPES.namespace_manager.normalizeUri(path)}"
    return SHAPES.namespace_manager.normalizeUri(shape)


def property_shapes():
    """(node shape, property shape, its name, path) for every simple-path property shape."""
    for node in sorted(set(SHAPES.subjects(RDF.type, SH.NodeShape)), key=str):
        for prop in SHAPES.objects(node, SH.property):
            path = SHAPES.value(prop, SH.path)
            if isinstance(path, URIRef):
                yield node, prop, shape_name(prop, node, path), path


@pytest.fixture(scope="module")
def built(built_dir) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(str(built_dir / "nkrel.nq"), format="nquads")
    return ds


def classes_below(ds, cls) -> set:
    found, todo = {cls}, [cls]
    while todo:
        for sub in ds.subjects(RDFS_SUBCLASS, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def focus_nodes(ds, node_shape) -> list:
    """Nodes a node shape applies to in the build: its targets, or the values that reach it
    through sh:node / sh:qualifiedValueShape of another shape."""
    nodes = set()
    for cls in SHAPES.objects(node_shape, SH.targetClass):
        for c in classes_below(ds, cls):
            nodes |= set(ds.subjects(RDF.type, c))
    for p in SHAPES.objects(node_shape, SH.targetSubjectsOf):
        nodes |= set(ds.subjects(p, None))
    for outer in set(SHAPES.subjects(SH.node, node_shape)) | set(SHAPES.subjects(SH.qualifiedValueShape, node_shape)):
        path = SHAPES.value(outer, SH.path)
        parent = SHAPES.value(predicate=SH.property, object=outer)
        if isinstance(path, URIRef) and parent is not None:
            for focus in focus_nodes(ds, parent):
                nodes |= set(ds.objects(focus, path))
    return sorted(nodes, key=str)


def mutations(ds, node_shape, prop, path):
    """(focus, description, triples to remove, triples to add) that break this property shape."""
    foci = focus_nodes(ds, node_shape)
    having = [f for f in foci if (f, path, None) in ds]
    for f in having[:1]:
        values = sorted(ds.objects(f, path), key=str)
        old = [(f, path, v) for v in values]
        if (prop, SH.minCount, None) in SHAPES:
            yield f, "a required value removed", old, []
        max_count = SHAPES.value(prop, SH.maxCount)
        if max_count is not None:
            extra = [(f, path, _another(values[0], i)) for i in range(int(max_count) + 1)]
            yield f, "one value too many", [], extra
        datatype = SHAPES.value(prop, SH.datatype)
        if datatype is not None:
            wrong = Literal("1", datatype=XSD.integer) if datatype == XSD.string else Literal("not a value")
            yield f, "a wrong datatype", old[:1], [(f, path, wrong)]
        for key in (SH["class"], SH["in"]):
            if (prop, key, None) in SHAPES:
                yield f, f"not of its {key.split('#')[1]}", old[:1], [(f, path, URIRef("urn:nkrel-test:nothing"))]
        pattern = SHAPES.value(prop, SH.pattern)
        if pattern is not None and isinstance(values[0], Literal):
            yield f, "a value against its pattern", old[:1], [(f, path, Literal("#?!", datatype=values[0].datatype))]
        if (prop, SH.hasValue, None) in SHAPES:
            yield f, "its required value replaced", old, [(f, path, URIRef("urn:nkrel-test:other"))]
        if (prop, SH["or"], None) in SHAPES:
            yield f, "a value matching none of its alternatives", old[:1], [(f, path, URIRef("urn:nkrel-test:nothing"))]
        for key in (SH.node, SH.qualifiedValueShape):
            if (prop, key, None) in SHAPES and not isinstance(values[0], Literal):
                inner = values[0]
                yield (
                    f,
                    f"a value breaking its {key.split('#')[1]}",
                    [(t, p, o) for t, p, o in ds.triples((inner, None, None))],
                    [],
                )
    if not having and foci:  # no node in the build uses the path: add values where they are not allowed
        bad = URIRef("urn:nkrel-test:nothing")
        if SHAPES.value(prop, SH.maxCount) is not None and int(SHAPES.value(prop, SH.maxCount)) == 0:
            yield foci[0], "a value where none is allowed", [], [(foci[0], path, bad)]
        if any((prop, k, None) in SHAPES for k in (SH["class"], SH["or"], SH["in"], SH.hasValue)):
            yield foci[0], "a value of the wrong kind", [], [(foci[0], path, bad)]


def _another(value, i):
    if isinstance(value, Literal):
        return Literal(f"{value}-{i}", datatype=value.datatype, lang=value.language)
    return URIRef(f"{value}-other-{i}")


def roots(ds, node_shape, node):
    """(focus, targeted node shape) from which validation reaches `node` under `node_shape`."""
    if any((node_shape, p, None) in SHAPES for p in (SH.targetClass, SH.targetSubjectsOf)):
        return [(node, node_shape)]
    found = []
    for key in (SH.node, SH.qualifiedValueShape):
        for outer in SHAPES.subjects(key, node_shape):
            parent, path = SHAPES.value(predicate=SH.property, object=outer), SHAPES.value(outer, SH.path)
            if parent is not None and isinstance(path, URIRef):
                for holder in ds.subjects(path, node):
                    found += roots(ds, parent, holder)
    return found


def local_graph(ds, root) -> Graph:
    """What validating `root` needs: the triples reachable from it, the types of the nodes it
    points to, and the class hierarchy (a small graph: whole-graph validation is slow)."""
    data, seen, todo = Graph(), set(), [root]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o in ds.triples((node, None, None)):
            data.add((node, p, o))
            if not isinstance(o, Literal):
                todo.append(o) if str(o).startswith(str(root)) else data.__iadd__(set(ds.triples((o, RDF.type, None))))
    for t in ds.triples((None, RDFS_SUBCLASS, None)):
        data.add(t)
    for code in set(data.objects()):  # codes of code lists: their classes
        for t in ds.triples((code, RDF.type, None)):
            data.add(t)
    return data


def violations(ds, focus, node_shape) -> set[str]:
    """Every shape pySHACL reports violated, nested details included, when the node is
    validated (through the targeted shapes that reach it)."""
    import pyshacl

    from nkrel.model.validate import prepared_queries

    found = set()
    # pyshacl's focus_nodes mode misses violations nested under sh:node (0.40): validate a
    # small graph around each root instead, with every shape
    for root in sorted({root for root, _ in roots(ds, node_shape, focus)} or {focus}, key=str):
        with prepared_queries():  # the same report, 10x faster (tests/test_scale.py)
            _, report, _ = pyshacl.validate(local_graph(ds, root), shacl_graph=SHAPES, inference="none",
                                            allow_warnings=True)  # fmt: skip
        for result in report.subjects(SH.resultSeverity, SH.Violation):
            if (None, SH.detail, result) in report:
                continue  # named below, from the result that holds it
            found |= _names(report, result, None)
    return found


def _names(report, result, inner_shape) -> set[str]:
    """The name of a result's source shape, and of the shapes its details come from.

    A blank property shape is named by its node shape and path: from the report when the
    report copies its triples, else from the node shape (inner_shape) the parent result's
    sh:node or sh:qualifiedValueShape points to."""
    source = report.value(result, SH.sourceShape)
    path = report.value(result, SH.resultPath)
    if isinstance(source, BNode):
        key = (report.value(source, SH.path), report.value(source, SH.message))
        names = {name for name, k in BLANK_SHAPES.items() if k == key and key[0] is not None}
        if not names and inner_shape is not None:
            names = {shape_name(BNode(), inner_shape, path)}
        node = next((SHAPES_BY_NAME[n] for n in names if n in SHAPES_BY_NAME), None)
    else:
        names, node = {shape_name(source)}, source
    constraint = report.value(result, SH.sourceConstraint)  # a SPARQL constraint has a name of its own
    if isinstance(constraint, URIRef):
        names.add(shape_name(constraint))
    nested = None
    if node is not None:
        nested = SHAPES.value(node, SH.node) or SHAPES.value(node, SH.qualifiedValueShape)
    for detail in report.objects(result, SH.detail):
        names |= _names(report, detail, nested if nested is not None else source)
    return names


BLANK_SHAPES = {
    shape_name(prop, node, SHAPES.value(prop, SH.path)): (SHAPES.value(prop, SH.path), SHAPES.value(prop, SH.message))
    for node in SHAPES.subjects(RDF.type, SH.NodeShape)
    for prop in SHAPES.objects(node, SH.property)
    if isinstance(prop, BNode)
}
SHAPES_BY_NAME = {
    shape_name(prop, node, SHAPES.value(prop, SH.path)): prop
    for node in SHAPES.subjects(RDF.type, SH.NodeShape)
    for prop in SHAPES.objects(node, SH.property)
}


ENGINE_CHECKED: set[str] = set()


def nkrel_refuses(ds) -> bool:
    """nkrel's own validation (the build's) says the data does not conform."""
    from nkrel.model.validate import validate_dataset

    return not validate_dataset(ds).conforms


@contextmanager
def broken(ds, remove, add):
    """The build with these triples removed and added, in place (a copy of the whole
    dataset per case was most of this file's time), and put back as it was afterwards."""
    before = set(ds.quads((None, None, None, None)))
    homes = [next((g for *_, g in ds.quads((t[0], None, None, None))), TEST_GRAPH) for t in add]
    removed = list(dict.fromkeys(q for t in remove for q in ds.quads((*t, None))))
    added = []
    for t in remove:
        ds.remove((*t, None))
    for t, home in zip(add, homes, strict=True):  # into the graph that describes the subject, as a build would write it
        if t not in ds.graph(home):
            ds.graph(home).add(t)
            added.append((t, home))
    try:
        yield ds
    finally:
        for t, home in added:
            ds.graph(home).remove(t)
        for q in removed:
            ds.add(q)
        assert set(ds.quads((None, None, None, None))) == before, "the build was not put back as it was"


TEST_GRAPH = URIRef("https://w3id.org/nkrel/graph/test")


CASES = [(node, prop, name, path) for node, prop, name, path in property_shapes()]


@pytest.mark.parametrize("node,prop,name,path", CASES, ids=[c[2] for c in CASES])
def test_each_property_shape_refuses_what_breaks_it(built, node, prop, name, path):
    cases = list(mutations(built, node, prop, path))
    assert cases, f"{name}: no way to break this shape on the build: extend mutations()"
    # a shape reached through sh:qualifiedValueShape is seen only as its parent's count
    # (pySHACL gives no details there): that parent shape is what refuses the data
    expected = {name} | {shape_name(q, SHAPES.value(predicate=SH.property, object=q), SHAPES.value(q, SH.path))
                         for q in SHAPES.subjects(SH.qualifiedValueShape, node)}  # fmt: skip
    for i, (focus, what, remove, add) in enumerate(cases):
        with broken(built, remove, add) as data:
            found = violations(data, focus, node)
            assert expected & found, f"{name}: {what} on {focus} was not reported by this shape"
            if i == 0 and name not in ENGINE_CHECKED:  # nkrel's own engine (a quick check before pySHACL) agrees
                ENGINE_CHECKED.add(name)
                assert nkrel_refuses(data), f"{name}: {what} on {focus}: nkrel's validation accepted it"


# ---- node-level constraints: SPARQL constraints, sh:or, sh:class on the node itself ------

P = NK
NODE_CASES = {
    # name: (the node shape, a SPARQL query finding a focus, how to break it: (remove, add) of triples)
    "nksh:DatedFactHasStartYear": ("FactShape", "SELECT ?f WHERE { ?f nk:year ?y ; nk:startYear ?s }",
                                   lambda ds, f: (list(ds.triples((f, P.startYear, None))), [])),
    "nksh:IntervalInOrder": ("FactShape", "SELECT ?f WHERE { ?f nk:startYear ?s ; nk:endYear ?e }",
                             lambda ds, f: (list(ds.triples((f, P.endYear, None))),
                                            [(f, P.endYear, Literal("1000", datatype=XSD.gYear))])),
    "nksh:CauseHasEvidence": ("FactShape", "SELECT ?f WHERE { ?f nk:qualifiedCause ?l }",
                              lambda ds, f: ([t for link in ds.objects(f, P.qualifiedCause)
                                              for t in ds.triples((link, P.evidence, None))], [])),
    "nksh:ReportedHasSource": ("FactShape", "SELECT ?f WHERE { ?f nk:modality nk:Reported ; nk:qualifiedAttribution ?a }",
                               lambda ds, f: (list(ds.triples((f, P.qualifiedAttribution, None))), [])),
    "nksh:FactShape": ("FactShape", "SELECT ?f WHERE { ?f a nk:TradeFlow ; nk:party ?p }",  # its sh:or: a participant
                       lambda ds, f: ([t for p in (P.party, P.involves, P.place, P.agreement, P.fromParty, P.toParty)
                                       for t in ds.triples((f, p, None))], [])),
    "nksh:EntityShape": ("EntityShape", "SELECT ?e WHERE { ?e skos:exactMatch ?w ; nk:matchEvidence ?m }",
                         lambda ds, e: (list(ds.triples((e, P.matchEvidence, None))), [])),
}  # fmt: skip
for _shape in ("AttributionShape", "CauseLinkShape", "EvidenceShape", "QuantityShape", "QuoteSelectorShape",
               "PositionSelectorShape"):  # fmt: skip  # sh:class on the node: its type removed
    NODE_CASES[f"nksh:{_shape}"] = (_shape, None, lambda ds, n: (list(ds.triples((n, RDF.type, None))), []))
NKSH = Namespace("https://w3id.org/nkrel/shapes#")


@pytest.mark.parametrize("name", sorted(NODE_CASES))
def test_each_node_level_constraint_refuses_what_breaks_it(built, name):
    from nkrel.sparql.query import PREFIXES

    shape, query, breaking = NODE_CASES[name]
    node_shape = NKSH[shape]
    if query:
        import pyoxigraph as ox

        store = ox.Store()
        store.load(built.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
        rows = list(store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES))
        assert rows, f"{name}: the build has no node to break"
        focus = URIRef(next(iter(rows[0])).value)
    else:
        cls = SHAPES.value(node_shape, SH["class"])
        foci = [f for f in focus_nodes(built, node_shape) if (f, RDF.type, cls) in built]
        assert foci, f"{name}: the build has no node to break"
        focus = foci[0]
    remove, add = breaking(built, focus)
    with broken(built, remove, add) as data:
        if not query:  # a node without its type is no longer a target: the fact holding it must refuse it
            fact = URIRef(str(focus).split("/fact/", 1)[0] + "/fact/" + str(focus).split("/fact/", 1)[1].split("/")[0])
            found = violations(data, fact, NKSH["FactShape"])
        else:
            found = violations(data, focus, node_shape)
        refused = nkrel_refuses(data)
    outer = {shape_name(q, SHAPES.value(predicate=SH.property, object=q), SHAPES.value(q, SH.path))
             for key in (SH.node, SH.qualifiedValueShape) for q in SHAPES.subjects(key, node_shape)}  # fmt: skip
    outer |= {shape_name(q, SHAPES.value(predicate=SH.property, object=q), SHAPES.value(q, SH.path))
              for cls in SHAPES.objects(node_shape, SH.targetClass) for q in SHAPES.subjects(SH["class"], cls)
              if SHAPES.value(predicate=SH.property, object=q) is not None}  # fmt: skip
    assert ({name} | outer) & found, f"{name}: breaking {focus} was not reported by this shape ({sorted(found)})"
    assert refused, f"{name}: nkrel's validation accepted it"


def test_every_shape_of_the_file_has_a_negative_test():
    """A shape added to shapes.ttl (or one switched off) without a case here fails."""
    named = {shape_name(s) for s in SHAPES.subjects(RDF.type, SH.NodeShape)}
    named |= {shape_name(s) for s in SHAPES.subjects(RDF.type, SH.SPARQLConstraint) if isinstance(s, URIRef)}
    properties = {c[2] for c in CASES}
    covered = properties | set(NODE_CASES) | {shape_name(n) for n, *_ in CASES}
    assert named - covered == set(), "shapes with no negative test"
    assert not set(SHAPES.subjects(SH.deactivated, Literal(True))), "a shape is switched off (sh:deactivated)"
