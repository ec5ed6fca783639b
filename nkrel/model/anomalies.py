"""Find where the sources slip or disagree, and record each finding as data.

Rules that read well as graph patterns are SPARQL files in nkrel/rules/ (each names
its anomaly type and severity in its header) and run on the built graph. Rules that
need the sentence a fact sits in or arithmetic over several facts are Python below.
Slips a curator recorded (`slips:` on a fact or a document, `doubt:` on an entity)
become anomalies too, marked as found by the curator.

Every rule is linear in the number of facts: rules over pairs of facts first group
them by a blocking key (sentence, or kind, parties, year, measure and unit) and only
compare within a group; a group of many equal facts (a corpus copied many times)
costs a sort, not all its pairs.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

from ..core.corpus import Corpus, Fact, Quantity, Span
from ..ingest.coverage import split_sentences

MAJOR_SLIPS = {"inconsistency", "implausible", "anachronism", "wrong-name"}
DECLINE = re.compile(
    r"\b(drop(?:ped|s)?|declin\w*|decreas\w*|fell|fall(?:s|en)?|reduc\w*|shr[au]nk|plung\w*|plummet\w*|"
    r"slump\w*|sank|sink\w*|tumbl\w*)\b",
    re.I,
)
# the word just before a figure says which end of a change it is: "from X", "to Y"
_MARKER = re.compile(r"\b(from|to)\s+(?:US\s*)?[$€£]?\s*$", re.I)
ID_PARTS = 6  # an anomaly about more facts than this gets a digest in its id, not every fact id


@dataclass
class Anomaly:
    type: str  # code of an nk:AnomalyType
    severity: str  # "major" or "minor"
    explanation: str
    rule: str  # the rule's name, or "curator"
    facts: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    words: str | None = None
    documents: list[str] = field(default_factory=list)  # for slips of a document as a whole

    @property
    def id(self) -> str:
        parts = self.facts or self.entities or self.documents
        if len(parts) > ID_PARTS:
            digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]
            parts = [parts[0], f"and-{len(parts) - 1}-more-{digest}"]
        return f"{self.type}/{'--'.join(parts)}" + (f"/{_slug(self.words)}" if self.words else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def find_anomalies(corpus: Corpus, dataset) -> list[Anomaly]:
    """Run every rule; return the anomalies sorted and without duplicates."""
    import gc

    # the rules allocate many small objects among many live ones: the cyclic collector
    # would rescan the whole corpus again and again (superlinear); nothing here makes cycles
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _find_anomalies(corpus, dataset)
    finally:
        if enabled:
            gc.enable()


def _find_anomalies(corpus: Corpus, dataset) -> list[Anomaly]:
    found = _sparql_rules(dataset)
    placed = _place_quantities(corpus)
    for rule in (
        decline_to_larger, change_mismatch, exceeds_stated_bound, currency_mix,  # per sentence
    ):  # fmt: skip
        found += rule(placed)
    found += part_year_equals_full_year(corpus)
    found += unlinked_disagreement(corpus)
    found += possible_double_count(corpus)
    found += unit_misspelling(corpus, dataset)
    found += curated(corpus)
    unique = {}
    for a in found:
        unique.setdefault(a.id, a)
    return sorted(unique.values(), key=lambda a: a.id)


# ---- SPARQL rules ---------------------------------------------------------------


def rules_dir() -> Path:
    return Path(str(files("nkrel") / "rules"))


def _sparql_rules(dataset) -> list[Anomaly]:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    out = []
    for path in sorted(rules_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^# (type|severity): (\S+)", text, re.M))
        for row in store.query(text, use_default_graph_as_union=True):
            facts = [_local(row[v], "fact/") for v in ("fact", "other") if _bound(row, v)]
            entity = [_local(row["entity"], "")] if _bound(row, "entity") else []
            words = row["words"].value if _bound(row, "words") else None
            out.append(
                Anomaly(header["type"], header["severity"], row["explanation"].value, path.stem, facts, entity, words)
            )
    return out


def _bound(row, var: str) -> bool:
    try:
        return row[var] is not None
    except (KeyError, IndexError):
        return False


def _local(term, kind: str) -> str:
    return term.value.rsplit("/id/" + kind, 1)[-1]


# ---- quantities placed in their sentences ---------------------------------------


@dataclass
class Placed:
    fact: Fact
    quantity: Quantity
    position: int  # code-point offset of the quantity's words in the document
    span: Span  # the quote the words sit in


def _place_quantities(corpus: Corpus) -> dict[tuple[str, int, int], list[Placed]]:
    """Group every quantity by the sentence its words sit in, in text order."""
    sentences = {d: split_sentences(d, doc.text) for d, doc in corpus.documents.items()}
    starts = {d: [s.start for s in ss] for d, ss in sentences.items()}
    by_sentence: dict[tuple[str, int, int], list[Placed]] = {}
    for f in corpus.facts:
        for q in f.quantities:
            span = next((s for s in f.spans if q.stated and q.stated in s.exact), f.evidence)
            offset = span.exact.find(q.stated) if q.stated else -1
            pos = span.start + max(offset, 0)
            i = bisect.bisect_right(starts[f.document], pos) - 1
            if i >= 0:
                s = sentences[f.document][i]
                if s.start <= pos < s.end or pos == s.end == s.start:
                    by_sentence.setdefault((f.document, s.start, s.end), []).append(Placed(f, q, pos, span))
    for items in by_sentence.values():
        items.sort(key=lambda p: (p.position, p.fact.id))
    return by_sentence


def decline_to_larger(placed) -> list[Anomaly]:
    """'dropped from X to Y' or 'fell to Y from X' where Y > X.

    A decline word must stand before the figures; "from" marks the old figure and
    "to" the new one, in either order. Without markers the earlier figure is the old."""
    out = []
    for items in placed.values():
        for first, later in itertools.combinations(items, 2):
            fq, lq = first.quantity, later.quantity
            if fq.unit != lq.unit or fq.measure != lq.measure or fq.measure in ("change", "share", "level"):
                continue
            if fq.bound not in ("exact", "approximate") or lq.bound not in ("exact", "approximate"):
                continue
            quote = first.span
            if not DECLINE.search(quote.exact[: max(0, first.position - quote.start)]):
                continue
            old, new = first, later
            if _marker(first) == "to" and _marker(later) in ("from", None):
                old, new = later, first
            if new.quantity.amount > old.quantity.amount:
                out.append(
                    Anomaly(
                        "decline-to-larger",
                        "major",
                        f"The text calls it a decline from {old.quantity.stated or old.quantity.amount} "
                        f"to {new.quantity.stated or new.quantity.amount}, which is larger.",
                        "decline-to-larger",
                        sorted({first.fact.id, later.fact.id}),
                    )  # fmt: skip
                )
    return out


def _marker(p: Placed) -> str | None:
    """'from' or 'to' when that word stands just before the figure's words."""
    m = _MARKER.search(p.span.exact[: max(0, p.position - p.span.start)])
    return m.group(1).lower() if m else None


