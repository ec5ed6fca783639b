"""Build small synthetic corpora (texts, entities, facts) for rule and error tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ruamel.yaml import YAML


def write_corpus(root: Path, documents: dict[str, str], entities: list[dict], facts: dict[str, list[dict]]) -> Path:
    """documents: id -> text; facts: document id -> fact records."""
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.representer.ignore_aliases = lambda *args: True  # corpus files refuse YAML aliases
    (root / "texts").mkdir(parents=True)
    (root / "facts").mkdir()
    meta = []
    for doc_id, text in documents.items():
        raw = text.encode("utf-8")
        (root / "texts" / f"{doc_id}.txt").write_bytes(raw)
        meta.append({"id": doc_id, "file": f"texts/{doc_id}.txt", "title": f"Synthetic {doc_id}",
                     "sha256": hashlib.sha256(raw).hexdigest(), "facts": f"facts/{doc_id}.yaml"})  # fmt: skip
        with open(root / "facts" / f"{doc_id}.yaml", "w", encoding="utf-8") as fh:
            yaml.dump({"document": doc_id, "facts": facts.get(doc_id, [])}, fh)
    with open(root / "documents.yaml", "w", encoding="utf-8") as fh:
        yaml.dump({"documents": meta}, fh)
    with open(root / "entities.yaml", "w", encoding="utf-8") as fh:
        yaml.dump({"entities": entities}, fh)
    return root


def fact(fid, kind, quote, **fields) -> dict:
    record = {"id": fid, "kind": kind, "label": fid, "modality": fields.pop("modality", "happened")}
    record.update(fields)
    record["evidence"] = {"quote": quote}
    return record


def money(amount, stated, measure="value", unit="USD", bound="exact") -> dict:
    return {"measure": measure, "amount": amount, "unit": unit, "bound": bound, "stated": stated}
