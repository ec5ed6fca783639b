"""Hints for a query that found nothing: the terms it names that the graph never uses.

A query with a misspelt term (`nk:valeu`) runs and returns no rows; SPARQL says no more.
Here the prefixed names and IRIs of the query are checked against the terms the graph
uses, and each unknown one gets the closest known term of its namespace.
"""

from __future__ import annotations

import difflib
import re

# strings, IRIs and comments first, so that a prefixed name inside a string is not read
_TOKENS = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<(?P<iri>[^<>\"{}|^`\\\s]*)>|#[^\n]*"
    r"|(?<![\w?$:])(?P<pname>[A-Za-z][\w.-]*:[A-Za-z_][\w-]*(?:\.[\w-]+)*)"
)
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)


def named_terms(text: str, prefixes: dict[str, str]) -> dict[str, str]:
    """{as written: full IRI} for every prefixed name and IRI of a query (its own PREFIX lines win)."""
    known = {**prefixes, **{(p or ""): ns for p, ns in _PREFIX_DECL.findall(text)}}
    declared = {m.start(2) for m in _PREFIX_DECL.finditer(text)}
    out = {}
    for m in _TOKENS.finditer(text):
        if m.group("iri") is not None and m.start("iri") not in declared:
            out[f"<{m.group('iri')}>"] = m.group("iri")
        elif m.group("pname"):
            prefix, _, local = m.group("pname").partition(":")
            if prefix in known:
                out[m.group("pname")] = known[prefix] + local
    return out


def graph_terms(store, namespaces: set[str]) -> set[str]:
    """Every IRI of the store (subject, predicate, object or class) within the namespaces."""
    import pyoxigraph as ox

    found = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and any(term.value.startswith(ns) for ns in namespaces):
                found.add(term.value)
    return found


QUANTITY_TERMS = {
    "https://schema.org/value",
    "https://w3id.org/nkrel/ontology#unit",
    "https://w3id.org/nkrel/ontology#measure",
    "https://w3id.org/nkrel/ontology#bound",
}
QUANTITY_HINT = (
    "values, units and measures sit on a quantity node, not on the fact: "
    "?fact nk:quantity ?q . ?q schema:value ?value ; nk:unit/nk:code ?unit (see docs/queries.md)"
)


def unknown_term_hints(store, text: str, prefixes: dict[str, str]) -> list[str]:
    """One line per term the query names that the graph never uses, with the closest known
    terms (same local name in any namespace of the prefixes, ignoring case); and the quantity
    path when the query names a term of quantity nodes."""
    names = named_terms(text, prefixes)
    namespaces = set(prefixes.values())
    known = graph_terms(store, namespaces)
    by_local: dict[str, list[str]] = {}
    for iri in known:
        ns = max((n for n in namespaces if iri.startswith(n)), key=len)
        local = iri[len(ns) :]
        if "/" not in local:
            prefix = next(p for p, n in prefixes.items() if n == ns)
            by_local.setdefault(local.casefold(), []).append(f"{prefix}:{local}")
    hints = []
    for written, iri in sorted(names.items()):
        ns = max((n for n in namespaces if iri.startswith(n)), key=len, default=None)
        if ns is None or iri in known:
            continue
        hint = f"{written} does not occur in the graph"
        close = difflib.get_close_matches(iri[len(ns) :].casefold(), list(by_local), n=2, cutoff=0.6)
        prefix = next((p for p, n in prefixes.items() if n == ns), "")
        # the same namespace first, then the others
        terms = sorted({t for c in close for t in by_local[c]}, key=lambda t: (not t.startswith(prefix + ":"), t))
        if terms:
            hint += f"; did you mean {' or '.join(terms[:3])}?"
        hints.append(hint)
    if set(names.values()) & QUANTITY_TERMS:
        hints.append(QUANTITY_HINT)
    return hints