def change_mismatch(placed) -> list[Anomaly]:
    """A stated percentage change that does not follow from the two values of the sentence."""
    out = []
    for items in placed.values():
        changes = [p for p in items if p.quantity.measure == "change" and p.quantity.unit == "percent"]
        for change in changes:
            values = [p for p in items if p.quantity.measure == "value"]
            units = {p.quantity.unit for p in values}
            if len(values) != 2 or len(units) != 1 or values[0].quantity.amount == 0:
                continue
            v1, v2 = values[0].quantity.amount, values[1].quantity.amount
            computed = (v2 - v1) / v1 * 100
            stated = change.quantity.amount
            if abs(computed - stated) > max(Decimal(1), abs(stated) / 20):
                out.append(
                    Anomaly(
                        "change-mismatch",
                        "major",
                        f"A change of {stated}% is stated, but {v1} to {v2} is {computed:.1f}%.",
                        "change-mismatch",
                        sorted({change.fact.id, values[0].fact.id, values[1].fact.id}),
                    )  # fmt: skip
                )
    return out


def exceeds_stated_bound(placed) -> list[Anomaly]:
    """A quantity of at least L where the same sentence states a total or bound T ≤ L."""
    out = []
    for items in placed.values():
        for low, other in itertools.permutations(items, 2):
            lq, oq = low.quantity, other.quantity
            if lq.bound not in ("at-least", "more-than") or oq.bound in ("at-least", "more-than"):
                continue
            if lq.unit == oq.unit and lq.measure == oq.measure and lq.amount >= oq.amount and low.fact != other.fact:
                out.append(
                    Anomaly(
                        "exceeds-stated-bound",
                        "major",
                        f"“{lq.stated or lq.amount}” is at least {lq.amount}, no less than the "
                        f"“{oq.stated or oq.amount}” the same sentence states.",
                        "exceeds-stated-bound",
                        sorted({low.fact.id, other.fact.id}),
                    )  # fmt: skip
                )
    return out


