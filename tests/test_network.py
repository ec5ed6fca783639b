"""The network view without a browser: the networkx projection of the RDF graph, the
page's data and escaping, the exports for Gephi, and `nkrel viz` / `nkrel build`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from nkrel.output.network import network_graph, page_data, read_dataset, render_network_html
from nkrel.pipeline import build_graph, graph_files

from .conftest import REPO, nkrel
from .network_fixtures import (
    EXPECTED_EDGES,
    HOSTILE_AGREEMENT,
    HOSTILE_FACT_LABEL,
    HOSTILE_LABEL,
    HOSTILE_NK_LABEL,
    HOSTILE_QUOTE,
    HOSTILE_TITLE,
    hostile_corpus,
    large_dataset,
    small_corpus,
)


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
    scripts = [body for attrs, body in Page(text).scripts if attrs.get("type") == "application/json"]
    assert len(scripts) == 1
    return json.loads(scripts[0])


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


def test_directions_periods_dates_and_vague_times(small):
    _, _, graph = small
    edges = {(d["fact"], d["role"]): (u, v, d) for u, v, d in graph.edges(data=True)}
    u, v, aid = edges[("a-soviet-aid", "directed")]
    assert (u, v, aid["directed"]) == ("soviet-union", "north-korea", True)
    assert (aid["start"], aid["end"], aid["first_year"], aid["last_year"]) == ("1965", "1968", 1965, 1968)
    assert edges[("a-recognition", "directed")][2]["date"] == "1948-10-12"
    closer = edges[("a-russia-closer", "party")][2]
    assert closer["time_stated"] == "in recent years" and closer["first_year"] is None
    assert closer["modality"] == "ongoing" and closer["directed"] is False


def test_facts_with_one_participant_are_kept_on_the_node(small):
    _, _, graph = small
    assert "a-self-reliance" in graph.graph["facts"]
    assert "a-self-reliance" in graph.nodes["north-korea"]["facts"]
    assert not [d for _, _, d in graph.edges(data=True) if d["fact"] == "a-self-reliance"]


def test_claims_name_the_other_documents(small):
    _, _, graph = small
    assert graph.graph["facts"]["a-trade-2014"]["also_stated_in"] == ["beta"]
    assert graph.graph["facts"]["b-trade-2014"]["also_stated_in"] == ["alpha"]


def test_a_built_file_projects_to_the_same_graph(small, tmp_path):
    _, built, graph = small
    (tmp_path / "g.trig").write_bytes(graph_files(built)["nkrel.trig"])
    again = network_graph(read_dataset(tmp_path / "g.trig"))
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert again.graph["facts"] == graph.graph["facts"]


def test_projection_scales_to_thousands_of_nodes():
    graph = network_graph(large_dataset(600, seed=3))
    assert graph.number_of_nodes() == 600
    assert graph.number_of_edges() > 1200


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
                    "section", "label", "input", "datalist", "select", "option", "fieldset", "legend",
                    "output", "button", "ul", "p", "main", "script"}, tags  # fmt: skip
    for tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert not any(re.search(r"https?:|//", v or "") for k, v in attrs.items() if k != "content"), attrs
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"jsdelivr|cdnjs|unpkg|bootstrap|googleapis|fonts\.", text, re.I)
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None, None]


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
    assert set(directives["script-src"].split()) == hashes
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert "connect-src" not in directives  # falls back to default-src 'none'


def test_embedded_data_matches_the_graph(small):
    _, _, graph = small
    data = embedded_data(render_network_html(graph))
    assert data == json.loads(json.dumps(page_data(graph)))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    fact = data["facts"]["a-trade-2014"]
    assert fact["quote"] == "trade peaked at $6.86 billion in 2014"
    assert fact["quantities"] == ["US$6,860,000,000, as stated: \u201c$6.86 billion\u201d"]
    assert fact["also"] == ["beta"] and fact["members"] == ["china", "north-korea"]
    assert data["facts"]["a-soviet-aid"]["time"] == "1965 to 1968"
    assert data["years"] == [1948, 2014]
    assert data["partners"] == ["china", "nigeria", "north-korea", "russia", "soviet-union"]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["north-korea"]["size"] > nodes["china"]["size"] > nodes["acme"]["size"]
    widths = {e["fact"]: e["width"] for e in data["edges"]}
    assert widths["a-trade-2014"] > widths["a-russia-closer"]


def test_hostile_text_stays_text(hostile):
    _, graph, text = hostile
    page = Page(text)
    tags = [t for t, _ in page.tags]
    for bad in ("img", "a", "b", "svg", "iframe", "object", "embed", "link", "base"):
        assert bad not in tags
    assert tags.count("script") == 3
    assert page.titles == ["<script>window.pwned=12</script>"]
    for raw in (HOSTILE_LABEL, HOSTILE_NK_LABEL, HOSTILE_QUOTE, HOSTILE_FACT_LABEL, HOSTILE_TITLE, HOSTILE_AGREEMENT,
                "<script>window.pwned", "<img src=x", "<svg", "window.pwned=12</script>"):  # fmt: skip
        assert raw not in text, raw
    for _, body in page.scripts:
        assert "</script" not in body.lower() and "<!--" not in body
    # ... and the data carries every hostile string exactly as the sources give it
    data = embedded_data(text)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels == {"evil": HOSTILE_LABEL, "north-korea": HOSTILE_NK_LABEL, "evil-pact": HOSTILE_AGREEMENT}
    fact = data["facts"]["h-trade"]
    assert fact["quote"] == HOSTILE_QUOTE and fact["label"] == HOSTILE_FACT_LABEL and fact["title"] == HOSTILE_TITLE
    assert fact["note"] == "</script><script>window.pwned=10</script>"


# ------------------------------------------------------------------ the commands


def test_viz_writes_the_page_reproducibly(small, tmp_path):
    root = small[0]
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    result = nkrel("viz", "--corpus", root, "--out", first, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {first}: 10 nodes, 16 edges, 10 facts\n"
    assert nkrel("viz", "--corpus", root, "--out", second, env={"PYTHONHASHSEED": "4242"}).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == render_network_html(small[2])


def test_viz_from_a_built_file_and_build_write_the_same_page(small, tmp_path):
    root = small[0]
    assert nkrel("build", "--corpus", root, "--out", tmp_path / "g", "--allow-uncovered").returncode == 0
    built_page = (tmp_path / "g" / "network.html").read_bytes()
    result = nkrel("viz", "--graph", tmp_path / "g" / "nkrel.trig", "--out", tmp_path / "v.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v.html").read_bytes() == built_page


def test_viz_default_output_and_open(session_workspace, tmp_path):
    """Without --out, viz opens the page of the workspace's build."""
    result = nkrel("viz", "--open", cwd=tmp_path, env={"BROWSER": "echo"})
    assert result.returncode == 0, result.stderr
    page = session_workspace / "graphs" / "network.html"
    assert page.is_file()
    assert page.resolve().as_uri() in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [(["--out", "page.txt"], "must end in .html"), (["--corpus", ".", "--graph", "x.trig"], "not both")],
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


def test_build_writes_the_network_page(built_dir):
    assert (built_dir / "network.html").is_file()


def test_committed_network_page_is_fresh(built_dir):
    """graphs/network.html in the repository is exactly what a rebuild writes."""
    committed = REPO / "graphs" / "network.html"
    assert committed.is_file(), "graphs/network.html is missing: run `nkrel build`"
    assert committed.read_bytes() == (built_dir / "network.html").read_bytes(), "graphs/network.html is stale"
