"""Commands for curators: coverage, anomalies, add-document, diff."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import EXIT_DATA, _fail, _query_fail, corpus_option, handle_errors


@click.command(name="coverage")
@corpus_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all/--uncovered-only", "show_all", default=True, help="List every sentence, or only the gaps.")
@handle_errors
def coverage_command(corpus, fmt, show_all):
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
    from ..ingest.coverage import coverage
    from ..ingest.load import default_corpus_dir, load_corpus
    from ..pipeline import read_ontology

    _, vocabulary = read_ontology()
    cov = coverage(load_corpus(corpus or default_corpus_dir(), vocabulary))
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
@corpus_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def anomalies_command(corpus, fmt):
    """Report where the sources slip or disagree, grouped by type, with the quotes involved.

    Anomalies are findings about the sources, not errors of the data: the
    command exits 0 when the corpus itself is valid, whatever it finds.

    \b
    Examples:
      nkrel anomalies
      nkrel anomalies --format json
    """
    from ..pipeline import build_graph

    built = build_graph(corpus)
    facts = {f.id: f for f in built.corpus.facts}
    docs = built.corpus.documents

    def evidence(fid):
        f = facts[fid]
        return {"fact": fid, "document": f.document, "title": docs[f.document].title, "quote": f.evidence.exact,
                "start": f.evidence.start, "end": f.evidence.end}  # fmt: skip

    groups: dict[str, list] = {}
    for a in built.anomalies:
        groups.setdefault(a.type, []).append(a)
    if fmt == "json":
        payload = {
            "total": len(built.anomalies),
            "by_type": {t: len(items) for t, items in sorted(groups.items())},
            "anomalies": [
                {
                    "id": a.id,
                    "type": a.type,
                    "severity": a.severity,
                    "explanation": a.explanation,
                    "detected_by": a.rule,
                    "words": a.words,
                    "entities": a.entities,
                    "evidence": [evidence(f) for f in a.facts],
                }  # fmt: skip
                for a in built.anomalies
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    majors = sum(a.severity == "major" for a in built.anomalies)
    click.echo(f"{len(built.anomalies)} anomalies ({majors} major) in {len(groups)} types\n")
    for t, items in sorted(groups.items()):
        click.echo(f"== {t} ({len(items)})")
        for a in items:
            click.echo(f"- [{a.severity}] {a.explanation}  (found by {a.rule})")
            for fid in a.facts:
                e = evidence(fid)
                click.echo(f"    {fid} in {e['document']} [{e['start']}:{e['end']}]: “{e['quote']}”")
            for eid in a.entities:
                click.echo(f"    entity: {eid}")
        click.echo("")


@click.command(name="add-document")
@click.argument("text_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", required=True, help="A readable id (a slug), e.g. un-panel-report-2019.")
@click.option("--title", required=True, help="The title as it appears in the text.")
@click.option("--publisher", default=None, help="The publisher or site, where the text names one.")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder to add to. Default: the shipped corpus (in a checkout: nkrel/corpus).",
)
def add_document_command(text_file, doc_id, title, publisher, corpus):
    """Add a new source text to the corpus and start its fact file.

    The text is copied byte for byte and its sha256 recorded; the new fact file
    lists every sentence, each to be cited by a fact or explained in not_facts.
    Then curate the facts, check with `nkrel coverage` and `nkrel validate`, and
    rebuild with `nkrel build`.

    \b
    Examples:
      nkrel add-document article.txt --id un-panel-2019 --title "Report of the Panel of Experts"
      nkrel add-document page.txt --id kcna-2020 --title "..." --corpus my-corpus
    """
    from ..ingest.curate import CurateError, add_document
    from ..ingest.load import default_corpus_dir

    try:
        facts_file = add_document(corpus or default_corpus_dir(), text_file, doc_id, title, publisher)
    except CurateError as e:
        _fail(f"{e}; nothing was changed")
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