def currency_mix(placed) -> list[Anomaly]:
    """One sentence with ruble amounts worded differently, or of different rubles.

    Before 1998 every ruble is a SUR (until 1991) or RUR ("old") ruble, however the text
    words it; a sentence that calls one amount "old" rubles and the next plain "rubles"
    invites readers to think they differ."""
    out = []
    for items in placed.values():
        before = [p for p in items if p.quantity.unit in ("SUR", "RUR")]
        rub = [p for p in items if p.quantity.unit == "RUB"]
        said_old = [p for p in before if "old" in (p.quantity.stated or "").lower()]
        not_said = [p for p in before if p not in said_old]
        if before and rub:
            out.append(
                Anomaly(
                    "currency-mix",
                    "major",
                    f"The sentence gives “{before[0].quantity.stated}” in rubles before 1998 "
                    f"({before[0].quantity.unit}) and “{rub[0].quantity.stated}” in rubles since 1998 (RUB); "
                    "1,000 RUR became 1 RUB, so the amounts are not comparable.",
                    "currency-mix",
                    sorted({p.fact.id for p in before + rub}),
                )  # fmt: skip
            )
        elif said_old and not_said:
            units = sorted({p.quantity.unit for p in before})
            out.append(
                Anomaly(
                    "currency-mix",
                    "minor",
                    f"The sentence gives “{said_old[0].quantity.stated}” as “old” rubles and "
                    f"“{not_said[0].quantity.stated}” as rubles, but both amounts are dated before 1998: both are "
                    f"pre-redenomination rubles ({' and '.join(units)}) and differ only in wording.",
                    "currency-mix",
                    sorted({p.fact.id for p in before}),
                )  # fmt: skip
            )
    return out


# ---- rules over several facts ----------------------------------------------------


def _party_key(f: Fact):
    return (f.from_party, f.to_party, frozenset(f.parties))


def _year_of(f: Fact) -> str | None:
    """The year of a fact dated by a year or a date (not a period), else None."""
    if not f.time:
        return None
    return f.time.year or (f.time.date or "")[:4] or None


def _everyone(f: Fact) -> frozenset:
    return frozenset(filter(None, [f.from_party, f.to_party, *f.parties]))


def part_year_equals_full_year(corpus: Corpus) -> list[Anomaly]:
    """Part-year figures that add up exactly to the same year's full-year figure.

    Grouped by document, participants and year: only facts of one group are compared."""
    out = []
    fulls: dict[tuple, list[Fact]] = {}
    parts: dict[tuple, list[Fact]] = {}
    for f in corpus.facts:
        if f.kind != "TradeFlow" or not f.time:
            continue
        t = f.time
        if t.start and len(t.start) > 4 and t.end and t.start[:4] == t.end[:4]:
            parts.setdefault((f.document, _everyone(f), t.start[:4]), []).append(f)
        year = t.year or (t.date or "")[:4] or (t.end if t.end and len(t.end) == 4 else None)
        if year and any(q.measure == "value" for q in f.quantities):
            fulls.setdefault((f.document, _everyone(f), year), []).append(f)
    for key, group in fulls.items():
        candidates = parts.get(key, [])
        year = key[2]
        for full in group:
            target = [q for q in full.quantities if q.measure == "value"][-1]  # a period's last value is its end year's
            for n in range(1, min(len(candidates), 4) + 1):
                for combo in itertools.combinations(candidates, n):
                    if _months(combo) == set(range(1, 13)):
                        continue  # the parts cover the whole year: their sum should equal it
                    amounts = [
                        q.amount for f in combo for q in f.quantities if q.measure == "value" and q.unit == target.unit
                    ]
                    if len(amounts) == n and sum(amounts) == target.amount:
                        out.append(
                            Anomaly(
                                "part-year-equals-full-year",
                                "major",
                                f"Figures for part of {year} ({' + '.join(str(a) for a in amounts)}) add up exactly "
                                f"to the figure given for {year} as a whole ({target.amount}).",
                                "part-year-equals-full-year",
                                sorted({full.id, *(f.id for f in combo)}),
                            )  # fmt: skip
                        )
    return out


def _months(facts) -> set[int]:
    months = set()
    for f in facts:
        first = int(f.time.start[5:7]) if len(f.time.start) > 4 else 1
        last = int(f.time.end[5:7]) if len(f.time.end) > 4 else 12
        months.update(range(first, last + 1))
    return months


EXACT_TOLERANCE = Decimal("0.01")  # figures stated as exact may still be rounded: 1 percent either way
APPROXIMATE_TOLERANCE = Decimal("0.1")  # "about", "some": 10 percent either way


