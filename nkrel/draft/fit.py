"""Fit drafts to the SHACL shapes: a draft whose kind the shapes refuse (a signing with no
known agreement, a trade flow with one party) takes the next kind its cues suggest, down
to the catch-all RelationState, so that accepted drafts always build a valid graph."""

from __future__ import annotations

import re
from dataclasses import replace

from .drafter import DraftSet
from .records import fact_record, read_record

ROUNDS = 4


def shape_problems(corpus, vocabulary, doc_id: str, facts) -> dict[str, list[str]]:
    """SHACL violations of these facts built alone with the corpus's entities, by fact id."""
    from ..model.build import build_dataset
    from ..model.validate import validate_dataset

    alone = replace(corpus, documents={doc_id: corpus.documents[doc_id]}, facts=list(facts), non_facts=[])
    report = validate_dataset(build_dataset(alone, _ontology(), vocabulary))  # the shipped shapes, parsed once
    out: dict[str, list[str]] = {}
    for line in report.problems:
        m = re.match(r"fact (\S+) ", line)
        out.setdefault(m.group(1) if m else "", []).append(line)
    return out


def _ontology():
    """The shipped ontology graph, parsed once per process: each round of each document
    parsed it again (a quarter of a second each on this machine)."""
    if not _ONTOLOGY:
        from rdflib import Graph

        from ..core.vocabulary import ontology_path

        _ONTOLOGY.append(Graph().parse(ontology_path(), format="turtle"))
    return _ONTOLOGY[0]


_ONTOLOGY: list = []


def fit_to_shapes(result: DraftSet, corpus, vocabulary) -> None:
    """Change the kind of every draft the shapes refuse, until none is refused."""
    from ..ingest.yamlfile import parse_yaml
    from .records import _dump_plain, is_v2

    doc = corpus.documents[result.document]
    v2 = is_v2(vocabulary)
    for _ in range(ROUNDS):
        facts, by_id, refused = [], {}, {}
        for i, d in enumerate(result.drafts):
            fid = f"draft-{i}"
            by_id[fid] = d
            record = parse_yaml(_dump_plain(fact_record(d, fid, "draft", doc.text, v2)))
            fact, problems = read_record(record, doc.file_name, ".", doc, corpus.entities, vocabulary)
            if fact is not None:
                facts.append(fact)
            else:  # a kind the loader refuses here (one that needs a field a draft cannot give)
                refused[fid] = [f"fact {fid} : {p.message} [shape loader]" for p in problems]
        found = shape_problems(corpus, vocabulary, doc.id, facts)
        refused |= {fid: lines for fid, lines in found.items() if fid}
        if not refused:
            return
        for fid, lines in refused.items():
            d = by_id[fid]
            if not d.other_kinds:
                continue
            message = lines[0].split(": ", 1)[-1].split(" [shape")[0]
            new = d.other_kinds.pop(0)
            d.cues.append(f"kind {new}, as the shapes refuse {d.kind} here ({message})")
            d.kind = new
