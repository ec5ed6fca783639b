"""The bottom layer: what every stage shares and that imports nothing else of nkrel — the
ontology's vocabularies, the corpus's record types, the sandbox of untrusted work, the
user's signing key, and the version."""

__version__ = "0.2.0"
