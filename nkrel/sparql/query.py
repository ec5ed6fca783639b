"""Run SPARQL safely over the built graph (pyoxigraph), or on a remote endpoint.

Safety is checked on the tokenised query before anything runs: SERVICE, LOAD,
FROM / FROM NAMED and every update keyword are refused wherever they appear
(nested patterns and sub-queries included), because strings, IRIs and comments are
tokenised away first and cannot hide or fake a keyword. Queries run in a forked
child process so a --timeout can stop them.
"""

from __future__ import annotations

import io
import os
import re
import signal
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..model.vocabulary import BASE, NK

ID = BASE + "id/"
REFUSED = {
    "SERVICE": "SERVICE would send the query to another endpoint",
    "LOAD": "LOAD would read a file or URL",
    "FROM": "FROM / FROM NAMED would read a file or URL into the dataset",
    "INSERT": "updates are refused: queries are read-only",
    "DELETE": "updates are refused: queries are read-only",
    "CLEAR": "updates are refused: queries are read-only",
    "DROP": "updates are refused: queries are read-only",
    "CREATE": "updates are refused: queries are read-only",
    "ADD": "updates are refused: queries are read-only",
    "MOVE": "updates are refused: queries are read-only",
    "COPY": "updates are refused: queries are read-only",
    "WITH": "updates are refused: queries are read-only",
    "USING": "updates are refused: queries are read-only",
}
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
RDF_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
DEFAULT_TIMEOUT = 30.0

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
  | (?P<word>[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\-.\u00b7-\uffff]*(?::[A-Za-z0-9_\-.:%\\\u00b7-\uffff]*)?
            |:[A-Za-z0-9_\-.:%\\\u00b7-\uffff]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryError(Exception):
    """A query that cannot run: refused, malformed, timed out, or a bad parameter."""


@dataclass
class ShippedQuery:
    name: str
    path: Path
    description: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, help)
    text: str = ""


def check_safety(text: str, allow_remote: bool = False) -> None:
    """Refuse anything that could reach the network or the file system, or write.

    allow_remote: the query goes to a remote endpoint the user named, so SERVICE
    and FROM are that server's business; updates and LOAD stay refused."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and ":" not in m.group():
            keyword = m.group().upper()
            if keyword in REFUSED and not (allow_remote and keyword in ("SERVICE", "FROM")):
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                raise QueryError(f"refused {keyword} at line {line}, column {column}: {REFUSED[keyword]}")


FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings, IRIs and comments."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and m.group().upper() in FORMS:
            return m.group().upper()
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def queries_dir() -> Path:
    return Path(str(files("nkrel") / "queries"))


def shipped_queries() -> dict[str, ShippedQuery]:
    """The .rq files shipped with nkrel; each starts with a '# ' description line."""
    out = {}
    for path in sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        params = {}
        for line in header:
            m = re.match(r"param:\s*(\w+)\s+(entity|kind|year|goods|integer|string)\s*(.*)", line)
            if m:
                params[m.group(1)] = (m.group(2), m.group(3))
        out[path.stem] = ShippedQuery(path.stem, path, header[0] if header else "", params, text)
    return out


def resolve(query: str) -> tuple[str, ShippedQuery | None]:
    """QUERY may be a shipped query's name, a path to a .rq file, or SPARQL text."""
    shipped = shipped_queries()
    if query in shipped:
        return shipped[query].text, shipped[query]
    if "\n" not in query and (query.endswith(".rq") or Path(query).is_file()):
        try:
            return Path(query).read_text(encoding="utf-8"), None
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"cannot read {query}: {getattr(e, 'strerror', None) or e}") from None
    if re.fullmatch(r"[a-z0-9-]+", query):
        raise QueryError(f"no shipped query named {query!r}; `nkrel queries` lists them")
    return query, None


def bind_params(text: str, shipped: ShippedQuery | None, params: dict[str, str]) -> str:
    """Bind variables with VALUES clauses (works locally and on any endpoint).

    Most parameters are joined with the results (a VALUES clause after the query).
    `year` and `goods` parameters are bound first, at the start of the outer WHERE,
    so that the query's own filters can use them: a year matches every fact whose
    interval holds it, a goods concept matches its narrower concepts."""
    if not params:
        return text
    declared = shipped.params if shipped else {}
    after, first = [], []
    for name, value in sorted(params.items()):
        kind = declared.get(name, ("string", ""))[0] if shipped else _guess_kind(value)
        if shipped and name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {shipped.name!r} has no parameter {name!r} (parameters: {known})")
        (first if kind in ("year", "goods") else after).append((name, _term(name, kind, value)))
    where = re.search(r"\bWHERE\s*\{", text, re.I) if first else None
    if where:
        values = " ".join(f"VALUES ?{n} {{ {term} }}" for n, term in first)
        text = f"{text[: where.end()]}\n  {values}\n{text[where.end() :]}"
    else:
        after += first
    if not after:
        return text
    names = " ".join(f"?{n}" for n, _ in after)
    return f"{text.rstrip()}\nVALUES ({names}) {{ ({' '.join(term for _, term in after)}) }}\n"


def _guess_kind(value: str) -> str:
    return "integer" if re.fullmatch(r"-?[0-9]+", value) else "string"