def _interval(q: Quantity, exact_tolerance: Decimal = Decimal(0)) -> tuple[Decimal, Decimal]:
    v = q.amount
    inf = Decimal("Infinity")
    lo, hi = sorted((v * (1 - exact_tolerance), v * (1 + exact_tolerance)))
    alo, ahi = sorted((v * (1 - APPROXIMATE_TOLERANCE), v * (1 + APPROXIMATE_TOLERANCE)))
    return {
        "exact": (lo, hi), "approximate": (alo, ahi), "at-least": (v, inf),
        "more-than": (v, inf), "at-most": (-inf, v), "less-than": (-inf, v),
    }[q.bound]  # fmt: skip


def _time_key(f: Fact):
    t = f.time
    return (t.year, t.date, t.start, t.end, t.decade) if t and (t.year or t.date or t.start or t.decade) else None


def _claim_key(f: Fact) -> str:
    return f.claim or "fact:" + f.id


def unlinked_disagreement(corpus: Corpus) -> list[Anomaly]:
    """Facts about the same quantity, parties and period whose values cannot both be true.

    Only totals per period (trade, shares, freight): two aid deliveries in one year are
    normal, two different trade totals for one year are not. Facts that state one
    claim are left to the claim rule. One finding per group of facts that disagree."""
    out = []
    groups: dict[tuple, list[tuple[Fact, Quantity]]] = {}
    for f in corpus.facts:
        if _time_key(f) is None or f.kind not in ("TradeFlow", "TradeShare", "BorderFreight"):
            continue
        for q in f.quantities:
            key = (f.kind, _party_key(f), _time_key(f), q.measure, q.unit, frozenset(f.goods))
            groups.setdefault(key, []).append((f, q))
    for items in groups.values():
        if len(items) < 2:
            continue
        by_interval: dict[tuple, list[tuple[Fact, Quantity]]] = {}
        for f, q in items:
            by_interval.setdefault(_interval(q), []).append((f, q))
        involved: dict[str, tuple[Fact, Quantity]] = {}
        for (a_lo, a_hi), (b_lo, b_hi) in itertools.combinations(sorted(by_interval), 2):
            if not (a_hi < b_lo or b_hi < a_lo):
                continue
            pair = by_interval[(a_lo, a_hi)] + by_interval[(b_lo, b_hi)]
            if len({_claim_key(f) for f, _ in pair}) < 2:
                continue  # one claim: the claim rule reports it
            for f, q in pair:
                involved.setdefault(f.id, (f, q))
        if len(involved) < 2:
            continue
        members = [involved[k] for k in sorted(involved)]
        kind = "sources-disagree" if len({f.document for f, _ in members}) > 1 else "inconsistency"
        values = sorted({(q.amount, q.stated or str(q.amount)) for _, q in members})
        out.append(
            Anomaly(
                kind,
                "major",
                "Facts give different values for the same quantity, parties and time: "
                + " and ".join(f"“{words}”" for _, words in values)
                + ".",
                "unlinked-disagreement",
                sorted(involved),
            )  # fmt: skip
        )
    return out


