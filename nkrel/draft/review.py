"""Review drafts: accept one into the document's fact file, reject it into not_facts with
a reason, or discard it. Every answer is written at once, atomically (temporary file +
rename; the fact file first, then the drafts file), so an interrupted review loses
nothing already answered, and a review stopped between the two writes is finished by
the next one: a draft whose id is already a fact, or whose quote is already in
not_facts, is no longer pending. An edit that changes a draft's id renames the draft
first, so that this holds for the new id too.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.corpus import NON_FACT_REASONS, Problem
from . import atomic_write, drafts_path, load, read_drafts
from .records import strip_draft, verify_record

REASONS = sorted(NON_FACT_REASONS)


class ReviewError(Exception):
    """The review cannot start or go on; what was answered so far is saved."""


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


_PARSED: dict[str, object] = {}  # a file's text -> its round-trip parse (the few texts read last)


def _load_rt(path: Path):
    """The file as round-trip YAML. A review reads its files again before each answer (the
    file is the record); the text is read every time, but a text already parsed is not
    parsed again (the parse cost the review of a long document minutes)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ReviewError(f"cannot read {path}: {e.strerror or e}") from None
    if text not in _PARSED:
        try:
            parsed = _yaml().load(text)
        except Exception as e:  # ruamel's parser errors: name the file, never a traceback
            raise ReviewError(f"{path} is not valid YAML: {str(e).splitlines()[0]}") from None
        while len(_PARSED) >= 4:  # drafts, facts, entities: the files of one review
            del _PARSED[next(iter(_PARSED))]
        _PARSED[text] = parsed
    return copy.deepcopy(_PARSED[text])  # callers change what they get


def _dump(data) -> bytes:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue().encode("utf-8")


