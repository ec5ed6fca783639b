"""Commands that build and check the graph: build, export, validate, stats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import _progress, corpus_option, handle_errors


@click.command()
@corpus_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("graphs"),
    show_default=True,
    help="Folder to write the graph files into.",
)
@click.option("--clean", is_flag=True, help="Rebuild every document, ignoring the cache of unchanged documents.")
@handle_errors
def build(corpus, out, clean):
    """Verify the corpus, build the graph and write it in every format.

    Writes nkrel.ttl (union, Turtle), nkrel.trig (named graphs), nkrel.nq and
    nkrel.jsonld into OUT, and network.html, the network view (see `nkrel viz`).
    Nothing is written unless every fact is verified and the graph conforms to
    the SHACL shapes. The same input gives byte-identical files, whether
    unchanged documents come from the cache or --clean rebuilds them.

    \b
    Examples:
      nkrel build
      nkrel build --out /tmp/nkrel-graphs
      nkrel build --corpus my-corpus --out my-graphs
      nkrel build --clean
    """
    from ..output.write import write_files
    from ..pipeline import build_graph, graph_files

    _progress("Loading and verifying the corpus...")
    built = build_graph(corpus, clean=clean)
    _progress("Serialising...")
    files = graph_files(built)
    written = write_files(files, out)
    n_triples = len(built.dataset)
    click.echo(
        f"Built {len(built.corpus.facts)} facts from {len(built.corpus.documents)} documents "
        f"({n_triples} quads) into {out}/: " + ", ".join(p.name for p in written)
    )


@click.command()
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
    from ..output.write import serialize, write_files
    from ..pipeline import build_graph

    if fmt in ("graphml", "gexf"):
        from ..output.network import export_graph, network_graph

        data = export_graph(network_graph(build_graph(corpus).dataset.text_view()), fmt)
    else:
        data = serialize(build_graph(corpus).dataset, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_files({output.name: data}, output.parent if str(output.parent) else Path("."))
        click.echo(f"Wrote {output} ({len(data)} bytes)", err=True)


@click.command()
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
    from ..pipeline import build_graph

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


@click.command()
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
    from ..pipeline import build_graph

    built = build_graph(corpus, check_shapes=False)
    by_kind: dict[str, int] = {}
    by_doc: dict[str, int] = {d: 0 for d in built.corpus.documents}
    for f in built.corpus.facts:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        by_doc[f.document] += 1
    graphs = built.dataset.counts()
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
