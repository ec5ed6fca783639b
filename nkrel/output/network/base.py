"""What every stage of the network view shares: the IRIs it reads, its error, and a pause
of the garbage collector while it builds many small objects."""

from __future__ import annotations

import gc
from contextlib import contextmanager

NK = "https://w3id.org/nkrel/ontology#"
ID = "https://w3id.org/nkrel/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
WIKIDATA = "http://www.wikidata.org/entity/"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA_VALUE = "https://schema.org/value"


class NetworkError(Exception):
    """The page cannot be rendered (e.g. the vis-network assets are missing)."""


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while building millions of small objects that all stay
    alive: at 1,000x the corpus each full collection would walk every one of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