@dataclass
class Review:
    """One document's drafts under review, with the files they move to."""

    corpus_dir: Path
    doc_id: str
    corpus: object
    vocabulary: object
    facts_path: Path
    drafts_path: Path
    counts: dict[str, int] = field(
        default_factory=lambda: {"accepted": 0, "rejected": 0, "discarded": 0, "explained": 0}
    )

    # -- reading -------------------------------------------------------------------------
    def _facts_data(self):
        if not self.facts_path.exists():
            return _yaml().load(f"document: {self.doc_id}\nfacts: []\nnot_facts: []\n")
        data = _load_rt(self.facts_path)
        if not isinstance(data, dict) or data.get("document") != self.doc_id:
            raise ReviewError(f"{self.facts_path}: expected 'document: {self.doc_id}' at the top")
        return data

    def _drafts_data(self):
        problems: list[Problem] = []
        if read_drafts(self.drafts_path, self.corpus_dir, problems) is None:  # the loader's safe reader first
            raise ReviewError("; ".join(map(str, problems)))
        return _load_rt(self.drafts_path)

    def pending(self) -> list:
        """Drafts still to answer (a draft already moved by an interrupted review is not)."""
        facts = self._facts_data()
        done_ids = {f.get("id") for f in facts.get("facts") or []}
        rejected = {(n.get("quote"), n.get("occurrence")) for n in facts.get("not_facts") or []}
        out = []
        for entry in self._drafts_data().get("drafts") or []:
            evidence = entry.get("evidence") or {}
            if entry.get("id") in done_ids or (evidence.get("quote"), evidence.get("occurrence")) in rejected:
                continue
            out.append(entry)
        return out

    def proposed_not_facts(self) -> list:
        """Lines proposed for not_facts (headings, page chrome) not yet recorded there."""
        recorded = {(n.get("quote"), n.get("occurrence")) for n in self._facts_data().get("not_facts") or []}
        items = self._drafts_data().get("not_facts") or []
        return [x for x in items if (x.get("quote"), x.get("occurrence")) not in recorded]

    def accept_not_fact(self, entry) -> None:
        """Record a proposed not_facts entry in the fact file, with its proposed reason."""
        self.reject(entry, entry.get("reason"), key="not_facts")

    def proposed_entities(self) -> list:
        known = set(self.corpus.entities)
        return [e for e in self._drafts_data().get("entities") or [] if e.get("id") not in known]

    def _entities(self) -> dict:
        """The corpus's entities and the proposed ones (accepted with the first draft naming them)."""
        from .proposals import as_entities

        return {**as_entities(self.proposed_entities()), **self.corpus.entities}

    def sentence_of(self, entry) -> str:
        """The sentence (or sentences) around a draft's quote, for the reviewer."""
        from ..ingest.coverage import split_sentences

        text = self.corpus.documents[self.doc_id].text
        evidence = entry.get("evidence") or {}
        quote, occurrence = evidence.get("quote") or "", evidence.get("occurrence") or 1
        start = -1
        for _ in range(occurrence):
            start = text.find(quote, start + 1)
        if start < 0:
            return ""
        end = start + len(quote)
        parts = [s.text for s in split_sentences(self.doc_id, text) if s.start < end and s.end > start]
        return " ".join(parts)

    def problems(self, entry, original_id: str | None = None) -> list[Problem]:
        """What the loader would say about this record, plus an id already taken (by a fact,
        or, for a draft renamed from `original_id`, by another pending draft)."""
        taken = {f.id for f in self.corpus.facts} | {f.get("id") for f in self._facts_data().get("facts") or []}
        found, readable = self._record_problems(entry, self._entities(), taken)
        fid = entry.get("id")
        if not readable or fid in taken:
            return found
        if original_id is not None and fid != original_id and fid in {d.get("id") for d in self.pending()}:
            found.append(Problem(self.drafts_path.name, None, fid, f"another draft has the id {fid!r}: choose another"))
        return found

    def _record_problems(self, entry, entities: dict, taken: set) -> tuple[list[Problem], bool]:
        """What the loader would say about this record, given the entities and the fact ids
        taken; and whether the record could be read back at all."""
        from ..ingest.yamlfile import YamlError, parse_yaml

        doc = self.corpus.documents[self.doc_id]
        try:  # check exactly what will be written, read back by the loader's own parser
            record = parse_yaml(record_text(entry))
        except YamlError as e:
            return [Problem(self.drafts_path.name, None, entry.get("id"), str(e))], False
        found = verify_record(record, self.drafts_path, self.corpus_dir, doc, entities, self.vocabulary)
        fid = entry.get("id")
        if fid in taken:
            found.append(Problem(self.drafts_path.name, None, fid, "a fact with this id already exists"))
        return found, True

    # -- answering -----------------------------------------------------------------------
    def accept(self, entry, edited=None) -> list[Problem]:
        """Move a draft (or its edited record) into the fact file; refuse it with problems."""
        record = edited if edited is not None else entry
        problems = self.problems(record, entry.get("id"))
        if problems:
            return problems
        if record.get("id") != entry.get("id"):  # renamed: the draft takes its new id first, so that
            entry = self._rename_draft(entry, record.get("id"))  # a review cut after the fact's write finds it done
        named = set(record_ids(record))
        for proposal in self.proposed_entities():  # first: the fact's entities exist before the fact
            if proposal.get("id") in named:
                self.accept_entity(proposal)
        facts = self._facts_data()
        _append(facts, "facts", _clean(record))
        atomic_write(self.facts_path, _dump(facts))  # first: the fact is safe before the draft goes
        self._remove(entry)
        self.counts["accepted"] += 1
        return []

    def accept_all(self) -> list[tuple[object, list[Problem]]]:
        """Record every proposed not_facts line and accept every pending draft the loader
        would take, with the proposed entities they name: the answers `accept_not_fact` and
        `accept` give one by one, in three writes (entities.yaml, the fact file, the drafts
        file, in the order `accept` keeps) instead of three per draft, which made the review
        of a long document quadratic. Returns the drafts refused, with their problems."""
        from .proposals import as_entities

        facts, drafts = self._facts_data(), self._drafts_data()
        explained = self.proposed_not_facts()
        for entry in explained:
            _append(facts, "not_facts", _not_fact(entry, entry.get("reason")))
        taken = {f.id for f in self.corpus.facts} | {f.get("id") for f in facts.get("facts") or []}
        entities, accepted, refused, named = self._entities(), [], [], set()
        for entry in self.pending():
            problems, _ = self._record_problems(entry, entities, taken)
            if problems:
                refused.append((entry, problems))
                continue
            _append(facts, "facts", _clean(entry))
            taken.add(entry.get("id"))
            accepted.append(entry)
            named |= set(record_ids(entry))
        adopted = [p for p in self.proposed_entities() if p.get("id") in named]
        if adopted:  # first: the facts' entities exist before the facts
            self._append_entities(adopted)
            self.corpus.entities.update(as_entities(adopted))
        atomic_write(self.facts_path, _dump(facts))  # then the facts, before their drafts go
        for entry in adopted:
            _drop_first(drafts.get("entities"), entry, ("id",))
        for entry in accepted:
            _drop_first(drafts.get("drafts"), entry, ("id",))
        for entry in explained:
            _drop_first(drafts.get("not_facts"), entry, ("quote", "occurrence"))
        atomic_write(self.drafts_path, _dump(drafts))
        self.counts["accepted"] += len(accepted)
        self.counts["explained"] += len(explained)
        return refused

    def reject(self, entry, reason: str, key: str = "drafts") -> None:
        """Record the draft's quote in not_facts with a reason the loader knows."""
        facts = self._facts_data()
        _append(facts, "not_facts", _not_fact(entry, reason))
        atomic_write(self.facts_path, _dump(facts))
        self._remove(entry, key)
        self.counts["rejected" if key == "drafts" else "explained"] += 1

    def discard(self, entry) -> None:
        """Drop a wrong draft without recording anything."""
        self._remove(entry)
        self.counts["discarded"] += 1

    def accept_entity(self, entry, edited=None) -> None:
        """Append a proposed entity (or its edited record) to entities.yaml (comments kept) and
        drop the proposal; an edited id is carried into the pending drafts that name the old one."""
        record = edited if edited is not None else entry
        self._append_entities([record])
        from .proposals import as_entities

        self.corpus.entities.update(as_entities([record]))
        self._remove(entry, "entities", rename=(entry.get("id"), record.get("id")))

    def _append_entities(self, records) -> None:
        """Append entity records to entities.yaml (comments kept), in one write, after
        checking each as the loader would."""
        path = self.corpus_dir / "entities.yaml"
        data = _load_rt(path)
        for record in records:
            self._check_entity(record)
            if any(e.get("id") == record.get("id") for e in data.get("entities") or []):
                raise ReviewError(f"entities.yaml already has an entity {record.get('id')!r}")
            _append(data, "entities", _clean(record))
        atomic_write(path, _dump(data))

    def _check_entity(self, record) -> None:
        """What the loader would refuse in an entity record: its id, type and aliases."""
        from ..core.corpus import SLUG

        eid, etype = record.get("id"), record.get("type")
        if not isinstance(eid, str) or not SLUG.match(eid):
            raise ReviewError(f"entity id {eid!r} must be lower-case words joined by '-'")
        if etype not in self.vocabulary.entity_types:
            raise ReviewError(
                f"entity {eid}: unknown type {etype!r} (known: {', '.join(sorted(self.vocabulary.entity_types))})"
            )
        texts = [d.text for d in self.corpus.documents.values()]
        for alias in record.get("aliases") or []:
            if not any(str(alias) in t for t in texts):
                raise ReviewError(f"entity {eid}: alias {alias!r} occurs in no document")

    def drop_entity(self, entry) -> None:
        self._remove(entry, "entities")

    def drop_not_fact(self, entry) -> None:
        self._remove(entry, "not_facts")

    def _rename_draft(self, entry, new_id: str):
        """Give the draft its edited id in the drafts file; return it as renamed."""
        data = self._drafts_data()
        for item in data.get("drafts") or []:
            if item.get("id") == entry.get("id"):
                item["id"] = new_id
                atomic_write(self.drafts_path, _dump(data))
                return item
        return entry

    def _remove(self, entry, key: str = "drafts", rename: tuple | None = None) -> None:
        data = self._drafts_data()
        _drop_first(data.get(key), entry, ("id",) if key != "not_facts" else ("quote", "occurrence"))
        if rename and rename[0] != rename[1]:
            for draft in data.get("drafts") or []:
                _rename(draft, *rename)
        atomic_write(self.drafts_path, _dump(data))


