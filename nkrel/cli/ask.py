"""The ask command: a question in plain words, answered by a shipped query and its evidence."""

from __future__ import annotations

import sys

import click

from .common import (
    built_source,
    handle_errors,
    no_rebuild_option,
    query_failures,
    seconds_option,
    workspace_option,
)


@click.command()
@click.argument("question")
@click.option("--timeout", type=float, default=30.0, show_default=True, callback=seconds_option,
              help="Stop the query after this many seconds (above 0, at most 86400).")  # fmt: skip
@workspace_option
@no_rebuild_option
@handle_errors
def ask(question, timeout, workspace, no_rebuild):
    """Ask a question in plain words: it is routed to a shipped query, printed with its
    parameters, then run; every row carries its quote. No answer without a query: when
    no query fits, the closest ones are listed (exit 1).

    \b
    Examples:
      nkrel ask "What aid did Russia give in 2011?"
      nkrel ask "Peak of trade with China"
      nkrel ask "Which agreements did Nigeria sign?"
    """
    from ..sparql.ask import route
    from ..sparql.query import QueryError, entity_names, open_store, run_local, shipped_queries
    from ..sparql.runner import run_isolated

    shipped = shipped_queries()
    source = built_source(workspace, no_rebuild)
    with query_failures():
        names = run_isolated(lambda: entity_names(open_store(source)), timeout, reported=(QueryError,))
        chosen = route(question, shipped, names)
        if chosen.query is None:
            click.echo("No shipped query fits this question; the closest are:")
            for name in chosen.closest:
                click.echo(f"  {name}  {shipped[name].description}")
            sys.exit(1)
        params = "".join(f" --param {k}={v}" for k, v in sorted(chosen.params.items()))
        click.echo(f"query: nkrel query {chosen.query}{params}")
        click.echo(f"       ({shipped[chosen.query].description})\n")
        q = shipped[chosen.query]
        work = lambda: run_local(source, q.text, "table", q, chosen.params, None, check=False)  # noqa: E731
        output, has_rows = run_isolated(work, timeout, reported=(QueryError,))
    sys.stdout.flush()
    if sys.stdout.isatty():
        from ..sparql.query import for_terminal

        output = for_terminal(output)
    sys.stdout.buffer.write(output)
    sys.exit(0 if has_rows else 1)
