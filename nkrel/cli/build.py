"""Commands that build and check the graph: build, export, validate, stats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import (
    _progress,
    _query_fail,
    built_graph_file,
    built_graph_options,
    corpus_option,
    find_workspace,
    graph_store,
    handle_errors,
    no_rebuild_option,
    workspace_option,
)


@click.command()
@workspace_option
@corpus_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the graph files into. Default: the workspace's graphs/.",
)
@click.option("--allow-uncovered", is_flag=True,
              help="Build even if some sentence is neither cited by a fact nor explained.")  # fmt: skip
@click.option("--clean", is_flag=True, help="Rebuild every document, ignoring the cache of unchanged documents.")
@handle_errors
def build(workspace, corpus, out, allow_uncovered, clean):
    """Verify the corpus, build the graph and write it in every format.

    Writes nkrel.ttl (union, Turtle), nkrel.trig (named graphs), nkrel.nq and
    nkrel.jsonld into OUT, the network view network.html (see `nkrel viz`), and
    build.json, which records what the build was made from. Nothing is written
    unless every fact is verified, every sentence of every document is cited by a
    fact or explained, and the graph conforms to the SHACL shapes; then the whole
    folder is replaced in one step, so a reader sees the old build or the new one,
    never a mix. The same input gives byte-identical files, whether unchanged
    documents come from the workspace's cache (.nkrel/cache) or --clean rebuilds them.
    When nothing the build is made from changed and graphs/ still holds that build,
    intact, nothing is built: it says "Unchanged" (--clean always builds).

    \b
    Examples:
      nkrel build                          # the workspace's corpus/ into its graphs/
      nkrel build --out /tmp/nkrel-graphs
      nkrel build --corpus my-corpus --out my-graphs
      nkrel build --clean
    """
    from ..pipeline import build_and_publish, unchanged_build

    ws = find_workspace(workspace)
    if out is None:
        ws.require_writable("`nkrel build` without --out")
    corpus_dir = corpus or ws.corpus_dir
    out_dir = out or ws.graphs_dir
    cache_dir = None if corpus or out else ws.cache_dir
    # the inputs are those of the build already there, intact: nothing to build or write
    same = unchanged_build(corpus_dir, out_dir, cache_dir, allow_uncovered) if cache_dir and not clean else None
    if same:
        _say_built(out_dir, same["facts"], same["documents"], same["quads"], False, same["notes"])
        return
    _progress("Loading, verifying and building...")
    built = build_and_publish(corpus_dir, out_dir, allow_uncovered, cache_dir=cache_dir, clean=clean)
    from ..ingest.curate import stale_extractions

    counts = len(built.corpus.facts), len(built.corpus.documents), len(built.dataset)
    _say_built(out_dir, *counts, built.published, stale_extractions(built.corpus))


def _say_built(out_dir: Path, facts: int, documents: int, quads: int, published: bool, notes: list[str]) -> None:
    what = f"{facts} facts from {documents} documents ({quads} quads)"
    if published:
        click.echo(f"Built {what} into {out_dir}/")
    else:  # the inputs are those of the build already there: nothing was written
        click.echo(f"Unchanged: {out_dir}/ already holds the build of {what}")
    for note in notes:
        click.echo(f"nkrel: note: {note}", err=True)


# The export formats by file extension (lower case), for `export -o FILE` without --format.
EXPORT_EXTENSIONS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".graphml": "graphml",
    ".gexf": "gexf",
}
EXPORT_FORMATS = ["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf"]


def export_format(fmt: str | None, output: Path | None) -> str:
    """The format to export: --format, else the output file's extension, else turtle.

    A --format that contradicts a known extension, or an unknown extension without
    --format, is a usage error (exit 2): a file must not hold another format than
    its name says.
    """
    if output is None:
        return fmt or "turtle"
    ext = output.suffix.lower()
    implied = EXPORT_EXTENSIONS.get(ext)
    if fmt is None:
        if implied is None:
            known = " ".join(sorted(EXPORT_EXTENSIONS))
            _query_fail(f"cannot tell the format of {output} from its extension ({known}): give --format")
        return implied
    if implied is not None and implied != fmt:
        _query_fail(f"--format {fmt} does not match {output} (a {ext} file is {implied}): change one of them")
    return fmt


@click.command()
@workspace_option
@corpus_option
@no_rebuild_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="RDF format, or graphml / gexf: the network of entities and facts (for Gephi). "
    "Default: from the extension of -o FILE, else turtle.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@handle_errors
def export(workspace, corpus, no_rebuild, fmt, output):
    """Export the graph in one RDF format, to a file or stdout.

    With -o FILE and no --format, the format follows the file's extension: .ttl
    turtle, .trig, .nq nquads, .nt ntriples, .jsonld or .json jsonld, .graphml,
    .gexf. An unknown extension needs --format; a --format that contradicts the
    extension is refused (exit 2).

    graphml and gexf export the network view instead (for Gephi, yEd, networkx):
    one node per entity, one edge per fact and pair of participants, with the
    fact's kind, time, value, modality, quote and document as edge attributes.

    \b
    Examples:
      nkrel export -o nkrel.trig
      nkrel export --format nquads > nkrel.nq
      nkrel export -o nkrel.jsonld
      nkrel export -o nkrel.gexf
      nkrel export --format turtle -o nkrel.txt
    """
    from ..output.write import GRAPH_FILES, serialize, write_files
    from ..pipeline import build_graph

    fmt = export_format(fmt, output)
    if corpus is not None:
        dataset = build_graph(corpus).dataset
    else:
        built = built_graph_file(workspace, no_rebuild)
        if fmt in GRAPH_FILES:  # the build already holds this file: the same bytes
            dataset = None
            data = (built.parent / GRAPH_FILES[fmt]).read_bytes()
        else:
            from ..output.network import read_dataset

            dataset = read_dataset(built)
    if dataset is not None and fmt in ("graphml", "gexf"):
        from ..output.network import export_graph, network_graph

        data = export_graph(network_graph(dataset), fmt)
    elif dataset is not None:
        data = serialize(dataset, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_files({output.name: data}, output.parent if str(output.parent) else Path("."))
        click.echo(f"Wrote {output} ({len(data)} bytes)", err=True)


@click.command()
@workspace_option
@corpus_option
@click.option("--allow-uncovered", is_flag=True, help="Do not count uncovered sentences as problems.")
@handle_errors
def validate(workspace, corpus, allow_uncovered):
    """Verify the corpus and check the graph against the SHACL shapes.

    Exit 0 when every quote is verbatim, every record well-formed, every sentence
    cited or explained, and the graph conforms; exit 1 with one line per problem
    otherwise. It also counts the anomalies of the sources (slips,
    disagreements), which never fail it, and checks the drafts waiting for review
    (a broken draft is a warning: it is not in the graph).

    \b
    Examples:
      nkrel validate
      nkrel validate --corpus my-corpus
    """
    from ..draft import check_drafts
    from ..ingest.coverage import require_coverage
    from ..pipeline import build_graph

    corpus_dir = corpus or find_workspace(workspace).corpus_dir
    built = build_graph(corpus_dir)
    if not allow_uncovered:
        require_coverage(built.corpus)
    majors = sum(a.severity == "major" for a in built.anomalies)
    click.echo(
        f"OK: {len(built.corpus.facts)} facts in {len(built.corpus.documents)} documents; "
        "every quote verbatim; every sentence covered; the graph conforms to the shapes."
    )
    click.echo(
        f"The sources show {len(built.anomalies)} anomalies ({majors} major): see `nkrel anomalies` "
        "(findings about the sources, not errors of the data)."
    )
    drafts = [
        p for doc in built.corpus.documents for p in check_drafts(corpus_dir, built.corpus, built.vocabulary, doc)
    ]
    for problem in drafts:
        click.echo(f"nkrel: warning: draft not yet valid: {problem}", err=True)


@click.command()
@built_graph_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def stats(workspace, corpus, graph_file, no_rebuild, fmt):
    """Count facts by kind and by source, and triples per named graph.

    Read from the workspace's build (rebuilt first if the corpus changed), from a
    built file (--graph) or from a corpus built in memory (--corpus).

    \b
    Examples:
      nkrel stats
      nkrel stats --format json
      nkrel stats --graph graphs/nkrel.nq
    """
    from ..sparql.reports import stats as count

    result = count(graph_store(workspace, corpus, graph_file, no_rebuild))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    # thousands separators for people (the json keeps plain numbers)
    click.echo(f"facts: {result['facts']:,}    entities: {result['entities']:,}    quads: {result['quads']:,}")
    for title, table in (
        ("facts by kind", result["facts_by_kind"]),
        ("facts by document", result["facts_by_document"]),
        ("triples by named graph", result["triples_by_graph"]),
    ):
        click.echo(f"\n{title}:")
        width = max(map(len, table), default=0)
        for key, n in table.items():
            click.echo(f"  {key.ljust(width)}  {n:>9,}")