def _clean(record):
    """A record as written to the corpus: without the draft's status and cues."""
    from ruamel.yaml.comments import CommentedMap

    clean = CommentedMap()
    for k, v in strip_draft(record).items():
        clean[k] = v
    return clean


def _not_fact(entry, reason: str):
    """The not_facts item of a draft's evidence, or of a proposed not_facts entry."""
    if reason not in NON_FACT_REASONS:
        raise ReviewError(f"unknown reason {reason!r} (known: {', '.join(REASONS)})")
    from ruamel.yaml.comments import CommentedMap

    evidence = entry.get("evidence") or entry
    item = CommentedMap({"quote": evidence.get("quote")})
    if evidence.get("occurrence"):
        item["occurrence"] = evidence["occurrence"]
    item["reason"] = reason
    return item


def _append(data, key: str, item) -> None:
    if not data.get(key):
        data[key] = []
    data[key].append(item)


def _drop_first(items, entry, same: tuple[str, ...]) -> None:
    """Remove the first item that matches the entry on `same` (in place: comments kept)."""
    for i, item in enumerate(items or []):
        if all(item.get(k) == entry.get(k) for k in same):
            del items[i]
            return


def open_review(corpus_dir: Path, doc_id: str) -> Review:
    """Load the corpus and find the drafts and fact files of ``doc_id``."""
    from ..ingest.yamlfile import read_yaml

    corpus_dir = Path(corpus_dir)
    corpus, vocabulary = load(corpus_dir)
    if doc_id not in corpus.documents:
        raise ReviewError(f"no document {doc_id!r} in the corpus (known: {', '.join(sorted(corpus.documents))})")
    path = drafts_path(corpus_dir, doc_id)
    if not path.exists():
        raise ReviewError(f"no drafts for {doc_id}: run `nkrel draft {doc_id}` first")
    entry = next(e for e in read_yaml(corpus_dir / "documents.yaml")["documents"] if e.get("id") == doc_id)
    return Review(corpus_dir, doc_id, corpus, vocabulary, corpus_dir / entry["facts"], path)


