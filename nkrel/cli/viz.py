"""The network view command: viz."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    _fail,
    _progress,
    built_graph_file,
    built_graph_options,
    handle_errors,
)


@click.command()
@built_graph_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write. Default: the page of the workspace's build, graphs/network.html.")  # fmt: skip
@click.option("--title", help="Page heading (default: North Korea's international relations).")
@click.option("--texts", "text_folder", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="With --graph: a folder of the source texts, matched by file name and sha256, for the "
                   "page's source view (the shipped texts are always found).")  # fmt: skip
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@handle_errors
def viz(workspace, corpus, graph_file, no_rebuild, out, title, text_folder, open_page):
    """Write the network view: one self-contained HTML page to open in a browser.

    States, treaties and agreements, organisations, companies, people and places,
    joined by one edge per pair and relation kind (trade, aid, investment,
    recognition, relations, embassies, visits and meetings, projects, parties to
    agreements), or one per fact. Hover or click a node or edge to read the facts
    behind it, each with its verbatim quote and source document; filter by partner,
    relation kind and years; search names and aliases. Besides the network: a
    timeline, a chart of stated values, a table with CSV and JSON downloads, and
    each document's text with its quotes marked. The page works offline: it makes
    no request to any host.

    \b
    Examples:
      nkrel viz                                  # writes graphs/network.html
      nkrel viz --out /tmp/nkrel.html --open
      nkrel viz --graph graphs/nkrel.trig --out network.html
      nkrel viz --graph build/nkrel.nq --texts my-corpus/texts
      nkrel viz --corpus my-corpus --title "My corpus"
    """
    import webbrowser

    from ..output.network import DEFAULT_TITLE, NetworkError, network_graph, read_quads, render_network_html
    from ..output.write import write_files
    from ..pipeline import build_graph

    if corpus is not None and graph_file is not None:
        raise click.UsageError("give --corpus or --graph, not both")
    if text_folder is not None and graph_file is None:
        raise click.UsageError("--texts goes with --graph (a corpus brings its own texts)")
    if out is None:
        if corpus is not None or graph_file is not None or title:
            raise click.UsageError("give --out FILE to draw --corpus, --graph or --title into a page of its own")
        out = built_graph_file(workspace, no_rebuild).parent / "network.html"
        click.echo(f"The network view of the build: {out}")
    else:
        if out.suffix.lower() not in (".html", ".htm"):
            raise click.BadParameter("the page's file name must end in .html", param_hint="--out")
        try:
            if corpus is not None:
                _progress("Loading and verifying the corpus...")
                built = build_graph(corpus)
                texts = {doc.id: doc.text for doc in built.corpus.documents.values()}
                graph = network_graph(built.dataset, texts=texts)
            else:
                quads = read_quads(graph_file or built_graph_file(workspace, no_rebuild))
                graph = network_graph(quads, text_folders=[text_folder] if text_folder else [])
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
