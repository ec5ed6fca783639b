"""Plain-language questions routed to a shipped, parametrised query.

A small rule set, no model: relation words choose the query, entity names and aliases
of the graph fill its entity parameter, a four-digit year its year parameter. The answer
is always a shipped query with its parameters, run as `nkrel query` runs it, so that
every row carries its quote; a question no rule fits gets the closest queries instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

NORTH_KOREA = "north-korea"

# (query, words that choose it): the first query whose word occurs wins, so the more
# specific questions come first (a peak of trade before trade, shares before trade)
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("documents-stating", ("which documents", "which sources", "how many documents", "how many sources")),
    ("sources-differ", ("disagree", "differ", "contradict", "inconsisten")),
    ("anomalies", ("anomal", "slip", "error", "mistake", "misspel")),
    ("statements-by-speaker", ("who said", "who says", "according to", "statements by", "what did", "claimed")),
    ("causes", ("why", "cause", "because", "reason")),
    ("not-happened", ("planned", "expected", "speculat", "not happen", "did not happen", "announced")),
    ("trade-peak", ("peak", "highest", "largest trade", "record", "maximum", "biggest trade")),
    ("trade-shares", ("share", "percent", "%", "proportion")),
    ("goods-by-hs-chapter", ("hs chapter", "harmonized system", "chapter")),
    ("border-freight", ("border", "freight", "rail", "khasan", "railway")),
    ("debt", ("debt", "write off", "written off", "wrote off", "loan")),
    ("aid", ("aid", "assistance", "donat", "humanitarian", "food", "grain aid", "help")),
    ("investments", ("invest",)),
    ("labour", ("labour", "labor", "worker")),
    ("military-support", ("military", "arms", "weapon", "troops")),
    ("sanctions", ("sanction", "embargo")),
    ("agreements", ("agreement", "treaty", "treaties", "memorandum", "signed", "accord", "protocol")),
    ("visits-and-meetings", ("visit", "meeting", "met ", "summit", "trip")),
    ("recognition-and-relations", ("recogni", "diplomatic relations", "established relations")),
    ("projects", ("project", "construction", "pipeline", "build")),
    ("policies", ("policy", "policies")),
    ("changes", ("increase", "decrease", "grow", "grew", "fell", "decline", "drop", "change", "rose")),
    ("commodities", ("goods", "commodit", "export of", "import of", "what did", "products")),
    ("trade-by-year", ("trade", "export", "import", "turnover")),
    ("relation-states", ("relations", "relationship", "ties", "ally", "allies")),
    ("timeline", ("timeline", "history", "chronolog")),
    ("in-year", ("what happened", "events of", "in the year")),
    ("entities", ("which states", "which entities", "what entities", "list the states", "companies")),
]


@dataclass
class Route:
    """The query chosen for a question and its parameters; `closest` when none fits."""

    query: str | None
    params: dict[str, str] = field(default_factory=dict)
    closest: list[str] = field(default_factory=list)


def route(question: str, shipped: dict, names: dict[str, list[str]]) -> Route:
    """The shipped query and parameters for a question (Route(None, closest=...) if none fits).

    names: {entity id: [label, alias, ...]} of the graph."""
    text = " " + re.sub(r"\s+", " ", question.casefold()) + " "
    chosen = next((q for q, words in RULES if q in shipped and any(w in text for w in words)), None)
    entities = _entities(text, names)
    years = re.findall(r"\b(1[89][0-9]{2}|20[0-9]{2})\b", text)
    if chosen is None and entities and any(w in text for w in ("all", "everything", "what do we know")):
        chosen = "timeline"
    if chosen is None:
        return Route(None, closest=_closest(question, shipped))
    declared = shipped[chosen].params
    params: dict[str, str] = {}
    entity_params = [p for p, (kind, _) in declared.items() if kind == "entity"]
    others = [e for e in entities if e != NORTH_KOREA] or entities
    if entity_params and others:
        params[entity_params[0]] = others[0]
    if "year" in declared and years:
        params["year"] = years[0]
    if "full-years" in declared and ("full year" in text or "whole year" in text):
        params["full-years"] = "yes"
    if "with-predecessors" in declared and any(w in text for w in ("predecessor", "soviet era", "and the ussr")):
        params["with-predecessors"] = "yes"
    return Route(chosen, params)


def _entities(text: str, names: dict[str, list[str]]) -> list[str]:
    """Entity ids named in the text (whole words, longest names first, in order of mention)."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    candidates = sorted(((n.casefold(), e) for e, ns in names.items() for n in [e.replace("-", " "), *ns]),
                        key=lambda x: -len(x[0]))  # fmt: skip
    for name, eid in candidates:
        if len(name) < 3:
            continue
        for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), eid))
    out: list[str] = []
    for _, eid in sorted(found):
        if eid not in out:
            out.append(eid)
    return out


def _closest(question: str, shipped: dict, n: int = 3) -> list[str]:
    """The shipped queries whose descriptions share the most words with the question."""
    words = set(re.findall(r"[a-z]{4,}", question.casefold()))

    def score(name: str) -> float:
        desc = set(re.findall(r"[a-z]{4,}", shipped[name].description.casefold()))
        close = sum(1 for w in words if difflib.get_close_matches(w, desc, n=1, cutoff=0.8))
        return close + difflib.SequenceMatcher(None, question.casefold(), name).ratio()

    return sorted(shipped, key=lambda q: (-score(q), q))[:n]
