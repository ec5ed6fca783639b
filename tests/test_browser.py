"""The network page in a real browser: Debian's chromium driven by Playwright, with
every request that is not file: aborted and counted (none may be attempted).

These tests never skip: without chromium or Playwright they fail, naming what to
install (`make test-deps`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nkrel.output.network import network_graph, render_network_html
from nkrel.pipeline import build_graph

from .browser import BrowserMissing, launch, open_page, require_browser
from .network_fixtures import (
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

PANEL = "() => document.getElementById('panel').innerText"
PANEL_TITLE = "() => document.getElementById('panel-title').textContent"
VISIBLE = "() => nkrelNetwork.visible()"


def test_browser_is_available():
    try:
        require_browser()
    except BrowserMissing as e:
        pytest.fail(str(e))


LEAKY = """<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example.net/bootstrap.css"></head>
<body><img src="http://example.com/x.png"><script>fetch("https://example.org/api").catch(() => {});
window.nkrelNetwork = {state: {stabilized: true}};</script></body></html>"""


@pytest.fixture(scope="module")
def browser():
    try:
        sync_playwright = require_browser()
    except BrowserMissing as e:
        pytest.fail(str(e))
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def write_page(graph, path: Path, title: str | None = None) -> Path:
    path.write_text(render_network_html(graph, **({"title": title} if title else {})), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small-page")
    graph = network_graph(build_graph(small_corpus(tmp / "corpus")).dataset)
    return graph, write_page(graph, tmp / "network.html")


@pytest.fixture
def small_page(browser, small):
    page, requests, errors = open_page(browser, small[1])
    yield page
    assert requests.blocked == [], f"the page attempted requests: {requests.blocked}"
    assert requests.allowed == [small[1].resolve().as_uri()]
    assert errors == []
    assert page.evaluate("() => nkrelNetwork.state.cspViolations") == 0
    page.context.close()


def click_edge(page, edge_id: str) -> None:
    ends = page.evaluate("id => [nkrelNetwork.edges.get(id).from, nkrelNetwork.edges.get(id).to]", edge_id)
    page.evaluate("ids => nkrelNetwork.network.fit({nodes: ids, animation: false})", ends)
    point = page.evaluate("id => nkrelNetwork.edgeMidpoint(id)", edge_id)
    page.mouse.click(point["x"], point["y"])


def hover_node(page, node_id: str) -> None:
    point = page.evaluate("id => nkrelNetwork.nodePoint(id)", node_id)
    page.mouse.move(point["x"], point["y"])


def test_the_harness_sees_every_request_a_page_attempts(browser, tmp_path):
    """The check the other tests rely on: a page that asks hosts for CSS, an image
    and data has all three requests counted (and aborted)."""
    (tmp_path / "leaky.html").write_text(LEAKY, encoding="utf-8")
    page, requests, _ = open_page(browser, tmp_path / "leaky.html")
    page.wait_for_timeout(300)
    assert sorted(requests.blocked) == [
        "http://example.com/x.png", "https://cdn.example.net/bootstrap.css", "https://example.org/api"
    ]  # fmt: skip
    page.context.close()


def test_the_page_renders_the_whole_graph_offline(small_page, small):
    graph = small[0]
    counts = small_page.evaluate("() => nkrelNetwork.counts")
    assert counts == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "facts": 10}
    assert small_page.evaluate(VISIBLE) == {"nodes": 10, "edges": 16}
    drawn = small_page.evaluate("() => [Object.keys(nkrelNetwork.network.body.nodes).length, "
                                "nkrelNetwork.network.body.edgeIndices.length]")  # fmt: skip
    assert drawn == [10, 16]
    size = small_page.evaluate(
        "() => { const c = document.querySelector('#graph canvas'); return [c.width, c.height]; }"
    )
    assert size[0] > 300 and size[1] > 300
    # the layout settled and physics is off
    assert small_page.evaluate("() => nkrelNetwork.network.physics.physicsEnabled") is False
    legend = small_page.evaluate("() => document.getElementById('legend').innerText")
    assert "State" in legend and "Treaty or agreement" in legend and "Company" in legend


def test_clicking_an_edge_shows_its_evidence(small_page):
    edge = "a-trade-2014|party|china|north-korea"
    click_edge(small_page, edge)
    assert small_page.evaluate("() => nkrelNetwork.state.pinned") == {"edge": edge}
    assert small_page.evaluate(PANEL_TITLE) == "China \u2013 North Korea"
    panel = small_page.evaluate(PANEL)
    assert "trade peaked at $6.86 billion in 2014" in panel
    assert "US$6,860,000,000, as stated: \u201c$6.86 billion\u201d" in panel
    assert "Source: Synthetic alpha [alpha, characters 23\u201360]" in panel
    assert "Also stated by: beta" in panel and "happened" in panel and "trade flow" in panel
    # a directed edge with a period
    click_edge(small_page, "a-soviet-aid|directed|soviet-union|north-korea")
    assert small_page.evaluate(PANEL_TITLE) == "Soviet Union \u2192 North Korea"
    panel = small_page.evaluate(PANEL)
    assert "From 1965 to 1968, Soviet aid to the DPRK increased" in panel and "1965 to 1968" in panel


def test_hovering_a_node_shows_the_facts_behind_it(small_page):
    hover_node(small_page, "nigeria")
    small_page.wait_for_timeout(300)
    assert small_page.evaluate(PANEL_TITLE) == "Nigeria"
    panel = small_page.evaluate(PANEL)
    assert "2 facts" in panel
    assert "In 2012, a Nigerian team visited Pyongyang" in panel and "In 2012 the team met Kim Il-sung" in panel
    hover_node(small_page, "friendship-treaty")
    small_page.wait_for_timeout(300)
    assert small_page.evaluate(PANEL_TITLE) == "Treaty of Friendship"
    assert "In 1961 China and North Korea signed the Treaty of Friendship" in small_page.evaluate(PANEL)


def test_filters_change_what_is_visible(small_page):
    page = small_page
    page.select_option("#partner", "russia")
    assert page.evaluate(VISIBLE) == {"nodes": 2, "edges": 1}
    page.select_option("#partner", "nigeria")
    assert page.evaluate(VISIBLE) == {"nodes": 4, "edges": 6}
    page.select_option("#partner", "")
    page.uncheck('input[data-relation="trade"]')
    assert page.evaluate(VISIBLE) == {"nodes": 10, "edges": 14}
    page.check('input[data-relation="trade"]')
    # the network as it stood in 1961: the recognition (1948), the treaty (1961) and undated facts
    page.select_option("#year-mode", "upto")
    page.fill("#year", "1961")
    assert page.evaluate(VISIBLE) == {"nodes": 5, "edges": 4}
    page.uncheck("#undated")
    assert page.evaluate(VISIBLE) == {"nodes": 4, "edges": 3}
    assert page.evaluate("() => document.getElementById('year-value').textContent") == "up to 1961"
    page.select_option("#year-mode", "in")
    page.fill("#year", "1966")  # only the 1965-1968 aid
    assert page.evaluate(VISIBLE) == {"nodes": 2, "edges": 1}
    assert (
        page.evaluate("() => nkrelNetwork.edges.get('a-soviet-aid|directed|soviet-union|north-korea').hidden") is False
    )
    page.click("#reset")
    assert page.evaluate(VISIBLE) == {"nodes": 10, "edges": 16}


def test_the_search_box_finds_a_node(small_page):
    small_page.fill("#search", "kim")
    small_page.press("#search", "Enter")
    assert small_page.evaluate("() => nkrelNetwork.network.getSelectedNodes()") == ["kim-il-sung"]
    assert small_page.evaluate(PANEL_TITLE) == "Kim Il-sung"
    small_page.fill("#search", "no such thing")
    small_page.press("#search", "Enter")
    assert small_page.evaluate("() => document.getElementById('search-result').textContent") == "No node matches."


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-page")
    graph = network_graph(build_graph(hostile_corpus(tmp / "corpus")).dataset)
    return graph, write_page(graph, tmp / "network.html", title="<script>window.pwned=12</script>")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_a_hostile_corpus_leaves_window_untouched(browser, hostile, bypass_csp):
    """Labels, quotes, titles and notes with script tags, event handlers and javascript:
    links show as text. Run once under the page's Content-Security-Policy and once with
    the policy switched off, so that the escaping alone is shown to hold."""
    graph, path = hostile
    page, requests, errors = open_page(browser, path, bypass_csp=bypass_csp)
    for node in sorted(graph.nodes):
        hover_node(page, node)
        page.wait_for_timeout(100)
        point = page.evaluate("id => nkrelNetwork.nodePoint(id)", node)
        page.mouse.click(point["x"], point["y"])
        assert "pwned" not in page.evaluate("() => Object.keys(window).join(' ')")
    texts = []
    for _, _, key in sorted(graph.edges(keys=True)):
        click_edge(page, key)
        texts.append(page.evaluate(PANEL))
    page.fill("#search", HOSTILE_LABEL)
    page.press("#search", "Enter")
    texts.append(page.evaluate(PANEL_TITLE))
    page.select_option("#partner", "evil")
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, a, b, svg, iframe, object, embed').length") == 0
    assert page.evaluate("() => document.scripts.length") == 3
    assert page.evaluate("() => document.title") == "<script>window.pwned=12</script>"
    shown = "\n".join(texts)
    for raw in (HOSTILE_LABEL, HOSTILE_QUOTE, HOSTILE_FACT_LABEL, HOSTILE_TITLE, HOSTILE_AGREEMENT, HOSTILE_NK_LABEL,
                "</script><script>window.pwned=10</script>"):  # fmt: skip
        for piece in raw.split("\u2028"):  # a line separator may show as a line break
            assert piece.strip() in shown, raw
    options = page.evaluate("() => Array.from(document.querySelectorAll('#partner option')).map(o => o.textContent)")
    assert HOSTILE_LABEL in options and HOSTILE_NK_LABEL in options
    assert requests.blocked == []
    assert requests.allowed == [path.resolve().as_uri()], "the page fetched something (an injected <img>?)"
    assert errors == []
    assert page.evaluate("() => nkrelNetwork.state.cspViolations") == 0
    page.context.close()


def test_an_empty_graph_gives_a_working_page(browser, tmp_path):
    import networkx as nx

    page, requests, errors = open_page(browser, write_page(nx.MultiDiGraph(), tmp_path / "empty.html"))
    assert page.evaluate("() => nkrelNetwork.counts") == {"nodes": 0, "edges": 0, "facts": 0}
    assert page.evaluate("() => document.getElementById('status').textContent") == "No facts to show."
    assert requests.blocked == [] and errors == []
    page.context.close()


def test_a_graph_made_by_hand_renders_too(browser, tmp_path):
    """render_network_html takes any MultiDiGraph: integer nodes, no facts table, repeated keys."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_edge(1, 2, label="one", quote="first words")
    graph.add_edge(1, 2, label="two")
    graph.add_edge(2, 3)
    page, requests, errors = open_page(browser, write_page(graph, tmp_path / "hand.html"))
    assert page.evaluate("() => nkrelNetwork.counts") == {"nodes": 3, "edges": 3, "facts": 3}
    click_edge(page, "2|3|0")
    assert page.evaluate(PANEL_TITLE) == "2 \u2013 3"
    assert page.is_disabled("#year-mode")  # no fact has a year
    page.select_option("#partner", "")
    assert requests.blocked == [] and errors == []
    page.context.close()


