"""Find where the sources slip or disagree, and record each finding as data.

Rules that read well as graph patterns are SPARQL files in nkrel/rules/ (each names
its anomaly type and severity in its header) and run on the built graph. Rules that
need the sentence a fact sits in or arithmetic over several facts are Python below.
Slips a curator recorded (`slips:` on a fact, `doubt:` on an entity) become
anomalies too, marked as found by the curator.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

from ..ingest.coverage import split_sentences
from ..ingest.load import Corpus, Fact, Quantity

MAJOR_SLIPS = {"inconsistency", "implausible", "anachronism", "wrong-name"}
DECLINE = re.compile(r"\b(drop(?:ped|s)?|declin\w*|decreas\w*|fell|fall(?:s|en)?|reduc\w*|shr[au]nk)\b", re.I)


@dataclass
class Anomaly:
    type: str  # code of an nk:AnomalyType
    severity: str  # "major" or "minor"
    explanation: str
    rule: str  # the rule's name, or "curator"
    facts: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    words: str | None = None

    @property
    def id(self) -> str:
        parts = self.facts or self.entities
        return f"{self.type}/{'--'.join(parts)}" + (f"/{_slug(self.words)}" if self.words else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def find_anomalies(corpus: Corpus, dataset) -> list[Anomaly]:
    """Run every rule; return the anomalies sorted and without duplicates."""
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


def _place_quantities(corpus: Corpus) -> dict[tuple[str, int, int], list[Placed]]:
    """Group every quantity by the sentence its words sit in, in text order."""
    sentences = {d: split_sentences(d, doc.text) for d, doc in corpus.documents.items()}
    by_sentence: dict[tuple[str, int, int], list[Placed]] = {}
    for f in corpus.facts:
        for q in f.quantities:
            offset = f.evidence.exact.find(q.stated) if q.stated else -1
            pos = f.evidence.start + max(offset, 0)
            for s in sentences[f.document]:
                if s.start <= pos < s.end or (pos == s.end == s.start):
                    key = (f.document, s.start, s.end)
                    by_sentence.setdefault(key, []).append(Placed(f, q, pos))
                    break
    for items in by_sentence.values():
        items.sort(key=lambda p: (p.position, p.fact.id))
    return by_sentence


def decline_to_larger(placed) -> list[Anomaly]:
    """'dropped from X to Y' where Y > X."""
    out = []
    for items in placed.values():
        for first, later in itertools.combinations(items, 2):
            if first.quantity.unit != later.quantity.unit or first.quantity.measure != later.quantity.measure:
                continue
            if first.quantity.measure in ("change", "share", "level"):
                continue
            # the decline word must stand in the first value's quote, before that value
            quote = first.fact.evidence
            before = quote.exact[: max(0, first.position - quote.start)]
            if not DECLINE.search(before) or first.quantity.bound not in ("exact", "approximate"):
                continue
            if later.quantity.amount > first.quantity.amount:
                out.append(
                    Anomaly(
                        "decline-to-larger",
                        "major",
                        f"The text calls it a decline from {first.quantity.stated or first.quantity.amount} "
                        f"to {later.quantity.stated or later.quantity.amount}, which is larger.",
                        "decline-to-larger",
                        sorted({first.fact.id, later.fact.id}),
                    )  # fmt: skip
                )
    return out


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
    """A quantity of at least L where the same sentence states a total or bound T < L."""
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
                        f"“{lq.stated or lq.amount}” is at least {lq.amount}, more than the "
                        f"“{oq.stated or oq.amount}” the same sentence states.",
                        "exceeds-stated-bound",
                        sorted({low.fact.id, other.fact.id}),
                    )  # fmt: skip
                )
    return out


def currency_mix(placed) -> list[Anomaly]:
    """One sentence with amounts in old rubles and in rubles not marked old."""
    out = []
    for items in placed.values():
        old = [p for p in items if p.quantity.unit == "RUB-old"]
        new = [p for p in items if p.quantity.unit == "RUB"]
        if old and new:
            out.append(
                Anomaly(
                    "currency-mix",
                    "major",
                    f"The sentence gives “{old[0].quantity.stated}” in old rubles and "
                    f"“{new[0].quantity.stated}” in rubles not marked old; the amounts may not be comparable "
                    "(1,000 old rubles became 1 ruble in 1998).",
                    "currency-mix",
                    sorted({p.fact.id for p in old + new}),
                )  # fmt: skip
            )
    return out


# ---- rules over several facts ----------------------------------------------------


def _party_key(f: Fact):
    return (f.from_party, f.to_party, frozenset(f.parties))


def _year_of(f: Fact) -> str | None:
    if not f.time:
        return None
    return f.time.year or (f.time.date or "")[:4] or None


def part_year_equals_full_year(corpus: Corpus) -> list[Anomaly]:
    """Part-year figures that add up exactly to the same year's full-year figure."""
    out = []
    facts = [f for f in corpus.facts if f.kind == "TradeFlow"]
    for full in facts:
        year = _year_of(full) or (full.time.end if full.time and full.time.end and len(full.time.end) == 4 else None)
        values = [q for q in full.quantities if q.measure == "value"]
        if not year or not values:
            continue
        target = values[-1]  # for a period, the last value stated is the one for its end year
        parts = [
            f for f in facts
            if f is not full and f.document == full.document and f.time and f.time.start and len(f.time.start) > 4
            and f.time.start[:4] == year == f.time.end[:4]
            and frozenset(filter(None, [f.from_party, f.to_party, *f.parties]))
            == frozenset(filter(None, [full.from_party, full.to_party, *full.parties]))
        ]  # fmt: skip
        for n in range(1, len(parts) + 1):
            for combo in itertools.combinations(parts, n):
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
                            f"Figures for part of {year} ({' + '.join(str(a) for a in amounts)}) add up exactly to "
                            f"the figure given for {year} as a whole ({target.amount}).",
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


