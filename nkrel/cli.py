"""The `nkrel` command: a thin click layer over the library stages.

Exit codes (all commands): 0 success; 1 the input data was refused (a problem in the
corpus, a graph that breaks the shapes, or a query error); 2 usage error (bad
option or argument). Errors go to stderr as one line each, never a traceback.
Heavy libraries (rdflib, pyshacl, pyvis) are imported inside the commands that need
them, so that `nkrel --help` and quick commands start fast.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from . import __version__

EXIT_DATA = 1


def _fail(heading: str, lines: list[str] = ()) -> None:
    click.echo(f"nkrel: error: {heading}", err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    sys.exit(EXIT_DATA)


def _progress(message: str) -> None:
    """Progress for people at a terminal; pipes and CI logs stay clean."""
    if sys.stderr.isatty():
        click.echo(message, err=True)


def handle_errors(func):
    """Turn library errors into one-line messages and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .load import CorpusError
        from .pipeline import ShapeError

        try:
            return func(*args, **kwargs)
        except CorpusError as e:
            n = len(e.problems)
            _fail(
                f"the corpus has {n} problem{'s' if n != 1 else ''}; nothing was written", [str(p) for p in e.problems]
            )
        except ShapeError as e:
            n = len(e.problems)
            _fail(
                f"the graph breaks the SHACL shapes ({n} violation{'s' if n != 1 else ''}); nothing was written",
                e.problems,
            )
        except BrokenPipeError:  # e.g. `nkrel coverage | head`: the reader has gone
            sys.stderr.close()
            sys.exit(0)
        except OSError as e:
            _fail(f"{e.filename or ''}: {e.strerror or e}".lstrip(": "))

    return wrapper


corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder (documents.yaml, entities.yaml, facts/, texts/). Default: the shipped corpus.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nkrel")
def main():
    """Build and explore a knowledge graph of North Korea's international relations.

    Every fact quotes its source verbatim, with character offsets.

    \b
    Examples:
      nkrel build                      # write graphs/ from the shipped corpus
      nkrel stats                      # facts by kind and source, triples per graph
      nkrel export --format trig -o nkrel.trig
    """


@main.command()
@corpus_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("graphs"),
    show_default=True,
    help="Folder to write the graph files into.",
)
@handle_errors
def build(corpus, out):
    """Verify the corpus, build the graph and write it in every format.

    Writes nkrel.ttl (union, Turtle), nkrel.trig (named graphs), nkrel.nq and
    nkrel.jsonld into OUT, and network.html, the network view (see `nkrel viz`).
    Nothing is written unless every fact is verified and the graph conforms to
    the SHACL shapes. The same input gives byte-identical files.

    \b
    Examples:
      nkrel build
      nkrel build --out /tmp/nkrel-graphs
      nkrel build --corpus my-corpus --out my-graphs
    """
    from .pipeline import build_graph, graph_files
    from .write import write_files

    _progress("Loading and verifying the corpus...")
    built = build_graph(corpus)
    _progress("Serialising...")
    files = graph_files(built)
    written = write_files(files, out)
    n_triples = len(built.dataset)
    click.echo(
        f"Built {len(built.corpus.facts)} facts from {len(built.corpus.documents)} documents "
        f"({n_triples} quads) into {out}/: " + ", ".join(p.name for p in written)
    )


@main.command()
@corpus_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf"]),
    default="turtle",
    show_default=True,
    help="RDF format, or graphml / gexf: the network of entities and facts (for Gephi).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@handle_errors
