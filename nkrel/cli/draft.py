"""Commands that draft facts and let a person review them: draft, review."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_DATA, _fail, find_workspace, handle_errors, workspace_option

EXIT_INTERRUPTED = 130


def corpus_folder(corpus: Path | None, workspace: Path | None, command: str) -> Path:
    """The corpus these commands read and write: --corpus, else the workspace's (which must
    be writable: drafting never writes inside the installed package)."""
    if corpus is not None:
        return Path(corpus)
    ws = find_workspace(workspace)
    ws.require_writable(f"`nkrel {command}`")
    return ws.corpus_dir


_corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder (documents.yaml, entities.yaml, facts/, texts/). Default: the workspace's corpus.",
)


@click.command(name="draft")
@click.argument("document_id")
@workspace_option
@_corpus_option
@handle_errors
def draft_command(document_id, workspace, corpus):
    """Propose fact records for the sentences of a document that no fact cites yet.

    Drafts go to drafts/DOCUMENT_ID.yaml in the corpus (replacing earlier drafts),
    each marked `status: draft` with the cues that produced it; the build never
    reads them. Every drafted quote is verbatim text of the document. Review them
    with `nkrel review DOCUMENT_ID`.

    \b
    Examples:
      nkrel draft un-panel-2019
      nkrel draft un-panel-2019 --corpus my-corpus
    """
    from ..draft import DraftError, check_drafts, draft_document, load, write_drafts

    folder = corpus_folder(corpus, workspace, "draft")
    loaded, vocabulary = load(folder)
    try:
        result = draft_document(loaded, vocabulary, document_id)
    except DraftError as e:
        _fail(f"{e}; nothing was written")
    path = write_drafts(folder, loaded, result, vocabulary)
    problems = check_drafts(folder, loaded, vocabulary, document_id)
    n_entities = len(result.entities)
    click.echo(
        f"{len(result.drafts)} draft(s), {len(result.explanations)} line(s) proposed for not_facts and "
        f"{n_entities} proposed entit{'y' if n_entities == 1 else 'ies'} for {result.sentences} sentence(s) "
        f"not yet cited or explained, in {path}"
    )
    if problems:  # a drafting bug: say so rather than hand the reviewer broken records
        _fail(f"{len(problems)} draft(s) would not load", [str(p) for p in problems])
    click.echo(f"Review them with `nkrel review {document_id}`.")


@click.command(name="review")
@click.argument("document_id")
@workspace_option
@_corpus_option
@click.option("--accept-all", is_flag=True, help="Accept every draft that verifies, without asking (for scripts).")
@handle_errors
def review_command(document_id, workspace, corpus, accept_all):
    """Review the drafts of a document: accept, edit, reject or skip each one.

    Accepted drafts move to the document's fact file (comments kept), rejected
    ones to its not_facts with the reason chosen; skipped ones stay. Each answer
    is saved at once, so quitting (q, Ctrl-C) loses nothing already answered.
    Exit 0 when done; 1 when a draft did not verify (--accept-all leaves it).

    \b
    Examples:
      nkrel review un-panel-2019
      nkrel review un-panel-2019 --accept-all && nkrel build
    """
    from ..draft.review import ReviewError, open_review

    try:
        review = open_review(corpus_folder(corpus, workspace, "review"), document_id)
        if accept_all:
            refused = _accept_all(review)
        else:
            refused = _interactive(review)
    except ReviewError as e:
        _fail(str(e))
    except (KeyboardInterrupt, click.Abort):
        click.echo("", err=True)
        click.echo(f"nkrel: review stopped; {_summary(review)} saved", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(f"Done: {_summary(review)}; {len(review.pending())} draft(s) left.")
    if refused:
        sys.exit(EXIT_DATA)


def _summary(review) -> str:
    c = review.counts
    explained = f", {c['explained']} line(s) explained" if c["explained"] else ""
    return f"{c['accepted']} accepted, {c['rejected']} rejected, {c['discarded']} discarded{explained}"


def _accept_all(review) -> int:
    refused = review.accept_all()
    for entry, problems in refused:
        click.echo(f"nkrel: error: draft {entry.get('id')} was not accepted:", err=True)
        for p in problems:
            click.echo(f"  {p}", err=True)
    return len(refused)


ACTIONS = {"a": "accept", "e": "edit", "r": "reject", "d": "discard", "s": "skip", "q": "quit"}


def _interactive(review) -> int:
    from ..draft.review import REASONS, ReviewError, parse_record, record_text

    if not _review_entities(review):
        return 0
    pending = review.pending()
    refused = 0
    for n, entry in enumerate(pending, 1):
        click.echo(f"\n[{n}/{len(pending)}] {entry.get('id')}  ({entry.get('kind')}, {entry.get('modality')})")
        click.echo(f"  sentence: {review.sentence_of(entry)}")
        click.echo(f"  quote:    {(entry.get('evidence') or {}).get('quote')}")
        click.echo(f"  cues:     {'; '.join(entry.get('cues') or [])}")
        click.echo("  record:\n" + "\n".join("    " + line for line in record_text(entry).splitlines()))
        while True:
            answer = click.prompt(
                "  [a]ccept [e]dit [r]eject [d]iscard [s]kip [q]uit",
                type=click.Choice(list(ACTIONS)), show_choices=False,
            )  # fmt: skip
            if answer == "q":
                return refused
            if answer == "s":
                break
            if answer == "d":
                review.discard(entry)
                break
            if answer == "r":
                for i, reason in enumerate(REASONS, 1):
                    click.echo(f"    {i}. {reason}")
                pick = click.prompt("  reason", type=click.IntRange(1, len(REASONS)))
                review.reject(entry, REASONS[pick - 1])
                break
            edited = None
            if answer == "e":
                text = click.edit(record_text(entry), extension=".yaml", require_save=False)
                try:
                    edited = parse_record(text if text is not None else record_text(entry))
                except ReviewError as e:
                    click.echo(f"  {e}")
                    continue
            problems = review.accept(entry, edited)
            if not problems:
                click.echo("  accepted")
                break
            click.echo("  not accepted, the loader says:")
            for p in problems:
                click.echo(f"    {p}")
    for line in review.proposed_not_facts():
        click.echo(f"\nnot a fact? {line.get('quote')!r}: {line.get('reason')}")
        answer = click.prompt("  [a]ccept [d]iscard [s]kip [q]uit", type=click.Choice(["a", "d", "s", "q"]))
        if answer == "q":
            return refused
        if answer == "a":
            review.accept_not_fact(line)
        elif answer == "d":
            review.drop_not_fact(line)
    return refused


def _review_entities(review) -> bool:
    """Proposed entities first (a draft names them): accept, edit, discard or skip each.
    False when the reviewer quits."""
    from ..draft.review import ReviewError, parse_record, record_text

    for entity in review.proposed_entities():
        click.echo(f"\nproposed entity {entity.get('id')}: {entity.get('type')} {entity.get('label')!r}")
        click.echo(f"  cues: {'; '.join(entity.get('cues') or [])}")
        click.echo("  record:\n" + "\n".join("    " + line for line in record_text(entity).splitlines()))
        while True:
            answer = click.prompt(
                "  [a]ccept [e]dit [d]iscard [s]kip [q]uit", type=click.Choice(["a", "e", "d", "s", "q"]),
                show_choices=False,
            )  # fmt: skip
            if answer == "q":
                return False
            if answer == "d":
                review.drop_entity(entity)
            if answer in ("d", "s"):
                break
            try:
                edited = None
                if answer == "e":
                    text = click.edit(record_text(entity), extension=".yaml", require_save=False)
                    edited = parse_record(text if text is not None else record_text(entity))
                review.accept_entity(entity, edited)
                click.echo("  accepted")
                break
            except ReviewError as e:
                click.echo(f"  not accepted: {e}")
    return True
