"""Drafts as fact records: the record format (one small function, ``fact_record``), the
drafts file (corpus/drafts/<document-id>.yaml, never read by the build), and the check
that every draft is a record the loader accepts."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from ..core.corpus import Problem
from ..ingest.load import _read_fact, _Reader, ruble_of  # no public one-record check in the loader yet
from .drafter import Draft, DraftEntity, DraftSet

DRAFT_KEYS = ("status", "cues")  # what a draft has beyond a fact record
KIND_LABELS = {"RelationState": "state of relations"}  # others: the class name in words


def occurrences(quote: str, text: str) -> list[int]:
    """Where the quote starts in the text, non-overlapping as the loader counts them (a plain
    search: compiling each long quote as a pattern grew with the square of a sentence)."""
    out, at = [], text.find(quote)
    while at >= 0 and quote:
        out.append(at)
        at = text.find(quote, at + len(quote))
    return out


def drafts_path(corpus_dir: Path, doc_id: str) -> Path:
    return Path(corpus_dir) / "drafts" / f"{doc_id}.yaml"


def is_v2(vocabulary) -> bool:
    """Fact model v2 (issue 11) has the pre-1998 ruble RUR and the modality 'reported'."""
    return "RUR" in vocabulary.codes["Unit"] and "reported" in vocabulary.codes["Modality"]


def fact_record(d: Draft, fact_id: str, label: str, text: str, v2: bool = False) -> dict:
    """One draft in the fact record format of nkrel/corpus/README.md (v1, or v2 with ``v2``)."""
    if v2:
        return _v2_record(d, fact_id, label, text)
    rec: dict = {"id": fact_id, "kind": d.kind, "label": label, "modality": d.modality}
    if d.parties:
        rec["parties"] = list(d.parties)
    if d.from_party:
        rec["from"] = d.from_party
    if d.to_party:
        rec["to"] = d.to_party
    involves = list(d.involves)
    if d.attributed_to and d.attributed_to not in involves + d.parties + [d.from_party, d.to_party]:
        involves.append(d.attributed_to)  # v1 has no attribution field: the speaker takes part
    if involves:
        rec["involves"] = involves
    if d.places:
        rec["places"] = list(d.places)
    if d.agreement:
        rec["agreement"] = d.agreement
    time = _time_record(d)
    if time:
        rec["time"] = time
    if d.quantities:
        rec["quantities"] = [_quantity_record(q) for q in d.quantities]
    if d.as_stated:
        rec["as_stated"] = dict(d.as_stated)
    evidence: dict = {"quote": d.quote}
    starts = occurrences(d.quote, text)
    if len(starts) > 1:
        evidence["occurrence"] = starts.index(d.start) + 1
    rec["evidence"] = evidence
    return rec


def _v2_record(d: Draft, fact_id: str, label: str, text: str) -> dict:
    """Fact model v2: decades and 'since' as intervals, SUR/RUR for rubles before 1992/1998, reported
    speech with attributed_to, change direction and partner role."""
    rec = fact_record(d, fact_id, label, text)
    t = d.time
    if t is not None and (t.decade or (t.since and t.years())) and "time" in rec:
        time = {"decade": t.decade} if t.decade else {"start": int(t.year or t.period[0])}
        if "stated" in rec["time"]:
            time["stated"] = rec["time"]["stated"]
        rec["time"] = time
    year = min(t.years()) if t and t.years() else None
    for q in rec.get("quantities", []):
        if q["unit"] == "RUB-old":  # "old" rubles: of before the 1998 redenomination
            q["unit"] = "SUR" if year and ruble_of(int(year)) == "SUR" else "RUR"
        elif q["unit"] == "RUB" and year:  # the ruble of the year: SUR, RUR or RUB
            q["unit"] = ruble_of(int(year))
    if d.attribution:
        if d.modality in ("happened", "announced", "ongoing"):
            rec["modality"] = "reported"
        s, e = d.attribution
        attribution = {"quote": text[s:e]}
        if d.attributed_to:
            attribution = {"by": d.attributed_to, **attribution}
            rec["involves"] = [i for i in rec.get("involves", []) if i != d.attributed_to] or None
            if rec["involves"] is None:
                del rec["involves"]
        starts = occurrences(text[s:e], text)
        if len(starts) > 1:
            attribution["occurrence"] = starts.index(s) + 1
        rec["attributed_to"] = [attribution]
    if d.kind == "Change":
        change = {"direction": d.change or "decrease"}
        of = next((k for k in d.other_kinds if k not in ("Change", "RelationState")), None)
        if of:
            change["of"] = of
        rec["change"] = change
    if d.kind == "Partnership":
        rec["role"] = d.role or "partner"
    evidence = rec.pop("evidence")
    rec["evidence"] = evidence  # last, as in the curated files
    return rec


def _time_record(d: Draft) -> dict | None:
    t = d.time
    if t is None:
        return None
    out: dict = {}
    if t.date:
        out["date"] = t.date
    elif t.period:
        out["start"], out["end"] = _moment(t.period[0]), _moment(t.period[1])
    elif t.year:
        out["year"] = int(t.year)
    if d.start <= t.start and t.end <= d.end:
        out["stated"] = t.stated
    return out or None


def _moment(v: str):
    return int(v) if re.fullmatch(r"\d{4}", v) else v


def _quantity_record(q) -> dict:
    out = {"measure": q.measure, "amount": _number(q.amount), "unit": q.unit, "stated": q.stated}
    if q.bound != "exact":
        out["bound"] = q.bound
    return out


def _number(v: Decimal):
    return int(v) if v == v.to_integral_value() else float(v)


def _dump_plain(data) -> str:
    """Plain data as YAML text (for reading back with the loader's parser)."""
    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


def entity_record(e: DraftEntity) -> dict:
    out = {"id": e.id, "type": e.type, "label": e.label, "aliases": list(e.aliases or [e.words])}
    ref = e.reference
    if ref is not None:
        dates = {k: str(getattr(ref, k)) for k in ("founded", "dissolved") if getattr(ref, k)}
        out["reference"] = {**dates, "origin": ref.origin}
    return out


def draft_file_text(result: DraftSet, text: str, entities: dict, taken_ids: set[str], v2: bool = False) -> str:
    """The drafts file: each draft a fact record marked status: draft with its cues."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    prefix = "".join(w[0] for w in result.document.split("-"))
    records = []
    for d in result.drafts:
        fid = _unique(_fact_id(prefix, d), taken_ids)
        rec = CommentedMap({"status": "draft", "cues": _flow(list(d.cues))})
        for k, v in fact_record(d, fid, _label(d, entities), text, v2).items():
            rec[k] = _flow(v) if isinstance(v, list) and k != "quantities" else v
        if "quantities" in rec:
            rec["quantities"] = CommentedSeq([_flow_map(q) for q in rec["quantities"]])
        for key in ("time", "change"):
            if key in rec:
                rec[key] = _flow_map(rec[key])
        if "attributed_to" in rec:
            rec["attributed_to"] = CommentedSeq([_flow_map(a) for a in rec["attributed_to"]])
        records.append(rec)
    new_entities = []
    for e in result.entities:
        rec = CommentedMap({"status": "draft", "cues": _flow(e.cues)})
        for k, v in entity_record(e).items():
            rec[k] = _flow(v) if isinstance(v, list) else (_flow_map(v) if isinstance(v, dict) else v)
        new_entities.append(rec)
    explanations = []
    for x in result.explanations:
        rec = CommentedMap({"status": "draft", "cues": _flow(x.cues), "quote": x.quote})
        starts = occurrences(x.quote, text)
        if len(starts) > 1:
            rec["occurrence"] = starts.index(x.start) + 1
        rec["reason"] = x.reason
        explanations.append(rec)
    data = CommentedMap(
        {"document": result.document, "drafts": records, "not_facts": explanations, "entities": new_entities}
    )
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    head = (
        f"# Drafts for {result.document}, proposed by `nkrel draft`; the build never reads this file.\n"
        f"# Review them with `nkrel review {result.document}`: accepted drafts move to the fact file,\n"
        "# rejected ones to its not_facts, with the proposed entities they name (entities.yaml).\n"
        "# Proposed not_facts (headings, sentences with no fact) go to not_facts when accepted.\n"
    )
    return head + out.getvalue()


def _flow(items):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(d: dict):
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap(d)
    m.fa.set_flow_style()
    return m


def _fact_id(prefix: str, d: Draft) -> str:
    who = [p for p in (d.from_party, d.to_party) if p] or d.parties[:2] or d.involves[:1] or d.places[:1]
    year = sorted(d.time.years())[0] if d.time and d.time.years() else None
    parts = [prefix, re.sub(r"(?<!^)(?=[A-Z])", "-", d.kind).lower(), *who] + ([year] if year else [])
    return "-".join(parts)


def _unique(fid: str, taken: set[str]) -> str:
    out, n = fid, 2
    while out in taken:
        out, n = f"{fid}-{n}", n + 1
    taken.add(out)
    return out


def _label(d: Draft, entities: dict) -> str:
    def name(eid):
        return entities[eid].label if eid in entities else eid

    kind = KIND_LABELS.get(d.kind) or re.sub(r"(?<!^)(?=[A-Z])", " ", d.kind).lower()
    who = f"{name(d.from_party)} → {name(d.to_party)}" if d.from_party else " and ".join(map(name, d.parties))
    bits = [b for b in (who, d.time.stated if d.time else None, *(q.stated for q in d.quantities)) if b]
    label = f"{kind[0].upper()}{kind[1:]}: " + ", ".join(bits) if bits else kind
    return label + (f" ({d.modality})" if d.modality != "happened" else "")


def strip_draft(entry) -> dict:
    """A draft entry without its drafting fields: the fact record itself."""
    return {k: v for k, v in entry.items() if k not in DRAFT_KEYS}


def verify_record(entry, path: Path, corpus_dir: Path, doc, entities, vocabulary) -> list[Problem]:
    """The loader's own checks of one fact record (quote located verbatim, codes, entities)."""
    return read_record(entry, path, corpus_dir, doc, entities, vocabulary)[1]


def read_record(entry, path: Path, corpus_dir: Path, doc, entities, vocabulary):
    """The loader's Fact for one record (None if refused) and the problems found."""
    from ..ingest.yamlfile import LineDict

    problems: list[Problem] = []
    reader = _Reader(Path(path), Path(corpus_dir), problems)
    record = LineDict(getattr(entry, "line", None))
    for k, v in strip_draft(entry).items():
        record[k] = v
        if isinstance(entry, LineDict) and k in entry.key_lines:
            record.key_lines[k] = entry.key_lines[k]  # keep line numbers for messages
    import inspect

    # fact model v2's reader also collects links to other facts (causes, topic_of); drafts make none
    links = [[]] if "links" in inspect.signature(_read_fact).parameters else []
    fact = _read_fact(record, reader, doc, entities, vocabulary, *links)
    return fact, problems