def export(corpus, fmt, output):
    """Export the graph in one RDF format, to a file or stdout.

    graphml and gexf export the network view instead (for Gephi, yEd, networkx):
    one node per entity, one edge per fact and pair of participants, with the
    fact's kind, time, value, modality, quote and document as edge attributes.

    \b
    Examples:
      nkrel export --format trig -o nkrel.trig
      nkrel export --format nquads > nkrel.nq
      nkrel export --format jsonld -o nkrel.jsonld
      nkrel export --format gexf -o nkrel.gexf
    """
    from .pipeline import build_graph
    from .write import serialize, write_files

    if fmt in ("graphml", "gexf"):
        from .network import export_graph, network_graph

        data = export_graph(network_graph(build_graph(corpus).dataset), fmt)
    else:
        data = serialize(build_graph(corpus).dataset, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_files({output.name: data}, output.parent if str(output.parent) else Path("."))
        click.echo(f"Wrote {output} ({len(data)} bytes)", err=True)


@main.command()
@corpus_option
@handle_errors
def validate(corpus):
    """Verify the corpus and check the graph against the SHACL shapes.

    Exit 0 when every quote is verbatim, every record well-formed and the graph
    conforms; exit 1 with one line per problem otherwise. It also counts the
    anomalies of the sources (slips, disagreements), which never fail it.

    \b
    Examples:
      nkrel validate
      nkrel validate --corpus my-corpus
    """
    from .pipeline import build_graph

    built = build_graph(corpus)
    majors = sum(a.severity == "major" for a in built.anomalies)
    click.echo(
        f"OK: {len(built.corpus.facts)} facts in {len(built.corpus.documents)} documents; "
        "every quote verbatim; the graph conforms to the shapes."
    )
    click.echo(
        f"The sources show {len(built.anomalies)} anomalies ({majors} major): see `nkrel anomalies` "
        "(findings about the sources, not errors of the data)."
    )


@main.command()
@corpus_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def stats(corpus, fmt):
    """Count facts by kind and by source, and triples per named graph.

    \b
    Examples:
      nkrel stats
      nkrel stats --format json
    """
    from .pipeline import build_graph

    built = build_graph(corpus, check_shapes=False)
    by_kind: dict[str, int] = {}
    by_doc: dict[str, int] = {d: 0 for d in built.corpus.documents}
    for f in built.corpus.facts:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        by_doc[f.document] += 1
    graphs = {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}
    result = {
        "facts": len(built.corpus.facts),
        "facts_by_kind": dict(sorted(by_kind.items())),
        "facts_by_document": by_doc,
        "entities": len(built.corpus.entities),
        "triples_by_graph": dict(sorted(graphs.items())),
        "quads": sum(graphs.values()),
    }
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"facts: {result['facts']}    entities: {result['entities']}    quads: {result['quads']}")
    for title, table in (
        ("facts by kind", result["facts_by_kind"]),
        ("facts by document", result["facts_by_document"]),
        ("triples by named graph", result["triples_by_graph"]),
    ):
        click.echo(f"\n{title}:")
        width = max(map(len, table), default=0)
        for key, n in table.items():
            click.echo(f"  {key.ljust(width)}  {n:>6}")


def _query_fail(message: str) -> None:
    click.echo(f"nkrel: error: {message}", err=True)
    sys.exit(2)


@main.command()
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
    from .query import QueryError, bind_params, check_safety, execute, load_store, resolve, run_with_timeout

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
            from .remote import remote_query

            output, has_results = remote_query(endpoint, text, fmt, timeout)
        else:
            check_safety(text)
            store = load_store(graph_file)
            output, has_results = run_with_timeout(lambda: execute(store, text, fmt), timeout)
    except QueryError as e:
        _query_fail(str(e))
    sys.stdout.buffer.write(output)
    sys.exit(0 if has_results else 1)


@main.command()
def queries():
    """List the shipped queries: name, then what question it answers.

    \b
    Examples:
      nkrel queries
      nkrel query "$(nkrel queries | head -1 | cut -d' ' -f1)"
    """
    from .query import shipped_queries

    shipped = shipped_queries()
    width = max(map(len, shipped), default=0)
    for name, q in shipped.items():
        params = "".join(f" [--param {p}=...]" for p in q.params)
        click.echo(f"{name.ljust(width)}  {q.description}{params}")


@main.command(name="coverage")
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
    from .coverage import coverage
    from .load import default_corpus_dir, load_corpus
    from .pipeline import read_ontology

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


