"""Validate the built dataset against the SHACL shapes (ontology/shapes.ttl).

The shapes are local: a fact's shape looks at the fact, its own evidence, quantity and
mention nodes (all in its document's graph), and at the classes of the entities and
codes it points to. So each document graph is validated on its own, together with
the triples of the entities it names and the class hierarchy of the ontology
(`document_report`, a pure function of its inputs: cacheable, and run in parallel
over documents). The shared graphs (entities, ontology, anomalies) are validated
once (`shared_report`). The union of the reports is the report of the whole dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import BASE

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
OWL = "http://www.w3.org/2002/07/owl#"


@dataclass
class ShapeReport:
    conforms: bool
    problems: list[str]  # one readable line per violation, sorted


def read_shapes():
    """The SHACL shapes graph (rdflib), parsed once per process."""
    global _SHAPES
    if _SHAPES is None:
        from rdflib import Graph

        from .vocabulary import shapes_path

        _SHAPES = Graph().parse(shapes_path(), format="turtle")
    return _SHAPES


_SHAPES = None


def class_context(ontology_triples) -> list[tuple[str, str, str]]:
    """What sh:class and sh:targetClass need from the ontology: the subclass hierarchy and
    the classes of its individuals (codes). Not the owl: typing of terms, whose own shape
    (labels, definitions) is checked once with the ontology graph."""
    return [
        t for t in ontology_triples
        if t[1] == SUBCLASS_OF or (t[1] == RDF_TYPE and not t[2].startswith("<" + OWL))
    ]  # fmt: skip


def document_report(triples, entity_triples, context) -> list[str]:
    """Violations of the nodes of one document's graph (N-Triples term strings), seen
    with the triples of the entities it names and the ontology's class context."""
    return _problems([triples, entity_triples, context], focus=_subjects(triples))


def shared_report(ontology_triples, entity_triples, anomaly_triples, concerned_types) -> list[str]:
    """Violations in the shared graphs: ontology terms and entities; anomalies, seen with
    the classes of the facts and entities they concern."""
    problems = _problems([ontology_triples, entity_triples])
    if anomaly_triples:
        context = class_context(ontology_triples)
        problems += _problems([anomaly_triples, concerned_types, context], focus=_subjects(anomaly_triples))
    return problems


def _subjects(triples) -> set[str]:
    return {t[0][1:-1] for t in triples}


def _problems(parts, focus: set[str] | None = None) -> list[str]:
    """Validate the union of `parts`; with `focus`, report only the violations of those
    nodes. Each subject's triples are all in one graph, so a node of that graph is
    checked exactly as in the whole union; the other nodes are there only for what
    the focus nodes point to (pySHACL's own focus_nodes option missed sh:or
    violations, so all nodes are checked and the report is filtered)."""
    import pyshacl
    from rdflib import Graph

    from .quads import term

    data = Graph()
    seen = set()
    for part in parts:
        for t in part:
            if t not in seen:
                seen.add(t)
                data.add((_term(t[0], term), _term(t[1], term), _term(t[2], term)))
    _, report, _ = pyshacl.validate(data, shacl_graph=read_shapes(), inference="none", allow_warnings=True)
    return _lines(report, focus)


_TERM_CACHE: dict = {}


def _term(nt: str, term):
    if nt[0] == "<":
        hit = _TERM_CACHE.get(nt)
        if hit is None:
            hit = _TERM_CACHE[nt] = term(nt)
        return hit
    return term(nt)


def _lines(report, only: set[str] | None = None) -> list[str]:
    from rdflib import URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    problems = []
    for result in report.subjects(sh("resultSeverity"), sh("Violation")):
        node = report.value(result, sh("focusNode"))
        if only is not None and str(node) not in only:
            continue
        focus = _short(node)
        path = report.value(result, sh("resultPath"))
        message = report.value(result, sh("resultMessage"))
        shape = _short(report.value(result, sh("sourceShape")))
        where = f" ({_short(path)})" if path is not None else ""
        problems.append(f"{focus}{where}: {message} [shape {shape}]")
    return problems


def combine(reports) -> ShapeReport:
    """The report of the whole dataset from the reports of its parts."""
    problems = sorted({p for r in reports for p in r})
    return ShapeReport(not problems, problems)


def validate_dataset(quads) -> ShapeReport:
    """Check every graph of a built dataset (nkrel.model.quads.Quads), document by document."""
    from .build import ANOMALIES_GRAPH, ENTITIES_GRAPH, ONTOLOGY_GRAPH

    ontology = quads.graph_triples(ONTOLOGY_GRAPH)
    entities = quads.graph_triples(ENTITIES_GRAPH)
    graphs = quads.graphs
    context = class_context(ontology)
    reports = []
    shared = {str(ONTOLOGY_GRAPH), str(ENTITIES_GRAPH), str(ANOMALIES_GRAPH)}
    for name in quads.names():
        if name not in shared:
            reports.append(document_report(graphs[name], entities_named(graphs[name], entities), context))
    anomalies = quads.graph_triples(ANOMALIES_GRAPH)
    everywhere = [graphs[name] for name in quads.names()]
    reports.append(shared_report(ontology, entities, anomalies, types_of_objects(anomalies, everywhere)))
    return combine(reports)


def entities_named(triples, entity_triples) -> list[tuple[str, str, str]]:
    """The triples of the entities (subjects of the entities graph) that `triples` point to."""
    import bisect

    out = []
    for obj in sorted({t[2] for t in triples if t[2][0] == "<"}):
        i = bisect.bisect_left(entity_triples, (obj,))
        while i < len(entity_triples) and entity_triples[i][0] == obj:
            out.append(entity_triples[i])
            i += 1
    return out


def types_of_objects(triples, graphs) -> list[tuple[str, str, str]]:
    """rdf:type triples, found in `graphs` (sorted triple lists), of the IRIs that `triples` point to."""
    import bisect

    wanted = sorted({t[2] for t in triples if t[2][0] == "<"})
    out = []
    for graph in graphs:
        for obj in wanted:
            i = bisect.bisect_left(graph, (obj, RDF_TYPE))
            while i < len(graph) and graph[i][0] == obj and graph[i][1] == RDF_TYPE:
                out.append(graph[i])
                i += 1
    return out


def _short(node) -> str:
    s = str(node)
    for prefix, name in (
        (BASE + "id/fact/", "fact "),
        (BASE + "id/", ""),
        ("https://w3id.org/nkrel/ontology#", "nk:"),
        ("https://w3id.org/nkrel/shapes#", "nksh:"),
    ):
        if s.startswith(prefix):
            return name + s[len(prefix) :]
    return s if not s.startswith("n") or ":" in s else "(anonymous shape)"
