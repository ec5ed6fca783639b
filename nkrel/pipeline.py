"""Run the stages in order: load & verify, build, validate. Used by the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .ingest.load import Corpus, CorpusError, default_corpus_dir, load_corpus
from .model.vocabulary import Vocabulary, ontology_path, read_vocabulary, shapes_path


@dataclass
class Built:
    corpus: Corpus
    dataset: object  # rdflib.Dataset
    vocabulary: Vocabulary
    anomalies: list  # nkrel.anomalies.Anomaly, sorted


class ShapeError(Exception):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_ontology():
    """The parsed ontology graph and its vocabularies."""
    from rdflib import Graph

    ontology = Graph().parse(ontology_path(), format="turtle")
    return ontology, read_vocabulary(ontology)


def build_graph(corpus_dir: Path | None = None, check_shapes: bool = True) -> Built:
    """Load, verify and build the dataset; refuse data that breaks the shapes."""
    from rdflib import Graph

    from .model.anomalies import add_anomalies, find_anomalies
    from .model.build import build_dataset

    ontology, vocabulary = read_ontology()
    corpus = load_corpus(Path(corpus_dir) if corpus_dir else default_corpus_dir(), vocabulary)
    ds = build_dataset(corpus, ontology, vocabulary)
    found = find_anomalies(corpus, ds)
    add_anomalies(ds, found, vocabulary)
    if check_shapes:
        from .model.validate import validate_dataset

        report = validate_dataset(ds, Graph().parse(shapes_path(), format="turtle"))
        if not report.conforms:
            raise ShapeError(report.problems)
    return Built(corpus, ds, vocabulary, found)


def graph_files(built: Built) -> dict[str, bytes]:
    """Every file `nkrel build` writes, by name."""
    from .output.network import NETWORK_FILE, network_graph, render_network_html
    from .output.ontology_page import ONTOLOGY_FILE, ontology_page
    from .output.write import GRAPH_FILES, serialize

    files = {name: serialize(built.dataset, fmt) for fmt, name in GRAPH_FILES.items()}
    texts = {d.id: d.text for d in built.corpus.documents.values()}  # the page's source view
    files[NETWORK_FILE] = render_network_html(network_graph(built.dataset, texts=texts)).encode("utf-8")
    files[ONTOLOGY_FILE] = ontology_page()
    return files


def build_and_publish(corpus_dir: Path, out_dir: Path, allow_uncovered: bool = False, cache_dir=None) -> Built:
    """Build from a corpus and publish every file into out_dir as one atomic step."""
    from .ingest.coverage import require_coverage
    from .output.publish import publish
    from .workspace import build_record

    record = build_record(corpus_dir)  # before reading: a change during the build makes it stale, not fresh
    built = build_graph(corpus_dir)
    if not allow_uncovered:
        require_coverage(built.corpus)
    publish(graph_files(built), out_dir, record)
    return built


__all__ = ["Built", "CorpusError", "ShapeError", "build_graph", "graph_files", "build_and_publish"]