@main.command(name="anomalies")
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
    from .pipeline import build_graph

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


graph_file_option = click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this built file (.trig .nq .ttl .jsonld ...) instead of building from the corpus.",
)


def _dataset(corpus, graph_file):
    """The build's quads: from --graph FILE, or built in memory from --corpus."""
    from .query import QueryError
    from .remote import load_quads

    if corpus is not None and graph_file is not None:
        raise click.UsageError("give --corpus or --graph, not both")
    if graph_file is None:
        _progress("Loading and verifying the corpus...")
    try:
        return load_quads(corpus, graph_file)
    except QueryError as e:
        _fail(str(e))


@main.command()
@click.argument("store_url")
@corpus_option
@graph_file_option
@click.option("--dry-run", is_flag=True, help="List what would be sent, and send nothing.")
@click.option("--user", help="User name for HTTP Basic authentication; the password is read from "
              "the environment variable NKREL_PASSWORD.")  # fmt: skip
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for each answer.")
@handle_errors
def push(store_url, corpus, graph_file, dry_run, user, timeout):
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
    """
    import os
    import time
    import urllib.parse

    from .query import QueryError
    from .remote import check_store_url, graph_url, named_graphs
    from .remote import push as push_graphs
    from .server import is_loopback

    try:
        check_store_url(store_url)
    except QueryError as e:
        raise click.BadParameter(str(e), param_hint="STORE_URL") from None
    password = None
    if user is not None:
        if ":" in user:
            raise click.BadParameter("a user name for HTTP Basic cannot contain ':'", param_hint="--user")
        password = os.environ.get("NKREL_PASSWORD")
        if password is None:
            raise click.UsageError("--user needs the password in the environment variable NKREL_PASSWORD")
        parts = urllib.parse.urlsplit(store_url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            click.echo(f"nkrel: warning: sending the password unencrypted (http, not https) to {parts.hostname}",
                       err=True)  # fmt: skip
    graphs, in_default = named_graphs(_dataset(corpus, graph_file))
    source = str(graph_file) if graph_file else "the build"
    if in_default:
        click.echo(f"nkrel: warning: {in_default} triples in the default graph of {source} are not pushed "
                   "(only named graphs are)", err=True)  # fmt: skip
    if not graphs:
        _fail(f"nothing to push: {source} has no named graphs")
    total = sum(g.triples for g in graphs)
    if dry_run:
        for g in graphs:
            click.echo(f"PUT {graph_url(store_url, g.iri)}  ({g.triples} triples, {len(g.data)} bytes)")
        click.echo(f"Dry run: would push {len(graphs)} named graphs ({total} triples) to {store_url}; nothing sent.")
        return

    def progress(i, n, graph, result):
        if result is None:
            click.echo(f"[{i}/{n}] PUT {graph.iri} ({graph.triples} triples) ... ", err=True, nl=False)
        else:
            click.echo(str(result.status) if result.pushed else f"failed: {result.reason}", err=True)

    start = time.monotonic()
    results = push_graphs(store_url, graphs, user=user, password=password, timeout=timeout, progress=progress)
    elapsed = time.monotonic() - start
    pushed = [r for r in results if r.pushed]
    failed = [r for r in results if not r.pushed]
    if not failed:
        click.echo(f"Pushed {len(pushed)} named graphs ({total} triples) to {store_url} in {elapsed:.2f} s.")
        return
    lines = [f"pushed {len(pushed)} of {len(results)} named graphs:" + ("" if pushed else " none")]
    lines += [f"  {r.graph.iri}  ({r.graph.triples} triples, HTTP {r.status})" for r in pushed]
    lines.append(f"not pushed {len(failed)} of {len(results)}:")
    lines += [f"  {r.graph.iri}  ({r.reason})" for r in failed]
    errors = list(dict.fromkeys(r.error for r in failed if r.reason != "not sent"))
    hints = list(dict.fromkeys(f"hint: {r.hint}" for r in failed if r.hint))
    _fail(errors[0], errors[1:] + hints + lines)


@main.command()
@corpus_option
@graph_file_option
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")  # fmt: skip
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to the network.")  # fmt: skip
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Stop each query after this many seconds.")
@handle_errors
def serve(corpus, graph_file, port, bind, timeout):
    """Serve the graph as a local read-only SPARQL endpoint (the Oxigraph server).

    Loads the build into a temporary Oxigraph store and starts `oxigraph
    serve-read-only` on it, bound to 127.0.0.1 by default. Queries see the named
    graphs with GRAPH and their union as the default graph, as `nkrel query` does
    locally. Prints the query URL and the (read-only) Graph Store URL. Ctrl-C stops
    the server and removes the temporary store. Needs the `oxigraph` binary
    (`pip install oxigraph`).

    \b
    Examples:
      nkrel serve
      nkrel serve --port 8000 --graph graphs/nkrel.nq
      nkrel query trade-by-year --endpoint http://127.0.0.1:7878/query   # in another shell
    """
    from .server import ServeError, find_oxigraph
    from .server import serve as run_server

    try:
        find_oxigraph()
        quads = _dataset(corpus, graph_file)
        code = run_server(quads, bind=bind, port=port, timeout=timeout, echo=click.echo,
                          warn=lambda line: click.echo(line, err=True))  # fmt: skip
    except ServeError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        click.echo("nkrel: stopped before the server started", err=True)
        sys.exit(130)
    sys.exit(code)


@main.command()
@corpus_option
@graph_file_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("graphs/network.html"),
              show_default=True, help="HTML file to write.")  # fmt: skip
@click.option("--title", help="Page heading (default: North Korea's international relations).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@handle_errors
def viz(corpus, graph_file, out, title, open_page):
    """Write the network view: one self-contained HTML page to open in a browser.

    States, treaties and agreements, organisations, companies, people and places,
    joined by one edge per fact (trade, aid, investment, recognition, relations,
    embassies, visits and meetings, projects, parties to agreements). Hover or
    click a node or edge to read the facts behind it, each with its verbatim quote
    and source document; filter by partner, relation kind and year; search for a
    node. The page works offline: it makes no request to any host.

    \b
    Examples:
      nkrel viz                                  # writes graphs/network.html
      nkrel viz --out /tmp/nkrel.html --open
      nkrel viz --graph graphs/nkrel.trig --out network.html
      nkrel viz --corpus my-corpus --title "My corpus"
    """
    import webbrowser

    from .network import DEFAULT_TITLE, NetworkError, network_graph, read_dataset, render_network_html
    from .pipeline import build_graph
    from .write import write_files

    if corpus is not None and graph_file is not None:
        raise click.UsageError("give --corpus or --graph, not both")
    if out.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter("the page's file name must end in .html", param_hint="--out")
    try:
        if graph_file is None:
            _progress("Loading and verifying the corpus...")
            dataset = build_graph(corpus).dataset
        else:
            dataset = read_dataset(graph_file)
        graph = network_graph(dataset)
        page = render_network_html(graph, title=title or DEFAULT_TITLE)
    except NetworkError as e:
        _fail(str(e))
    write_files({out.name: page.encode("utf-8")}, out.parent)
    click.echo(
        f"Wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
        f"{len(graph.graph['facts'])} facts"
    )
    if open_page:
        webbrowser.open(out.resolve().as_uri())


@main.command(name="add-document")
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
    from .curate import CurateError, add_document
    from .load import default_corpus_dir

    try:
        facts_file = add_document(corpus or default_corpus_dir(), text_file, doc_id, title, publisher)
    except CurateError as e:
        _fail(f"{e}; nothing was changed")
    click.echo(f"Added {doc_id}; now write its facts in {facts_file}, then run `nkrel coverage` and `nkrel build`.")


@main.command(name="diff")
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
    from .compare import compare_builds
    from .query import QueryError

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
