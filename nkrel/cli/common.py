"""Shared pieces of the `nkrel` command: error handling, progress and common options.

Exit codes (all commands): 0 success; 1 the input data was refused (a problem in the
corpus, a graph that breaks the shapes); 2 usage error (a bad option or argument, a
missing input file, a refused or broken query); 130 stopped with Ctrl-C. Errors go to
stderr as one line each, never a traceback.
Heavy libraries (rdflib, pyshacl, pyvis) are imported inside the commands that need
them, so that `nkrel --help` and quick commands start fast.
"""

from __future__ import annotations

import functools
import sys
from contextlib import contextmanager
from pathlib import Path

import click

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

# What a command keeps when Ctrl-C stops it: each writes atomically (a temporary
# file or folder renamed into place), so a stop leaves the old state whole.
KEPT_ON_STOP = {
    "build": "nothing was written; the previous build is untouched",
    "export": "nothing was written",
    "viz": "nothing was written; the previous page is untouched",
    "init": "no workspace was made",
    "add-document": "the document was not added (documents.yaml is as it was)",
    "draft": "no drafts were written; the drafts file is as it was",
    "push": "the graphs listed above as pushed stay on the server; the others were not sent",
}


def interrupted(command: str | None) -> None:
    """Ctrl-C: a sentence saying what was kept instead of click's bare 'Aborted!', exit 130."""
    kept = KEPT_ON_STOP.get(command or "", "nothing was changed")
    click.echo("", err=True)  # past the ^C the terminal echoed
    click.echo(f"nkrel: stopped (Ctrl-C); {kept}", err=True)
    sys.exit(EXIT_INTERRUPTED)


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
        from ..core.corpus import CorpusError
        from ..output.publish import PublishError
        from ..pipeline import ShapeError
        from ..workspace import WorkspaceError

        try:
            return func(*args, **kwargs)
        except WorkspaceError as e:
            click.echo(f"nkrel: error: {e}", err=True)
            sys.exit(2)
        except PublishError as e:
            _fail(str(e))
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
    help="Corpus folder (documents.yaml, entities.yaml, facts/, texts/). Default: the workspace's corpus.",
)
workspace_option = click.option(
    "--workspace",
    "workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The workspace folder (with nkrel.toml). Default: $NKREL_WORKSPACE, or found from the current "
    "folder upward; outside any, the example shipped with nkrel, read-only.",
)
no_rebuild_option = click.option(
    "--no-rebuild",
    is_flag=True,
    help="Refuse a stale graph instead of rebuilding it first.",
)


def find_workspace(workspace):
    from ..workspace import find

    return find(workspace)


def built_source(workspace, no_rebuild: bool):
    """What to read of the workspace's build (its verified on-disk store and N-Quads
    file), rebuilt first if the corpus changed since or the build is not one this user's
    nkrel made (or refused, with --no-rebuild). Never an answer from a stale, foreign or
    damaged graph."""
    from ..workspace import WorkspaceError, built_source, staleness

    ws = find_workspace(workspace)
    if not ws.read_only:
        reason = staleness(ws)
        if reason and no_rebuild:
            raise WorkspaceError(f"the graph is stale: run nkrel build ({reason})")
        if reason:
            from ..pipeline import build_and_publish

            click.echo(f"nkrel: {reason}; rebuilding {ws.graphs_dir} first", err=True)
            build_and_publish(ws.corpus_dir, ws.graphs_dir, cache_dir=ws.cache_dir)
    return built_source(ws)


def built_graph_file(workspace, no_rebuild: bool) -> Path:
    """The workspace's built N-Quads file, checked as built_source() checks it."""
    return built_source(workspace, no_rebuild).file


def seconds_option(ctx, param, value):
    """A click callback: a timeout must be finite, above 0 and at most a day."""
    from ..sparql.runner import check_timeout

    try:
        return check_timeout(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def memory_option(ctx, param, value):
    from ..sparql.runner import check_memory

    try:
        return check_memory(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def stopped(signum: int) -> None:
    """nkrel was interrupted (Ctrl-C, SIGTERM, SIGHUP): say so, exit 128 + the signal number."""
    import signal

    click.echo(f"nkrel: stopped ({signal.Signals(signum).name}); nothing was written", err=True)
    sys.exit(128 + signum)


def _query_fail(message: str) -> None:
    click.echo(f"nkrel: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@contextmanager
def query_failures():
    """How a command that runs a query ends when it cannot: a refused or failed query is a
    usage error (exit 2, the message only), an interruption exits 128 + the signal."""
    import signal

    from ..sparql.query import QueryError
    from ..sparql.runner import RunError, Stopped

    try:
        yield
    except (QueryError, RunError) as e:
        _query_fail(str(e))
    except KeyboardInterrupt:
        stopped(signal.SIGINT)
    except Stopped as e:
        stopped(e.signum)


def require_input_file(path: Path | None) -> None:
    """A missing input file named on the command line is a usage error (exit 2) in every
    command, with the message `nkrel query missing.rq` gives."""
    if path is not None and not Path(path).exists():
        _query_fail(f"cannot read {path}: No such file or directory")


graph_file_option = click.option(
    "--graph",
    "graph_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this built file (.trig .nq .ttl .jsonld ...) instead of building from the corpus.",
)


def built_graph_options(command):
    """The options of a command that reads a build: --workspace, --corpus, --graph, --no-rebuild."""
    for option in (no_rebuild_option, graph_file_option, corpus_option, workspace_option):
        command = option(command)
    return command


def _dataset(corpus, graph_file, workspace=None, no_rebuild=False):
    """The build's quads: from --graph FILE, built in memory from --corpus, or the workspace's build."""
    from ..pipeline import built_quads
    from ..sparql.query import QueryError
    from ..sparql.remote import load_quads

    if corpus is not None and graph_file is not None:
        raise click.UsageError("give --corpus or --graph, not both")
    require_input_file(graph_file)
    if corpus is not None:
        _progress("Loading and verifying the corpus...")
    elif graph_file is None:
        graph_file = built_graph_file(workspace, no_rebuild)
    try:
        return built_quads(corpus) if corpus is not None else load_quads(graph_file)
    except QueryError as e:
        _fail(str(e))


def graph_store(workspace, corpus, graph_file, no_rebuild):
    """An Oxigraph store of the graph a reader asked for (see _dataset): the build's own
    on-disk store when it is the workspace's build."""
    import pyoxigraph as ox

    require_input_file(graph_file)
    if corpus is None and graph_file is None:
        from ..sparql.query import open_store

        return open_store(built_source(workspace, no_rebuild))
    store = ox.Store()
    store.bulk_extend(_dataset(corpus, graph_file, workspace, no_rebuild))
    return store
