"""Commands that talk to triple stores: push, serve."""

from __future__ import annotations

import sys

import click

from .common import (
    _dataset,
    _fail,
    built_graph_options,
    handle_errors,
    memory_option,
    seconds_option,
)


def _credentials_out_of(url: str) -> tuple[str, str | None, str | None]:
    """(the URL without user:password@, the user, the password): urllib would read them as
    part of the host name; they are sent as HTTP authentication instead."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    user = urllib.parse.unquote(parts.username) if parts.username else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])), user, password


@click.command()
@click.argument("store_url")
@built_graph_options
@click.option("--dry-run", is_flag=True, help="List what would be sent, and send nothing.")
@click.option("--user", help="User name for HTTP authentication (Digest or Basic, as the server asks); the "
              "password is read from the environment variable NKREL_PASSWORD.")  # fmt: skip
@click.option("--timeout", type=float, default=60.0, show_default=True, callback=seconds_option,
              help="Seconds to wait for each answer (above 0, at most 86400).")  # fmt: skip
@handle_errors
def push(store_url, workspace, corpus, graph_file, no_rebuild, dry_run, user, timeout):
    """Upload every named graph to a SPARQL 1.1 Graph Store Protocol endpoint.

    One PUT per named graph to STORE_URL?graph=<graph IRI>, which replaces that
    graph: pushing again leaves the server in the same state. The server's default
    graph and its other graphs are never touched. STORE_URL is the Graph Store URL,
    not the query URL: Oxigraph http://HOST:7878/store, Fuseki
    http://HOST:3030/DATASET/data, GraphDB
    http://HOST:7200/repositories/ID/rdf-graphs/service.

    Progress goes to stderr, one line per graph. Exit codes: 0 every graph pushed;
    1 a graph was not pushed (the message names the URL and the HTTP status, and
    lists the graphs pushed and not pushed); 2 usage error.

    \b
    Examples:
      nkrel push http://127.0.0.1:7878/store
      nkrel push http://127.0.0.1:7878/store --dry-run
      nkrel push http://localhost:3030/nkrel/data --graph graphs/nkrel.nq
      NKREL_PASSWORD=secret nkrel push https://kg.example.org/nkrel/data --user editor
      NKREL_PASSWORD=dba nkrel push http://127.0.0.1:8890/sparql-graph-crud-auth --user dba
    """
    import time

    from ..sparql.query import QueryError, printable
    from ..sparql.remote import check_store_url, graph_url, named_graphs, redact
    from ..sparql.remote import push as push_graphs

    def shown(url):
        return printable(redact(url))

    try:
        check_store_url(store_url)
    except QueryError as e:
        raise click.BadParameter(str(e), param_hint="STORE_URL") from None
    request_url, user, password = _push_credentials(store_url, user)
    graphs, in_default = named_graphs(_dataset(corpus, graph_file, workspace, no_rebuild))
    source = str(graph_file) if graph_file else "the build"
    if in_default:
        click.echo(f"nkrel: warning: {in_default} triples in the default graph of {source} are not pushed "
                   "(only named graphs are)", err=True)  # fmt: skip
    if not graphs:
        _fail(f"nothing to push: {source} has no named graphs")
    total = sum(g.triples for g in graphs)
    if dry_run:
        for g in graphs:
            click.echo(f"PUT {shown(graph_url(store_url, g.iri))}  ({g.triples} triples, {len(g.data)} bytes)")
        click.echo(f"Dry run: would push {len(graphs)} named graphs ({total} triples) to {shown(store_url)}; "
                   "nothing sent.")  # fmt: skip
        return

    def progress(i, n, graph, result):
        if result is None:
            click.echo(f"[{i}/{n}] PUT {graph.iri} ({graph.triples} triples) ... ", err=True, nl=False)
        else:
            click.echo(str(result.status) if result.pushed else f"failed: {result.reason}", err=True)

    start = time.monotonic()
    results = push_graphs(request_url, graphs, user=user, password=password, timeout=timeout, progress=progress)
    elapsed = time.monotonic() - start
    _report_push(results, shown(store_url), total, elapsed)


def _push_credentials(store_url: str, user: str | None) -> tuple[str, str | None, str | None]:
    """The URL to send to (credentials taken out of it), the HTTP Basic user and password:
    --user, or the user in the URL, with the password from NKREL_PASSWORD (or the URL)."""
    import os
    import urllib.parse

    from ..sparql.server import is_loopback

    password = None
    request_url, url_user, url_password = _credentials_out_of(store_url)  # store_url stays for messages (masked)
    user = user if user is not None else url_user
    if user is not None:
        if ":" in user:
            raise click.BadParameter("a user name for HTTP Basic cannot contain ':'", param_hint="--user")
        password = os.environ.get("NKREL_PASSWORD", url_password)
        if password is None:
            raise click.UsageError("--user needs the password in the environment variable NKREL_PASSWORD")
        parts = urllib.parse.urlsplit(store_url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            click.echo(f"nkrel: warning: http, not https: if {parts.hostname} asks for Basic authentication, "
                       "the password goes unencrypted", err=True)  # fmt: skip
    return request_url, user, password


def _report_push(results, shown_url: str, total: int, elapsed: float) -> None:
    """One line when every graph was pushed; otherwise fail with what was and was not."""
    pushed = [r for r in results if r.pushed]
    failed = [r for r in results if not r.pushed]
    if not failed:
        click.echo(f"Pushed {len(pushed)} named graphs ({total} triples) to {shown_url} in {elapsed:.2f} s.")
        return
    lines = [f"pushed {len(pushed)} of {len(results)} named graphs:" + ("" if pushed else " none")]
    lines += [f"  {r.graph.iri}  ({r.graph.triples} triples, HTTP {r.status})" for r in pushed]
    lines.append(f"not pushed {len(failed)} of {len(results)}:")
    lines += [f"  {r.graph.iri}  ({r.reason})" for r in failed]
    errors = list(dict.fromkeys(r.error for r in failed if r.reason != "not sent"))
    hints = list(dict.fromkeys(f"hint: {r.hint}" for r in failed if r.hint))
    _fail(errors[0], errors[1:] + hints + lines)


@click.command()
@built_graph_options
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")  # fmt: skip
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to the network.")  # fmt: skip
@click.option("--timeout", type=float, default=30.0, show_default=True, callback=seconds_option,
              help="Stop each query (its check included) after this many seconds: HTTP 504.")  # fmt: skip
@click.option("--memory", type=int, default=2048, show_default=True, callback=memory_option,
              help="Stop a query's check if it needs more than this many MiB of memory: HTTP 503.")  # fmt: skip
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also accept requests for this host name (repeatable); IP addresses and localhost "
              "always work.")  # fmt: skip
@handle_errors
def serve(workspace, corpus, graph_file, no_rebuild, port, bind, timeout, memory, allow_hosts):
    """Serve the graph as a local read-only SPARQL endpoint (the Oxigraph server).

    Loads the build into a temporary Oxigraph store and serves it with `oxigraph
    serve-read-only` behind a guard, bound to 127.0.0.1 by default. Queries see the
    named graphs with GRAPH and their union as the default graph, as `nkrel query`
    does locally; the nk:, fact:, id: ... prefixes are declared. The guard refuses
    writes, queries with SERVICE or FROM, and requests whose Host is a name not given
    with --allow-host (so a web page cannot reach the server by rebinding its DNS
    name); the Oxigraph process cannot open outgoing connections and, on Linux, runs
    in a network namespace of its own that only the guard can reach. Every request
    is bounded: a 1 MiB body (413), 10 s to send it (408), --timeout for the query's
    check and again for the query (504), --memory for the check (503); an answer
    is sent whole or replaced by an HTTP error. Prints the query
    URL, the (read-only) Graph Store URL and the query page (YASGUI). Ctrl-C stops
    the server and removes the temporary store. Needs the `oxigraph` binary (`pip
    install oxigraph`).

    \b
    Examples:
      nkrel serve
      nkrel serve --port 8000 --graph graphs/nkrel.nq
      nkrel query trade-by-year --endpoint http://127.0.0.1:7878/query   # in another shell
    """
    from ..sparql.server import ServeError, find_oxigraph
    from ..sparql.server import serve as run_server

    try:
        find_oxigraph()
        quads = _dataset(corpus, graph_file, workspace, no_rebuild)
        code = run_server(quads, bind=bind, port=port, timeout=timeout, echo=click.echo, allow_hosts=allow_hosts,
                          warn=lambda line: click.echo(line, err=True), memory_mb=memory)  # fmt: skip
    except ServeError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        click.echo("nkrel: stopped before the server started", err=True)
        sys.exit(130)
    sys.exit(code)
