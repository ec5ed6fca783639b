"""Decide whether a SPARQL text may run, on its parse tree.

The text is parsed by rdflib's SPARQL 1.1 parser (the same grammar, with codepoint
escapes expanded first, as Oxigraph does); a text that does not parse is refused. The
parse tree is then walked for what would reach the network or the file system or
write: SERVICE anywhere (sub-queries, FILTER EXISTS, OPTIONAL ...), FROM / FROM NAMED,
and every update operation (LOAD, INSERT, DELETE, CLEAR, ...). A hand-written keyword
scanner lags the grammar; the parser is the grammar.

This is the first line of defence; the second is that queries run in a process that
cannot open a network connection at all (nkrel/core/sandbox.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


class UnsafeQuery(Exception):
    """A query refused before anything runs: unsafe, an update, or not SPARQL."""


@dataclass(frozen=True)
class Checked:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


def check_query(text: str, prefixes: dict[str, str] | None = None, allow_remote: bool = False) -> Checked:
    """Refuse anything that could reach the network or the file system, or write.

    prefixes: declared for the query as if it had PREFIX lines (its own win).
    allow_remote: the query goes to an endpoint the user named, so SERVICE and FROM are
    that server's business; updates stay refused."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    source = with_prefixes(text, prefixes or {})
    try:
        tree = parseQuery(source)
    except ParseBaseException as query_error:
        try:
            update = parseUpdate(source)
        except (ParseBaseException, ValueError, RecursionError):
            raise UnsafeQuery(_syntax_message(query_error, source, text)) from None
        operations = [_name(op) for op in update.get("request", []) if _name(op)]
        if not operations:  # an empty request parses as an update that does nothing
            raise UnsafeQuery("the query is empty: give a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)") from None
        names = ", ".join(dict.fromkeys(UPDATES.get(op, op) for op in operations))
        raise UnsafeQuery(f"refused {names}: updates are refused, queries are read-only") from None
    except ValueError as e:  # e.g. an invalid \\u escape
        raise UnsafeQuery(f"SPARQL syntax error: {e}") from None
    except RecursionError:
        raise UnsafeQuery("refused: the query is nested too deeply to check") from None
    form = None
    for node in _walk(tree):
        name = _name(node)
        if name in FORMS and form is None:
            form = FORMS[name]
        if name == "ServiceGraphPattern" and not allow_remote:
            raise UnsafeQuery("refused SERVICE: it would send the query to another endpoint")
        # dict.get: rdflib's CompValue.get has another signature
        if isinstance(node, dict) and dict.get(node, "datasetClause") and not allow_remote:
            raise UnsafeQuery("refused FROM / FROM NAMED: it would read a file or URL into the dataset")
    if form is None:
        raise UnsafeQuery("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return Checked(form)


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """Predeclare prefixes the text does not declare itself (its own PREFIX lines win)."""
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:", text)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in sorted(prefixes.items()) if p not in declared]
    return "\n".join(lines + [text]) if lines else text


def _name(node) -> str | None:
    return getattr(node, "name", None)


def _walk(tree):
    """Every node of a pyparsing/rdflib parse tree, iteratively."""
    stack = [tree]
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):  # rdflib's CompValue is an OrderedDict
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))


_TOKEN = re.compile(r"""\"[^"\n]*"?|'[^'\n]*'?|<[^>\s]*>?|[?$]\w+|[\w:.\-]+|&&|\|\||[!<>=]=?|\S""")
_OPERATORS = {">", "<", "=", "!=", ">=", "<=", "+", "-", "*", "/", "&&", "||", "!"}


def _deeper(source: str, loc: int, depth: int = 0) -> int:
    """Where the fault really is: rdflib's parser reports the start of the construct
    that failed (FILTER, OPTIONAL, a triple); parse that construct alone to find the
    token inside it that stopped it, and step past an operator left without its operand."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser as grammar

    rest = source[loc:]
    head = rest.lstrip()[:8].upper()
    element = (
        grammar.Filter if head.startswith("FILTER") else
        grammar.Bind if head.startswith("BIND") else
        grammar.GraphPatternNotTriples if head.startswith(("OPTIONAL", "MINUS", "GRAPH", "{", "VALUES")) else
        grammar.TriplesBlock if head[:1] in "?$<_:" or head[:1].isalpha() and ":" in rest[:40] else None
    )  # fmt: skip
    if element is None or depth > 8:
        return loc
    try:
        element.parse_string(rest)
    except ParseBaseException as inner:
        found = loc + inner.loc
        if found > loc:
            return _deeper(source, found, depth + 1)
    except RecursionError:
        pass
    return loc


def _syntax_message(e, source: str, text: str) -> str:
    """'SPARQL syntax error at line L, column C: ...' in the user's own lines, at the
    token at fault, in plain words."""
    loc = _deeper(source, e.loc)
    while loc < len(source) and source[loc].isspace():
        loc += 1
    token = _TOKEN.match(source, loc)
    if token and token.group() in _OPERATORS:  # `?x > )`: the fault is what follows the operator
        after = _TOKEN.search(source, token.end())
        if after:
            operator, token, loc = token.group(), after, after.start()
    added = source.count("\n") - text.count("\n")
    line = source.count("\n", 0, loc) + 1 - added
    column = loc - (source.rfind("\n", 0, loc) + 1) + 1
    where = f"SPARQL syntax error at line {max(1, line)}, column {column}"
    if token is None:
        opened = source.count("{") - source.count("}")
        unclosed = f" ({opened} '{{' not closed by '}}')" if opened > 0 else ""
        return f"{where}: the query ends before it is complete{unclosed}"
    word = token.group()
    if word[0] in "\"'" and (len(word) == 1 or word[-1] != word[0]):
        return f"{where}: the string {word[:20]!r} is not closed on its line"
    if "operator" in locals():
        return f"{where}: {word!r} cannot follow {operator!r}: a value or expression is missing before it"
    return f"{where}: {word!r} is not valid here"
