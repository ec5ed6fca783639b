"""The `nkrel` command: a thin click layer over the library stages, one module per
group of commands. Exit codes: 0 success; 1 the input was refused; 2 usage error
(a missing input file included); 130 stopped with Ctrl-C."""

from __future__ import annotations

import click

from ..core import __version__
from . import ask, build, corpus, draft, query, remote, viz
from .common import interrupted


class _Commands(click.Group):
    """The command group; a Ctrl-C in any command ends with a sentence and exit 130."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):  # click.Abort: Ctrl-C at a prompt
            interrupted(ctx.invoked_subcommand)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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


for _module in (build, query, ask, corpus, remote, viz, draft):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            main.add_command(_command)
