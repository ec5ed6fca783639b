"""Commands for curators: coverage, anomalies, add-document, diff."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import (
    EXIT_DATA,
    _fail,
    _query_fail,
    built_graph_options,
    corpus_option,
    find_workspace,
    graph_store,
    handle_errors,
    require_input_file,
    workspace_option,
)


def printable(text: str) -> str:
    from ..sparql.query import printable as _printable

    return _printable(text).encode("utf-8", "backslashreplace").decode("utf-8")


@click.command(name="coverage")
@workspace_option
@corpus_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all/--uncovered-only", "show_all", default=True, help="List every sentence, or only the gaps.")
@handle_errors
def coverage_command(workspace, corpus, fmt, show_all):
    """Show, for each sentence of each document, the facts that cite it or why it is not a fact.

    Exit 0 when every sentence is covered by a fact or explained (heading, page
    chrome, reference list, unrelated teaser or quotation, opinion); exit 1 and
    list the gaps otherwise.

    \b
    Examples:
      nkrel coverage
      nkrel coverage --uncovered-only
      nkrel coverage --format json
    """
    from ..core.vocabulary import read_ontology
    from ..ingest.coverage import coverage
    from ..ingest.load import load_corpus

    _, vocabulary = read_ontology()
    cov = coverage(load_corpus(corpus or find_workspace(workspace).corpus_dir, vocabulary))
    totals = cov.totals()
    if fmt == "json":
        payload = {
            "documents": {
                doc: {
                    "totals": totals[doc],
                    "sentences": [
                        {
                            "start": s.start,
                            "end": s.end,
                            "text": s.text,
                            "status": s.status,
                            "facts": s.facts,
                            "reasons": s.reasons,
                        }  # fmt: skip
                        for s in cov.sentences
                        if s.document == doc
                    ],
                }
                for doc in totals
            },
            "uncovered": len(cov.uncovered),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for doc, t in totals.items():
            click.echo(
                f"{doc}: {t['sentences']} sentences, {t['fact']} cited by facts, "
                f"{t['explained']} explained, {t['uncovered']} uncovered"
            )
            for s in cov.sentences:
                if s.document != doc or (not show_all and s.status != "uncovered"):
                    continue
                why = ", ".join(s.facts) if s.facts else ", ".join(s.reasons) or "UNCOVERED"
                text = s.text if len(s.text) <= 70 else s.text[:69] + "…"
                click.echo(f"  [{s.start}:{s.end}] {text!r}\n      -> {why}")
    if cov.uncovered:
        click.echo(f"nkrel: error: {len(cov.uncovered)} sentence(s) neither cited by a fact nor explained", err=True)
        sys.exit(EXIT_DATA)


@click.command(name="anomalies")
@built_graph_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def anomalies_command(workspace, corpus, graph_file, no_rebuild, fmt):
    """Report where the sources slip or disagree, grouped by type, with the quotes involved.

    Read from the workspace's build (rebuilt first if the corpus changed), from a
    built file (--graph) or from a corpus built in memory (--corpus). Anomalies are
    findings about the sources, not errors of the data: the command exits 0 when
    the graph could be read, whatever it finds.

    \b
    Examples:
      nkrel anomalies
      nkrel anomalies --format json
      nkrel anomalies --graph graphs/nkrel.nq
    """
    from ..sparql.query import printable
    from ..sparql.reports import anomalies

    found = anomalies(graph_store(workspace, corpus, graph_file, no_rebuild))
    groups: dict[str, list] = {}
    for a in found:
        groups.setdefault(a["type"], []).append(a)
    if fmt == "json":
        keys = ("id", "type", "severity", "explanation", "detected_by", "words", "entities", "documents", "evidence")
        payload = {
            "total": len(found),
            "by_type": {t: len(items) for t, items in sorted(groups.items())},
            "anomalies": [{k: a[k] for k in keys} for a in found],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    majors = sum(a["severity"] == "major" for a in found)
    click.echo(f"{len(found)} anomalies ({majors} major) in {len(groups)} types\n")
    for t, items in sorted(groups.items()):
        click.echo(f"== {t} ({len(items)})")
        for a in items:
            click.echo(printable(f"- [{a['severity']}] {a['explanation']}  (found by {a['detected_by']})"))
            for e in a["evidence"]:
                click.echo(printable(f"    {e['fact']} in {e['document']} [{e['start']}:{e['end']}]: “{e['quote']}”"))
            for eid in a["entities"]:
                click.echo(f"    entity: {eid}")
            for doc in a["documents"]:
                click.echo(f"    document: {doc}")
        click.echo("")


@click.command(name="add-document")
@click.argument("source", required=False)
@click.option("--id", "doc_id", help="A readable id (a slug), e.g. un-panel-report-2019.")
@click.option("--title", help="The title as it appears in the text (default for a PDF or a page: the title it gives).")
@click.option("--publisher", default=None, help="The publisher or site, where the text names one.")
@click.option("--refresh", "refresh_id", metavar="ID", help="Extract document ID again from its kept original.")
@workspace_option
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder to add to. Default: the workspace's corpus.",
)
@handle_errors
def add_document_command(source, doc_id, title, publisher, refresh_id, workspace, corpus):
    """Add a source document to the corpus and start its fact file.

    SOURCE is a plain UTF-8 text, a saved web page (.html), a PDF, or an http(s)
    address. A text is copied byte for byte. A PDF or a page is kept byte for byte
    under originals/ and its text extracted under texts/ (the main text of a page
    without navigation, banners or footers; a PDF's text layer in reading order,
    without running headers, footers and page numbers, each page's start recorded),
    each with its sha256. The new fact file lists every sentence, each to be cited
    by a fact or explained in not_facts. Then curate the facts (or `nkrel draft`),
    check with `nkrel coverage` and rebuild with `nkrel build`.

    The build never extracts again: after an upgrade that changes an extractor, run
    `nkrel add-document --refresh ID` to extract a document again from its original.

    \b
    Examples:
      nkrel add-document article.txt --id un-panel-2019 --title "Report of the Panel of Experts"
      nkrel add-document report.pdf --id un-panel-2023
      nkrel add-document saved-page.html --id monitor-rail-2023
      nkrel add-document https://example.org/news/1 --id example-news-1
      nkrel add-document --refresh un-panel-2023
    """
    from ..ingest.curate import CurateError, add_document, refresh_document

    if source and "://" not in source:  # an address is fetched, not looked up on disk
        require_input_file(Path(source))
    if corpus is None:
        ws = find_workspace(workspace)
        ws.require_writable("`nkrel add-document`")
        corpus = ws.corpus_dir
    if refresh_id:
        if source or doc_id or title or publisher:
            _fail("--refresh ID takes no SOURCE, --id, --title or --publisher; nothing was changed")
        try:
            click.echo(refresh_document(corpus, refresh_id))
        except CurateError as e:
            _fail(f"{e}; nothing was changed")
        return
    if not source or not doc_id:
        _fail("give a SOURCE (a file or an address) and --id ID (or --refresh ID); nothing was changed")
    try:
        facts_file = add_document(corpus, source, doc_id, title, publisher)
    except CurateError as e:
        _fail(f"{printable(str(e))}; nothing was changed")
    click.echo(f"Added {doc_id}; now write its facts in {facts_file}, then run `nkrel coverage` and `nkrel build`.")


@click.command(name="diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--triples/--summary", default=False, help="Show the triples added and removed for each change.")
def diff_command(old, new, fmt, triples):
    """Compare two builds: facts, entities, anomalies added, removed or changed.

    OLD and NEW are built files in any RDF format (.nq, .trig, .ttl, ...). Exit
    codes, as diff(1): 0 the builds hold the same triples; 1 they differ; 2 error.

    \b
    Examples:
      git show HEAD:graphs/nkrel.nq > /tmp/before.nq
      nkrel build && nkrel diff /tmp/before.nq graphs/nkrel.nq
      nkrel diff old.trig new.trig --triples
      nkrel diff old.nq new.nq --format json
    """
    from ..output.compare import compare_builds
    from ..sparql.query import QueryError

    try:
        changes = compare_builds(old, new)
    except QueryError as e:
        _query_fail(str(e))
    if fmt == "json":
        payload = [
            {"section": c.section, "id": c.key, "status": c.status, "added": c.added, "removed": c.removed}
            for c in changes
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        counts: dict[str, dict[str, int]] = {}
        for c in changes:
            counts.setdefault(c.section, {"added": 0, "removed": 0, "changed": 0})[c.status] += 1
        if not changes:
            click.echo("The builds hold the same triples.")
        for section, n in sorted(counts.items()):
            click.echo(f"{section}: {n['added']} added, {n['removed']} removed, {n['changed']} changed")
        for c in changes:
            mark = {"added": "+", "removed": "-", "changed": "~"}[c.status]
            detail = f" ({len(c.added)} triples added, {len(c.removed)} removed)" if c.status == "changed" else ""
            click.echo(f"{mark} {c.section} {c.key}{detail}")
            if triples:
                for t in c.removed:
                    click.echo(f"    - {t}")
                for t in c.added:
                    click.echo(f"    + {t}")
    sys.exit(1 if changes else 0)


@click.command(name="init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Start from a copy of the example: its three texts and their facts.")
@click.option("--name", help="The workspace's name (default: the folder's name).")
@handle_errors
def init_command(folder, example, name):
    """Create a workspace: nkrel.toml, corpus/ (documents, entities, texts, facts) and graphs/.

    Every command run inside the folder (or below it) then uses its corpus and
    writes its builds there; nothing is written anywhere else.

    \b
    Examples:
      nkrel init my-corpus && cd my-corpus && nkrel add-document ../article.txt --id a1 --title "..."
      nkrel init ws --example && cd ws && nkrel build
    """
    from ..workspace import init

    ws = init(folder, example=example, name=name)
    what = "a copy of the example corpus" if example else "an empty corpus"
    click.echo(f"Created the workspace {ws.root} with {what}; `cd {folder}` and run `nkrel build`.")
