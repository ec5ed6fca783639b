"""Strict scoring of drafts (issue 21): a draft is right when a reviewer could accept it
unedited: kind (or an alternative the key allows), parties, direction, figures with unit
and currency, and years all equal to one key fact; one draft per key fact. Used by
tests/benchmark_draft.py on the development set (tests/drafting/) and on the shipped
texts. Views are plain dicts: kinds (a set), agents, direction, quantities, years,
start, end."""

from __future__ import annotations

from decimal import Decimal

FIELDS = ("kind", "parties", "direction", "figures", "year")


def interval(t: dict | None) -> tuple[int, int] | None:
    """A time's (first year, last year), as in the corpus README; none for 'stated' only."""
    if not t:
        return None
    if "year" in t:
        return int(t["year"]), int(t["year"])
    if "date" in t:
        return int(str(t["date"])[:4]), int(str(t["date"])[:4])
    if "decade" in t:
        return int(t["decade"]), int(t["decade"]) + 9
    if "start" in t or "end" in t:
        first, last = str(t.get("start", t.get("end")))[:4], str(t.get("end", t.get("start")))[:4]
        return int(first), int(last)
    return None


def amount(v) -> Decimal:
    d = Decimal(str(v))
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def record_view(rec: dict, start: int, end: int, rename=lambda e: e) -> dict:
    """A fact record (a key, a curated fact or a draft) as the fields compared."""
    agents = {rename(p) for p in rec.get("parties") or []} | {rename(rec[k]) for k in ("from", "to") if rec.get(k)}
    directed = rec.get("from") or rec.get("to")
    return {
        "id": rec.get("id"), "kinds": {rec["kind"], *(rec.get("alt_kinds") or [])}, "kind": rec["kind"],
        "agents": agents, "direction": (rename(rec.get("from")), rename(rec.get("to"))) if directed else None,
        "quantities": {(amount(q["amount"]), q["unit"]) for q in rec.get("quantities") or []},
        "years": interval(rec.get("time")), "start": start, "end": end,
    }  # fmt: skip


def fields(key: dict, draft: dict) -> dict[str, bool]:
    return {
        "kind": draft["kind"] in key["kinds"],
        "parties": key["agents"] == draft["agents"],
        "direction": key["direction"] == draft["direction"] if key["direction"] else True,
        "figures": key["quantities"] == draft["quantities"],
        "year": key["years"] == draft["years"],
    }


def overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def strict(keys: list[dict], drafts: list[dict]) -> dict:
    """Greedy one-to-one matching (most fields right, then most overlap) and the counts."""
    candidates = []
    for i, k in enumerate(keys):
        for j, d in enumerate(drafts):
            if overlap(k, d) > 0:
                f = fields(k, d)
                candidates.append((sum(f.values()), overlap(k, d), -i, -j, i, j, f))
    candidates.sort(reverse=True)
    used_k, used_d, pairs = set(), set(), []
    for *_, i, j, f in candidates:
        if i not in used_k and j not in used_d:
            used_k.add(i)
            used_d.add(j)
            pairs.append((keys[i], drafts[j], f))
    right = sum(all(f.values()) for _, _, f in pairs)
    out = {"keys": len(keys), "drafts": len(drafts), "right": right, "pairs": len(pairs)}
    out["kind"] = (sum(f["kind"] for _, _, f in pairs), len(pairs))
    out["parties"] = (sum(f["parties"] for _, _, f in pairs), len(pairs))
    directed = [f for k, _, f in pairs if k["direction"]]
    out["direction"] = (sum(f["direction"] for f in directed), sum(1 for k in keys if k["direction"]))
    numbered = [f for k, _, f in pairs if k["quantities"]]
    out["figures"] = (sum(f["figures"] for f in numbered), sum(1 for k in keys if k["quantities"]))
    dated = [f for k, _, f in pairs if k["years"]]
    out["year"] = (sum(f["year"] for f in dated), sum(1 for k in keys if k["years"]))
    out["year_added"] = (
        sum(1 for k, d, _ in pairs if not k["years"] and d["years"]),
        sum(1 for k, _, _ in pairs if not k["years"]),
    )
    spans = [k for k in keys if any(overlap(k, d) >= 0.5 * (k["end"] - k["start"]) for d in drafts)]
    out["span_recall"] = (len(spans), len(keys))
    out["wrong"] = [(k, d, f) for k, d, f in pairs if not all(f.values())]
    out["right_ids"] = [k["id"] for k, _, f in pairs if all(f.values())]
    out["missed"] = [k for i, k in enumerate(keys) if i not in used_k]
    out["extra"] = [d for j, d in enumerate(drafts) if j not in used_d]
    return out


def add(total: dict, part: dict) -> None:
    for key, v in part.items():
        if isinstance(v, tuple):
            a, b = total.get(key, (0, 0))
            total[key] = (a + v[0], b + v[1])
        elif isinstance(v, int):
            total[key] = total.get(key, 0) + v
        elif isinstance(v, list):
            total.setdefault(key, []).extend(v)