ID_LISTS, ID_FIELDS = ("parties", "involves", "places"), ("from", "to", "agreement")


def record_ids(record) -> list[str]:
    """Every entity id a fact record names."""
    out = [i for key in ID_LISTS for i in record.get(key) or []]
    out += [record[key] for key in ID_FIELDS if record.get(key)]
    out += [a.get("by") for a in record.get("attributed_to") or [] if isinstance(a, dict) and a.get("by")]
    return out


def _rename(record, old: str, new: str) -> None:
    """An entity id changed in review, changed in a pending draft too."""
    for key in ID_LISTS:
        if isinstance(record.get(key), list):
            record[key][:] = [new if i == old else i for i in record[key]]
    for key in ID_FIELDS:
        if record.get(key) == old:
            record[key] = new
    for a in record.get("attributed_to") or []:
        if isinstance(a, dict) and a.get("by") == old:
            a["by"] = new


def record_text(entry) -> str:
    """A draft's record as YAML, for showing and editing (without status and cues)."""
    from ruamel.yaml.comments import CommentedMap

    clean = CommentedMap()
    for k, v in strip_draft(entry).items():
        clean[k] = v
    return _dump(clean).decode("utf-8")


def parse_record(text: str):
    """An edited record back from YAML; ReviewError when it is not a mapping."""
    try:
        data = _yaml().load(text)
    except Exception as e:
        raise ReviewError(f"the edited record is not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ReviewError("the edited record must be a mapping (id, kind, label, ...)")
    return data
