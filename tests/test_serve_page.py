"""`nkrel serve`'s query page is nkrel's own (issue 26): YASGUI with nkrel's prefixes, the
shipped queries one choice away, results in prefixed names, and no request that leaves
the machine, in Debian's chromium with every other address aborted and recorded.
Never skipped: without chromium or Playwright these fail, naming what to install."""

from __future__ import annotations

import json
import urllib.request

import pytest

from nkrel.sparql.query import PREFIXES, shipped_queries
from nkrel.sparql.serve_page import page, with_prefixes

from .benchmark_serve import start_serve, stop_serve


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
