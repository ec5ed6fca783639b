"""The ontology and shapes are well-formed data, and the data dictionary matches them."""

from __future__ import annotations

import re

import pyshacl
from rdflib import Graph

from nkrel.ingest.load import default_corpus_dir
from nkrel.model.vocabulary import ontology_path, read_vocabulary, shapes_path


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
