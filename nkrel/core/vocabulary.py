"""Read the ontology's vocabularies (fact kinds, entity types, code lists).

The ontology file is the single source of truth: fact records name its classes and
code-list values (``nk:code``), and this module maps those names to IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

NK = "https://w3id.org/nkrel/ontology#"
BASE = "https://w3id.org/nkrel/"


def ontology_dir() -> Path:
    return Path(str(files("nkrel") / "ontology"))


def ontology_path() -> Path:
    return ontology_dir() / "nkrel.ttl"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


def read_ontology():
    """The parsed ontology graph and its vocabularies."""
    from rdflib import Graph

    ontology = Graph().parse(ontology_path(), format="turtle")
    return ontology, read_vocabulary(ontology)


@dataclass(frozen=True)
class Vocabulary:
    fact_kinds: frozenset[str]  # local names of nk:Fact subclasses
    entity_types: dict[str, frozenset[str]]  # local name -> itself and its nk superclasses
    codes: dict[str, dict[str, str]]  # code list (Unit, Measure, ...) -> code -> IRI

    def is_a(self, entity_type: str, ancestor: str) -> bool:
        return ancestor in self.entity_types.get(entity_type, frozenset())


def read_vocabulary(graph) -> Vocabulary:
    """Collect kinds, types and codes from a parsed ontology graph."""
    from rdflib import OWL, RDF, RDFS, URIRef

    def local(iri) -> str | None:
        s = str(iri)
        return s[len(NK) :] if s.startswith(NK) else None

    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        name = local(cls)
        if name:
            parents[name] = {p for p in map(local, graph.objects(cls, RDFS.subClassOf)) if p}

    def ancestors(name: str) -> frozenset[str]:
        seen, todo = {name}, [name]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return frozenset(seen)

    closure = {name: ancestors(name) for name in parents}
    kinds = frozenset(n for n, a in closure.items() if "Fact" in a and n != "Fact")
    types = {n: a for n, a in closure.items() if "Entity" in a and n != "Entity"}
    codes: dict[str, dict[str, str]] = {}
    code_lists = ("Unit", "Measure", "Bound", "Modality", "AnomalyType", "Severity", "ChangeDirection", "PartnerRole",
                  "Goods", "Rank", "Qualifier", "RecognitionScope", "OfficeKind")  # fmt: skip
    for list_name in code_lists:
        members = graph.subjects(RDF.type, URIRef(NK + list_name))
        codes[list_name] = {str(graph.value(m, URIRef(NK + "code"))): str(m) for m in members}
    return Vocabulary(kinds, types, codes)
