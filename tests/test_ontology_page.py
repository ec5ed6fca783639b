"""graphs/ontology.html: every term of the ontology, its label and definition, the SHACL
constraints that apply to it; escaped, deterministic, and without any external request."""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from nkrel.core.vocabulary import ontology_path, shapes_path
from nkrel.output.ontology_page import ONTOLOGY_FILE, ontology_page

from .conftest import REPO

TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.Concept,
              SKOS.ConceptScheme}  # fmt: skip
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "code",
                "table", "thead", "tbody", "tr", "th", "td", "nav", "ul", "li", "a", "section", "article", "span",
                "q", "i", "br", "div"}  # fmt: skip


class Elements(HTMLParser):
    """Every element's tag and attributes, and the text inside each element that has an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"
        if tag in ("meta", "br"):
            return
        self.open.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self.text[attrs["id"]] = []

    def handle_endtag(self, tag):
        self._in_style = False
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        for _, ident in self.open:
            if ident:
                self.text[ident].append(data)


def parse(page: bytes) -> Elements:
    parser = Elements()
    parser.feed(page.decode("utf-8"))
    return parser


def terms(graph: Graph) -> list[URIRef]:
    """What the page must document: labelled classes, properties, SKOS concepts and schemes, and
    the members of the ontology's code lists (subjects typed by one of its own classes)."""
    classes = set(graph.subjects(RDF.type, OWL.Class))
    found = set()
    for s in graph.subjects(RDFS.label, None):
        types = set(graph.objects(s, RDF.type))
        if isinstance(s, URIRef) and (types & TERM_TYPES or types & classes):
            found.add(s)
    return sorted(found)


def one(graph: Graph, s, *predicates) -> str:
    for p in predicates:
        values = sorted(graph.objects(s, p), key=lambda o: (getattr(o, "language", None) not in ("en", None), str(o)))
        if values:
            return str(values[0])
    return ""


@pytest.fixture(scope="module")
def page() -> bytes:
    return ontology_page()


@pytest.fixture(scope="module")
def elements(page) -> Elements:
    return parse(page)


def test_every_term_appears_with_its_label_and_definition(elements):
    graph = Graph().parse(ontology_path())
    expected = terms(graph)
    assert len(expected) > 100
    blocks = {ident: "".join(parts) for ident, parts in elements.text.items()}
    missing = []
    for term in expected:
        label = one(graph, term, RDFS.label, SKOS.prefLabel)
        definition = one(graph, term, SKOS.definition, RDFS.comment)
        local = re.split(r"[#/]", str(term))[-1]
        found = [b for i, b in blocks.items() if label in b and definition in b and (str(term) in b or i == local)]
        if not found:
            missing.append(f"{term} ({label!r})")
    assert missing == [], f"{len(missing)} terms are not on the page: {missing[:5]}"


def test_classes_show_alignments_domains_and_their_shapes(elements):
    state = "".join(elements.text["State"])
    assert "schema:Country" in state and "wd:Q7275" in state  # rdfs:subClassOf an external class, skos:closeMatch
    assert "nksh:EntityShape" in state and "An entity has exactly one label." in state  # inherited from nk:Entity
    trade = "".join(elements.text["TradeFlow"])
    assert "nksh:TradeFlowShape" in trade and "A trade flow is between at least two parties." in trade
    assert "nksh:FactShape" in trade  # inherited from nk:Fact
    party = "".join(elements.text["party"])
    assert "nk:Fact" in party and "nk:Agent" in party  # domain and range
    assert "A party is a state, organisation, company or person." in party  # the property shape on nk:party
    units = "".join(elements.text["list-Unit"])
    assert "US dollar" in units and "USD" in units and "United States dollar." in units


def test_skos_concept_schemes_are_documented(tmp_path):
    """A concept scheme with a hierarchy, as the ontology may grow one (commodities)."""
    extra = """
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix nkc: <https://w3id.org/nkrel/id/commodity/> .
    nkc:scheme a skos:ConceptScheme ; skos:prefLabel "commodities"@en ; skos:definition "Goods traded."@en ;
        skos:hasTopConcept nkc:food .
    nkc:food a skos:Concept ; skos:prefLabel "food"@en ; skos:definition "Things to eat."@en ; skos:topConceptOf nkc:scheme .
    nkc:wheat a skos:Concept ; skos:prefLabel "wheat"@en ; skos:altLabel "grain"@en ; skos:definition "A cereal."@en ;
        skos:broader nkc:food ; skos:inScheme nkc:scheme ; skos:exactMatch <http://www.wikidata.org/entity/Q15645384> .
    """
    ontology = tmp_path / "nkrel.ttl"
    ontology.write_text(ontology_path().read_text(encoding="utf-8") + extra, encoding="utf-8")
    page = ontology_page(ontology, shapes_path())
    text = {i: "".join(t) for i, t in parse(page).text.items()}
    scheme = next(t for t in text.values() if "Goods traded." in t and "concept scheme" in t)
    assert "food" in scheme and "wheat" in scheme and "A cereal." in scheme and "grain" in scheme
    assert "wd:Q15645384" in scheme or "Q15645384" in scheme
    tree = page.decode()[page.decode().index("Goods traded.") :]
    assert tree.index("Things to eat.") < tree.index("A cereal."), "wheat belongs under food"


