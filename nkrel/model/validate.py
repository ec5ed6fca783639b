"""Validate the built dataset against the SHACL shapes (ontology/shapes.ttl).

Two engines: a quick check in plain Python (`_QuickCheck`) for the SHACL Core
constraints the shapes use, and pySHACL. The quick check only decides whether a part
conforms; whenever it finds a violation, or meets a construct it does not know,
pySHACL validates that part and writes the report. So the report is always
pySHACL's, and the quick check only has to be at least as strict (it is tested
against pySHACL on broken data in tests/test_scale.py).

The shapes are local: a fact's shape looks at the fact, its own evidence, quantity and
mention nodes (all in its document's graph), and at the classes of the entities and
codes it points to. So each document graph is validated on its own, together with
the triples of the entities it names and the class hierarchy of the ontology
(`document_report`, a pure function of its inputs: cacheable, and run in parallel
over documents). The shared graphs (entities, ontology, anomalies) are validated
once (`shared_report`). The union of the reports is the report of the whole dataset.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from ..core.vocabulary import BASE

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

        from ..core.vocabulary import shapes_path

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


def document_report(triples, entity_triples, context, others=(), decide: bool = True) -> list[str] | None:
    """Violations of the nodes of one document's graph (N-Triples term strings), seen
    with the triples of the entities it names, the ontology's class context and any
    other graphs that describe nodes it points to. With decide=False, only the quick
    check runs: [] when it passes, None when it cannot tell (a violation, or a node of
    another graph it needs: the caller checks again with that graph)."""
    parts, focus = [triples, entity_triples, context, *others], _subjects(triples)
    if not decide:
        quick = _quick_check()
        return [] if quick is not None and quick.conforms(parts, focus) else None
    return _problems(parts, focus=focus)


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
    quick = _quick_check()
    if quick is not None and quick.conforms(parts, focus):
        return []
    return _pyshacl_problems(parts, focus)


def _pyshacl_problems(parts, focus: set[str] | None = None) -> list[str]:
    """Validate the union of `parts` with the engine (pySHACL's API); with `focus`, report
    only the violations of those nodes. Each subject's triples are all in one graph, so a
    node of that graph is checked exactly as in the whole union; the other nodes are there
    only for what the focus nodes point to (pySHACL's own focus_nodes option missed sh:or
    violations, so all nodes are checked and the report is filtered)."""
    from rdflib import Graph

    from .quads import term

    data = Graph()
    seen = set()
    for part in parts:
        for t in part:
            if t not in seen:
                seen.add(t)
                data.add((_term(t[0], term), _term(t[1], term), _term(t[2], term)))
    with prepared_queries():
        _, report, _ = _engine().validate(data, shacl_graph=read_shapes(), inference="none", allow_warnings=True)
    return _lines(report, focus)


@contextlib.contextmanager
def prepared_queries():
    """While it lasts, rdflib parses each SPARQL text once. pySHACL hands rdflib the text
    of a SPARQL constraint for every focus node, and parsing was 86% of its time (1,015
    parses of 12 texts on the shipped graph). A translated query is rdflib's prepared
    query, which is meant to be evaluated again with other bindings."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    translated: dict = {}

    def query(self, text, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(text, str):
            key = (text, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in translated:
                translated[key] = processor.translateQuery(processor.parseQuery(text), base, initNs)
            text = translated[key]
        return processor.evalQuery(self.graph, text, initBindings, base)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def _engine():
    """pySHACL. pyshacl-turbo (a Rust engine with pySHACL's API) is 80x faster on the shipped
    graph, but its messages for SPARQL constraints changed with what ran before in the
    process (docs/scale.md): not a reference to write reports with yet."""
    import pyshacl

    return pyshacl


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


def validate_dataset(quads, shapes=None) -> ShapeReport:
    """Check every graph of a built dataset (nkrel.model.quads.Quads, or an rdflib Dataset),
    document by document; `shapes`: another shapes graph than the shipped one."""
    global _SHAPES, _QUICK
    from .quads import Quads

    if not isinstance(quads, Quads):
        quads = Quads.from_rdflib(quads)
    if shapes is None:
        return _validate_dataset(quads)
    saved = _SHAPES, _QUICK
    _SHAPES, _QUICK = shapes, []
    try:
        return _validate_dataset(quads)
    finally:
        _SHAPES, _QUICK = saved


def _validate_dataset(quads) -> ShapeReport:
    from .build import ANOMALIES_GRAPH, ENTITIES_GRAPH, ONTOLOGY_GRAPH

    ontology = quads.graph_triples(ONTOLOGY_GRAPH)
    entities = quads.graph_triples(ENTITIES_GRAPH)
    reports = local_reports(quads, entities, class_context(ontology))
    anomalies = quads.graph_triples(ANOMALIES_GRAPH)
    everywhere = [quads.graphs[name] for name in quads.names()]
    reports.append(shared_report(ontology, entities, anomalies, types_of_objects(anomalies, everywhere)))
    return combine(reports)


def local_reports(quads, entity_triples, context, decided=None) -> list[list[str]]:
    """The problems of every graph but the shared three (ontology, entities, anomalies),
    each checked with the triples of other graphs that its nodes reach (`reached`):
    what the shapes can look at across graphs, and no more, so that the check of one
    document costs the same however large the corpus. decided: {graph name: problems}
    found for a graph with the entities it names beforehand (None: undecided); reused
    when the graph reaches nothing else."""
    from .build import ANOMALIES_GRAPH, ENTITIES_GRAPH, ONTOLOGY_GRAPH

    shared = {str(ONTOLOGY_GRAPH), str(ENTITIES_GRAPH), str(ANOMALIES_GRAPH)}
    local = [name for name in quads.names() if name not in shared]
    graphs = {name: quads.graphs[name] for name in local}
    graphs[str(ENTITIES_GRAPH)] = entity_triples
    index = SubjectIndex(graphs)
    predicates = followed_predicates()
    reports = []
    for name in local:
        triples = graphs[name]
        named = entities_named(triples, entity_triples)
        outside = reached(triples, name, index, predicates)
        known = (decided or {}).get(name)
        if known is not None and set(outside) <= set(named):
            reports.append(known)
            continue
        reports.append(document_report(triples, named, context, [outside]))
    return reports


class SubjectIndex:
    """Which graphs describe a subject, over sorted triple lists: one entry per subject."""

    def __init__(self, graphs: dict[str, list]):
        from itertools import groupby
        from operator import itemgetter

        self.graphs = graphs
        self.homes: dict[str, list[str]] = {}
        for name, triples in graphs.items():
            for subject, _ in groupby(triples, key=itemgetter(0)):
                self.homes.setdefault(subject, []).append(name)

    def triples_of(self, subject: str, graph: str) -> list:
        import bisect

        triples = self.graphs[graph]
        i = j = bisect.bisect_left(triples, (subject,))
        while j < len(triples) and triples[j][0] == subject:
            j += 1
        return triples[i:j]


def reached(triples, name: str, index: SubjectIndex, predicates: set[str] | None) -> list:
    """The triples of other graphs that a check of `triples` (graph `name`) can look at:
    those of its own subjects and, transitively, of the nodes they point to, following
    only `predicates` (the ones the shapes read; None: all). Every shape path is a plain
    predicate read forwards, so nothing else can change the verdict on its nodes."""
    wanted = lambda t: predicates is None or t[1] in predicates  # noqa: E731
    todo = {t[0] for t in triples} | {t[2] for t in triples if t[2][0] == "<" and wanted(t)}
    seen, out = set(todo), []
    while todo:
        node = todo.pop()
        for graph in index.homes.get(node, ()):
            if graph == name:
                continue
            for t in index.triples_of(node, graph):
                if wanted(t):
                    out.append(t)
                    if t[2][0] == "<" and t[2] not in seen:
                        seen.add(t[2])
                        todo.add(t[2])
    return sorted(set(out))


def followed_predicates() -> set[str] | None:
    """The predicates the shapes read (paths, rdf:type, rdfs:subClassOf and every IRI in a
    SPARQL constraint); None when the quick check cannot read the shapes (then all)."""
    quick = _quick_check()
    return None if quick is None else quick.predicates


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


# ---- the quick check ------------------------------------------------------------------

_QUICK: list = []  # [the _QuickCheck, or None when the shapes use what it does not know]


def _quick_check():
    if not _QUICK:
        try:
            _QUICK.append(_QuickCheck(read_shapes()))
        except _Unsupported:
            _QUICK.append(None)
    return _QUICK[0]


class _Unsupported(Exception):
    """The shapes use a SHACL feature the quick check does not implement."""


# SHACL parameters the quick check knows; any other sh: term in the shapes makes it step aside.
_PARAMS = {"sparql", "path", "property", "minCount", "maxCount", "datatype", "pattern", "flags", "class", "node", "or",
           "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "minLength", "hasValue",
           "targetClass", "targetSubjectsOf", "message", "severity", "name", "description", "order",
           "group"}  # fmt: skip


class _Shape:
    __slots__ = ("path", "params", "property", "or_", "node", "qualified", "sparql")


class _QuickCheck:
    """Does a graph conform to the shapes? SHACL Core, for the constraint components
    listed above, with pySHACL's reading of each (datatype via rdflib's literal
    checks, pattern with re.search on the lexical form or IRI)."""

    def __init__(self, shapes):
        from rdflib import RDF, URIRef
        from rdflib.collection import Collection

        self._g = shapes
        self._Collection, self._URIRef = Collection, URIRef
        self._shapes: dict = {}
        sh = lambda n: URIRef(SH + n)  # noqa: E731
        self.targets = []  # (shape, target classes, target predicates)
        for node in set(shapes.subjects(RDF.type, sh("NodeShape"))) | set(shapes.subjects(sh("property"), None)):
            shape = self._shape(node)
            classes = [f"<{c}>" for c in shapes.objects(node, sh("targetClass"))]
            subjects_of = [f"<{p}>" for p in shapes.objects(node, sh("targetSubjectsOf"))]
            if classes or subjects_of:
                self.targets.append((shape, frozenset(classes), subjects_of))
        self.literal_ok: dict = {}  # (literal, datatype) -> well-typed for pySHACL; the same in any graph
        self.predicates = {RDF_TYPE, SUBCLASS_OF} | {s.path for s in self._shapes.values() if s.path}
        for shape in self._shapes.values():
            for text in shape.sparql:
                self.predicates |= _sparql_iris(text)
        for s, p, _ in shapes:
            if str(p).startswith(SH + "target") and p not in (sh("targetClass"), sh("targetSubjectsOf")):
                raise _Unsupported(str(p))
            if (s, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
                raise _Unsupported("implicit class target")

    def _shape(self, node):
        if node in self._shapes:
            return self._shapes[node]
        g = self._g
        shape = _Shape()
        self._shapes[node] = shape
        params = {}
        for p, o in g.predicate_objects(node):
            name = str(p)[len(SH) :] if str(p).startswith(SH) else None
            if name is None:
                continue
            if name not in _PARAMS:
                raise _Unsupported(name)
            params.setdefault(name, []).append(o)
        for name in ("severity",):
            if any(str(v) != SH + "Violation" for v in params.get(name, [])):
                raise _Unsupported("severity other than sh:Violation")
        path = params.get("path", [None])[0]
        if path is not None and not isinstance(path, self._URIRef):
            raise _Unsupported("complex property path")
        shape.path = f"<{path}>" if path is not None else None
        shape.property = [self._shape(n) for n in params.pop("property", [])]
        shape.or_ = [[self._shape(m) for m in self._Collection(g, lst)] for lst in params.pop("or", [])]
        shape.node = [self._shape(n) for n in params.pop("node", [])]
        shape.qualified = [self._shape(n) for n in params.pop("qualifiedValueShape", [])]
        shape.sparql = [self._select(c, path) for c in params.pop("sparql", [])]
        for name in ("message", "severity", "name", "description", "order", "group", "targetClass", "targetSubjectsOf"):
            params.pop(name, None)
        if any(not isinstance(v, self._URIRef) for k in ("class", "datatype", "hasValue") for v in params.get(k, [])):
            raise _Unsupported("a literal or blank node where the quick check expects an IRI")
        shape.params = {k: [v.toPython() if hasattr(v, "toPython") else v for v in vs] for k, vs in params.items()}
        for k in ("class", "datatype", "hasValue"):
            if k in shape.params:
                shape.params[k] = [f"<{v}>" for v in params[k]]
        if "pattern" in shape.params:
            flags = str(shape.params.get("flags", [""])[0])
            shape.params["pattern"] = [_regex(str(x), flags) for x in shape.params["pattern"]]
        return shape

    def _select(self, constraint, path) -> str:
        """A SPARQL-based constraint's SELECT, when the quick check can run it soundly: on a
        node shape, with $this only (no $PATH, $currentShape, $shapesGraph, sh:prefixes) and no
        sub-query, so that binding $this with VALUES is the same as SHACL's pre-binding."""
        import re

        g = self._g
        names = {str(p)[len(SH) :] for p in g.predicates(constraint) if str(p).startswith(SH)}
        select = list(g.objects(constraint, self._URIRef(SH + "select")))
        if path is not None or names - {"select", "message", "severity"} or len(select) != 1:
            raise _Unsupported("a SPARQL constraint the quick check cannot run")
        text = str(select[0])
        if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text) or len(re.findall(r"\bSELECT\b", text, re.I)) != 1:
            raise _Unsupported("a SPARQL constraint with a sub-query or pre-bound variables other than $this")
        where = re.search(r"\bWHERE\s*\{", text, re.I)
        if where is None:
            raise _Unsupported("a SPARQL constraint without WHERE")
        return text[: where.end()] + " VALUES $this { %s } " + text[where.end() :]

    # -- data
    def conforms(self, parts, focus: set[str] | None) -> bool:
        out: dict[str, dict[str, list[str]]] = {}
        seen = set()
        for part in parts:
            for t in part:
                if t not in seen:
                    seen.add(t)
                    out.setdefault(t[0], {}).setdefault(t[1], []).append(t[2])
        self.out = out
        supers: dict[str, set[str]] = {}
        for s, props in out.items():
            for c in props.get(SUBCLASS_OF, ()):
                supers.setdefault(s, set()).add(c)
        self.ancestors = {}
        for c in list(supers):
            todo, seen_c = [c], {c}
            while todo:
                for parent in supers.get(todo.pop(), ()):
                    if parent not in seen_c:
                        seen_c.add(parent)
                        todo.append(parent)
            self.ancestors[c] = seen_c
        self.memo: dict = {}
        self._parts, self._store, self._sparql_failing, self._checked = parts, None, {}, {}
        self.classes: dict[str, set[str]] = {}  # node -> every class it is an instance of
        wanted = None if focus is None else {f"<{f}>" for f in focus}
        for s, props in out.items():
            if wanted is not None and s not in wanted:
                continue
            mine = self.classes_of(s)
            for shape, classes, subjects_of in self.targets:
                targeted = not classes.isdisjoint(mine) or any(p in props for p in subjects_of)
                if targeted:
                    if shape.sparql and id(shape) not in self._checked:
                        self._run_sparql(shape, self._targets_of(shape, wanted))  # all targets in one query
                    if not self.node_ok(s, shape):
                        return False
        return True

    def _targets_of(self, shape, wanted) -> list[str]:
        for target, classes, subjects_of in self.targets:
            if target is shape:
                return [
                    s for s, props in self.out.items()
                    if (wanted is None or s in wanted)
                    and (not classes.isdisjoint(self.classes_of(s)) or any(p in props for p in subjects_of))
                ]  # fmt: skip
        return []

    def _run_sparql(self, shape, nodes) -> None:
        """Run the shape's SPARQL constraints once for the nodes not yet checked; remember those that fail."""
        checked = self._checked.setdefault(id(shape), set())
        failing = self._sparql_failing.setdefault(id(shape), set())
        todo = sorted({n for n in nodes if n not in checked})
        if not todo:
            return
        checked.update(todo)
        failing.update(n for n in todo if n[0] != "<")  # a literal as $this: let pySHACL decide
        iris = " ".join(n for n in todo if n[0] == "<")
        if not iris:
            return
        if self._store is None:
            import pyoxigraph as ox

            self._store = ox.Store()
            lines = {f"{s} {p} {o} .\n" for part in self._parts for s, p, o in part}
            self._store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        for query in shape.sparql:
            for row in self._store.query(query % iris):
                try:
                    failing.add(str(row["this"]))
                except (KeyError, IndexError):  # $this not projected: every node may fail
                    failing.update(todo)

    def _sparql_ok(self, node: str, shape) -> bool:
        self._run_sparql(shape, [node])
        return node not in self._sparql_failing[id(shape)]

    def classes_of(self, node: str) -> set[str]:
        found = self.classes.get(node)
        if found is None:
            found = set()
            for t in self.out.get(node, {}).get(RDF_TYPE, ()):
                found.add(t)
                found.update(self.ancestors.get(t, ()))
            self.classes[node] = found
        return found

    def instance_of(self, node: str, cls: str) -> bool:
        return cls in self.classes_of(node)

    def node_ok(self, node: str, shape: _Shape) -> bool:
        key = (node, id(shape))
        hit = self.memo.get(key)
        if hit is None:
            self.memo[key] = True  # a cycle conforms (as in pySHACL's recursion guard)
            hit = self.memo[key] = self._check(node, shape)
        return hit

    def _check(self, node: str, shape: _Shape) -> bool:
        if shape.sparql and not self._sparql_ok(node, shape):
            return False
        if shape.path is None:
            values = [node]
        else:
            values = self.out.get(node, {}).get(shape.path, [])
        p = shape.params
        if "minCount" in p and len(values) < p["minCount"][0]:
            return False
        if "maxCount" in p and len(values) > p["maxCount"][0]:
            return False
        if "hasValue" in p and any(v not in values for v in p["hasValue"]):
            return False
        for q in shape.qualified:
            n = sum(1 for v in values if self.node_ok(v, q))
            if n < p.get("qualifiedMinCount", [0])[0] or n > p.get("qualifiedMaxCount", [n])[0]:
                return False
        for v in values:
            for c in p.get("class", ()):
                if v[0] != "<" or not self.instance_of(v, c):
                    return False
            for dt in p.get("datatype", ()):
                if not self._datatype_ok(v, dt):
                    return False
            for rx in p.get("pattern", ()):
                if v[0] == "_" or not rx.search(_lexical(v)):
                    return False
            for n in p.get("minLength", ()):
                if v[0] == "_" or len(_lexical(v)) < n:
                    return False
            for other in shape.node:
                if not self.node_ok(v, other):
                    return False
            for alternatives in shape.or_:
                if not any(self.node_ok(v, a) for a in alternatives):
                    return False
            if shape.path is not None:
                for sub in shape.property:
                    if not self.node_ok(v, sub):
                        return False
        if shape.path is None:
            return all(self.node_ok(node, sub) for sub in shape.property)
        return True

    def _datatype_ok(self, v: str, dt: str) -> bool:
        """pySHACL's sh:datatype: the literal has that datatype and rdflib finds it well-typed."""
        if v[0] != '"':
            return False
        key = (v, dt)
        hit = self.literal_ok.get(key)
        if hit is None:
            from .quads import split_literal

            lexical, datatype, language = split_literal(v)
            xsd_string = "<http://www.w3.org/2001/XMLSchema#string>"
            if datatype is None and language is None:
                hit = dt == xsd_string
            elif language is not None:
                hit = dt == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"
            elif f"<{datatype}>" != dt:
                hit = False
            else:
                hit = _well_typed(lexical, datatype)
            self.literal_ok[key] = hit
        return hit


def _sparql_iris(text: str) -> set[str]:
    """Every IRI a SPARQL query names (as "<iri>"). A variable predicate, a negated set or
    an inverse path could read any triple, or a triple pointing at the node: _Unsupported."""
    from rdflib import URIRef, Variable
    from rdflib.paths import InvPath, NegatedPath
    from rdflib.plugins.sparql import prepareQuery

    found, todo, seen = set(), [prepareQuery(text % "").algebra], set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, URIRef):
            found.add(f"<{node}>")
        elif isinstance(node, (NegatedPath, InvPath)):
            raise _Unsupported("a negated or inverse property path in a SPARQL constraint")
        elif isinstance(node, dict):
            if getattr(node, "name", None) == "BGP":
                if any(isinstance(t[1], Variable) for t in node.get("triples") or ()):
                    raise _Unsupported("a SPARQL constraint with a variable predicate")
            todo.extend(node.values())
        elif isinstance(node, (list, tuple, set)):
            todo.extend(node)
        elif hasattr(node, "args"):  # property paths
            todo.extend(node.args)
        elif hasattr(node, "path"):
            todo.append(node.path)
    return found


def _lexical(v: str) -> str:
    if v[0] == "<":
        return v[1:-1]
    from .quads import split_literal

    return split_literal(v)[0]


def _regex(pattern: str, flags: str):
    import re

    f = 0
    for ch, bit in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if ch in flags:
            f |= bit
    return re.compile(pattern, f)


def _well_typed(lexical: str, datatype: str) -> bool:
    """As pySHACL decides it: not ill-typed for rdflib, and a value of the expected Python type."""
    from datetime import date, datetime, time
    from decimal import Decimal

    from rdflib import Literal, URIRef

    lit = Literal(lexical, datatype=URIRef(datatype))
    if getattr(lit, "ill_typed", None) is True:
        return False
    expected = {"string": str, "integer": int, "float": float, "decimal": Decimal, "boolean": bool,
                "date": date, "time": time, "dateTime": datetime}.get(datatype.rsplit("#", 1)[-1])  # fmt: skip
    if datatype.startswith("http://www.w3.org/2001/XMLSchema#") and expected is not None:
        return isinstance(lit.value, expected)
    return True
