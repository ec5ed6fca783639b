"""nkrel: a knowledge graph of North Korea's international relations, every fact
quoting its source verbatim."""

from .core import __version__

__all__ = ["__version__", "open"]


def open(workspace=None, graph=None, rebuild=True):  # noqa: A001 - the API's one entry point
    """The built graph of a workspace (or of a file), to query from Python: see nkrel.api."""
    from .api import open as open_graph

    return open_graph(workspace, graph, rebuild)
