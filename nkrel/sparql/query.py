"""SPARQL over the built graph: shipped queries, parameters, result formats.

What a query may do is decided on its parse tree (nkrel/sparql/safety.py) and where it
runs is bounded (nkrel/sparql/runner.py: a network-less child process with a time and
memory limit); this module resolves the query, binds its parameters and formats its
results, identically for local and remote runs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..core.vocabulary import BASE, NK
from .errors import QueryError

ID = BASE + "id/"
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
RDF_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")

# Declared for every query, local or remote (a query's own PREFIX lines win). Ordered
# longest namespace first where one extends another, so results print the shortest
# name that pastes back into a query.
PREFIXES = {
    "nk": NK,
    "fact": ID + "fact/",
    "id": ID,
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
}


@dataclass
class ShippedQuery:
    name: str
    path: Path
    description: str
    params: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, help)
    text: str = ""


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
            m = re.match(r"param:\s*([\w-]+)\s+(entity|kind|year|goods|integer|string|flag)\s*(.*)", line)
            if m:
                params[m.group(1)] = (m.group(2), m.group(3))
        out[path.stem] = ShippedQuery(path.stem, path, header[0] if header else "", params, text)
    return out


def resolve(query: str) -> tuple[str, ShippedQuery | None]:
    """QUERY may be a shipped query's name, a path to a .rq file, or SPARQL text."""
    shipped = shipped_queries()
    if query in shipped:
        return shipped[query].text, shipped[query]
    if "\n" not in query and (query.endswith(".rq") or _is_file(query)):
        from ..ingest.yamlfile import YamlError, read_bytes

        try:
            return read_bytes(Path(query), 16 * 1024 * 1024).decode("utf-8"), None
        except (OSError, UnicodeDecodeError, YamlError) as e:
            raise QueryError(f"cannot read {query}: {getattr(e, 'strerror', None) or e}") from None
    if re.fullmatch(r"[a-z0-9-]+", query):
        close = _close_matches(query, shipped)
        hint = f"; did you mean {close}?" if close else ""
        raise QueryError(f"no shipped query named {query!r}{hint} (`nkrel queries` lists them)")
    return query, None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long for the file system, or a NUL byte
        return False


def _close_matches(word: str, candidates) -> str:
    import difflib

    return " or ".join(repr(c) for c in difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6))


def parse_params(pairs) -> dict[str, str]:
    """--param NAME=VALUE pairs as a dict."""
    bound = {}
    for p in pairs:
        name, sep, value = p.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*", name):
            raise QueryError(f"--param takes NAME=VALUE with NAME a variable name, got {p!r}")
        bound[name] = value
    return bound


# `# bind --param here`, optionally `: NAME ...`, then an optional remark in parentheses
BIND_HERE = re.compile(r"^[ \t]*# bind --param here(?::(?P<names>[\w \t-]*))?[ \t]*(?:\(.*\))?[ \t]*$", re.M)


def bind_params(text: str, shipped: ShippedQuery | None, params: dict[str, str], entities=None) -> str:
    """Bind variables with VALUES blocks inside the WHERE clause, where every SPARQL 1.1
    store reads them alike (a VALUES block after the query is misread by Virtuoso 7.2).

    A query declares the place with a comment line `# bind --param here` (or
    `# bind --param here: NAME ...` for some parameters only; the first line that names
    none takes the rest); a query without one gets them at the start of its outer WHERE.
    A year matches every fact whose interval holds it and a goods concept its narrower
    concepts because the queries filter on the bound variable, not because of the binding.

    entities: a callable giving {id: [label, alias, ...]} of the graph queried, so that
    an entity parameter accepts a label or alias and a typo gets a suggestion."""
    if not params:
        return text
    declared = shipped.params if shipped else {}
    terms = {}
    for name, value in sorted(params.items()):
        if shipped and name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"query {shipped.name!r} has no parameter {name!r} (parameters: {known})")
        kind = declared[name][0] if shipped else _guess_kind(value)
        if kind == "entity" and entities is not None:
            value = resolve_entity(name, value, entities())
        if kind == "flag" and value == "no":
            _term(name, kind, value)
            continue  # a flag that is off binds nothing: the query reads it as unbound
        terms[name.replace("-", "_")] = _term(name, kind, value)  # full-years binds ?full_years
    return _insert_values(text, terms) if terms else text


