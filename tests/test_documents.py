"""`nkrel add-document` on documents as analysts have them: a PDF, a saved web page, an
address. Each goes through add-document -> draft -> review --accept-all -> build; the
graph gives each quote of a PDF its page, a page's chrome is in no sentence, a scan is
refused, and the original is kept as evidence beside the extracted text."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Literal, Namespace, URIRef

from .conftest import nkrel
from .documents_helpers import (
    CHROMIUM_CHROME,
    REPORT_HTML,
    SAVED_PAGE,
    Server,
    chromium_pdf,
    endless,
    reportlab_pdf,
    scanned_pdf,
    slow,
)
from .hostile.conftest import snapshot

OA = Namespace("http://www.w3.org/ns/oa#")
RDF_VALUE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
PAGE_CHROME = ("cookie", "Subscribe", "Related articles", "Share on", "©", "All rights reserved", "Home",
               "newsletter", "Privacy policy", "Follow us", "Search the Monitor", "Rason")  # fmt: skip
SCANNED = "no text layer: this looks like a scanned PDF; run OCR first, for example with ocrmypdf"


@pytest.fixture(scope="module")
def chromium_report(tmp_path_factory) -> Path:
    return chromium_pdf(REPORT_HTML, tmp_path_factory.mktemp("pdf"))


@pytest.fixture
def workspace(tmp_path) -> Path:
    assert nkrel("init", tmp_path / "ws", "--example").returncode == 0
    return tmp_path / "ws"


def run(ws: Path, *args, **kwargs):
    """nkrel in the workspace ws (the suite's NKREL_WORKSPACE names another one)."""
    return nkrel(*args, cwd=ws, env={"NKREL_WORKSPACE": str(ws)}, **kwargs)


def registry(ws: Path) -> dict:
    return {d["id"]: d for d in yaml.safe_load((ws / "corpus" / "documents.yaml").read_text("utf-8"))["documents"]}


def draft_review_build(ws: Path, doc_id: str) -> None:
    """The curation flow, with no flag and no hand edit: every sentence ends drafted or
    explained, so the build accepts the document."""
    for args in (("draft", doc_id), ("review", doc_id, "--accept-all"), ("build",)):
        result = run(ws, *args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr


def evidence_pages(ws: Path, doc_id: str) -> dict[str, tuple[int, int | None]]:
    """{quote: (start, page)} of every evidence from the document, read from the built graph."""
    ds = Dataset(default_union=True)
    ds.parse(ws / "graphs" / "nkrel.nq", format="nquads")
    doc = URIRef(f"https://w3id.org/nkrel/id/document/{doc_id}")
    out = {}
    for ev in set(ds.subjects(OA.hasSource, doc)):
        quote = start = page = None
        for selector in ds.objects(ev, OA.hasSelector):
            quote = quote or ds.value(selector, OA.exact)
            start = start if start is not None else ds.value(selector, OA.start)
            value = ds.value(selector, RDF_VALUE)
            if value is not None:
                assert str(value).startswith("page="), value
                page = int(str(value)[5:])
        out[str(quote)] = (int(start), page)
    return out


def test_two_page_pdf_printed_by_chromium_goes_through_the_flow(workspace, chromium_report):
    result = run(workspace, "add-document", chromium_report, "--id", "panel-trade")
    assert result.returncode == 0, result.stderr
    entry = registry(workspace)["panel-trade"]
    assert entry["title"] == "Panel report on trade"  # the PDF's own title
    original = workspace / "corpus" / entry["source"]["file"]
    assert original.read_bytes() == chromium_report.read_bytes()
    assert entry["source"]["sha256"] == hashlib.sha256(original.read_bytes()).hexdigest()
    text = (workspace / "corpus" / entry["file"]).read_text("utf-8")
    assert entry["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry["source"]["extractor"].startswith("nkrel-pdf/1 pdfminer.six/")
    pages = entry["source"]["pages"]
    assert len(pages) == 2 and pages[0] == 0 and text[pages[1] :].startswith("Labour")
    for chrome in CHROMIUM_CHROME:  # Chromium's running header and footer
        assert chrome not in text, chrome

    draft_review_build(workspace, "panel-trade")
    found = evidence_pages(workspace, "panel-trade")
    assert found, "the drafter made no fact from the PDF"
    for quote, (start, page) in found.items():
        assert page == (1 if start < pages[1] else 2), (quote, start, page)
    assert {page for _, page in found.values()} == {1, 2}, found
    rows = run(workspace, "query", "evidence", "--format", "csv")
    assert rows.returncode == 0, rows.stderr
    table = list(csv.DictReader(io.StringIO(rows.stdout)))
    mine = [r for r in table if r["document"] == "panel-trade"]
    assert mine and all(r["page"] in ("1", "2") for r in mine), mine
    labour = [r for r in mine if r["quote"].startswith("Russia signed an agreement")]
    assert labour and all(r["page"] == "2" for r in labour), labour
    assert all(r["page"] == "" for r in table if r["document"] != "panel-trade")  # plain texts have no pages
    assert_shapes_refuse_a_wrong_page(workspace)
    assert_network_page_knows_the_pages(workspace)


def assert_network_page_knows_the_pages(ws: Path) -> None:
    from nkrel.output.network import network_graph

    ds = Dataset(default_union=True)
    ds.parse(ws / "graphs" / "nkrel.nq", format="nquads")
    spans = [e for f in network_graph(ds).graph["facts"].values() for e in f["evidence"]]
    pdf = [e.get("page") for e in spans if e["document"] == "panel-trade"]
    assert pdf and None not in pdf and set(pdf) == {1, 2}, pdf
    assert all("page" not in e for e in spans if e["document"] != "panel-trade")


def assert_shapes_refuse_a_wrong_page(ws: Path) -> None:
    """The shapes accept the built pages and refuse a page 0, a second page and a missing RFC."""
    from nkrel.model.validate import validate_dataset

    ds = Dataset(default_union=True)
    ds.parse(ws / "graphs" / "nkrel.nq", format="nquads")
    assert validate_dataset(ds).conforms
    page = next(s for s, o in ds.subject_objects(RDF_VALUE) if str(o).startswith("page="))
    graph = next(g for *_, g in ds.quads((page, None, None, None)))
    conforms = URIRef("http://purl.org/dc/terms/conformsTo")
    breakings = [
        ([(page, RDF_VALUE, None)], [(page, RDF_VALUE, Literal("page=0"))]),
        ([], [(page, RDF_VALUE, Literal("page=7"))]),
        ([(page, conforms, None)], []),
    ]
    for remove, add in breakings:
        copy = Dataset(default_union=True)
        for q in ds.quads((None, None, None, None)):
            copy.add(q)
        for t in remove:
            copy.remove((*t, None))
        for t in add:
            copy.graph(graph).add(t)
        assert not validate_dataset(copy).conforms, (remove, add)


def test_pdf_from_another_producer_joins_hyphens_and_drops_running_headers(tmp_path, workspace):
    pdf = reportlab_pdf(tmp_path / "review.pdf")
    result = run(workspace, "add-document", pdf, "--id", "sanctions-review")
    assert result.returncode == 0, result.stderr
    entry = registry(workspace)["sanctions-review"]
    text = (workspace / "corpus" / entry["file"]).read_text("utf-8")
    assert "transshipped at sea" in text  # "trans-" at a line end, "shipped" on the next
    # a paragraph cut by the page break is one line again
    assert "seized cargoes of iron ore in their ports during the year, and that the cargoes were returned" in text
    assert "S/2024/215" not in text and "Page 1 of 3" not in text and "of 3" not in text
    pages = entry["source"]["pages"]
    assert len(pages) == 3
    assert text[pages[1] :].startswith("the cargoes were returned")
    assert text[pages[2] :].startswith("Annex")


def test_scanned_pdf_is_refused_and_nothing_changes(tmp_path, workspace):
    before = snapshot(workspace)
    result = run(workspace, "add-document", scanned_pdf(tmp_path / "scan.pdf"), "--id", "scan")
    assert result.returncode == 1
    assert SCANNED in result.stderr and "Traceback" not in result.stderr
    assert snapshot(workspace) == before


def test_saved_web_page_goes_through_the_flow_without_its_chrome(workspace):
    result = run(workspace, "add-document", SAVED_PAGE, "--id", "monitor-rail", "--publisher", "Monitor")
    assert result.returncode == 0, result.stderr
    entry = registry(workspace)["monitor-rail"]
    source = entry["source"]
    assert entry["title"] == "Rail link reopens between Russia and North Korea"
    assert source["author"] == "Anna Petrova" and source["date"] == "2023-09-14"
    assert source["canonical"] == "https://monitor.example.org/2023/rail-link-reopens"
    assert (workspace / "corpus" / source["file"]).read_bytes() == SAVED_PAGE.read_bytes()
    draft_review_build(workspace, "monitor-rail")
    coverage = run(workspace, "coverage", "--format", "json")
    sentences = [s["text"] for s in json.loads(coverage.stdout)["documents"]["monitor-rail"]["sentences"]]
    assert any(s.startswith("Russia delivered 2,000 tonnes of wheat flour") for s in sentences), sentences
    for sentence in sentences:
        for chrome in PAGE_CHROME:
            assert chrome.lower() not in sentence.lower(), (chrome, sentence)
    assert evidence_pages(workspace, "monitor-rail"), "the drafter made no fact from the page"
    assert all(page is None for _, page in evidence_pages(workspace, "monitor-rail").values())


def test_address_is_fetched_recorded_and_goes_through_the_flow(workspace):
    page = SAVED_PAGE.read_bytes()
    with Server({"/news/rail": (200, {"Content-Type": "text/html; charset=utf-8"}, page)}) as server:
        address = server.base + "/news/rail"
        result = run(workspace, "add-document", address, "--id", "monitor-rail-web")
    assert result.returncode == 0, result.stderr
    source = registry(workspace)["monitor-rail-web"]["source"]
    assert source["address"] == address and source["format"] == "html"
    assert source["retrieved"].endswith("Z") and source["retrieved"][:4] >= "2025"
    assert (workspace / "corpus" / source["file"]).read_bytes() == page
    draft_review_build(workspace, "monitor-rail-web")
    ds = Dataset(default_union=True)
    ds.parse(workspace / "graphs" / "nkrel.nq", format="nquads")
    doc = URIRef("https://w3id.org/nkrel/id/document/monitor-rail-web")
    sources = {str(o) for o in ds.objects(doc, URIRef("http://purl.org/dc/terms/source"))}
    assert address in sources and "https://monitor.example.org/2023/rail-link-reopens" in sources


def test_pdf_at_an_address(workspace, chromium_report):
    with Server({"/r.pdf": (200, {"Content-Type": "application/pdf"}, chromium_report.read_bytes())}) as server:
        result = run(workspace, "add-document", server.base + "/r.pdf", "--id", "panel-web")
    assert result.returncode == 0, result.stderr
    assert registry(workspace)["panel-web"]["source"]["pages"][0] == 0


@pytest.mark.parametrize(
    "path, route, message",
    [
        ("/gone", None, "answered HTTP 404 Not Found"),
        ("/error", (500, {}, b"boom"), "answered HTTP 500"),
        ("/forbidden", (403, {}, b"no"), "answered HTTP 403"),
        (
            "/to-file",
            (302, {"Location": "file:///etc/passwd"}, b""),
            "Redirection to url 'file:///etc/passwd' is not allowed",
        ),
        ("/to-ftp", (302, {"Location": "ftp://127.0.0.1/x"}, b""), "redirected to 'ftp://127.0.0.1/x', not an http"),
        ("/huge", (200, {"Content-Length": str(10**12)}, b""), "bytes (at most"),
    ],
)
def test_each_http_failure_is_named_and_nothing_changes(workspace, path, route, message):
    before = snapshot(workspace)
    with Server({path: route} if route else {}) as server:
        result = run(workspace, "add-document", server.base + path, "--id", "web", timeout=60)
    assert result.returncode == 1, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert snapshot(workspace) == before


def test_unreachable_address_and_time_limit_and_size_cap():
    from nkrel.ingest.extract.fetch import FetchError, fetch

    with Server({"/slow": slow(3), "/endless": endless}) as server:
        with pytest.raises(FetchError, match="did not answer within 1 s"):
            fetch(server.base + "/slow", 1000, timeout=1)
        with pytest.raises(FetchError, match="larger than 100000 bytes"):
            fetch(server.base + "/endless", 100_000)
        port = server.base.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="cannot reach"):
        fetch(f"http://127.0.0.1:{port}/closed", 1000, timeout=2)


def test_a_new_extractor_version_asks_for_refresh_and_keeps_the_old_text(workspace):
    assert run(workspace, "add-document", SAVED_PAGE, "--id", "monitor-rail").returncode == 0
    registry_file = workspace / "corpus" / "documents.yaml"
    current = registry(workspace)["monitor-rail"]["source"]["extractor"]
    registry_file.write_text(registry_file.read_text("utf-8").replace(current, "nkrel-html/0 trafilatura/1.0"))
    text_before = (workspace / "corpus" / "texts" / "monitor-rail.txt").read_bytes()
    build = run(workspace, "build", "--allow-uncovered")
    assert build.returncode == 0, build.stderr  # the old text stays valid
    assert "re-extract with nkrel add-document --refresh monitor-rail" in build.stderr
    assert (workspace / "corpus" / "texts" / "monitor-rail.txt").read_bytes() == text_before  # never silently
    refresh = run(workspace, "add-document", "--refresh", "monitor-rail")
    assert refresh.returncode == 0 and "extracted again" in refresh.stdout, refresh.stderr
    assert registry(workspace)["monitor-rail"]["source"]["extractor"] == current
    build = run(workspace, "build", "--allow-uncovered")
    assert build.returncode == 0 and "--refresh" not in build.stderr


def test_a_changed_original_is_refused_by_the_build(workspace):
    assert run(workspace, "add-document", SAVED_PAGE, "--id", "monitor-rail").returncode == 0
    (workspace / "corpus" / "originals" / "monitor-rail.html").write_bytes(b"<html>forged</html>")
    build = run(workspace, "build", "--allow-uncovered")
    assert build.returncode == 1 and "originals/monitor-rail.html has sha256" in build.stderr, build.stderr


def test_refresh_that_would_lose_a_quote_is_refused(workspace):
    """A text from an older extractor that a fact quotes: extracting again would lose the quote."""
    assert run(workspace, "add-document", SAVED_PAGE, "--id", "monitor-rail").returncode == 0
    corpus = workspace / "corpus"
    text_file = corpus / "texts" / "monitor-rail.txt"
    old_text = text_file.read_bytes() + b"Words only the old extractor found.\n"
    text_file.write_bytes(old_text)
    entry = registry(workspace)["monitor-rail"]
    registry_file = corpus / "documents.yaml"
    registry_file.write_text(
        registry_file.read_text("utf-8")
        .replace(entry["sha256"], hashlib.sha256(old_text).hexdigest())
        .replace(entry["source"]["extractor"], "nkrel-html/0 trafilatura/1.8.0")
    )
    facts = corpus / "facts" / "monitor-rail.yaml"
    facts.write_text(
        facts.read_text("utf-8").replace(
            "not_facts: []", 'not_facts:\n  - {quote: "Words only the old extractor found.", reason: heading}'
        )
    )
    before = snapshot(workspace)
    result = run(workspace, "add-document", "--refresh", "monitor-rail")
    assert result.returncode == 1, result.stdout
    assert "with the text extracted again, the corpus would refuse it" in result.stderr, result.stderr
    assert "Words only the old extractor found." in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(workspace) == before
