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
            _fail(f"the corpus has {n} problem{'s' if n != 1 else ''}; nothing was written", [str(p) for p in e.problems])
        except ShapeError as e:
            n = len(e.problems)
            _fail(f"the graph breaks the SHACL shapes ({n} violation{'s' if n != 1 else ''}); nothing was written", e.problems)
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
    nkrel.jsonld into OUT. Nothing is written unless every fact is verified and
    the graph conforms to the SHACL shapes. The same input gives byte-identical
    files.

    \b
    Examples:
      nkrel build
      nkrel build --out /tmp/nkrel-graphs
      nkrel build --corpus my-corpus --out my-graphs
    """
    from .pipeline import build_graph, graph_files
    from .write import write_files

    click.echo("Loading and verifying the corpus...", err=True)
    built = build_graph(corpus)
    click.echo("Serialising...", err=True)
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
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@handle_errors
def export(corpus, fmt, output):
    """Export the graph in one RDF format, to a file or stdout.

    \b
    Examples:
      nkrel export --format trig -o nkrel.trig
      nkrel export --format nquads > nkrel.nq
      nkrel export --format jsonld -o nkrel.jsonld
    """
    from .pipeline import build_graph
    from .write import serialize, write_files

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
    conforms; exit 1 with one line per problem otherwise.

    \b
    Examples:
      nkrel validate
      nkrel validate --corpus my-corpus
    """
    from .pipeline import build_graph

    built = build_graph(corpus)
    click.echo(
        f"OK: {len(built.corpus.facts)} facts in {len(built.corpus.documents)} documents; "
        "every quote verbatim; the graph conforms to the shapes."
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
