"""Check the drafting development set: texts, sources and hand keys agree.

    python tests/drafting/check_keys.py          # every text
    python tests/drafting/check_keys.py --split tune
    python tests/drafting/check_keys.py --split third

Needs only Python 3 and PyYAML. Collects every problem before failing (exit 1), one line
each naming the file and the fact id; exit 0 and a summary when all is well.

What it checks:
- sources.yaml: one entry per text file, the fields present, the word count equal to the
  text's (whitespace-separated tokens), split `tune`, `heldout` or `third`, no state in both
  halves, the halves within 15% of each other in words and in texts, no `third` text about a
  state of the `tune` half (the third set is unseen: public-domain texts keyed apart, outside
  the tune/held-out balance).
- each key: known keys only; kind, modality, measure, unit, bound and not_facts reason
  from the lists below; every entity id listed in keys/entities.yaml; every quote and
  every `stated` wording verbatim in the text (a `stated` wording inside its fact's
  quotes); an `occurrence` where a quote occurs more than once; fact ids unique.
- coverage: every sentence of the text overlaps a fact quote or a not_facts quote.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
KINDS = {
    "TradeFlow", "TradeShare", "Aid", "MilitarySupport", "Investment", "DebtRelief", "Recognition",
    "DiplomaticRelations", "Embassy", "Visit", "Meeting", "MeetingTopic", "Signing", "AgreementInForce",
    "Withdrawal", "Project", "Cooperation", "Policy", "Sanction", "Labour", "BorderFreight", "LandLease",
    "LandAvailability", "Publication", "Event", "Change", "Partnership", "Designation", "RelationState",
    "Membership",
}  # fmt: skip
MODALITIES = {"happened", "ongoing", "announced", "planned", "expected", "speculated", "possible", "reported",
              "opinion"}  # fmt: skip
MEASURES = {"value", "mass", "share", "change", "count", "area", "duration", "level", "length"}
UNITS = {"USD", "RUB", "RUR", "SUR", "KPW", "ETB", "EUR", "tonne", "hectare", "percent", "factor", "count", "year",
         "hour", "kilometre", "metre", "kilogram"}  # fmt: skip
BOUNDS = {"exact", "approximate", "at-least", "more-than", "at-most", "less-than"}
REASONS = {"background", "opinion", "speculation", "outside-topic", "page-matter"}
ENTITY_TYPES = {"State", "Organisation", "Company", "Person", "City", "Region", "Site", "Place",
                "HistoricalEvent", "Product", "Treaty", "MemorandumOfUnderstanding", "CooperationAgreement",
                "DefenceAgreement", "Protocol", "Agreement"}  # fmt: skip
FACT_KEYS = {
    "id", "kind", "alt_kinds", "label", "modality", "parties", "from", "to", "involves", "via", "bypassing",
    "places", "agreement", "time", "quantities", "commodities", "change", "role", "about", "topic_of", "causes",
    "attributed_to", "at_time_of", "after", "as_stated", "claim", "note", "slips", "evidence",
}  # fmt: skip
ENTITY_LIST_KEYS = ("parties", "involves", "via", "bypassing", "places")
ENTITY_ONE_KEYS = ("from", "to", "agreement")
TIME_KEYS = {"year", "date", "start", "end", "decade", "stated"}
SOURCE_KEYS = {"id", "title", "address", "stored_copy", "licence", "attribution", "retrieved", "state",
               "words", "split", "partial"}  # fmt: skip
# A sentence ends at . ! ? (and a closing quote or reference marks) before a space and a capital, an opening
# quote or a bullet, unless the dot ends one of these abbreviations.
ABBREVIATIONS = ("U.S.", "U.N.", "Dr.", "Mr.", "No.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.",
                 "Dec.", "a.i.")  # fmt: skip
SENTENCE_END = re.compile(r"[.!?][\"”’)\]0-9\[]*(?=\s+[\"“‘(•A-Z0-9À-Ž])|[.!?;:][\"”’)\]0-9\[]*\s*$|\n")


class Problems(list):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and bullet items, lines) of a text, blank ones dropped."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        end = m.end()
        if any(text[:end].rstrip().endswith(a) for a in ABBREVIATIONS) and m.group() != "\n":
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        if chunk.strip(" \n\t•"):
            lead = len(chunk) - len(chunk.lstrip(" \n\t•"))
            out.append((s + lead, s + len(chunk.rstrip())))
    return out


def find(text: str, quote: str, occurrence: int | None) -> tuple[int, int] | None:
    """The span of the quote's given occurrence (1-based), or None."""
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        return None
    if len(starts) > 1 and occurrence is None:
        return (-len(starts), 0)  # ambiguous: the caller reports it
    i = (occurrence or 1) - 1
    return (starts[i], starts[i] + len(quote)) if i < len(starts) else None


