"""Read a YAML file of the corpus safely and fast, keeping line numbers.

libyaml (PyYAML's C parser) builds the node tree; this module turns it into plain
dicts, lists and scalars, refusing what a hand-kept data file never needs and an
attacker would use: anchors and aliases (a billion-laughs bomb), tags other than the
core schema (``!!set``, ``!!python/...``), duplicate keys, deep nesting, text that is
not valid UTF-8 or holds lone surrogates, and files that are not regular files (a FIFO
would hang, ``/dev/zero`` never ends). Mappings and sequences carry the line of each
key and item, so errors can name them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024  # far above any hand-kept file; a bound for untrusted ones
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
_CORE = "tag:yaml.org,2002:"


class YamlError(Exception):
    """A file that cannot be read as corpus YAML; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message)


class LineDict(dict):
    """A mapping that knows its line and the line of each key."""

    line: int | None = None

    def __init__(self, line=None):
        super().__init__()
        self.line = line
        self.key_lines: dict = {}


class LineList(list):
    """A sequence that knows its line and the line of each item."""

    def __init__(self, line=None):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def line_of(node, key=None) -> int | None:
    """The 1-based line of a mapping's key, or of a mapping or sequence; None for scalars."""
    if key is not None and isinstance(node, LineDict) and key in node.key_lines:
        return node.key_lines[key]
    return getattr(node, "line", None)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, refusing FIFOs, devices, folders and files over max_bytes.

    Opened non-blocking so that a FIFO cannot hang the open itself; raises OSError or
    YamlError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlError("not a regular file (a folder, FIFO or device cannot be read)")
        if info.st_size > max_bytes:
            raise YamlError(f"too large: {info.st_size} bytes (at most {max_bytes})")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:  # the file grew while being read
                raise YamlError(f"too large: more than {max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_yaml(path: Path):
    """Parse one YAML file into LineDict/LineList/scalars; None for an empty file.

    Raises OSError (cannot open or read) or YamlError (anything else)."""
    return parse_yaml_bytes(read_bytes(path))


def parse_yaml_bytes(raw: bytes):
    """A file's bytes, already read (read_bytes), parsed as read_yaml parses them."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise YamlError(f"not UTF-8 text ({e.reason} at byte {e.start})", line) from None
    return parse_yaml(text)


def parse_yaml(text: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise YamlError(f"YAML syntax error: {e.problem or e.context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise YamlError(f"YAML error: {e}") from None
    if root is None:
        return None
    return _Builder().build(root)


class _Builder:
    """Turn a libyaml node tree into values, iteratively (no recursion limit to hit)."""

    def __init__(self):
        import yaml

        self._yaml = yaml
        self._constructor = yaml.constructor.SafeConstructor()
        self._seen: set[int] = set()

    def build(self, root):
        yaml = self._yaml
        result = self._container(root, 1)
        if not isinstance(result, (LineDict, LineList)):
            return result
        stack = [(root, result, 1)]
        while stack:  # depth first, in document order, so the first problem found is the first in the file
            node, target, depth = stack.pop()
            children = []
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    key = self._scalar(key_node, as_key=True)
                    if key in target:
                        raise YamlError(f'duplicate key "{key}"', key_node.start_mark.line + 1)
                    value = self._container(value_node, depth + 1)
                    target[key] = value
                    target.key_lines[key] = key_node.start_mark.line + 1
                    children.append((value_node, value, depth + 1))
            else:
                for item_node in node.value:
                    value = self._container(item_node, depth + 1)
                    target.append(value)
                    target.item_lines.append(item_node.start_mark.line + 1)
                    children.append((item_node, value, depth + 1))
            stack.extend(c for c in reversed(children) if isinstance(c[1], (LineDict, LineList)))
        return result

    def _container(self, node, depth):
        """An empty LineDict/LineList for a collection node (filled by build), or a scalar's value."""
        yaml = self._yaml
        line = node.start_mark.line + 1
        if id(node) in self._seen:
            # the composer resolves an alias to the node it names: a second visit is an alias
            raise YamlError("YAML aliases (*name) are not allowed in corpus files", line)
        self._seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if depth > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _CORE + "map":
                raise YamlError(f"YAML tag {_short_tag(node.tag)} is not allowed (use a plain mapping)", line)
            if any(k.tag == _CORE + "merge" for k, _ in node.value):
                raise YamlError("YAML merge keys (<<) are not allowed in corpus files", line)
            return LineDict(line)
        if node.tag != _CORE + "seq":
            raise YamlError(f"YAML tag {_short_tag(node.tag)} is not allowed (use a plain list)", line)
        return LineList(line)

    def _scalar(self, node, as_key=False):
        yaml = self._yaml
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode):
            raise YamlError("a mapping key must be plain text", line)
        tag = node.tag[len(_CORE) :] if node.tag.startswith(_CORE) else node.tag
        c = self._constructor
        try:
            if tag == "str":
                value = node.value
            elif tag == "int":
                value = c.construct_yaml_int(node)
            elif tag == "float":
                value = c.construct_yaml_float(node)
            elif tag == "bool":
                value = c.construct_yaml_bool(node)
            elif tag == "null":
                value = None
            elif tag == "timestamp":
                value = c.construct_yaml_timestamp(node)
            else:
                raise YamlError(f"YAML tag {_short_tag(node.tag)} is not allowed", line)
        except (ValueError, OverflowError):
            value = node.value  # e.g. 2023-02-30: left as text for the field's own check to refuse
        if isinstance(value, str) and _SURROGATE.search(value):
            raise YamlError("text holds a lone surrogate code point (\\uD800-\\uDFFF), which is not a character", line)
        if as_key and not isinstance(value, (str, int, bool)) and value is not None:
            raise YamlError(f"a mapping key must be plain text, got {value!r}", line)
        return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