def _insert_values(text: str, terms: dict[str, str]) -> str:
    """Each `VALUES ?name { term }` at its declared place, last place first so offsets hold."""
    places = []  # (offset, text before the VALUES, [(name, term)])
    markers = list(BIND_HERE.finditer(text))
    named = {n.replace("-", "_") for m in markers for n in (m.group("names") or "").split()}
    left = {n: t for n, t in terms.items() if n not in named}
    for m in markers:
        names = [n.replace("-", "_") for n in (m.group("names") or "").split()]
        # a marker that names parameters binds them (each may be bound at several places);
        # the first that names none takes the others
        chosen = [(n, terms[n]) for n in names if n in terms] if names else [(n, left.pop(n)) for n in sorted(left)]
        line_end = m.end() + 1 if text[m.end() : m.end() + 1] == "\n" else m.end()
        places.append((line_end, "" if line_end > m.end() else "\n", chosen))
    if left:
        where = re.search(r"\bWHERE\s*\{", text, re.I) or re.search(r"\{", text)
        if where is None:
            raise QueryError("--param needs a query with a WHERE clause to bind its variables in")
        places.append((where.end(), "\n", sorted(left.items())))
    for offset, before, bound in sorted(places, reverse=True):
        if bound:
            values = " ".join(f"VALUES ?{n} {{ {term} }}" for n, term in bound)
            text = f"{text[:offset]}{before}  {values}\n{text[offset:]}"
    return text


def resolve_entity(param: str, value: str, names: dict[str, list[str]]) -> str:
    """An entity id from an id, label or alias (case-insensitive); QueryError with a suggestion otherwise."""
    if value in names:
        return value
    wanted = value.casefold().strip()
    hits = sorted(eid for eid, labels in names.items() if any(wanted == n.casefold() for n in labels))
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise QueryError(f"parameter {param}: {value!r} names several entities: {', '.join(hits)}; give one id")
    by_name = {n.casefold(): eid for eid, labels in names.items() for n in [eid, *labels]}
    import difflib

    close = sorted({by_name[m] for m in difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.6)})
    hint = f"; did you mean {' or '.join(close)}?" if close else " (`nkrel query entities` lists them)"
    raise QueryError(f"parameter {param}: no entity {value!r} in the graph{hint}")


ENTITY_NAMES = f"""
SELECT ?e ?name WHERE {{
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(STRSTARTS(STR(?e), "{ID}") && !CONTAINS(STRAFTER(STR(?e), "{ID}"), "/"))
}}"""


def entity_names(store) -> dict[str, list[str]]:
    """{entity id: its labels and aliases} in a store."""
    names: dict[str, list[str]] = {}
    for row in store.query(ENTITY_NAMES, use_default_graph_as_union=True, prefixes=PREFIXES):
        names.setdefault(row["e"].value[len(ID) :], []).append(row["name"].value)
    return names


def _guess_kind(value: str) -> str:
    return "integer" if re.fullmatch(r"-?[0-9]+", value) else "string"


def _term(name: str, kind: str, value: str) -> str:
    if kind == "entity":
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise QueryError(f"parameter {name}: an entity id such as 'china' or 'soviet-union', got {value!r}")
        return f"<{ID}{value}>"
    if kind == "kind":
        if not re.fullmatch(r"[A-Z][A-Za-z]*", value):
            raise QueryError(f"parameter {name}: a class such as 'TradeFlow', got {value!r}")
        return f"<{NK}{value}>"
    if kind == "year":
        if not re.fullmatch(r"[0-9]{4}", value):
            raise QueryError(f"parameter {name}: a four-digit year, got {value!r}")
        return value  # an integer: shipped queries keep facts whose nk:startYear..nk:endYear holds it
    if kind == "goods":
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise QueryError(f"parameter {name}: a goods concept such as 'cereals' or 'wheat', got {value!r}")
        return f"<{ID}goods/{value}>"
    if kind == "flag":
        if value not in ("yes", "no"):
            raise QueryError(f"parameter {name}: yes or no, got {value!r}")
        return "true"
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise QueryError(f"parameter {name}: an integer, got {value!r}")
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def default_graph_file() -> Path:
    return Path(str(files("nkrel") / "graph" / "nkrel.nq"))


STORE_DIR = "store"  # the build's on-disk Oxigraph store, beside its nkrel.nq (written by nkrel.pipeline)


@dataclass(frozen=True)
class Source:
    """What a query reads: an RDF file, or a build's on-disk store that the caller has
    verified as that build's own (nkrel.workspace.built_source)."""

    file: Path
    store: Path | None = None


def open_store(source: Source | Path | None = None):
    """An Oxigraph store to query: a verified build's on-disk store opened read-only
    (nothing to parse), or else the RDF file itself (by default the shipped build), never
    a store that merely sits beside the file."""
    import pyoxigraph as ox

    from .rdffile import load_into

    if not isinstance(source, Source):
        source = Source(Path(source) if source else default_graph_file())
    if source.store is not None:
        try:
            return ox.Store.read_only(str(source.store))
        except OSError as e:
            raise QueryError(f"cannot open the build's store {source.store}: {e}; run nkrel build") from None
    store = ox.Store()
    load_into(store, source.file)
    return store


