"""The network view without a browser: the networkx projection of the RDF graph, the
page's data and escaping, the exports for Gephi, and `nkrel viz` / `nkrel build`."""

from __future__ import annotations

import ast
import base64
import gzip
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest

from nkrel.output.network import (
    APP_SCRIPTS,
    COMPRESS_ABOVE,
    export_graph,
    network_graph,
    page_data,
    read_dataset,
    render_network_html,
)
from nkrel.pipeline import build_graph, graph_files

from .conftest import REPO, nkrel
from .network_fixtures import (
    ALPHA,
    BETA,
    EXPECTED_EDGES,
    HOSTILE_AGREEMENT,
    HOSTILE_FACT_LABEL,
    HOSTILE_LABEL,
    HOSTILE_NK_LABEL,
    HOSTILE_QUOTE,
    HOSTILE_TITLE,
    fact_row,
    hostile_corpus,
    large_dataset,
    small_corpus,
)

NK = "https://w3id.org/nkrel/ontology#"
ID = "https://w3id.org/nkrel/id/"
OA = "http://www.w3.org/ns/oa#"
TEXTS = {"alpha": ALPHA, "beta": BETA}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = small_corpus(tmp_path_factory.mktemp("small") / "corpus")
    built = build_graph(root)
    return root, built, network_graph(built.dataset)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")
    graph = network_graph(build_graph(root).dataset)
    return root, graph, render_network_html(graph, title="<script>window.pwned=12</script>")


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> and <title>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.titles: list[str] = []
        self._open: tuple[str, dict] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "title"):
            self._open = (tag, dict(attrs))
            self._text = []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], text))
            else:
                self.titles.append(text)
            self._open = None


def embedded_data(text: str) -> dict:
    """The page's data: the core (network) and the evidence, merged as the page merges them."""
    scripts = {a.get("id"): (a, body) for a, body in Page(text).scripts if a.get("id")}
    core_attrs, core = scripts["nkrel-data"]
    assert core_attrs["type"] == "application/json"
    data = json.loads(core)
    attrs, body = scripts["nkrel-evidence"]
    if attrs["data-encoding"] == "gzip-base64":
        assert attrs["type"] == "text/plain"
        evidence = json.loads(gzip.decompress(base64.b64decode(body)))
    else:
        assert attrs["data-encoding"] == "json" and attrs["type"] == "application/json"
        evidence = json.loads(body)
    assert not set(evidence["facts"]) & set(data["facts"]) and not (set(evidence) - {"facts"}) & set(data)
    data["facts"].update(evidence["facts"])
    data.update({k: v for k, v in evidence.items() if k != "facts"})
    return data


def dataset_with(built, *triples):
    """A copy of a built dataset with extra triples in one more named graph."""
    from rdflib import Dataset, URIRef

    ds = Dataset(default_union=True)
    for q in built.dataset.quads((None, None, None, None)):
        ds.add(q)
    extra = ds.graph(URIRef("https://w3id.org/nkrel/graph/test-extra"))
    for t in triples:
        extra.add(t)
    return ds


# ------------------------------------------------------------------ projection


def test_one_edge_per_fact_and_pair_of_participants(small):
    _, _, graph = small
    assert isinstance(graph, nx.MultiDiGraph)
    assert {(d["fact"], u, v, d["role"]) for u, v, d in graph.edges(data=True)} == EXPECTED_EDGES
    assert all(key == f"{d['fact']}|{d['role']}|{u}|{v}" for u, v, key, d in graph.edges(keys=True, data=True))


