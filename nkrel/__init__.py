"""nkrel: a knowledge graph of North Korea's international relations, every fact
quoting its source verbatim."""

__version__ = "0.1.0"
