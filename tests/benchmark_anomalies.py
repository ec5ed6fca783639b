"""Time the anomaly rules on copies of the shipped corpus: are they linear in facts?

    python tests/benchmark_anomalies.py [COPIES ...]      (default: 10 30 100)

Each copy is the shipped corpus again under new document and fact ids (claims and
entities shared, so claim groups grow with the copies: the worst case for rules over
pairs). For each size it prints the median of three runs of the Python rules and of
the SPARQL rules (run in Oxigraph on the built quads), and the time per fact against
the first size measured in the same run: a ratio near 1 is linear, a ratio near the
ratio of the sizes would be quadratic (the 1x corpus is too small to time: start at 10).
It times; it asserts nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def replicate(copies: int, dest: Path) -> Path:
    """The shipped corpus `copies` times over, as a corpus folder."""
    from nkrel.core.corpus import default_corpus_dir

    src = default_corpus_dir()
    shutil.copytree(src / "texts", dest / "texts")
    shutil.copy(src / "entities.yaml", dest / "entities.yaml")
    (dest / "facts").mkdir()
    docs = (src / "documents.yaml").read_text(encoding="utf-8")
    entries = re.findall(r"  - id: (\S+)\n    file: (\S+)\n(?:.*\n)*?    facts: (\S+)\n", docs)
    lines = ["documents:"]
    for n in range(copies):
        for doc_id, file, facts in entries:
            new_id = f"{doc_id}-{n}" if n else doc_id
            raw = (src / file).read_bytes()
            lines += [f"  - id: {new_id}", f"    file: {file}", f'    title: "copy {n} of {doc_id}"',
                      f"    sha256: {hashlib.sha256(raw).hexdigest()}", f"    facts: facts/{new_id}.yaml"]  # fmt: skip
            text = (src / facts).read_text(encoding="utf-8").replace(f"document: {doc_id}", f"document: {new_id}")
            if n:  # every fact id (and every reference to one) gets the copy's suffix
                text = re.sub(r"\b((?:ta|ei|en)-[a-z0-9-]+)", rf"\1-c{n}", text)
            (dest / "facts" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    (dest / "documents.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def median_time(func, runs: int = 3) -> float:
    import gc

    times = []
    for _ in range(runs):
        gc.disable()  # as find_anomalies does
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        gc.enable()
    return statistics.median(times)


def measure(copies: int) -> tuple[int, float, float]:
    import pyoxigraph as ox

    from nkrel.core.vocabulary import read_ontology
    from nkrel.ingest.load import load_corpus
    from nkrel.model import anomalies as rules
    from nkrel.model.build import build_dataset

    ontology, vocabulary = read_ontology()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(replicate(copies, Path(tmp) / "corpus"), vocabulary)
    dataset = build_dataset(corpus, ontology, vocabulary)
    store = ox.Store()
    store.load(dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)

    def python_rules():
        placed = rules._place_quantities(corpus)
        for rule in (rules.decline_to_larger, rules.change_mismatch, rules.exceeds_stated_bound, rules.currency_mix):
            rule(placed)
        rules.part_year_equals_full_year(corpus)
        rules.unlinked_disagreement(corpus)
        rules.possible_double_count(corpus)
        rules.curated(corpus)

    def sparql_rules():
        for path in sorted(rules.rules_dir().glob("*.rq")):
            list(store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True))

    return len(corpus.facts), median_time(python_rules), median_time(sparql_rules)


def main(sizes: list[int]) -> None:
    base = None
    print(f"{'copies':>6} {'facts':>7} {'python s':>9} {'sparql s':>9} {'per-fact ratio (py, sparql) vs first':>38}")
    for copies in sizes:
        facts, py, sp = measure(copies)
        if base is None:
            base = (facts, py, sp)
        ratio_py = (py / facts) / (base[1] / base[0])
        ratio_sp = (sp / facts) / (base[2] / base[0])
        print(f"{copies:>6} {facts:>7} {py:>9.3f} {sp:>9.3f} {ratio_py:>17.2f} {ratio_sp:>18.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 30, 100])
