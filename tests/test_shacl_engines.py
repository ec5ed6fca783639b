"""pySHACL is the reference SHACL engine; nkrel writes its reports with the engine that
measured fastest and agrees with it (pyshacl-turbo, see docs/scale.md). Same verdict,
same focus nodes, same lines, on the shipped graph and on broken graphs of the shape tests."""

from __future__ import annotations

import pytest

from nkrel.model import validate

from .test_scale import MUTATIONS, NK, REFERENCE_MUTATIONS, REPLACEMENTS, _mutated, _union_report, built  # noqa: F401

BROKEN = {
    "shipped": None,
    "fact label": (MUTATIONS["fact label"], lambda t: []),
    "entity type": (MUTATIONS["entity type"], lambda t: []),
    "start year (a SPARQL constraint)": (lambda t, g: t[1] == NK + "startYear>", lambda t: []),
    "year as plain text": REPLACEMENTS["year as plain text"],
    "party not an agent": REPLACEMENTS["party not an agent"],
    "two modalities": REPLACEMENTS["two modalities"],
    "negative offset": REPLACEMENTS["negative offset"],
    "reference subject": (REFERENCE_MUTATIONS["reference subject"], lambda t: []),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_engine_reports_what_pyshacl_reports(built, name):  # noqa: F811
    quads = built.dataset if BROKEN[name] is None else _mutated(built, name, *BROKEN[name])
    expected = _union_report(quads)  # pySHACL on the union of every graph
    assert (not expected) == (name == "shipped"), "a broken graph must break a shape, the shipped one none"
    parts = [quads.graphs[g] for g in quads.names()]
    assert sorted(set(validate._pyshacl_problems(parts))) == expected