HOSTILE = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nk: <https://w3id.org/nkrel/ontology#> .
<https://w3id.org/nkrel/ontology> a owl:Ontology ; <http://purl.org/dc/terms/title> "<script>alert('title')</script>" .
nk:Evil a owl:Class ; rdfs:label "<script>alert(1)</script>" ;
    skos:definition "<img src=x onerror=alert(2)> & \\"quotes\\" 'too'" ;
    skos:closeMatch <javascript:alert(3)> .
nk:evil a owl:DatatypeProperty ; rdfs:label "</td></tr></table><iframe src=//evil.example>" ;
    skos:definition "<style>@import url(http://evil.example/x.css)</style>" ; rdfs:domain nk:Evil .
nk:Bad a owl:NamedIndividual, nk:Evil ; rdfs:label "\\" onmouseover=\\"alert(4)" ; skos:definition "<b>bold</b>" .
"""
HOSTILE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix nk: <https://w3id.org/nkrel/ontology#> .
<https://w3id.org/nkrel/shapes#Evil> a sh:NodeShape ; sh:targetClass nk:Evil ;
    sh:property [ sh:path nk:evil ; sh:pattern "<script>alert(5)</script>" ; sh:message "<svg onload=alert(6)>" ] .
"""


def test_hostile_text_is_escaped(tmp_path):
    (tmp_path / "o.ttl").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "s.ttl").write_text(HOSTILE_SHAPES, encoding="utf-8")
    page = ontology_page(tmp_path / "o.ttl", tmp_path / "s.ttl")
    text = page.decode("utf-8")
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS, {tag for tag, _ in parsed.tags} - ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), attrs
    for words in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(6)>",
                  "<script>alert(5)</script>", "<b>bold</b>", "</td></tr></table><iframe src=//evil.example>"):  # fmt: skip
        assert words not in text
        assert html.escape(words, quote=True) in text, words
    visible = "".join("".join(t) for t in parsed.text.values())
    assert "<script>alert(1)</script>" in visible and '" onmouseover="alert(4)' in visible  # shown as text
    assert "javascript:alert(3)" in visible  # shown, but not as a link


def test_the_page_makes_no_external_request(page, elements):
    text = page.decode("utf-8")
    for tag, attrs in elements.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed", "source", "video", "audio"), tag
        assert "src" not in attrs and "srcset" not in attrs, (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs  # links, never loads
    assert "@import" not in elements.style and "url(" not in elements.style
    csp = next(
        a["content"] for t, a in elements.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    digest = base64.b64encode(hashlib.sha256(elements.style.encode("utf-8")).digest()).decode()
    assert csp.startswith("default-src 'none';") and f"style-src 'sha256-{digest}'" in csp
    assert "<script" not in text.lower()


def test_the_page_is_byte_identical_across_runs_and_hash_seeds(page):
    code = "import sys; from nkrel.output.ontology_page import ontology_page; sys.stdout.buffer.write(ontology_page())"
    for seed in ("1", "4242"):
        again = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        assert again.returncode == 0, again.stderr.decode()
        assert again.stdout == page


def test_build_writes_the_committed_page(built_dir, page):
    assert (built_dir / ONTOLOGY_FILE).read_bytes() == page
    committed = REPO / "graphs" / ONTOLOGY_FILE
    assert committed.is_file() and committed.read_bytes() == page, "graphs/ontology.html is stale: run `nkrel build`"


def test_the_page_in_a_browser_requests_nothing(browser, built_dir):
    from .browser import open_page

    view, requests, errors = open_page(browser, built_dir / ONTOLOGY_FILE, ready=False)
    assert view.title() == "nkrel ontology"
    assert view.locator("article").count() > 90
    font = view.evaluate("() => getComputedStyle(document.body).maxWidth")  # the stylesheet applied (CSP hash)
    assert font == "1024px"
    view.context.close()
    assert requests.blocked == [] and len(requests.allowed) == 1
    assert errors == []


def test_a_term_without_definition_still_appears(tmp_path):
    graph = Graph().parse(ontology_path())
    graph.add((URIRef("https://w3id.org/nkrel/ontology#Bare"), RDF.type, OWL.Class))
    graph.add((URIRef("https://w3id.org/nkrel/ontology#Bare"), RDFS.label, Literal("bare class", lang="en")))
    graph.serialize(tmp_path / "o.ttl", format="turtle")
    text = {i: "".join(t) for i, t in parse(ontology_page(tmp_path / "o.ttl", shapes_path())).text.items()}
    assert "bare class" in text["Bare"]


def test_the_w3id_redirects_point_at_files_nkrel_publishes():
    """Every RewriteRule target of ontology/w3id/.htaccess is a file of the repository under PUBLISHED/."""
    rules = (REPO / "ontology" / "w3id" / ".htaccess").read_text(encoding="utf-8")
    targets = re.findall(r"^RewriteRule \S+ PUBLISHED/(\S*) \[R=30[23],L\]$", rules, re.M)
    assert len(targets) == len(re.findall(r"^RewriteRule ", rules, re.M)) >= 8
    for target in filter(None, targets):
        assert (REPO / target).is_file(), target
    assert {"ontology/nkrel.ttl", "graphs/ontology.html", "graphs/nkrel.trig", "graphs/nkrel.ttl"} <= set(targets)
    patterns = re.findall(r"^RewriteRule (\S+) ", rules, re.M)
    for path in ("ontology", "ontology/0.1.0", "shapes", "id/china", "graph/entities"):
        assert any(re.match(p, path) for p in patterns), path