def execute(store, text: str, fmt: str | None, width: int | None = None) -> tuple[bytes, bool]:
    """Run a query on a store; return the formatted output and whether it had results."""
    import pyoxigraph as ox

    try:
        result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    return format_result(result, fmt, ox, width)


def run_local(source, text: str, fmt: str | None, shipped, params: dict[str, str], width: int | None,
              check: bool = True):  # fmt: skip
    """Check the query (unless it is a shipped one: package data, checked by the tests),
    load the graph, bind the parameters, run: the work of the isolated query process."""
    if check:
        from .safety import check_query

        check_query(text, PREFIXES)
    store = open_store(source)
    text = bind_params(text, shipped, params, entities=lambda: entity_names(store))
    return execute(store, text, fmt, width)


def format_result(result, fmt: str | None, ox, width: int | None = None) -> tuple[bytes, bool]:
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
            return render_table(variables, rows, width).encode("utf-8"), bool(rows)
        result.serialize(out, _result_format(fmt, ox))
        data = out.getvalue()
        return data, _has_rows(data, fmt)
    fmt = fmt or "turtle"
    _check(fmt, RDF_FORMATS)
    triples = list(result)
    graph_fmt = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML", "jsonld": "JSON_LD",
                 "nquads": "N_QUADS", "trig": "TRIG"}[fmt]  # fmt: skip
    prefixes = {p: ns for p, ns in PREFIXES.items() if not ns.endswith("/")}  # pyoxigraph escapes "/" in names
    ox.serialize(sorted(triples, key=str), out, getattr(ox.RdfFormat, graph_fmt), prefixes=prefixes)
    return out.getvalue(), bool(triples)


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


_PN_LOCAL = re.compile(r"[A-Za-z0-9_\u00C0-\uFFFF]([A-Za-z0-9_.\-\u00B7-\uFFFF]*[A-Za-z0-9_\-\u00B7-\uFFFF])?")


def _cell(term) -> str:
    """A term as it would be written in a query: a prefixed name where one pastes back, else <IRI>."""
    if term is None:
        return ""
    value = term.value
    if type(term).__name__ == "NamedNode":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns) and _PN_LOCAL.fullmatch(value[len(ns) :]):
                return f"{prefix}:{value[len(ns) :]}"
        return f"<{value}>"
    if type(term).__name__ == "Literal" and term.datatype.value in _NUMERIC:
        return _grouped(value)
    return value


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "long", "int", "nonNegativeInteger", "positiveInteger")}
_DIGITS = re.compile(r"([+-]?)(\d{5,})((?:\.\d*)?)")


def _grouped(value: str) -> str:
    """6860000000 as 6,860,000,000 for people (tables only; csv and json keep the number);
    numbers of up to four digits, such as years, stay as they are."""
    match = _DIGITS.fullmatch(value)
    return f"{match[1]}{int(match[2]):,}{match[3]}" if match else value


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text fit for a terminal: control characters (escape sequences included) shown escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(data: bytes) -> bytes:
    """Query output bound for a terminal: control characters (escape sequences included)
    shown escaped, lines and tabs kept. Output to a file or pipe is left exact."""
    text = data.decode("utf-8", "replace")
    return _TERMINAL_CONTROL.sub(lambda m: repr(m.group())[1:-1], text).encode("utf-8")


def render_table(variables: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """An aligned plain-text table; control characters in values (terminal escapes
    included) are shown escaped, never sent to the terminal. With a width, the widest
    columns are cut (ending in …) until a line fits."""
    clean = [[printable(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in clean]) for i, v in enumerate(variables)]
    if width:
        widths = _fit(widths, [len(v) for v in variables], width - 2 * (len(widths) - 1))

    def cut(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(0, w - 1)] + "…"

    lines = ["  ".join(cut(v, w).ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cut(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in clean]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _fit(widths: list[int], minimums: list[int], room: int) -> list[int]:
    """Shrink the widest columns until they fit room: first not below their heading or 8
    characters, then, if that is not enough, down to 3."""
    widths = list(widths)
    for floor in ([min(w, max(m, 8)) for w, m in zip(widths, minimums, strict=True)], [min(w, 3) for w in widths]):
        while sum(widths) > room:
            i = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
            if widths[i] <= floor[i]:
                break
            widths[i] -= 1
    return widths
