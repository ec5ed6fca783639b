"""The ontology and shapes are well-formed data, and the data dictionary matches them."""

from __future__ import annotations

import re

import pyshacl
import pytest
from rdflib import Graph

from nkrel.core.corpus import default_corpus_dir
from nkrel.core.vocabulary import ontology_path, read_vocabulary, shapes_path


def test_every_ontology_term_has_label_and_definition():
    conforms, _, text = pyshacl.validate(Graph().parse(ontology_path()), shacl_graph=Graph().parse(shapes_path()))
    assert conforms, text


def test_meta_shape_catches_a_term_without_definition():
    g = Graph().parse(ontology_path())
    g.parse(data="<https://w3id.org/nkrel/ontology#Bogus> a <http://www.w3.org/2002/07/owl#Class> .", format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=Graph().parse(shapes_path()))
    assert not conforms and "Bogus" in text


def test_data_dictionary_lists_exactly_the_ontology_kinds():
    vocabulary = read_vocabulary(Graph().parse(ontology_path()))
    readme = (default_corpus_dir() / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Z][A-Za-z]+)`", readme.split("Fact kinds:")[1].split("\n\n")[0]))
    assert listed == set(vocabulary.fact_kinds)
    for code_list in ("Unit", "Bound"):
        for code in vocabulary.codes[code_list]:
            assert f"`{code}`" in readme, code


V2_CLASSES = ["Event", "Change", "Partnership", "Designation", "MeetingTopic", "Cooperation", "Publication",
              "LandAvailability", "CauseLink", "Attribution", "Goods", "Currency", "ReferenceStatement",
              "OfficeHolding"]  # fmt: skip
V2_PROPERTIES = ["startYear", "endYear", "cause", "qualifiedCause", "causeFact", "attributedTo", "qualifiedAttribution",
                 "speaker", "direction", "changeOf", "role", "about", "topicOf", "via", "bypasses", "atTimeOf", "after",
                 "goods", "matchEvidence", "rank", "rankAsStated", "qualifier", "qualifierAsStated", "recognitionScope",
                 "scopeAsStated", "office", "holder", "officeKind", "officeOf", "officeFor"]  # fmt: skip


def test_every_v2_term_is_defined_and_has_a_shape():
    from rdflib import RDF, Namespace

    nk = Namespace("https://w3id.org/nkrel/ontology#")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    onto, shapes = Graph().parse(ontology_path()), Graph().parse(shapes_path())
    shaped = set(shapes.objects(None, sh.targetClass)) | set(shapes.objects(None, sh.path))
    sparql = " ".join(str(q) for q in shapes.objects(None, sh.select))
    for name in V2_CLASSES + V2_PROPERTIES:
        assert (nk[name], RDF.type, None) in onto, name
        assert nk[name] in shaped or f"nk:{name} " in sparql, f"no shape checks nk:{name}"


BROKEN = """
@prefix nk: <https://w3id.org/nkrel/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://example.org/> .
x:state a nk:State ; <http://www.w3.org/2000/01/rdf-schema#label> "S" .
x:doc a nk:SourceDocument ; <http://purl.org/dc/terms/title> "D" ; nk:sha256 "%s" .
x:ev a oa:SpecificResource ; oa:hasSource x:doc ; oa:hasSelector x:q, x:p .
x:q a oa:TextQuoteSelector ; oa:exact "words" .
x:p a oa:TextPositionSelector ; oa:start "0"^^xsd:nonNegativeInteger ; oa:end "5"^^xsd:nonNegativeInteger .
""" % ("0" * 64)


def _fact(iri: str, kind: str, extra: str = "") -> str:
    return (f"{iri} a nk:{kind} ; <http://www.w3.org/2000/01/rdf-schema#label> \"f\" ; nk:modality nk:Happened ; "
            f"<http://www.w3.org/ns/prov#wasDerivedFrom> x:doc ; nk:evidence x:ev ; nk:party x:state {extra} .\n")  # fmt: skip


@pytest.mark.parametrize(
    "data,message",
    [
        (_fact("x:f", "Change"), "A change has exactly one direction"),
        (_fact("x:f", "Partnership", "; nk:party x:state"), "A partnership has exactly one role"),
        (_fact("x:f", "MeetingTopic"), "A meeting topic names exactly one meeting"),
        (
            _fact("x:f", "Aid", "; nk:cause x:g") + _fact("x:g", "Event"),
            "has a cause link (nk:qualifiedCause) with evidence",
        ),
        (_fact("x:f", "Aid", "; nk:modality nk:Reported"), "has an attribution"),
        (_fact("x:f", "Aid", '; nk:startYear "1999"^^xsd:gYear ; nk:endYear "1990"^^xsd:gYear'), "is not after"),
        (_fact("x:f", "Aid", '; nk:year "1999"^^xsd:gYear'), "has an nk:startYear"),
        (_fact("x:f", "Aid", "; nk:goods x:state"), "concept of the goods scheme"),
        (
            "x:state <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q1> .",
            "names how it was verified",
        ),
    ],
    ids=["change", "partnership", "topic", "cause", "reported", "interval", "start-year", "goods", "wikidata"],
)
def test_shapes_refuse_broken_v2_data(data, message):
    g = Graph().parse(ontology_path())
    g.parse(data=BROKEN + data, format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=Graph().parse(shapes_path()))
    assert not conforms and message in text, text


def test_data_dictionary_lists_the_v2_code_lists():
    vocabulary = read_vocabulary(Graph().parse(ontology_path()))
    readme = (default_corpus_dir() / "README.md").read_text(encoding="utf-8")
    for code_list in ("ChangeDirection", "PartnerRole", "Goods", "Modality", "Rank", "Qualifier", "RecognitionScope",
                      "OfficeKind"):  # fmt: skip
        for code in vocabulary.codes[code_list]:
            assert f"`{code}`" in readme, (code_list, code)
    for field in ("causes", "attributed_to", "change", "role", "topic_of", "about", "via", "bypassing", "at_time_of",
                  "after", "commodities", "reference", "wikidata_verified", "decade", "rank", "qualifiers", "scope", "offices"):  # fmt: skip
        assert f"`{field}`" in readme, field