def check_span(text, block, where, problems, label="quote", extra=frozenset()):
    if not isinstance(block, dict) or not isinstance(block.get("quote"), str) or not block["quote"]:
        problems.add(where, f"{label} missing or not text")
        return None
    unknown = set(block) - {"quote", "occurrence"} - extra
    if unknown:
        problems.add(where, f"unknown evidence keys {sorted(unknown)}")
    span = find(text, block["quote"], block.get("occurrence"))
    if span is None:
        problems.add(where, f"{label} not found verbatim: {block['quote']!r}")
    elif span[0] < 0:
        problems.add(where, f"{label} occurs {-span[0]} times; give occurrence: {block['quote']!r}")
        return None
    return span


def check_fact(f, text, entities, where, problems):
    """One fact record; returns its evidence spans."""
    unknown = set(f) - FACT_KEYS
    if unknown:
        problems.add(where, f"unknown keys {sorted(unknown)}")
    for key in ("id", "kind", "label", "modality", "evidence"):
        if key not in f:
            problems.add(where, f"missing {key}")
    if f.get("kind") not in KINDS:
        problems.add(where, f"unknown kind {f.get('kind')!r}")
    for k in f.get("alt_kinds", []):
        if k not in KINDS:
            problems.add(where, f"unknown alt kind {k!r}")
    if f.get("modality") not in MODALITIES:
        problems.add(where, f"unknown modality {f.get('modality')!r}")
    if not any(k in f for k in ("parties", "from", "to", "involves", "places", "agreement")):
        problems.add(where, "names no party")
    used = [e for k in ENTITY_LIST_KEYS for e in f.get(k, [])] + [f[k] for k in ENTITY_ONE_KEYS if k in f]
    used += [a["by"] for a in f.get("attributed_to", []) if "by" in a] + list(f.get("as_stated", {}))
    for e in used:
        if e not in entities:
            problems.add(where, f"entity {e!r} not in keys/entities.yaml")
    if f.get("modality") == "reported" and not f.get("attributed_to"):
        problems.add(where, "reported needs attributed_to")
    evidence = f.get("evidence")
    blocks = evidence if isinstance(evidence, list) else [evidence]
    spans = [s for b in blocks if (s := check_span(text, b, where, problems))]
    quotes = " ".join(b["quote"] for b in blocks if isinstance(b, dict) and isinstance(b.get("quote"), str))
    stated = [(f.get("time") or {}).get("stated")] + [q.get("stated") for q in f.get("quantities", [])]
    stated += [c.get("stated") for c in f.get("commodities", [])] + list(f.get("as_stated", {}).values())
    stated += [a.get("quote") for a in f.get("attributed_to", [])]
    for s in stated:
        if s is not None and s not in quotes:
            problems.add(where, f"wording {s!r} not inside the fact's quotes")
    check_time(f.get("time"), where, problems)
    for q in f.get("quantities", []):
        if set(q) - {"measure", "amount", "unit", "bound", "stated"}:
            problems.add(
                where, f"unknown quantity keys {sorted(set(q) - {'measure', 'amount', 'unit', 'bound', 'stated'})}"
            )
        if q.get("measure") not in MEASURES or q.get("unit") not in UNITS or q.get("bound", "exact") not in BOUNDS:
            problems.add(where, f"bad quantity {q}")
        if not isinstance(q.get("amount"), (int, float)) or isinstance(q.get("amount"), bool):
            problems.add(where, f"amount is not a number: {q.get('amount')!r}")
    return spans


def check_time(t, where, problems):
    if t is None:
        return
    if not isinstance(t, dict) or set(t) - TIME_KEYS or not t:
        problems.add(where, f"bad time {t!r}")
        return
    for k in ("year", "decade"):
        if k in t and not (isinstance(t[k], int) and 1800 <= t[k] <= 2100):
            problems.add(where, f"bad {k} {t[k]!r}")
    if "end" in t and "start" not in t:
        problems.add(where, "an end needs a start")
    for k in ("date", "start", "end"):
        if k in t and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(t[k])):
            problems.add(where, f"bad {k} {t[k]!r}")


def check_key(doc_id, text, key, entities, seen_ids, problems):
    """One key file: its facts, its not_facts and the coverage of its sentences."""
    where = f"keys/{doc_id}.yaml"
    if set(key) - {"document", "state", "facts", "not_facts"}:
        problems.add(where, f"unknown top-level keys {sorted(set(key) - {'document', 'state', 'facts', 'not_facts'})}")
    if key.get("document") != doc_id:
        problems.add(where, f"document is {key.get('document')!r}, expected {doc_id!r}")
    covered = []
    for f in key.get("facts") or []:
        fid = f.get("id", "?")
        if fid in seen_ids:
            problems.add(f"{where} {fid}", "fact id used twice")
        seen_ids.add(fid)
        covered += check_fact(f, text, entities, f"{where} {fid}", problems)
    for i, n in enumerate(key.get("not_facts") or [], 1):
        w = f"{where} not_facts[{i}]"
        if n.get("reason") not in REASONS:
            problems.add(w, f"reason {n.get('reason')!r} not one of {sorted(REASONS)}")
        if span := check_span(text, n, w, problems, extra={"reason"}):
            covered.append(span)
    for s, e in sentences(text):
        if not any(min(e, ce) > max(s, cs) for cs, ce in covered):
            problems.add(where, f"sentence neither a fact nor explained: {text[s:e][:90]!r}")
    return len(key.get("facts") or [])


