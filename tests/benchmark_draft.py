"""How good are the drafts? Draft each shipped document as if it were new (its own facts
and not_facts hidden from the drafter) and compare the drafts with the curated facts.

    python tests/benchmark_draft.py            # the table, as in the README
    python tests/benchmark_draft.py --json     # the numbers
    python tests/benchmark_draft.py --misses   # curated facts no draft matched, and wrong pairs

Definitions (spans are the quotes' code-point offsets):
- recall: curated facts whose quote overlaps some draft's quote by at least half of the
  curated quote's length; "with a number": curated facts that have quantities.
- precision: drafts that overlap some curated fact by at least half of the shorter quote.
- pairs: each recalled curated fact with the overlapping draft that agrees with it best
  (most figures in common, then most agreeing fields, then most overlap): the draft a
  reviewer would accept.
- kind, parties (all of parties/from/to as a set), direction (from and to, where the
  curated fact has them), year (the years of date/year/start/end, where the curated fact
  has one; the drafts that give a year where the curated fact has none are counted
  apart), value+unit (each curated quantity: a draft quantity with the same amount and
  unit), modality: shares of the pairs that agree.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# year: a year is read from the clause or an explicit anchor only, never from the
# paragraph's earlier sentences, where the curators sometimes took it (issue 21, item 7).
# The 85% target was set on every curated year (0.85 since issue 21's first round); since
# its third round it holds on the years a draft can read ("year_in_quote"), and "year"
# (every curated year) is still reported beside it.
TARGETS = {"recall": 0.75, "recall_numbers": 0.90, "value_unit": 0.95, "precision": 0.70, "year_in_quote": 0.85}
STRICT_BASELINE = 42  # shipped facts drafted right (strict) by main at fbeac82; issue 21: no loss
LABELS = {
    "recall": "recall", "recall_numbers": "recall, facts with a number", "precision": "precision",
    "kind": "kind", "parties": "parties", "direction": "direction", "year": "year",
    "year_in_quote": "year, where the draft's quote states it or the draft gives one",
    "year_added": "a year where the curated fact has none", "value_unit": "value + unit", "modality": "modality",
}  # fmt: skip


def fact_view(f) -> dict:
    """A curated fact (loader dataclass) as the fields compared."""
    t = f.time
    years = {v[:4] for v in ((t.year, t.date, t.start, t.end) if t else ()) if v}
    return {
        "id": f.id, "start": f.evidence.start, "end": f.evidence.end, "kind": f.kind, "modality": f.modality,
        "agents": set(f.parties) | {p for p in (f.from_party, f.to_party) if p},
        "direction": (f.from_party, f.to_party) if f.from_party or f.to_party else None,
        "years": years, "quantities": {(q.amount, q.unit) for q in f.quantities}, "quote": f.evidence.exact,
    }  # fmt: skip


def draft_view(record: dict, draft) -> dict:
    """A draft, read back from the record the emitter writes (so the emitter is measured too)."""
    from decimal import Decimal

    t = record.get("time") or {}
    years = {str(t[k])[:4] for k in ("year", "date", "start", "end") if k in t}
    agents = set(record.get("parties", [])) | {record[k] for k in ("from", "to") if k in record}
    return {
        "id": record["id"], "start": draft.start, "end": draft.end, "kind": record["kind"],
        "modality": record["modality"], "agents": agents,
        "direction": (record.get("from"), record.get("to")) if "from" in record or "to" in record else None,
        "years": years, "quote": draft.quote,
        "quantities": {(_amount(Decimal(str(q["amount"]))), q["unit"]) for q in record.get("quantities", [])},
    }  # fmt: skip


def _amount(v):
    from decimal import Decimal

    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v


def overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def agreement(c: dict, d: dict) -> dict[str, bool | None]:
    """Which fields of a pair agree; None where the field does not apply."""
    return {
        "kind": c["kind"] == d["kind"],
        "parties": c["agents"] == d["agents"],
        "direction": (c["direction"] == d["direction"]) if c["direction"] else None,
        "year": (c["years"] == d["years"]) if c["years"] else None,
        "year_added": bool(d["years"]) if not c["years"] else None,
        # the years a draft can read: stated in its own quote, or a year it gives (issue 21,
        # item 7: never one from another sentence, where the curators sometimes took it)
        "year_in_quote": (c["years"] == d["years"])
        if c["years"] and (d["years"] or any(y in d["quote"] for y in c["years"]))
        else None,
        "modality": c["modality"] == d["modality"],
        "value_unit": [q in d["quantities"] for q in sorted(c["quantities"], key=str)] or None,
    }


def measure(corpus_dir: Path | None = None) -> dict:
    """Draft every document with its own facts hidden; compare with its curated facts."""
    from nkrel.core.corpus import default_corpus_dir
    from nkrel.core.vocabulary import read_ontology
    from nkrel.draft import draft_document
    from nkrel.draft.records import fact_record, is_v2  # the emitter `nkrel draft` writes with
    from nkrel.ingest.load import load_corpus

    _, vocabulary = read_ontology()
    corpus = load_corpus(corpus_dir or default_corpus_dir(), vocabulary)
    per_doc, pairs_all, misses, wrong = {}, [], [], []
    totals = {"curated": 0, "recalled": 0, "numbers": 0, "numbers_recalled": 0, "drafts": 0, "precise": 0}
    for doc_id, doc in corpus.documents.items():
        hidden = replace(
            corpus,
            facts=[f for f in corpus.facts if f.document != doc_id],
            non_facts=[n for n in corpus.non_facts if n.span.document != doc_id],
        )
        result = draft_document(hidden, vocabulary, doc_id)
        v2 = is_v2(vocabulary)
        drafts = [draft_view(fact_record(d, f"d{i}", "d", doc.text, v2), d) for i, d in enumerate(result.drafts)]
        curated = [fact_view(f) for f in corpus.facts if f.document == doc_id]
        counts = {"curated": len(curated), "recalled": 0, "numbers": 0, "numbers_recalled": 0,
                  "drafts": len(drafts), "precise": 0}  # fmt: skip
        for d in drafts:
            if any(overlap(c, d) >= 0.5 * min(c["end"] - c["start"], d["end"] - d["start"]) for c in curated):
                counts["precise"] += 1
        for c in curated:
            has_number = bool(c["quantities"])
            counts["numbers"] += has_number
            candidates = [d for d in drafts if overlap(c, d) >= 0.5 * (c["end"] - c["start"])]
            if not candidates:
                misses.append((doc_id, c))
                continue
            counts["recalled"] += 1
            counts["numbers_recalled"] += has_number

            def score(d, c=c):
                a = agreement(c, d)
                flat = [v for k, v in a.items() if k not in ("value_unit", "year_added", "year_in_quote") and v]
                return (sum(a["value_unit"] or []), len(flat), overlap(c, d))  # a figure identifies its fact

            best = max(candidates, key=score)
            pair = agreement(c, best)
            pairs_all.append(pair)
            if not all(
                v for k, v in pair.items() if v is not None and k not in ("value_unit", "year_added", "year_in_quote")
            ) or not all(pair["value_unit"] or [True]):
                wrong.append((doc_id, c, best, pair))
        per_doc[doc_id] = counts
        for k in totals:
            totals[k] += counts[k]
    return {"per_document": per_doc, "totals": totals, "scores": _scores(totals, pairs_all),
            "misses": misses, "wrong": wrong}  # fmt: skip


def _scores(t: dict, pairs: list[dict]) -> dict[str, tuple[int, int]]:
    """Each measure as (agreeing, out of)."""
    out = {
        "recall": (t["recalled"], t["curated"]),
        "recall_numbers": (t["numbers_recalled"], t["numbers"]),
        "precision": (t["precise"], t["drafts"]),
    }
    for field in ("kind", "parties", "direction", "year", "year_in_quote", "year_added", "modality"):
        applicable = [p[field] for p in pairs if p[field] is not None]
        out[field] = (sum(applicable), len(applicable))
    values = [x for p in pairs for x in (p["value_unit"] or [])]
    out["value_unit"] = (sum(values), len(values))
    return out


def table(result: dict) -> str:
    lines = ["| measure | result | target |", "|---|---|---|"]
    for key, label in LABELS.items():
        hit, total = result["scores"][key]
        share = hit / total if total else 0.0
        target = TARGETS.get(key)
        mark = "" if target is None else (f"≥ {target:.0%} " + ("met" if share >= target else "**missed**"))
        lines.append(f"| {label} | {share:.0%} ({hit}/{total}) | {mark or '–'} |")
    docs = ", ".join(f"{d}: {c['drafts']} drafts, {c['curated']} curated" for d, c in result["per_document"].items())
    return "\n".join(lines) + f"\n\n{docs}\n"


def _fact_record(f) -> dict:
    """A curated fact (loader dataclass) as the record fields strict scoring compares."""
    t = f.time
    time = {k: getattr(t, k) for k in ("year", "date", "start", "end", "decade") if t and getattr(t, k)}
    rec = {"id": f.id, "kind": f.kind, "parties": list(f.parties), "time": time,
           "quantities": [{"amount": q.amount, "unit": q.unit} for q in f.quantities]}  # fmt: skip
    if f.from_party:
        rec["from"] = f.from_party
    if f.to_party:
        rec["to"] = f.to_party
    return rec


def strict_shipped() -> dict:
    """Strict scores on the three shipped texts, each drafted with its own facts hidden."""
    from benchmark_devset import add, record_view, strict

    from nkrel.core.corpus import default_corpus_dir
    from nkrel.core.vocabulary import read_ontology
    from nkrel.draft import draft_document
    from nkrel.draft.records import fact_record, is_v2
    from nkrel.ingest.load import load_corpus

    _, vocabulary = read_ontology()
    corpus = load_corpus(default_corpus_dir(), vocabulary)
    total: dict = {}
    for doc_id, doc in corpus.documents.items():
        hidden = replace(corpus, facts=[f for f in corpus.facts if f.document != doc_id],
                         non_facts=[n for n in corpus.non_facts if n.span.document != doc_id])  # fmt: skip
        result = draft_document(hidden, vocabulary, doc_id)
        drafts = [record_view(fact_record(d, f"d{i}", "d", doc.text, is_v2(vocabulary)), d.start, d.end)
                  for i, d in enumerate(result.drafts)]  # fmt: skip
        keys = [record_view(_fact_record(f), f.evidence.start, f.evidence.end) for f in corpus.facts
                if f.document == doc_id]  # fmt: skip
        add(total, strict(keys, drafts))
    return total


def strict_devset(keys_dir: Path, split: str) -> tuple[dict, dict]:
    """Strict scores on one half of the development set, each text drafted in an empty
    workspace (nkrel init, add-document, draft) as a new user would; and the seconds per KB."""
    import subprocess
    import tempfile
    import time

    import yaml
    from benchmark_devset import add, record_view, strict

    from nkrel.draft import draft_document, load
    from nkrel.draft.records import fact_record, is_v2

    sources = [t for t in yaml.safe_load((keys_dir / "sources.yaml").read_text())["texts"] if t["split"] == split]
    key_entities = yaml.safe_load((keys_dir / "keys" / "entities.yaml").read_text())["entities"]
    by_name = {n: e["id"] for e in key_entities for n in [e["label"], *(e.get("aliases") or [])]}
    total: dict = {}
    timing: dict = {"bytes": 0, "seconds": 0.0}
    for src in sources:
        text_path = keys_dir / "texts" / f"{src['id']}.txt"
        text = text_path.read_text(encoding="utf-8")
        key = yaml.safe_load((keys_dir / "keys" / f"{src['id']}.yaml").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp) / "ws"
            subprocess.run(["nkrel", "init", str(ws)], check=True, capture_output=True)
            subprocess.run(["nkrel", "add-document", str(text_path), "--id", src["id"], "--title", src["title"],
                            "--workspace", str(ws)], check=True, capture_output=True)  # fmt: skip
            corpus, vocabulary = load(ws / "corpus")
            began = time.perf_counter()
            result = draft_document(corpus, vocabulary, src["id"])
            timing["seconds"] += time.perf_counter() - began
            timing["bytes"] += len(text.encode("utf-8"))
        doc_text = corpus.documents[src["id"]].text
        labels = {e.id: e.label for e in result.entities} | {e.id: e.label for e in corpus.entities.values()}

        def rename(eid, labels=labels):
            return by_name.get(labels.get(eid, ""), eid) if eid else eid

        drafts = [record_view(fact_record(d, f"d{i}", "d", doc_text, is_v2(vocabulary)), d.start, d.end, rename)
                  for i, d in enumerate(result.drafts)]  # fmt: skip
        keys = []
        for f in key.get("facts") or []:
            evidence = f["evidence"][0] if isinstance(f["evidence"], list) else f["evidence"]
            quote = evidence["quote"]
            start = doc_text.find(quote)
            keys.append(record_view(f, start, start + len(quote)))
        part = strict(keys, drafts)
        for d in part["extra"]:
            d["quote"] = doc_text[d["start"] : d["end"]]
        part["texts"] = 1
        add(total, part)
    return total, timing


def strict_table(name: str, r: dict) -> list[str]:
    def share(hit, of):
        return f"{hit / of:.0%} ({hit}/{of})" if of else "–"

    return [
        f"| {name} | {share(r['right'], r['keys'])} | {share(r['right'], r['drafts'])} | {share(*r['span_recall'])} "
        f"| {share(*r['kind'])} | {share(*r['parties'])} | {share(*r['direction'])} | {share(*r['figures'])} "
        f"| {share(*r['year'])} | {share(*r['year_added'])} |"
    ]


def pathological_texts() -> dict[str, str]:
    """The inputs of issue 21 that took quadratic time: long sentences of figures and dates,
    a name followed by 50,000 spaces."""

    def numbers(n: int) -> str:
        items = ", ".join(f"{1950 + i % 70}: {i % 97}.5 million rubles on January {i % 28 + 1}" for i in range(n))
        return f"North Korea exported to China {items}."

    return {"4 KB sentence of numbers and dates": numbers(95), "11 KB sentence": numbers(260),
            "a name, then 50,000 spaces": "Kim Il Sung" + " " * 50_000 + "visited China.",
            # two times of one visit with a long run between them ("in 1980 and again in 1986")
            "a visit in 1980, 20,000 spaces, 1986": "Kim Il Sung visited China in 1980" + " " * 20_000 + "and then in 1986."}  # fmt: skip


def timing_table() -> list[str]:
    """Seconds to draft each pathological text in an empty workspace, and per KB."""
    import subprocess
    import tempfile
    import time

    from nkrel.draft import draft_document, load

    lines = ["| input | size | drafting | per KB |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run(["nkrel", "init", str(ws)], check=True, capture_output=True)
        for i, text in enumerate(pathological_texts().values()):
            path = Path(tmp) / f"t{i}.txt"
            path.write_text(f"Title {i}\n\n{text}\n", encoding="utf-8")
            subprocess.run(["nkrel", "add-document", str(path), "--id", f"t{i}", "--title", f"Title {i}",
                            "--workspace", str(ws)], check=True, capture_output=True)  # fmt: skip
        corpus, vocabulary = load(ws / "corpus")
        draft_document(corpus, vocabulary, "t0")  # warm: the ontology, cues and gazetteer read once
        for i, (name, text) in enumerate(pathological_texts().items()):
            began = time.perf_counter()
            draft_document(corpus, vocabulary, f"t{i}")
            took = time.perf_counter() - began
            kb = len(text.encode("utf-8")) / 1024
            lines.append(f"| {name} | {kb:.1f} KB | {took:.2f} s | {took / kb:.3f} s |")
    return lines


STRICT_HEAD = [
    "| set | strict recall | strict precision | span recall | kind | parties | direction | figures | year | year where the key has none |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def _strict_misses(result: dict) -> list[str]:
    """One line per key fact matched by a draft wrong in some field, then one per key fact unmatched."""
    lines = []
    for k, d, f in result.get("wrong", []):
        bad = [x for x, ok in f.items() if not ok]
        lines.append(f"WRONG {k['id']}: {bad} key {k['kind']} {k['agents']} {k['direction']} "
                     f"{k['years']} {k['quantities']} | draft {d['kind']} {d['agents']} {d['direction']} "
                     f"{d['years']} {d['quantities']}")  # fmt: skip
    lines += [f"MISSED {k['id']} {k['kind']}" for k in result.get("missed", [])]
    lines += [f"EXTRA {d['kind']} {sorted(d['agents'])} {d['years']}: {d.get('quote', d['start'])!r}"
              for d in result.get("extra", [])]  # fmt: skip
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list unmatched curated facts and disagreeing pairs")
    parser.add_argument("--strict", action="store_true", help="strict scores on the shipped texts")
    parser.add_argument("--timing", action="store_true", help="drafting time on the inputs that were quadratic")
    parser.add_argument(
        "--devset", choices=["tune", "heldout", "third"], help="strict scores on a half of the development set"
    )
    parser.add_argument("--keys", type=Path, default=Path(__file__).resolve().parent / "drafting",
                        help="the development set's folder (sources.yaml, texts/, keys/)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.timing:
        print("\n".join(timing_table()))
        return 0
    if args.strict or args.devset:
        lines = list(STRICT_HEAD)
        if args.strict:
            shipped = strict_shipped()
            lines += strict_table("shipped texts (3)", shipped)
            if args.misses:
                lines += [f"RIGHT {i}" for i in sorted(shipped["right_ids"])]
                lines += _strict_misses(shipped)
        if args.devset:
            result, timing = strict_devset(args.keys, args.devset)
            lines += strict_table(f"{args.devset} half ({result.get('texts', 0)} texts)", result)
            lines.append(f"\ndrafting time: {timing['seconds'] / max(timing['bytes'], 1) * 1024:.3f} s per KB")
            if args.misses:
                lines += _strict_misses(result)
        print("\n".join(lines))
        return 0
    result = measure()
    if args.json:
        print(json.dumps({"scores": result["scores"], "per_document": result["per_document"]}, indent=2))
    else:
        print(table(result))
    if args.misses:
        for doc, c in result["misses"]:
            print(f"MISS {doc} {c['id']}: {c['quote'][:100]!r}")
        for _doc, c, d, pair in result["wrong"]:
            bad = [
                k
                for k, v in pair.items()
                if k != "year_added" and v is not None and (v is False or (isinstance(v, list) and not all(v)))
            ]
            print(f"PAIR {c['id']} ~ {d['id']}: differs in {', '.join(bad)}")
            for k in bad:
                key = {"value_unit": "quantities", "parties": "agents", "year": "years"}.get(k, k)
                print(f"    {k}: curated {c[key]!r} draft {d[key]!r}")
            print(f"    draft quote: {d['quote'][:110]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
