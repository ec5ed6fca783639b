"""Validate the built dataset against the SHACL shapes (ontology/shapes.ttl)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph, Namespace

from .vocabulary import BASE

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class ShapeReport:
    conforms: bool
    problems: list[str]  # one readable line per violation, sorted


def validate_dataset(ds: Dataset, shapes: Graph) -> ShapeReport:
    """Check the union of all graphs (data and ontology) against the shapes."""
    import pyshacl

    data = Graph()
    for quad in ds.quads((None, None, None, None)):
        data.add(quad[:3])
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = _short(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shape = _short(report.value(result, SH.sourceShape))
        where = f" ({_short(path)})" if path is not None else ""
        problems.append(f"{focus}{where}: {message} [shape {shape}]")
    return ShapeReport(bool(conforms), sorted(problems))


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
