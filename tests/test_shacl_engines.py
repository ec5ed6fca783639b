"""pySHACL is the reference SHACL engine. pyshacl-turbo (Rust, pySHACL's API) measured
80x faster (docs/scale.md) but does not give the same report lines; nkrel uses it only
when it does (then this test fails: compare it on every broken graph of the shape tests)."""

from __future__ import annotations

import pytest

from nkrel.model import validate

from .test_scale import _mutated, _union_report, built, sparql_shapes  # noqa: F401 - fixtures


@pytest.fixture
def turbo(monkeypatch):
    import pyshacl_turbo

    monkeypatch.setattr(validate, "_engine", lambda: pyshacl_turbo)


def test_pyshacl_turbo_gives_a_blank_node_sparql_constraint_the_message_of_its_shape(built, sparql_shapes, turbo):  # noqa: F811
    """Why nkrel does not use it yet: a SPARQL constraint without an IRI of its own gets the
    message of the shape that holds it, where pySHACL gives its own."""
    docs = [n for n in built.dataset.names() if n.rsplit("/", 1)[1] not in ("entities", "ontology", "anomalies",
                                                                           "reference")]  # fmt: skip
    other = f"<https://w3id.org/nkrel/id/document/{docs[0].rsplit('/', 1)[1]}>"
    hasource = "<http://www.w3.org/ns/oa#hasSource>"
    quads = _mutated(built, "sparql", lambda t, g: t[1] == hasource and t[2] != other, lambda t: [(t[0], t[1], other)])
    expected = _union_report(quads)
    assert any("evidence comes from the document" in line for line in expected)
    got = sorted(set(validate._pyshacl_problems([quads.graphs[g] for g in quads.names()])))
    assert not any("evidence comes from the document" in line for line in got)
    assert got != expected