def _term(name: str, kind: str, value: str) -> str:
    if kind == "entity":
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise QueryError(f"parameter {name}: an entity id such as 'china' or 'soviet-union', got {value!r}")
        return f"<{ID}{value}>"
    if kind == "kind":
        if not re.fullmatch(r"[A-Z][A-Za-z]*", value):
            raise QueryError(f"parameter {name}: a fact kind such as 'TradeFlow', got {value!r}")
        return f"<{NK}{value}>"
    if kind == "year":
        if not re.fullmatch(r"[0-9]{4}", value):
            raise QueryError(f"parameter {name}: a four-digit year, got {value!r}")
        return value  # an integer: shipped queries keep facts whose nk:startYear..nk:endYear holds it
    if kind == "goods":
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise QueryError(f"parameter {name}: a goods concept such as 'cereals' or 'wheat', got {value!r}")
        return f"<{ID}goods/{value}>"
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            raise QueryError(f"parameter {name}: an integer, got {value!r}")
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def default_graph_file() -> Path:
    return Path(str(files("nkrel") / "graph" / "nkrel.nq"))


_EXTENSIONS = {
    ".ttl": "TURTLE", ".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES",
    ".jsonld": "JSON_LD", ".json": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML", ".owl": "RDF_XML",
}  # fmt: skip


def rdf_format(path: Path):
    """The pyoxigraph RdfFormat for a file, by its extension."""
    import pyoxigraph as ox

    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file type (use one of {', '.join(sorted(_EXTENSIONS))})")
    return getattr(ox.RdfFormat, fmt)


def load_store(graph_file: Path | None = None):
    """Load an RDF file (by default the shipped build) into an in-memory Oxigraph store."""
    import pyoxigraph as ox

    path = Path(graph_file) if graph_file else default_graph_file()
    fmt = rdf_format(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except OSError as e:
        raise QueryError(f"cannot read {path}: {e.strerror or e}") from None
    except SyntaxError as e:
        raise QueryError(f"{path} is not valid {fmt.name}: {e}") from None
    return store


def execute(store, text: str, fmt: str | None) -> tuple[bytes, bool]:
    """Run a checked query on a store; return the formatted output and whether it had results."""
    import pyoxigraph as ox

    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    return format_result(result, fmt, ox)


def format_result(result, fmt: str | None, ox) -> tuple[bytes, bool]:
    out = io.BytesIO()
    if isinstance(result, ox.QueryBoolean):
        fmt = fmt or "table"
        _check(fmt, RESULT_FORMATS)
        if fmt == "table":
            return (b"true\n" if bool(result) else b"false\n"), bool(result)
        result.serialize(out, _result_format(fmt, ox))
        return out.getvalue(), bool(result)
    if isinstance(result, ox.QuerySolutions):
        fmt = fmt or "table"
        _check(fmt, RESULT_FORMATS)
        variables = [v.value for v in result.variables]
        if fmt == "table":
            rows = [[_cell(s[v]) for v in variables] for s in result]
            return render_table(variables, rows).encode("utf-8"), bool(rows)
        result.serialize(out, _result_format(fmt, ox))
        data = out.getvalue()
        return data, _has_rows(data, fmt)
    fmt = fmt or "turtle"
    _check(fmt, RDF_FORMATS)
    triples = list(result)
    graph_fmt = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML", "jsonld": "JSON_LD",
                 "nquads": "N_QUADS", "trig": "TRIG"}[fmt]  # fmt: skip
    ox.serialize(sorted(triples, key=str), out, getattr(ox.RdfFormat, graph_fmt), prefixes=PREFIXES)
    return out.getvalue(), bool(triples)


PREFIXES = {
    "nk": NK,
    "nkid": ID,
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _check(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise QueryError(f"--format {fmt} does not fit this query's result; use one of: {', '.join(allowed)}")


def _result_format(fmt: str, ox):
    return {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
            "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}[fmt]  # fmt: skip


def _has_rows(data: bytes, fmt: str) -> bool:
    if fmt in ("csv", "tsv"):
        return data.count(b"\n") > 1
    if fmt == "json":
        return b'"bindings":[]' not in data.replace(b" ", b"")
    return b"<result>" in data or b"<result " in data


def _cell(term) -> str:
    if term is None:
        return ""
    value = term.value
    if type(term).__name__ == "NamedNode":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns) :]}"
        return f"<{value}>"
    return value


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def render_table(variables: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table; control characters in values (terminal escapes
    included) are shown escaped, never sent to the terminal."""
    clean = [[_CONTROL.sub(lambda m: repr(m.group())[1:-1], c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in clean]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in clean]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def run_with_timeout(func, timeout: float):
    """Run func() in a forked child; return its result or raise QueryError on timeout.

    pyoxigraph cannot be interrupted from Python, so a runaway query is stopped by
    killing the child process. Without fork (Windows) the query runs unguarded.
    """
    import pickle

    if not hasattr(os, "fork") or timeout <= 0:
        return func()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            payload = ("ok", func())
        except QueryError as e:
            payload = ("error", str(e))
        except BaseException as e:  # noqa: BLE001 - report, never a traceback
            payload = ("error", f"query failed: {e}")
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(pickle.dumps(payload))
        os._exit(0)
    os.close(write_fd)
    chunks = []
    import selectors
    import time

    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel, os.fdopen(read_fd, "rb") as fh:
        sel.register(fh, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise QueryError(f"the query ran longer than the {timeout:g} s timeout and was stopped (--timeout)")
            chunk = os.read(fh.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks)) if chunks else ("error", "the query process died")
    if status == "error":
        raise QueryError(value)
    return value
