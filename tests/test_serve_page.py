"""`nkrel serve`'s query page is nkrel's own (issue 26): YASGUI with nkrel's prefixes, the
shipped queries one choice away, results in prefixed names with their labels, and no
request that leaves the machine, in Debian's chromium with every other address aborted
and recorded.
Never skipped: without chromium or Playwright these fail, naming what to install."""

from __future__ import annotations

import json
import urllib.request

import pytest

from nkrel.sparql.query import PREFIXES, shipped_queries
from nkrel.sparql.serve_page import page, with_prefixes

from .benchmark_serve import start_serve, stop_serve

ID = "https://w3id.org/nkrel/id/"


@pytest.fixture(scope="module")
def served():
    proc, base = start_serve([])
    yield base
    stop_serve(proc)


def _open(browser, base):
    """The page with every request outside the server aborted and recorded."""
    context = browser.new_context()
    page = context.new_page()
    outside, errors = [], []

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
    return page, outside, errors


def test_the_page_asks_nothing_of_another_machine_and_runs_a_shipped_query(served, browser):
    page, outside, errors = _open(browser, served)
    try:
        editor = "() => document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()"
        assert "PREFIX nk: <https://w3id.org/nkrel/ontology#>" in page.evaluate(editor)
        page.select_option("#shipped", "trade-peak")
        assert "nk:TradeFlow" in page.evaluate(editor)
        assert page.inner_text("#shipped-about") == shipped_queries()["trade-peak"].description
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table.dataTable tbody tr td", timeout=60_000)
        cells = page.inner_text(".yasr table.dataTable")
        # results in nkrel's prefixed names, not full IRIs
        assert "id:china" in cells and "https://w3id.org/nkrel/id/china" not in cells
        # the prefix completion read nkrel's list from this server, not prefix.cc
        page.wait_for_timeout(500)
        assert outside == [], outside
        assert not errors, errors
    finally:
        page.context.close()


EDITOR_SET = "q => document.querySelector('.yasqe .CodeMirror').CodeMirror.setValue(q)"
LABELLED = """() => Array.from(document.querySelectorAll('.yasr a.iri')).map(a => {
  const next = a.nextElementSibling;
  return [a.textContent, next && next.classList.contains('nkrel-label') ? next.textContent : null]; })"""


def _labelled_results(page, query: str | None = None) -> dict:
    """Run the editor's query (or QUERY): {prefixed name shown: the label beside it, or None}."""
    if query is not None:
        page.evaluate(EDITOR_SET, query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table.dataTable tbody tr td a.iri", timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('.yasr .nkrel-label').length > 0", timeout=30_000)
    page.wait_for_timeout(300)  # the labels of any later page of the table
    return dict(page.evaluate(LABELLED))


def test_results_show_each_iris_label_beside_its_prefixed_name(served, browser):
    page, outside, errors = _open(browser, served)
    try:
        page.select_option("#shipped", "trade-peak")
        shown = _labelled_results(page)
        assert shown["id:china"] == "China", shown
        assert shown["id:soviet-union"] == "Soviet Union", shown
        # a class's label too, from the ontology in the same store
        shown = _labelled_results(page, "SELECT ?c WHERE { VALUES ?c { nk:Treaty id:china } }")
        assert shown == {"nk:Treaty": "treaty", "id:china": "China"}, shown
        assert outside == [], outside
        assert not errors, errors
    finally:
        page.context.close()


HOSTILE_LABEL = '<img src=x onerror="window.pwned=1">Acme & <b>Co</b>'


def test_a_label_from_a_document_is_shown_as_text(browser, tmp_path):
    graph = tmp_path / "hostile.nq"
    graph.write_text(
        f"<{ID}acme> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(HOSTILE_LABEL)} <{ID}g> .\n",
        encoding="utf-8",
    )
    proc, base = start_serve(["--graph", str(graph)])
    try:
        page, outside, errors = _open(browser, base)
        shown = _labelled_results(page, "SELECT ?s WHERE { ?s ?p ?o }")
        assert shown == {"id:acme": HOSTILE_LABEL}, shown
        assert page.locator(".yasr .nkrel-label img, .yasr .nkrel-label b").count() == 0
        assert page.evaluate("() => window.pwned") is None
        assert outside == [], outside
        assert not errors, errors
        page.context.close()
    finally:
        stop_serve(proc)


def test_the_page_and_its_prefixes_are_served_by_nkrel(served):
    with urllib.request.urlopen(served + "/") as r:
        body, csp = r.read().decode("utf-8"), r.headers["Content-Security-Policy"]
    assert "yasgui.min.js" in body and "<title>nkrel" in body
    assert "connect-src 'self'" in csp and "default-src 'self'" in csp
    with urllib.request.urlopen(served + "/prefixes.json") as r:
        assert json.loads(r.read()) == PREFIXES


def test_the_config_cannot_end_its_script_element(monkeypatch):
    """A shipped query's text (or description) holding `</script>` stays inside the JSON."""
    import nkrel.sparql.serve_page as serve_page

    real = serve_page.shipped_queries

    def hostile():
        queries = real()
        q = queries["trade-by-year"]
        q.text = q.text + "\n# </script><script>alert(1)</script> <!--"
        q.description = "<b>bold</b> </script>"
        return queries

    monkeypatch.setattr(serve_page, "shipped_queries", hostile)
    body = page()[0].decode("utf-8")
    assert body.count("</script>") == 3  # yasgui.min.js, the config, the page's script
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body


def test_shipped_queries_get_the_prefix_lines_they_use_after_their_comments():
    text = "# a comment\n# param: x entity\nSELECT ?f WHERE { ?f a nk:Treaty ; rdfs:label ?l }\n"
    shown = with_prefixes(text)
    assert shown.splitlines()[:2] == ["# a comment", "# param: x entity"]
    assert "PREFIX nk: <https://w3id.org/nkrel/ontology#>" in shown
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in shown
    assert "PREFIX owl:" not in shown
    declared = "PREFIX nk: <urn:other#>\nSELECT * { ?f a nk:X }"
    assert with_prefixes(declared) == declared