def test_nodes_are_the_entities_facts_involve_with_their_kind(small):
    _, _, graph = small
    kinds = dict(graph.nodes(data="kind"))
    assert kinds == {
        "north-korea": "state", "china": "state", "soviet-union": "state", "russia": "state", "nigeria": "state",
        "friendship-treaty": "agreement", "pyongyang": "place", "rason-port": "place", "acme": "company",
        "kim-il-sung": "person",
    }  # fmt: skip
    assert graph.nodes["friendship-treaty"]["entity_type"] == "Treaty"
    assert graph.nodes["soviet-union"]["label"] == "Soviet Union"
    # the aliases (skos:altLabel) other than the label itself, for the search box
    assert graph.nodes["soviet-union"]["aliases"] == ["Soviet"]
    assert graph.nodes["north-korea"]["aliases"] == ["DPRK"]
    # the USSR and the Russian Federation are two nodes with their own facts
    assert graph.nodes["soviet-union"]["facts"] == ["a-recognition", "a-soviet-aid"]
    assert graph.nodes["russia"]["facts"] == ["a-russia-closer"]


def test_edges_carry_the_fact_and_its_evidence(small):
    _, _, graph = small
    (d,) = [d for _, _, d in graph.edges(data=True) if d["fact"] == "a-trade-2014"]
    assert d["kind"] == "TradeFlow" and d["kind_label"] == "trade flow" and d["relation"] == "trade"
    assert d["label"] == "China–North Korea trade peaked at $6.86 billion in 2014"
    assert d["modality"] == "happened"
    assert d["year"] == "2014" and d["first_year"] == d["last_year"] == 2014
    assert d["value"] == 6860000000 and d["unit"] == "USD" and d["value_stated"] == "$6.86 billion"
    assert d["quote"] == "trade peaked at $6.86 billion in 2014"
    assert d["document"] == "alpha" and d["document_title"] == "Synthetic alpha"
    text = small[0].joinpath("texts", "alpha.txt").read_text(encoding="utf-8")
    assert text[d["quote_start"] : d["quote_end"]] == d["quote"]
    f = graph.graph["facts"]["a-trade-2014"]
    assert f["evidence"] == [{"quote": d["quote"], "start": 23, "end": 60, "document": "alpha",
                              "title": "Synthetic alpha"}]  # fmt: skip
    assert f["values"] == [(6860000000.0, "USD", "value")]


def test_directions_periods_dates_and_vague_times(small):
    _, _, graph = small
    edges = {(d["fact"], d["role"]): (u, v, d) for u, v, d in graph.edges(data=True)}
    u, v, aid = edges[("a-soviet-aid", "directed")]
    assert (u, v, aid["directed"]) == ("soviet-union", "north-korea", True)
    assert (aid["start"], aid["end"], aid["first_year"], aid["last_year"]) == ("1965", "1968", 1965, 1968)
    assert edges[("a-recognition", "directed")][2]["date"] == "1948-10-12"
    closer = edges[("a-russia-closer", "party")][2]
    assert closer["time_stated"] == "in recent years" and closer["first_year"] is None
    assert closer["last_year"] is None
    assert closer["modality"] == "ongoing" and closer["directed"] is False


def test_start_and_end_years_of_fact_model_2_come_first(small):
    """nk:startYear / nk:endYear, when the build writes them, decide a fact's interval;
    "since 2014" (a start only) leaves the interval open at its end."""
    from rdflib import XSD, Literal, URIRef

    _, built, _ = small
    fact = URIRef(ID + "fact/")
    ds = dataset_with(built)
    for name in ("a-russia-closer", "a-soviet-aid"):  # the build's own interval, replaced below
        for p in ("startYear", "endYear"):
            ds.remove((URIRef(fact + name), URIRef(NK + p), None, None))
    ds = dataset_with(
        type("B", (), {"dataset": ds}),
        (URIRef(fact + "a-russia-closer"), URIRef(NK + "startYear"), Literal("2014", datatype=XSD.gYear)),
        (URIRef(fact + "a-soviet-aid"), URIRef(NK + "startYear"), Literal("1966", datatype=XSD.gYear)),
        (URIRef(fact + "a-soviet-aid"), URIRef(NK + "endYear"), Literal("1967", datatype=XSD.gYear)),
    )
    facts = network_graph(ds).graph["facts"]
    closer, aid = facts["a-russia-closer"], facts["a-soviet-aid"]
    assert (closer["first_year"], closer["last_year"]) == (2014, None)
    assert closer["time"] == "since 2014 \u201cin recent years\u201d"
    assert (aid["first_year"], aid["last_year"]) == (1966, 1967)
    assert aid["time"] == "1965 to 1968"  # the words the build recorded stay as they are


