"""The Python API, for notebooks and scripts.

    import nkrel
    g = nkrel.open()                       # the workspace's build (rebuilt first if stale)
    g.query("trade-by-year", partner="china")
    g.query("SELECT ?f WHERE { ?f a nk:Aid }").to_dataframe()   # with pandas installed
    g.facts(kind="Aid", party="russia", year=1997)
    g.anomalies()

Queries get the same safety as `nkrel query`: checked on their parse tree, then run in a
child process that cannot reach the network, within a time and memory limit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

NUMBERS = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger": int,
    "http://www.w3.org/2001/XMLSchema#decimal": Decimal,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


class Rows(list):
    """Result rows as dicts (variable -> value), in order; `columns` names the variables."""

    def __init__(self, columns: list[str], rows: list[dict]):
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self):
        """A pandas DataFrame of the rows (pandas is not a dependency of nkrel: install it)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
        return pandas.DataFrame(list(self), columns=self.columns)


class Graph:
    """A built nkrel graph, loaded once, queried many times."""

    def __init__(self, source, timeout: float = 30.0, memory_mb: int = 2048):
        from .sparql.query import Source, open_store

        source = source if isinstance(source, Source) else Source(Path(source))
        self.path = source.file
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._store = open_store(source)

    def __repr__(self) -> str:
        return f"<nkrel.Graph {self.path} ({len(self._store)} quads)>"

    def query(self, name_or_text: str, **params) -> Rows | bool | list:
        """Rows of a SELECT (a shipped query's name or SPARQL text; keyword arguments bind
        its parameters), True/False for an ASK, a list of (s, p, o) for a CONSTRUCT."""
        from .sparql.query import resolve

        text, shipped = resolve(name_or_text)
        return self._run(text, shipped, {k: str(v) for k, v in params.items()}, check=shipped is None)

    def facts(self, kind: str | None = None, party: str | None = None, year: int | None = None) -> Rows:
        """Facts with their kind, label, years, modality, document and quote; filtered by
        class (with its subclasses), by a party (an id, label or alias) and by a year that
        their time contains."""
        from .sparql.query import ShippedQuery

        filters, params = [], {}
        if kind:
            filters.append("?kind rdfs:subClassOf* ?wanted .")
            params["wanted"] = kind
        if party:
            filters.append("?fact nk:party ?party .")
            params["party"] = party
        if year is not None:
            y = int(year)
            filters.append(f"FILTER(BOUND(?start) && YEAR(?start) <= {y} && YEAR(COALESCE(?end, ?start)) >= {y})")
        text = FACTS.replace("#FILTERS", "\n  ".join(filters))
        return self._run(
            text, ShippedQuery("facts", Path(), "", {"wanted": ("kind", ""), "party": ("entity", "")}), params
        )

    def _run(self, text: str, shipped, params: dict, check: bool = False):
        from .sparql.query import PREFIXES, QueryError, bind_params, entity_names
        from .sparql.runner import run_isolated
        from .sparql.safety import UnsafeQuery, check_query

        store = self._store

        def work():  # in the bounded process: the check and the binding parse untrusted text
            if check:
                check_query(text, PREFIXES)
            bound = bind_params(text, shipped, params, entities=lambda: entity_names(store))
            return _plain(store.query(bound, use_default_graph_as_union=True, prefixes=PREFIXES))

        answer = run_isolated(work, self.timeout, self.memory_mb, reported=(QueryError, UnsafeQuery))
        return Rows(list(answer[0]), answer[1]) if type(answer) is tuple else answer

    def anomalies(self) -> list[dict]:
        """Every anomaly: type, severity, explanation, the rule or curator that found it,
        and the facts (with their quotes) and entities it concerns."""
        from .sparql.reports import anomalies

        return anomalies(self._store)


FACTS = """
SELECT ?fact ?kind ?label ?start ?end ?modality ?document ?quote WHERE {
  ?fact nk:evidence ?ev ; a ?kind ; rdfs:label ?label ; nk:modality/nk:code ?modality ;
        prov:wasDerivedFrom/dcterms:identifier ?document .
  FILTER(STRSTARTS(STR(?kind), STR(nk:)))
  FILTER(STRENDS(STR(?ev), "/evidence"))  # the main span: a fact may cite several
  OPTIONAL { ?fact nk:startYear ?start }
  OPTIONAL { ?fact nk:endYear ?end }
  OPTIONAL { ?ev oa:hasSelector/oa:exact ?quote }
  #FILTERS
}
ORDER BY ?fact"""


def _plain(result):
    """pyoxigraph results as plain data, for the isolated process to send: a bool, a list
    of (s, p, o), or (columns, rows)."""
    from .sparql.query import _cell

    kind = type(result).__name__
    if kind == "QueryBoolean":
        return bool(result)
    if kind == "QueryTriples":
        return [(_cell(t.subject), _cell(t.predicate), _value(t.object)) for t in result]
    columns = [v.value for v in result.variables]
    rows = [{c: _value(s[c]) for c in columns} for s in result]
    return tuple(columns), rows  # made into Rows by the parent: the child's answer is plain data


def _value(term):
    from .sparql.query import _cell

    if term is None:
        return None
    if type(term).__name__ == "Literal":
        convert = NUMBERS.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        if term.datatype.value.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return _cell(term)


def open(workspace: str | Path | None = None, graph: str | Path | None = None, rebuild: bool = True) -> Graph:  # noqa: A001
    """The graph to query: a built file (graph=), or the workspace's build (found as the
    command line finds it), rebuilt first when its corpus changed (rebuild=False refuses
    a stale graph instead)."""
    if graph is not None:
        return Graph(Path(graph))
    from .workspace import WorkspaceError, built_source, find, staleness

    ws = find(workspace)
    if not ws.read_only:
        reason = staleness(ws)
        if reason and not rebuild:
            raise WorkspaceError(f"the graph is stale: run nkrel build ({reason})")
        if reason:
            from .pipeline import build_and_publish

            build_and_publish(ws.corpus_dir, ws.graphs_dir, cache_dir=ws.cache_dir)
    return Graph(built_source(ws))