def test_a_2000_node_graph_settles_and_stops(browser, tmp_path):
    """Timing is measured in tests/benchmark_network.py, not here."""
    graph = network_graph(large_dataset(2000))
    page, requests, errors = open_page(browser, write_page(graph, tmp_path / "large.html"), timeout_s=120)
    assert page.evaluate("() => nkrelNetwork.counts.nodes") == 2000
    assert page.evaluate("() => nkrelNetwork.network.physics.physicsEnabled") is False
    page.select_option("#partner", "state-3")
    assert 0 < page.evaluate(VISIBLE)["nodes"] < 2000
    assert requests.blocked == [] and errors == []
    page.context.close()


def test_the_built_graph_in_the_browser(browser, built_dir):
    """Done when: the built page attempts no request, renders at least 30 nodes and 30
    edges naming China, Nigeria and the Soviet Union, and carries the evidence."""
    path = built_dir / "network.html"
    page, requests, errors = open_page(browser, path)
    assert requests.blocked == [] and requests.allowed == [path.resolve().as_uri()]
    assert errors == []
    visible = page.evaluate(VISIBLE)
    assert visible["nodes"] >= 30 and visible["edges"] >= 30
    assert visible == {k: v for k, v in page.evaluate("() => nkrelNetwork.counts").items() if k != "facts"}
    labels = page.evaluate("() => nkrelNetwork.data.nodes.map(n => n.label)")
    assert {"China", "Nigeria", "Soviet Union", "Russia", "North Korea"} <= set(labels)
    kinds = page.evaluate("() => nkrelNetwork.data.nodes.map(n => n.kind)")
    assert kinds.count("agreement") >= 2
    peak = page.evaluate(
        "() => Object.entries(nkrelNetwork.data.facts).filter(([id, f]) => (f.quote || '').includes('$6.86 billion'))"
        ".map(([id, f]) => id)"
    )
    assert peak, "no fact quotes the $6.86 billion peak"
    edge = page.evaluate(
        "fids => nkrelNetwork.data.edges.filter(e => fids.includes(e.fact) && e.role !== 'involves')[0].id", peak
    )
    click_edge(page, edge)
    assert "$6.86 billion" in page.evaluate(PANEL)
    assert page.evaluate("() => nkrelNetwork.state.cspViolations") == 0
    page.context.close()


