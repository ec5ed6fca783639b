"""Compare two builds: which facts, entities and anomalies were added, removed or changed.

Each triple is filed under the node it describes: a fact with its evidence,
quantities and mentions (their IRIs extend the fact's), an entity, an anomaly, or
anything else. Two builds differ for a node when its triples differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.vocabulary import BASE
from ..sparql.rdffile import parse_quads

ID = BASE + "id/"
SECTIONS = {"fact/": "facts", "anomaly/": "anomalies", "document/": "documents", "claim/": "claims"}


@dataclass
class Change:
    section: str  # facts, entities, anomalies, documents, claims, other
    key: str  # fact id, entity id, ...
    added: list[str] = field(default_factory=list)  # triples only in the new build, as N-Triples lines
    removed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.removed:
            return "added"
        return "removed" if not self.added else "changed"


def _owner(subject: str) -> tuple[str, str]:
    if not subject.startswith(ID):
        return "other", subject
    local = subject[len(ID) :]
    for prefix, section in SECTIONS.items():
        if local.startswith(prefix):
            rest = local[len(prefix) :]
            key = rest if section == "anomalies" else rest.split("/", 1)[0]
            return section, key
    return "entities", local.split("/", 1)[0]


def _index(path: Path) -> dict[tuple[str, str], set[str]]:
    import pyoxigraph as ox

    triples = {q.triple for q in parse_quads(path)}
    index: dict[tuple[str, str], set[str]] = {}
    for t in triples:
        subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else str(t.subject)
        index.setdefault(_owner(subject), set()).add(str(t))
    return index


def compare_builds(old: Path, new: Path) -> list[Change]:
    """The nodes whose triples differ between two built files (any RDF format), sorted."""
    before, after = _index(Path(old)), _index(Path(new))
    changes = []
    for owner in sorted(before.keys() | after.keys()):
        a, b = before.get(owner, set()), after.get(owner, set())
        if a != b:
            changes.append(Change(owner[0], owner[1], sorted(b - a), sorted(a - b)))
    return changes