def test_unknown_fact_classes_take_their_superclass_relation(small):
    """Fact classes the page does not list (fact model v2) are read through rdfs:subClassOf."""
    from rdflib import RDF, RDFS, Literal, URIRef

    _, built, _ = small
    fact = URIRef(ID + "fact/")
    ds = dataset_with(built)
    for name in ("a-russia-closer", "a-soviet-aid"):  # the build's own interval, replaced below
        for p in ("startYear", "endYear"):
            ds.remove((URIRef(fact + name), URIRef(NK + p), None, None))
    ds = dataset_with(
        type("B", (), {"dataset": ds}),
        (URIRef(NK + "FoodAid"), RDFS.subClassOf, URIRef(NK + "Aid")),
        (URIRef(NK + "FoodAid"), RDFS.label, Literal("food aid", lang="en")),
        (URIRef(NK + "Change"), RDFS.subClassOf, URIRef(NK + "Fact")),
    )
    ds.remove((URIRef(fact + "a-soviet-aid"), RDF.type, URIRef(NK + "Aid"), None))
    ds.graph(URIRef("https://w3id.org/nkrel/graph/test-extra")).add(
        (URIRef(fact + "a-soviet-aid"), RDF.type, URIRef(NK + "FoodAid"))
    )
    ds.remove((URIRef(fact + "a-russia-closer"), RDF.type, URIRef(NK + "RelationState"), None))
    ds.graph(URIRef("https://w3id.org/nkrel/graph/test-extra")).add(
        (URIRef(fact + "a-russia-closer"), RDF.type, URIRef(NK + "Change"))
    )
    facts = network_graph(ds).graph["facts"]
    assert (facts["a-soviet-aid"]["kind"], facts["a-soviet-aid"]["kind_label"]) == ("FoodAid", "food aid")
    assert facts["a-soviet-aid"]["relation"] == "aid"
    assert (facts["a-russia-closer"]["kind"], facts["a-russia-closer"]["relation"]) == ("Change", "other")


def test_a_fact_with_several_evidence_spans_keeps_them_all(small):
    from rdflib import Literal, URIRef

    _, built, _ = small
    f, ev = URIRef(ID + "fact/a-trade-2014"), URIRef(ID + "fact/a-trade-2014/evidence/2")
    sel = URIRef(ID + "fact/a-trade-2014/evidence/2/position")
    start = ALPHA.index("In 2012 the team")
    ds = dataset_with(
        built,
        (f, URIRef(NK + "evidence"), ev),
        (ev, URIRef(OA + "hasSource"), URIRef(ID + "document/alpha")),
        (ev, URIRef(OA + "hasSelector"), sel),
        (sel, URIRef(OA + "exact"), Literal("In 2012 the team")),
        (sel, URIRef(OA + "start"), Literal(start)),
        (sel, URIRef(OA + "end"), Literal(start + 16)),
    )
    graph = network_graph(ds, texts=TEXTS)
    spans = graph.graph["facts"]["a-trade-2014"]["evidence"]
    assert [(s["quote"], s["start"]) for s in spans] == [("trade peaked at $6.86 billion in 2014", 23),
                                                         ("In 2012 the team", start)]  # fmt: skip
    data = page_data(graph)
    assert fact_row(data, "a-trade-2014")["evidence"] == [[0, 23, 60], [0, start, start + 16]]


def test_facts_with_one_participant_are_kept_on_the_node(small):
    _, _, graph = small
    assert "a-self-reliance" in graph.graph["facts"]
    assert "a-self-reliance" in graph.nodes["north-korea"]["facts"]
    assert not [d for _, _, d in graph.edges(data=True) if d["fact"] == "a-self-reliance"]


