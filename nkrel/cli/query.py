"""Commands that ask questions: query, queries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import _query_fail


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
              help="Query this RDF file (.ttl .trig .nq .nt .jsonld .rdf) instead of the shipped graph.")  # fmt: skip
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable of the query, e.g. --param partner=china (repeatable).")  # fmt: skip
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Stop the query after this many seconds.")
@click.option("--endpoint", metavar="QUERY_URL",
              help="Run on a remote SPARQL 1.1 endpoint instead, e.g. http://127.0.0.1:7878/query.")  # fmt: skip
def query(query, fmt, graph_file, params, timeout, endpoint):
    """Run a SPARQL query: a shipped query's name, a .rq file, or SPARQL text.

    Queries are read-only and cannot reach the network or the file system:
    SERVICE, LOAD, FROM / FROM NAMED and updates are refused before anything runs.
    Named graphs are visible with GRAPH, and the default graph is their union.

    Exit codes: 0 results; 1 no results (empty or false); 2 error (refused,
    syntax error with line and column, timeout, bad parameter).

    \b
    Examples:
      nkrel query trade-by-year
      nkrel query trade-by-year --param partner=china --format csv
      nkrel query 'SELECT ?s WHERE { ?s a <https://w3id.org/nkrel/ontology#Treaty> }'
      nkrel query my-question.rq --graph graphs/nkrel.trig --format json
    """
    from ..sparql.query import QueryError, bind_params, check_safety, execute, load_store, resolve, run_with_timeout

    try:
        text, shipped = resolve(query)
        bound = {}
        for p in params:
            name, sep, value = p.partition("=")
            if not sep or not name:
                raise QueryError(f"--param takes NAME=VALUE, got {p!r}")
            bound[name] = value
        text = bind_params(text, shipped, bound)
        if endpoint:
            from ..sparql.remote import remote_query

            output, has_results = remote_query(endpoint, text, fmt, timeout)
        else:
            check_safety(text)
            store = load_store(graph_file)
            output, has_results = run_with_timeout(lambda: execute(store, text, fmt), timeout)
    except QueryError as e:
        _query_fail(str(e))
    sys.stdout.buffer.write(output)
    sys.exit(0 if has_results else 1)


@click.command()
def queries():
    """List the shipped queries: name, then what question it answers.

    \b
    Examples:
      nkrel queries
      nkrel query "$(nkrel queries | head -1 | cut -d' ' -f1)"
    """
    from ..sparql.query import shipped_queries

    shipped = shipped_queries()
    width = max(map(len, shipped), default=0)
    for name, q in shipped.items():
        params = "".join(f" [--param {p}=...]" for p in q.params)
        click.echo(f"{name.ljust(width)}  {q.description}{params}")
