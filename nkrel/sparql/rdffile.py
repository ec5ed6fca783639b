"""Read an RDF file a user names (--graph, diff, push): that file and nothing else.

Parsed by pyoxigraph, which never fetches a JSON-LD @context or @import (no document
loader is set) and never reads an external XML entity. Before parsing, the file must be
a regular file (a FIFO would hang the reader), within a size bound, and free of the two
inputs that hang or crash parsers: RDF/XML entities defined through other entities (a
"billion laughs" bomb) and JSON nested deeper than any real JSON-LD. Errors name the
position and never echo the file's content.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import QueryError

MAX_BYTES = 4 * 1024**3
MAX_JSON_DEPTH = 256
EXTENSIONS = {
    ".ttl": "TURTLE", ".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES",
    ".jsonld": "JSON_LD", ".json": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML", ".owl": "RDF_XML",
}  # fmt: skip
_ENTITY = re.compile(rb"<!ENTITY\s+%?\s*[^\s>]+\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.I)


def rdf_format(path: Path):
    """The pyoxigraph RdfFormat for a file, by its extension."""
    import pyoxigraph as ox

    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file type (use one of {', '.join(sorted(EXTENSIONS))})")
    return getattr(ox.RdfFormat, fmt)


def read_rdf_bytes(path: Path) -> bytes:
    """The bytes of an RDF file, checked for what would hang or crash a parser."""
    from ..ingest.yamlfile import YamlError, read_bytes

    path = Path(path)
    suffix = EXTENSIONS.get(path.suffix.lower())
    if suffix is None:
        rdf_format(path)  # raises: unknown file type
    try:
        data = read_bytes(path, MAX_BYTES)
    except OSError as e:
        raise QueryError(f"cannot read {path}: {e.strerror or e}") from None
    except YamlError as e:
        raise QueryError(f"cannot read {path}: {e}") from None
    if suffix == "RDF_XML":
        _check_entities(path, data)
    elif suffix == "JSON_LD":
        _check_depth(path, data)
    return data


def parse_quads(path: Path) -> list:
    """Every quad of an RDF file (triples land in the default graph)."""
    import pyoxigraph as ox

    data = read_rdf_bytes(path)
    fmt = rdf_format(path)
    try:
        return list(ox.parse(data, format=fmt))
    except SyntaxError as e:
        raise QueryError(f"{path} is not valid {fmt.name}: {parse_error(e)}") from None


def load_into(store, path: Path) -> None:
    """Bulk-load an RDF file into a pyoxigraph Store."""
    data = read_rdf_bytes(path)
    fmt = rdf_format(path)
    try:
        store.bulk_load(data, format=fmt)
    except SyntaxError as e:
        raise QueryError(f"{path} is not valid {fmt.name}: {parse_error(e)}") from None


def parse_error(e: Exception) -> str:
    """Where a parser stopped, without the words it quotes from the file: the file may be
    a link to another one (a shared folder's `graph.ttl` -> /etc/passwd)."""
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    position = re.match(r"(Parser error at line \d+ (?:between columns \d+ and \d+|column \d+))", text)
    if position:
        return position.group(1)
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", text)
    return text if len(text) <= 120 else text[:119] + "…"


def _check_entities(path: Path, data: bytes) -> None:
    for m in _ENTITY.finditer(data):
        value = m.group(1)
        if value.upper() in (b"SYSTEM", b"PUBLIC"):
            raise QueryError(f"{path}: refused an external XML entity (it would read another file or URL)")
        if b"&" in value or b"%" in value:
            raise QueryError(f"{path}: refused an XML entity defined through other entities (an entity bomb)")


def _check_depth(path: Path, data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH (brackets outside strings).

    Done with C-level passes only: escapes and strings are removed, then the brackets
    left become +1/-1 steps whose running sum is the depth."""
    import operator
    from itertools import accumulate, count

    brackets = re.sub(rb'"[^"]*"', b"", re.sub(rb"\\.", b"", data)).translate(None, _NOT_BRACKETS)
    if not brackets:
        return
    steps = brackets.translate(_STEP)  # an opening bracket is 2, a closing one 0: depth = sum - position
    if max(map(operator.sub, accumulate(steps), count(1))) > MAX_JSON_DEPTH:
        raise QueryError(f"{path}: refused JSON nested deeper than {MAX_JSON_DEPTH} levels")


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
