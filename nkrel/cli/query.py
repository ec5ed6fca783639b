"""Commands that ask questions: query, queries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    _query_fail,
    built_source,
    handle_errors,
    memory_option,
    no_rebuild_option,
    query_failures,
    seconds_option,
    workspace_option,
)


@click.command()
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]
    ),
    default=None,
    help="Output: table (default for SELECT/ASK), csv, tsv, json, xml (W3C SPARQL results); "
    "turtle (default for CONSTRUCT/DESCRIBE), ntriples, nquads, trig, jsonld, rdfxml.",
)
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Query this RDF file (.ttl .trig .nq .nt .jsonld .rdf), not the workspace's build.")  # fmt: skip
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable of the query, e.g. --param partner=china (repeatable).")  # fmt: skip
@click.option("--timeout", type=float, default=30.0, show_default=True, callback=seconds_option,
              help="Stop the query after this many seconds (above 0, at most 86400).")  # fmt: skip
@click.option("--memory", type=int, default=2048, show_default=True, callback=memory_option,
              help="Stop the query if it needs more than this many MiB of memory.")  # fmt: skip
@click.option("--wide", is_flag=True, help="Table output: never cut long cells to fit the terminal.")
@click.option("--endpoint", metavar="QUERY_URL",
              help="Run on a remote SPARQL 1.1 endpoint instead, e.g. http://127.0.0.1:7878/query.")  # fmt: skip
@workspace_option
@no_rebuild_option
@handle_errors
def query(query, fmt, graph_file, params, timeout, memory, wide, endpoint, workspace, no_rebuild):
    """Run a SPARQL query: a shipped query's name, a .rq file, or SPARQL text.

    Queries are read-only and cannot reach the network or the file system: the
    query is parsed first, and SERVICE, LOAD, FROM / FROM NAMED and updates are
    refused wherever they appear; then it runs in a process that cannot open a
    network connection, bounded by --timeout and --memory. Named graphs are visible
    with GRAPH, and the default graph is their union. The prefixes nk:, fact:, id:,
    oa:, prov:, schema:, rdf:, rdfs:, xsd:, owl:, skos: and dcterms: are declared
    (a query's own PREFIX lines win). Entity parameters take an id, a label or an
    alias (--param partner=USSR).

    Exit codes: 0 results; 1 no results (empty or false); 2 error (refused,
    syntax error with line and column, timeout, memory, bad parameter).

    \b
    Examples:
      nkrel query trade-by-year
      nkrel query trade-by-year --param partner=china --format csv
      nkrel query 'SELECT ?f WHERE { ?f a nk:Treaty }'
      nkrel query my-question.rq --graph graphs/nkrel.trig --format json
    """
    from ..sparql.query import parse_params, resolve
    from ..sparql.safety import UnsafeQuery

    with query_failures():
        try:
            text, shipped = resolve(query)
            bound = parse_params(params)
            if endpoint:
                from ..sparql.remote import remote_query

                output, has_results = remote_query(endpoint, text, fmt, timeout, shipped, bound, max_bytes=memory << 20)
            else:
                from ..sparql.query import Source

                source = Source(graph_file) if graph_file else built_source(workspace, no_rebuild)
                output, has_results = _run_locally(text, shipped, bound, fmt, source, timeout, memory, wide)
            hints = [] if has_results or shipped or endpoint else _hints(text, source, timeout, memory)
        except UnsafeQuery as e:
            _query_fail(_unquoted(str(e)) if _names_another_file(query) else str(e))
    if sys.stdout.isatty():
        from ..sparql.query import for_terminal

        output = for_terminal(output)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    for hint in hints:
        click.echo(f"hint: {hint}", err=True)
    sys.exit(0 if has_results else 1)


def _names_another_file(query: str) -> bool:
    """QUERY names a file that is not a .rq file (a link to a secret, say): its words are
    not quoted back in an error."""
    from ..sparql.query import _is_file, shipped_queries

    return "\n" not in query and query not in shipped_queries() and not query.endswith(".rq") and _is_file(query)


def _unquoted(message: str) -> str:
    where, sep, _ = message.partition(": ")
    if where.startswith("SPARQL syntax error at"):
        return f"{where}: the file is not SPARQL (its words are not shown: name a .rq file to see them)"
    return message


def _hints(text, source, timeout, memory) -> list[str]:
    """Why a query of the user's found nothing, where the graph can tell: terms it never uses."""
    from ..sparql.hints import unknown_term_hints
    from ..sparql.query import PREFIXES, QueryError, open_store, printable
    from ..sparql.runner import RunError, run_isolated

    try:
        hints = run_isolated(lambda: unknown_term_hints(open_store(source), text, PREFIXES), timeout, memory,
                             reported=(QueryError,))  # fmt: skip
    except (QueryError, RunError):
        return []  # a hint is a courtesy: the query's own answer stands
    return [printable(h) for h in hints]


def _run_locally(text, shipped, bound, fmt, source, timeout, memory, wide):
    import os
    import shutil

    from ..sparql.query import QueryError, run_local
    from ..sparql.runner import run_isolated
    from ..sparql.safety import UnsafeQuery

    width = None
    if not wide and (sys.stdout.isatty() or "COLUMNS" in os.environ):
        width = shutil.get_terminal_size().columns
    # checked inside the bounded process too: parsing a hostile query is work to bound
    work = lambda: run_local(source, text, fmt, shipped, bound, width, check=shipped is None)  # noqa: E731
    return run_isolated(work, timeout, memory, reported=(QueryError, UnsafeQuery))


@click.command()
@click.option("--show", metavar="NAME", help="Print the SPARQL text of one shipped query (to copy and adapt).")
def queries(show):
    """List the shipped queries: name, then what question it answers.

    \b
    Examples:
      nkrel queries
      nkrel queries --show trade-by-year > my-trade.rq
      nkrel query "$(nkrel queries | head -1 | cut -d' ' -f1)"
    """
    import re

    from ..sparql.query import QueryError, printable, resolve, shipped_queries

    shipped = shipped_queries()
    if show is not None:
        if show not in shipped:
            try:
                resolve(show if re.fullmatch(r"[a-z0-9-]+", show) else "?")  # its error suggests a close name
            except QueryError as e:
                _query_fail(str(e))
            _query_fail(f"no shipped query named {printable(show)!r} (`nkrel queries` lists them)")
        click.echo(shipped[show].text, nl=False)
        return
    width = max(map(len, shipped), default=0)
    for name, q in shipped.items():
        params = "".join(f" [--param {p}=...]" for p in q.params)
        click.echo(f"{name.ljust(width)}  {q.description}{params}")