def possible_double_count(corpus: Corpus) -> list[Anomaly]:
    """Aid or trade facts, same direction, year and (nearly) the same amount, not one claim.

    Grouped by kind, parties, year, measure and unit; within a group the amounts are
    sorted and facts whose tolerance intervals overlap form one cluster (one finding)."""
    out = []
    groups: dict[tuple, list[tuple[Fact, Quantity]]] = {}
    for f in corpus.facts:
        year = _year_of(f)
        if f.kind not in ("Aid", "TradeFlow") or not year:
            continue
        for q in f.quantities:
            if q.amount != 0 and q.bound in ("exact", "approximate") and q.measure in ("value", "mass", "count"):
                groups.setdefault((f.kind, _party_key(f), year, q.measure, q.unit), []).append((f, q))
    for (_, _, year, _, unit), items in groups.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda fq: (_interval(fq[1], EXACT_TOLERANCE)[0], fq[0].id))
        cluster, reach = [items[0]], _interval(items[0][1], EXACT_TOLERANCE)[1]
        for fq in items[1:] + [None]:
            lo = _interval(fq[1], EXACT_TOLERANCE)[0] if fq else None
            if fq is not None and lo <= reach:
                cluster.append(fq)
                reach = max(reach, _interval(fq[1], EXACT_TOLERANCE)[1])
                continue
            facts = {f.id: (f, q) for f, q in cluster}
            if len(facts) > 1 and len({_claim_key(f) for f, _ in facts.values()}) > 1:
                members = [facts[k] for k in sorted(facts)]
                amounts = sorted({q.amount for _, q in members})
                same = f"{amounts[0]} {unit}" if len(amounts) == 1 else f"{amounts[0]} to {amounts[-1]} {unit}"
                out.append(
                    Anomaly(
                        "possible-double-count",
                        "major",
                        f"Facts give {same} in {year} between the same parties ("
                        + " and ".join(f"“{q.stated or q.amount}”" for _, q in members)
                        + "): they may be the same delivery counted twice.",
                        "possible-double-count",
                        sorted(facts),
                    )  # fmt: skip
                )
            if fq is not None:
                cluster, reach = [fq], _interval(fq[1], EXACT_TOLERANCE)[1]
    return out


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def unit_misspelling(corpus: Corpus, dataset) -> list[Anomaly]:
    """A unit word in a quantity's wording that is close to, but not, an accepted spelling."""
    from rdflib import URIRef

    from ..core.vocabulary import NK

    spellings: dict[str, set[str]] = {}
    for unit, _, word in dataset.triples((None, URIRef(NK + "spelling"), None)):
        code = dataset.value(unit, URIRef(NK + "code"))
        spellings.setdefault(str(code), set()).add(str(word).lower())
    out = []
    for f in corpus.facts:
        for q in f.quantities:
            known = spellings.get(q.unit)
            if not known or not q.stated:
                continue
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", q.stated)]
            if any(w in known for w in words):
                continue
            for w in words:
                near = sorted(k for k in known if 0 < _edit_distance(w, k) <= 2 and len(w) > 3)
                if near:
                    out.append(
                        Anomaly(
                            "misspelling",
                            "minor",
                            f"“{w}” in “{q.stated}” is not a spelling of the unit {q.unit}; probably “{near[0]}”.",
                            "unit-misspelling",
                            [f.id],
                            [],
                            q.stated,
                        )  # fmt: skip
                    )
                    break
    return out


def curated(corpus: Corpus) -> list[Anomaly]:
    """Slips and doubts recorded by the curator in the fact, document and entity records."""
    out = []
    for f in corpus.facts:
        for slip in f.slips:
            severity = "major" if slip.type in MAJOR_SLIPS else "minor"
            out.append(Anomaly(slip.type, severity, slip.says, "curator", [f.id], [], slip.words))
    for d in corpus.document_slips:
        severity = "major" if d.slip.type in MAJOR_SLIPS else "minor"
        out.append(Anomaly(d.slip.type, severity, d.slip.says, "curator", [], [], d.slip.words, [d.document]))
    doubted = {e.id for e in corpus.entities.values() if e.doubt}
    users: dict[str, set[str]] = {e: set() for e in doubted}
    for f in corpus.facts:
        for eid in (*f.parties, f.from_party, f.to_party, *f.involves, *f.via, *f.bypassing, *f.places, f.agreement):
            if eid in users:
                users[eid].add(f.id)
    for eid in sorted(doubted):
        e = corpus.entities[eid]
        out.append(Anomaly("unknown-name", "major", e.doubt, "curator", sorted(users[eid]), [e.id], e.label))
    return out


# ---- into the graph ---------------------------------------------------------------


def add_anomalies(dataset, anomalies: list[Anomaly], vocabulary) -> None:
    """Record each anomaly as a node in its own named graph."""
    from rdflib import RDF, RDFS, Literal, URIRef

    from .build import GRAPH, ID, document_iri, entity_iri, fact_iri, nk

    g = dataset.graph(GRAPH["anomalies"])
    codes = vocabulary.codes
    for a in anomalies:
        node = ID["anomaly/" + a.id]
        g.add((node, RDF.type, nk.Anomaly))
        g.add((node, RDFS.label, Literal(f"{a.type}: {', '.join(a.facts or a.entities or a.documents)}")))
        g.add((node, nk.anomalyType, URIRef(codes["AnomalyType"][a.type])))
        g.add((node, nk.severity, URIRef(codes["Severity"][a.severity])))
        g.add((node, nk.explanation, Literal(a.explanation)))
        g.add((node, nk.detectedBy, Literal(a.rule)))
        for fid in a.facts:
            g.add((node, nk.concerns, fact_iri(fid)))
        for eid in a.entities:
            g.add((node, nk.concerns, entity_iri(eid)))
        for doc in a.documents:
            g.add((node, nk.concerns, document_iri(doc)))
        if a.words:
            g.add((node, nk.wordsAtFault, Literal(a.words)))