def _interval(q: Quantity) -> tuple[Decimal, Decimal]:
    v = q.amount
    inf = Decimal("Infinity")
    return {
        "exact": (v, v), "approximate": (v * Decimal("0.9"), v * Decimal("1.1")), "at-least": (v, inf),
        "more-than": (v, inf), "at-most": (-inf, v), "less-than": (-inf, v),
    }[q.bound]  # fmt: skip


def _time_key(f: Fact):
    t = f.time
    return (t.year, t.date, t.start, t.end) if t and (t.year or t.date or t.start) else None


def unlinked_disagreement(corpus: Corpus) -> list[Anomaly]:
    """Facts about the same quantity, parties and period whose values cannot both be true.

    Only totals per period (trade, shares, freight): two aid deliveries in one year are
    normal, two different trade totals for one year are not."""
    out = []
    groups: dict[tuple, list[tuple[Fact, Quantity]]] = {}
    for f in corpus.facts:
        if _time_key(f) is None or f.kind not in ("TradeFlow", "TradeShare", "BorderFreight"):
            continue
        for q in f.quantities:
            key = (f.kind, _party_key(f), _time_key(f), q.measure, q.unit, frozenset(f.commodities))
            groups.setdefault(key, []).append((f, q))
    for items in groups.values():
        for (fa, qa), (fb, qb) in itertools.combinations(items, 2):
            if fa.id == fb.id or (fa.claim and fa.claim == fb.claim):
                continue
            (a_lo, a_hi), (b_lo, b_hi) = _interval(qa), _interval(qb)
            if a_hi < b_lo or b_hi < a_lo:
                kind = "sources-disagree" if fa.document != fb.document else "inconsistency"
                out.append(
                    Anomaly(
                        kind,
                        "major",
                        f"Two facts give different values for the same quantity, parties and time: "
                        f"“{qa.stated or qa.amount}” and “{qb.stated or qb.amount}”.",
                        "unlinked-disagreement",
                        sorted({fa.id, fb.id}),
                    )  # fmt: skip
                )
    return out


def possible_double_count(corpus: Corpus) -> list[Anomaly]:
    """Two aid or trade facts, same direction, year and amount, not marked as one claim."""
    out = []
    facts = [f for f in corpus.facts if f.kind in ("Aid", "TradeFlow") and _year_of(f)]
    for fa, fb in itertools.combinations(facts, 2):
        if fa.kind != fb.kind or _party_key(fa) != _party_key(fb) or _year_of(fa) != _year_of(fb):
            continue
        if fa.claim and fa.claim == fb.claim:
            continue
        same = [
            (qa, qb) for qa in fa.quantities for qb in fb.quantities
            if qa.unit == qb.unit and qa.measure == qb.measure and qa.amount == qb.amount and qa.amount != 0
        ]  # fmt: skip
        if same:
            qa, qb = same[0]
            out.append(
                Anomaly(
                    "possible-double-count",
                    "major",
                    f"Both facts give {qa.amount} {qa.unit} in {_year_of(fa)} between the same parties "
                    f"(“{qa.stated or qa.amount}” and “{qb.stated or qb.amount}”): they may be the same "
                    "delivery counted twice.",
                    "possible-double-count",
                    sorted({fa.id, fb.id}),
                )  # fmt: skip
            )
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

    from .vocabulary import NK

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
    """Slips and doubts recorded by the curator in the fact and entity records."""
    out = []
    for f in corpus.facts:
        for slip in f.slips:
            severity = "major" if slip.type in MAJOR_SLIPS else "minor"
            out.append(Anomaly(slip.type, severity, slip.says, "curator", [f.id], [], slip.words))
    for e in corpus.entities.values():
        if e.doubt:
            users = sorted(
                f.id for f in corpus.facts
                if e.id in (*f.parties, f.from_party, f.to_party, *f.involves, *f.places, f.agreement)
            )  # fmt: skip
            out.append(Anomaly("unknown-name", "major", e.doubt, "curator", users, [e.id], e.label))
    return out


# ---- into the graph ---------------------------------------------------------------


def add_anomalies(dataset, anomalies: list[Anomaly], vocabulary) -> None:
    """Record each anomaly as a node in its own named graph."""
    from rdflib import RDF, RDFS, Literal, URIRef

    from .build import GRAPH, ID, entity_iri, fact_iri, nk

    g = dataset.graph(GRAPH["anomalies"])
    codes = vocabulary.codes
    for a in anomalies:
        node = ID["anomaly/" + a.id]
        g.add((node, RDF.type, nk.Anomaly))
        g.add((node, RDFS.label, Literal(f"{a.type}: {', '.join(a.facts or a.entities)}")))
        g.add((node, nk.anomalyType, URIRef(codes["AnomalyType"][a.type])))
        g.add((node, nk.severity, URIRef(codes["Severity"][a.severity])))
        g.add((node, nk.explanation, Literal(a.explanation)))
        g.add((node, nk.detectedBy, Literal(a.rule)))
        for fid in a.facts:
            g.add((node, nk.concerns, fact_iri(fid)))
        for eid in a.entities:
            g.add((node, nk.concerns, entity_iri(eid)))
        if a.words:
            g.add((node, nk.wordsAtFault, Literal(a.words)))