def test_anomalies_are_marked_on_the_built_page(browser, built_dir):
    """Issue 6: an edge or node an anomaly concerns is flagged, and the panel says what is wrong."""
    path = built_dir / "network.html"
    page, requests, errors = open_page(browser, path)
    assert requests.blocked == [] and errors == []
    flagged = page.evaluate("() => nkrelNetwork.edges.get().filter(e => e.label === '\u26a0').map(e => e.id)")
    data_flagged = page.evaluate("() => nkrelNetwork.data.edges.filter(e => e.flagged).map(e => e.id)")
    assert flagged and sorted(flagged) == sorted(data_flagged)
    node = page.evaluate("() => nkrelNetwork.nodes.get('world-food-organization')")
    assert node["label"].startswith("\u26a0") and node["borderWidth"] == 4
    hover_node(page, "world-food-organization")
    assert "No organisation named World Food Organization is known" in page.evaluate(PANEL)
    embassy = page.evaluate(
        "() => nkrelNetwork.data.edges.filter(e => e.fact === 'ta-dprk-embassy-pyongyang' && e.flagged)[0].id"
    )
    click_edge(page, embassy)
    assert "its own capital" in page.evaluate(PANEL)
    unflagged = page.evaluate("() => nkrelNetwork.data.edges.filter(e => !e.flagged).length")
    assert unflagged > len(flagged), "only the facts an anomaly concerns are flagged"
    page.context.close()