def check_sources(sources, texts, problems):
    halves = {"tune": [0, 0, set()], "heldout": [0, 0, set()], "third": [0, 0, set()]}
    listed = set()
    for s in sources:
        where = f"sources.yaml {s.get('id', '?')}"
        missing = {"id", "title", "address", "licence", "attribution", "retrieved", "state", "words", "split"}
        for k in sorted(missing - set(s)):
            problems.add(where, f"missing {k}")
        for k in sorted(set(s) - SOURCE_KEYS):
            problems.add(where, f"unknown key {k}")
        listed.add(s.get("id"))
        text = texts.get(s.get("id"))
        if text is None:
            problems.add(where, "no text file texts/<id>.txt")
            continue
        if s.get("words") != len(text.split()):
            problems.add(where, f"words {s.get('words')} but the text has {len(text.split())}")
        if s.get("split") not in halves:
            problems.add(where, f"split {s.get('split')!r} is not tune, heldout or third")
            continue
        h = halves[s["split"]]
        h[0] += 1
        h[1] += len(text.split())
        h[2].add(s.get("state"))
    for t in sorted(set(texts) - listed):
        problems.add("sources.yaml", f"texts/{t}.txt is not listed")
    both = halves["tune"][2] & halves["heldout"][2]
    if both:
        problems.add("sources.yaml", f"states in both halves: {sorted(both)}")
    tuned = halves["tune"][2] & halves["third"][2]
    if tuned:
        problems.add("sources.yaml", f"third-set states the drafter was tuned on: {sorted(tuned)}")
    (tn, tw, _), (hn, hw, _) = halves["tune"], halves["heldout"]
    if tn and hn and (abs(tw - hw) > 0.15 * max(tw, hw) or abs(tn - hn) > max(1, 0.15 * max(tn, hn))):
        problems.add("sources.yaml", f"halves unbalanced: tune {tn} texts {tw} words, heldout {hn} texts {hw} words")
    return halves


def load_entities(root, problems):
    data = yaml.safe_load((root / "keys" / "entities.yaml").read_text(encoding="utf-8"))
    entities = {}
    for e in data.get("entities", []):
        if e.get("id") in entities:
            problems.add("keys/entities.yaml", f"entity {e.get('id')!r} listed twice")
        if set(e) - {"id", "type", "label", "aliases", "note"} or not isinstance(e.get("label"), str):
            problems.add(
                "keys/entities.yaml",
                f"{e.get('id')}: unknown fields {sorted(set(e) - {'id', 'type', 'label', 'aliases', 'note'})} or no label",
            )
        if e.get("type") not in ENTITY_TYPES:
            problems.add("keys/entities.yaml", f"{e.get('id')}: type {e.get('type')!r} unknown")
        entities[e.get("id")] = e
    return entities


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "heldout", "third"), help="check only the keys of one split")
    parser.add_argument("--root", type=Path, default=HERE, help="the set's folder (default: this one)")
    args = parser.parse_args(argv)
    root = args.root
    problems = Problems()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "texts").glob("*.txt"))}
    sources = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))["texts"]
    halves = check_sources(sources, texts, problems)
    entities = load_entities(root, problems)
    seen, counts = set(), {"tune": [0, 0], "heldout": [0, 0], "third": [0, 0]}
    for s in sources:
        if args.split and s.get("split") != args.split or s.get("id") not in texts:
            continue
        if s.get("split") not in counts:  # reported by check_sources; a KeyError here was a traceback
            continue
        path = root / "keys" / f"{s['id']}.yaml"
        if not path.exists():
            problems.add(f"keys/{s['id']}.yaml", "missing")
            continue
        key = yaml.safe_load(path.read_text(encoding="utf-8"))
        if key.get("state") != s.get("state") or s.get("state") not in entities:
            problems.add(f"keys/{s['id']}.yaml", f"state {key.get('state')!r} differs from sources.yaml or is unlisted")
        n = check_key(s["id"], texts[s["id"]], key, entities, seen, problems)
        counts[s["split"]][0] += 1
        counts[s["split"]][1] += n
        print(f"{s['id']:28} {s['split']:8} {s['state']:18} {len(texts[s['id']].split()):5} words {n:3} facts")
    for split, (n_texts, n_facts) in counts.items():
        if n_texts:
            print(f"{split}: {n_texts} keys, {n_facts} facts; {halves[split][0]} texts, {halves[split][1]} words")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print("all keys check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