def test_claims_name_the_documents_that_state_them(small):
    _, _, graph = small
    assert graph.graph["claims"] == {"trade-peak-2014": [("a-trade-2014", "alpha"), ("b-trade-2014", "beta")]}
    assert graph.graph["facts"]["a-trade-2014"]["claim"] == "trade-peak-2014"


def test_a_built_file_projects_to_the_same_graph(small, tmp_path):
    _, built, graph = small
    (tmp_path / "g.trig").write_bytes(graph_files(built)["nkrel.trig"])
    again = network_graph(read_dataset(tmp_path / "g.trig"))
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert again.graph["facts"] == graph.graph["facts"]


def test_pyoxigraph_quads_and_stores_project_to_the_same_graph(small, tmp_path):
    """The projection reads rdflib Datasets, pyoxigraph quads and a pyoxigraph Store alike."""
    import pyoxigraph

    _, built, graph = small
    (tmp_path / "g.nq").write_bytes(graph_files(built)["nkrel.nq"])
    quads = list(pyoxigraph.parse(path=str(tmp_path / "g.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
    store = pyoxigraph.Store()
    store.extend(quads)
    for source in (quads, store):
        again = network_graph(source)
        assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
        assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
        assert again.graph["facts"] == graph.graph["facts"]
        assert render_network_html(again) == render_network_html(graph)


def test_projection_scales_to_thousands_of_nodes():
    graph = network_graph(large_dataset(600, seed=3))
    assert graph.number_of_nodes() == 600
    assert graph.number_of_edges() > 1200


def test_document_texts_are_found_by_sha256_and_never_mismatched(small, built_dir):
    _, built, graph = small
    assert {d: doc["text"] for d, doc in graph.graph["documents"].items()} == {"alpha": None, "beta": None}
    given = network_graph(built.dataset, texts=TEXTS).graph["documents"]
    assert given["alpha"]["text"] == ALPHA and given["alpha"]["title"] == "Synthetic alpha"
    wrong = network_graph(built.dataset, texts={"alpha": ALPHA + "x", "beta": BETA}).graph["documents"]
    assert wrong["alpha"]["text"] is None and wrong["beta"]["text"] == BETA
    # the shipped texts are found by file name and sha256, so the built page carries them
    shipped = network_graph(read_dataset(built_dir / "nkrel.trig")).graph["documents"]
    assert len(shipped) == 3 and all(doc["text"] for doc in shipped.values())
    for doc in shipped.values():
        assert hashlib.sha256(doc["text"].encode("utf-8")).hexdigest() == doc["sha256"]


# ------------------------------------------------------------------ the page


def test_page_is_byte_identical_for_the_same_graph(small):
    _, built, graph = small
    first = render_network_html(graph)
    assert render_network_html(network_graph(built.dataset)) == first
    assert render_network_html(graph, title="Other") != first


def test_page_requests_nothing_from_any_host(small):
    text = render_network_html(small[2])
    page = Page(text)
    tags = {t for t, _ in page.tags}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "div", "aside",
                    "section", "label", "input", "select", "option", "fieldset", "legend", "details", "summary",
                    "output", "button", "ul", "p", "span", "main", "table", "caption", "thead", "tbody",
                    "script"}, tags  # fmt: skip
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert not any(re.search(r"https?:|//", v or "") for k, v in attrs.items() if k != "content"), attrs
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"jsdelivr|cdnjs|unpkg|bootstrap|googleapis|fonts\.", text, re.I)
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", "application/json", None, None, None]


def test_content_security_policy_allows_only_the_pages_own_scripts(small):
    text = render_network_html(small[2])
    page = Page(text)
    (csp,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for attrs, body in page.scripts
        if attrs.get("type") is None
    }
    assert len(hashes) == 3  # vis-network, D3, the page's own script
    assert set(directives["script-src"].split()) == hashes
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert "connect-src" not in directives  # falls back to default-src 'none'


def test_the_vendored_chart_library_is_recorded(small):
    """D3 is inlined from nkrel/web/d3.min.js: its version, licence and sha256 are in VENDOR.md."""
    web = REPO / "nkrel" / "web"
    d3 = (web / "d3.min.js").read_bytes()
    vendor = (web / "VENDOR.md").read_text(encoding="utf-8")
    assert hashlib.sha256(d3).hexdigest() in vendor
    assert d3.startswith(b"// https://d3js.org v7.9.2 ") and "7.9.2" in vendor and "ISC" in vendor
    assert "Copyright 2010-2026 Mike Bostock" in (web / "d3.LICENSE").read_text(encoding="utf-8")
    assert d3.decode("utf-8").strip() in render_network_html(small[2])


def test_the_pages_script_is_the_listed_files_in_order(small):
    """The page's own script is nkrel/web's script files joined in the order of APP_SCRIPTS
    (a blank line between them), and every script file there but the vendored D3 is listed
    exactly once: a view's file cannot be left out of the page, nor listed twice."""
    web = REPO / "nkrel" / "web"
    on_disk = sorted(p.name for p in web.glob("*.js") if p.name != "d3.min.js")
    assert sorted(APP_SCRIPTS) == on_disk and len(set(APP_SCRIPTS)) == len(APP_SCRIPTS)
    texts = [(web / name).read_text(encoding="utf-8") for name in APP_SCRIPTS]
    own = Page(render_network_html(small[2])).scripts[-1][1]
    assert own == "\n" + "\n".join(texts).strip() + "\n"
    for name, text in zip(APP_SCRIPTS, texts, strict=True):
        assert text.lstrip().startswith(("//", "/*")), f"{name}: say in a comment on its first line what it holds"
        assert text.count("\n") <= 600, f"{name}: {text.count(chr(10))} lines, more than 600"


def test_the_network_modules_stay_small():
    """The network view's Python modules: none over 700 lines, no function over 80."""
    folder = REPO / "nkrel" / "output" / "network"
    modules = sorted(folder.glob("*.py"))
    assert {p.name for p in modules} >= {"projection.py", "page.py"}
    for path in modules:
        source = path.read_text(encoding="utf-8")
        assert source.count("\n") <= 700, f"{path.name}: {source.count(chr(10))} lines"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= 80, f"{path.name}:{node.lineno} {node.name} is {length} lines long"


def test_embedded_data_matches_the_graph(small):
    _, _, graph = small
    data = embedded_data(render_network_html(graph))
    assert data == json.loads(json.dumps(page_data(graph)))
    assert data["nodes"]["id"] == sorted(graph.nodes) and data["facts"]["id"] == sorted(graph.graph["facts"])
    fact = fact_row(data, "a-trade-2014")
    assert fact["quantities"] == ["US$6,860,000,000, as stated: \u201c$6.86 billion\u201d"]
    # no text embedded: the quote travels with its offsets
    assert fact["evidence"] == [[0, 23, 60, "trade peaked at $6.86 billion in 2014"]]
    assert data["documents"] == {"id": ["alpha", "beta"], "title": ["Synthetic alpha", "Synthetic beta"],
                                 "text": [None, None]}  # fmt: skip
    assert fact["values"] == [[6860000000.0, data["units"].index("USD"), data["measures"].index("value")]]
    claim = fact["claim"]
    assert [data["facts"]["id"][i] for i in data["claims"][claim]] == ["a-trade-2014", "b-trade-2014"]
    assert fact_row(data, "a-soviet-aid")["time"] == "1965 to 1968"
    assert (fact_row(data, "a-soviet-aid")["first"], fact_row(data, "a-soviet-aid")["last"]) == (1965, 1968)
    assert data["years"] == [1948, 2014]
    names = data["nodes"]["id"]
    assert names[data["focus"]] == "north-korea"  # the state most facts involve
    assert [names[i] for i in fact["parties"]] == ["china", "north-korea"]
    assert fact.get("edges") is None  # derived in the page from the participants
    assert data["aggregate"] is False
    rel = {r["id"]: r for r in data["relations"]}
    assert rel["trade"]["present"] and not rel["sanction"]["present"]


def test_quotes_are_cut_from_the_embedded_texts(small):
    _, built, _ = small
    data = page_data(network_graph(built.dataset, texts=TEXTS))
    assert data["documents"]["text"] == [ALPHA, BETA]
    for fid in data["facts"]["id"]:
        for doc, start, end, *quote in fact_row(data, fid)["evidence"]:
            assert quote == [], fid  # the page reads it from the text
            assert data["documents"]["text"][doc][start:end]


def test_a_large_page_carries_its_data_compressed(small):
    _, _, graph = small
    plain, packed = render_network_html(graph), render_network_html(graph, compress=True)
    assert embedded_data(packed) == embedded_data(plain)
    assert render_network_html(graph, compress=True) == packed  # still byte-identical run to run
    assert 'data-encoding="json"' in plain and 'data-encoding="gzip-base64"' in packed
    # the network's own data stays plain JSON, read first; the evidence follows
    assert Page(packed).scripts[0][1] == Page(plain).scripts[0][1]
    assert COMPRESS_ABOVE > len(plain)  # the shipped page stays readable JSON


def test_edges_unlike_the_participants_travel_with_the_fact():
    """A graph made by hand whose edges the participants do not explain keeps them as given."""
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A", kind="state")
    graph.add_node("b", label="B", kind="state")
    graph.add_node("c", label="C", kind="place")
    graph.graph["facts"] = {"f1": {"fact": "f1", "label": "one", "parties": ["a", "b"], "relation": "trade"}}
    graph.add_edge("a", "b", key="f1|party|a|b", fact="f1", role="party")
    graph.add_edge("b", "c", key="f1|place|b|c", fact="f1", role="place")
    data = page_data(graph)
    assert fact_row(data, "f1")["edges"] == [[0, 1, 0], [1, 2, data["roles"].index("place")]]


def test_hostile_text_stays_text(hostile):
    _, graph, text = hostile
    page = Page(text)
    tags = [t for t, _ in page.tags]
    for bad in ("img", "a", "b", "svg", "iframe", "object", "embed", "link", "base"):
        assert bad not in tags
    assert tags.count("script") == 5
    assert page.titles == ["<script>window.pwned=12</script>"]
    for raw in (HOSTILE_LABEL, HOSTILE_NK_LABEL, HOSTILE_QUOTE, HOSTILE_FACT_LABEL, HOSTILE_TITLE, HOSTILE_AGREEMENT,
                "<script>window.pwned", "<img src=x", "<svg", "window.pwned=12</script>"):  # fmt: skip
        assert raw not in text, raw
    for _, body in page.scripts:
        assert "</script" not in body.lower() and "<!--" not in body
    # ... and the data carries every hostile string exactly as the sources give it
    data = embedded_data(text)
    labels = dict(zip(data["nodes"]["id"], data["nodes"]["label"], strict=True))
    assert labels == {"evil": HOSTILE_LABEL, "north-korea": HOSTILE_NK_LABEL, "evil-pact": HOSTILE_AGREEMENT}
    fact = fact_row(data, "h-trade")
    assert fact["evidence"][0][3] == HOSTILE_QUOTE and fact["label"] == HOSTILE_FACT_LABEL
    assert data["documents"]["title"] == [HOSTILE_TITLE]
    assert fact["note"] == "</script><script>window.pwned=10</script>"


# ------------------------------------------------------------------ the commands


def test_viz_writes_the_page_reproducibly(small, tmp_path):
    root, built, _ = small
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    result = nkrel("viz", "--corpus", root, "--out", first, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {first}: 10 nodes, 16 edges, 10 facts\n"
    assert nkrel("viz", "--corpus", root, "--out", second, env={"PYTHONHASHSEED": "4242"}).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    # from a corpus, the page carries the corpus's texts for its source view
    assert first.read_text(encoding="utf-8") == render_network_html(network_graph(built.dataset, texts=TEXTS))


def test_viz_from_a_built_file_with_the_texts_gives_the_corpus_page(small, tmp_path):
    root = small[0]
    assert nkrel("build", "--corpus", root, "--out", tmp_path / "g", "--allow-uncovered").returncode == 0
    assert nkrel("viz", "--corpus", root, "--out", tmp_path / "c.html").returncode == 0
    result = nkrel("viz", "--graph", tmp_path / "g" / "nkrel.trig", "--texts", root / "texts", "--out",
                   tmp_path / "v.html")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v.html").read_bytes() == (tmp_path / "c.html").read_bytes()


def test_build_and_viz_of_its_output_write_the_same_page(built_dir, tmp_path):
    result = nkrel("viz", "--graph", built_dir / "nkrel.nq", "--out", tmp_path / "v.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v.html").read_bytes() == (built_dir / "network.html").read_bytes()


def test_viz_default_output_and_open(session_workspace, tmp_path):
    """Without --out, viz opens the page of the workspace's build."""
    result = nkrel("viz", "--open", cwd=tmp_path, env={"BROWSER": "echo"})
    assert result.returncode == 0, result.stderr
    page = session_workspace / "graphs" / "network.html"
    assert page.is_file()
    assert page.resolve().as_uri() in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [(["--out", "page.txt"], "must end in .html"), (["--corpus", ".", "--graph", "x.trig"], "not both"),
     (["--texts", "."], "--texts goes with --graph")],
)  # fmt: skip
def test_viz_usage_errors(tmp_path, args, message):
    result = nkrel("viz", *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_viz_refuses_a_missing_or_broken_file(tmp_path):
    result = nkrel("viz", "--graph", tmp_path / "missing.trig", "--out", tmp_path / "x.html")
    assert result.returncode == 1 and result.stderr.startswith("nkrel: error: cannot read ")
    (tmp_path / "bad.trig").write_text("this is not trig {", encoding="utf-8")
    result = nkrel("viz", "--graph", tmp_path / "bad.trig", "--out", tmp_path / "x.html")
    assert result.returncode == 1 and "is not valid TriG" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_the_network_for_gephi(small, tmp_path, fmt, reader):
    out = tmp_path / f"net.{fmt}"
    result = nkrel("export", "--corpus", small[0], "--format", fmt, "-o", out)
    assert result.returncode == 0, result.stderr
    graph = reader(out)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 16
    again = tmp_path / f"again.{fmt}"
    assert nkrel("export", "--corpus", small[0], "--format", fmt, "-o", again).returncode == 0
    assert out.read_bytes() == again.read_bytes()
    text = out.read_text(encoding="utf-8")
    assert "trade peaked at $6.86 billion in 2014" in text and "Soviet Union" in text


def test_gexf_is_dynamic_for_gephis_timeline(small):
    """Each dated edge spans its fact's years (start and end dates); undated edges have none."""
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(export_graph(small[2], "gexf"))
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    spans = {e.get("id"): (e.get("start"), e.get("end")) for e in graph.iter("{http://www.gexf.net/1.2draft}edge")}
    assert spans["a-soviet-aid|directed|soviet-union|north-korea"] == ("1965-01-01", "1968-12-31")
    assert spans["a-recognition|directed|soviet-union|north-korea"] == ("1948-01-01", "1948-12-31")
    assert spans["a-russia-closer|party|north-korea|russia"] == (None, None)
    # the period as stated keeps its own attribute
    assert "period_start" in export_graph(small[2], "gexf").decode("utf-8")


def test_build_writes_the_network_page(built_dir):
    assert (built_dir / "network.html").is_file()


def test_committed_network_page_is_fresh(built_dir):
    """graphs/network.html in the repository is exactly what a rebuild writes."""
    committed = REPO / "graphs" / "network.html"
    assert committed.is_file(), "graphs/network.html is missing: run `nkrel build`"
    assert committed.read_bytes() == (built_dir / "network.html").read_bytes(), "graphs/network.html is stale"
