"""The compact build representation: writers, per-document validation, the cache of
per-document results, the process pool and the on-disk Oxigraph store."""

from __future__ import annotations

import contextlib
import copy
import random
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from nkrel import pipeline
from nkrel.core.corpus import default_corpus_dir
from nkrel.model.quads import Quads, TripleSink, literal_nt, split_literal, term
from nkrel.output.write import GRAPH_FILES, serialize

from .conftest import nkrel

OX = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
      "jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES}  # fmt: skip
HOSTILE = ["plain", 'say "hi"', "back\\slash", "two\nlines\r\n", "tab\there", "\x00\x01\x1f\x7f bell\b feed\f",
           "Ünïcödé – “quotes” 中文 \U0001f600", "ends with backslash\\", '"""', "'single'", "#not a comment",
           "<not an iri>", "@prefix x: <y> .", "}", "\u2028\u2029\x85"]  # fmt: skip


@pytest.fixture(scope="module")
def built():
    return pipeline.build_graph()


def test_literals_are_escaped_exactly_as_oxigraph_writes_them():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for text in HOSTILE:
        assert literal_nt(text) == str(ox.Literal(text))
        assert literal_nt(text, language="en-GB") == str(ox.Literal(text, language="en-gb"))
        assert literal_nt(text, xsd + "date") == str(ox.Literal(text, datatype=ox.NamedNode(xsd + "date")))
        assert split_literal(literal_nt(text, xsd + "date")) == (text, xsd + "date", None)
        assert term(literal_nt(text)).value == text


def _hostile_quads(order_seed: int) -> Quads:
    from rdflib import Literal, URIRef

    ids = "https://w3id.org/nkrel/id/"
    triples = []
    for i, text in enumerate(HOSTILE):
        s = URIRef(f"{ids}fact/x-{i}/evidence/quote")  # slashes after a prefix: must stay a full IRI
        triples.append((s, URIRef("http://www.w3.org/ns/oa#exact"), Literal(text)))
        triples.append((s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(text, lang="en")))
        triples.append((URIRef(f"{ids}e{i}"), URIRef("https://w3id.org/nkrel/ontology#party"), s))
        triples.append((URIRef(f"{ids}1st-{i}"), URIRef("https://schema.org/value"),
                        Literal(f"{i}.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))  # fmt: skip
    rng = random.Random(order_seed)
    quads = Quads()
    for graph in ("https://w3id.org/nkrel/graph/b", "https://w3id.org/nkrel/graph/a"):
        rng.shuffle(triples)
        sink = TripleSink()
        for t in triples:
            sink.add(t)
        quads.set_graph(graph, sink.sorted())
    extra = quads.graph("https://w3id.org/nkrel/graph/c")
    for t in reversed(triples):
        extra.add(t)
    return quads


@pytest.mark.parametrize("fmt", sorted(OX))
def test_writers_round_trip_hostile_literals_and_do_not_depend_on_insertion_order(fmt):
    first, second = _hostile_quads(1), _hostile_quads(2)
    data = serialize(first, fmt)
    assert data == serialize(second, fmt)
    reference = set(ox.parse(serialize(first, "nquads"), format=ox.RdfFormat.N_QUADS))
    parsed = set(ox.parse(data, format=OX[fmt]))
    if fmt in ("turtle", "ntriples"):
        assert parsed == {ox.Quad(q.subject, q.predicate, q.object) for q in reference}
    else:
        assert parsed == reference
    assert len(reference) == 3 * 4 * len(HOSTILE)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads"])
def test_rapper_accepts_hostile_literals(tmp_path, fmt):
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils (make test-deps)"
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(serialize(_hostile_quads(3), fmt))
    result = subprocess.run([rapper, "-i", fmt, "-c", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    graphs = 1 if fmt == "turtle" else 3  # Turtle is the union of the three (equal) graphs
    assert f"returned {graphs * 4 * len(HOSTILE)} triples" in result.stderr


def test_no_prefixed_name_needs_an_escape(built):
    for fmt in ("turtle", "trig"):
        text = serialize(built.dataset, fmt).decode()
        assert "\\/" not in text and "nkid:fact/" not in text


def _union_report(quads, prepared: bool = True) -> list[str]:
    """What pySHACL says about the union of every graph (how validation worked before)."""
    import pyshacl
    from rdflib import Graph

    from nkrel.model.validate import _lines, prepared_queries, read_shapes

    g = Graph()
    for name in quads.names():
        for t in quads.graphs[name]:
            g.add(tuple(term(x) for x in t))
    # rdflib parsing each SPARQL constraint once: 10x faster, the same report (tested below)
    with prepared_queries() if prepared else contextlib.nullcontext():
        _, report, _ = pyshacl.validate(g, shacl_graph=read_shapes(), inference="none", allow_warnings=True)
    return sorted(set(_lines(report)))


NK = "<https://w3id.org/nkrel/ontology#"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ENTITIES = "https://w3id.org/nkrel/graph/entities"
MUTATIONS = {
    "fact label": lambda t, g: t[1] == LABEL and t[0].count("/") == 6 and "/fact/" in t[0],
    "modality": lambda t, g: t[1] == NK + "modality>",
    "quote": lambda t, g: t[1] == "<http://www.w3.org/ns/oa#exact>",
    "entity label": lambda t, g: g == ENTITIES and t[1] == LABEL,
    "entity type": lambda t, g: g == ENTITIES and t[1] == TYPE,
    "anomaly explanation": lambda t, g: t[1] == NK + "explanation>",
    "term definition": lambda t, g: t[1] == "<http://www.w3.org/2004/02/skos/core#definition>",
    "unit": lambda t, g: t[1] == NK + "unit>",
    "fact type": lambda t, g: t[1] == TYPE and t[0].count("/") == 6 and "/fact/" in t[0],
    "document sha256": lambda t, g: t[1] == NK + "sha256>",
}


XSD = "http://www.w3.org/2001/XMLSchema#"
REPLACEMENTS = {  # (which triples, what each becomes)
    "year as plain text": (lambda t, g: t[1] == NK + "year>", lambda t: [(t[0], t[1], t[2].split("^^")[0])]),
    "ill-typed decimal": (lambda t, g: t[1] == "<https://schema.org/value>",
                          lambda t: [(t[0], t[1], f'"about 5"^^<{XSD}decimal>')]),
    "label in a language": (MUTATIONS["fact label"], lambda t: [(t[0], t[1], t[2] + "@en")]),
    "party not an agent": (lambda t, g: g == ENTITIES and t[1] == TYPE and t[2] == NK + "State>",
                           lambda t: [(t[0], t[1], NK + "City>")]),
    "two modalities": (MUTATIONS["modality"], lambda t: [t, (t[0], t[1], NK + "Planned>")]),
    "empty quote": (MUTATIONS["quote"], lambda t: [(t[0], t[1], '""')]),
    "short sha256": (MUTATIONS["document sha256"], lambda t: [(t[0], t[1], '"abc"')]),
    "negative offset": (lambda t, g: t[1] == "<http://www.w3.org/ns/oa#start>",
                        lambda t: [(t[0], t[1], f'"-1"^^<{XSD}nonNegativeInteger>')]),
}  # fmt: skip


def _mutated(built, name, pick, change):
    rng = random.Random(name)
    quads = copy.copy(built.dataset)
    quads.graphs = {}
    for g, triples in built.dataset.graphs.items():
        hits = [i for i, t in enumerate(triples) if pick(t, g)]
        chosen = set(rng.sample(hits, min(2, len(hits))))
        out = []
        for i, t in enumerate(triples):
            out += change(t) if i in chosen else [t]
        quads.graphs[g] = sorted(set(out))
    return quads


@pytest.mark.parametrize("name", sorted(MUTATIONS) + sorted(REPLACEMENTS))
def test_validation_per_document_reports_what_the_union_reports(built, name):
    """Break a few triples of one kind; SHACL per document plus the shared graphs (quick
    check, then pySHACL where it fails) must find exactly the violations pySHACL finds
    on the union of all graphs."""
    from nkrel.model.validate import validate_dataset

    if name in MUTATIONS:
        quads = _mutated(built, name, MUTATIONS[name], lambda t: [])
    else:
        quads = _mutated(built, name, *REPLACEMENTS[name])
    expected = _union_report(quads)
    assert expected, "the mutation broke no shape: the test would prove nothing"
    assert validate_dataset(quads).problems == expected


def test_prepared_queries_give_pyshacl_the_report_it_gives_without_them(built):
    """nkrel lets rdflib parse each SPARQL text once while pySHACL runs; the report must
    be the one pySHACL writes when rdflib parses the text for every focus node."""
    # an end year before the start breaks a SPARQL constraint (nksh:IntervalInOrder), whose
    # query runs once per focus node with $this bound: a reused query must not keep a binding
    quads = _mutated(built, "interval", lambda t, g: t[1] == NK + "endYear>",
                     lambda t: [(t[0], t[1], f'"1000"^^<{XSD}gYear>')])  # fmt: skip
    plain = _union_report(quads, prepared=False)
    assert any("is not after its nk:endYear" in line for line in plain), plain
    assert _union_report(quads) == plain


def test_the_quick_check_passes_the_shipped_graph_without_pyshacl(built, monkeypatch):
    from nkrel.model import validate

    assert validate._quick_check() is not None, "the quick check gave up on the shipped shapes"

    def refuse(*args, **kwargs):
        raise AssertionError("pySHACL ran although the quick check should have passed")

    monkeypatch.setattr(validate, "_pyshacl_problems", refuse)
    assert validate.validate_dataset(built.dataset).conforms


def _copy_corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), root)
    return root


def _files(corpus, **kw):
    built = pipeline.build_graph(corpus, **kw)
    return built, {name: data for name, data in pipeline.graph_files(built).items() if name in GRAPH_FILES.values()}


def test_cache_reuses_unchanged_documents_and_gives_identical_files(tmp_path):
    corpus, cache = _copy_corpus(tmp_path), tmp_path / "cache"
    plain_built, plain = _files(corpus)
    first_built, first = _files(corpus, cache_dir=cache)
    again_built, again = _files(corpus, cache_dir=cache)
    clean_built, clean = _files(corpus, cache_dir=cache, clean=True)
    assert (plain_built.reused, first_built.reused, again_built.reused, clean_built.reused) == (0, 0, 3, 0)
    assert plain == first == again == clean
    assert len(list(cache.glob("*.nkdoc"))) == 3

    facts = corpus / "facts" / "trade-agreements.yaml"
    text = facts.read_text(encoding="utf-8")
    old = "label: Relations between China and North Korea have generally been friendly"
    assert old in text
    facts.write_text(text.replace(old, old + " (edited)"), encoding="utf-8")
    changed_built, changed = _files(corpus, cache_dir=cache)
    assert changed_built.reused == 2
    assert changed == _files(corpus)[1]
    assert changed != again
    assert "(edited)" in changed["nkrel.nq"].decode()
    assert len(list(cache.glob("*.nkdoc"))) == 3, "the stale result is forgotten"


def test_a_corrupt_cache_entry_is_rebuilt(tmp_path):
    corpus, cache = _copy_corpus(tmp_path), tmp_path / "cache"
    _, first = _files(corpus, cache_dir=cache)
    for path in cache.glob("*.nkdoc"):
        path.write_bytes(b"not a pickle")
    built, again = _files(corpus, cache_dir=cache)
    assert built.reused == 0 and again == first


def test_process_pool_gives_the_same_files(tmp_path, monkeypatch):
    corpus = _copy_corpus(tmp_path)
    _, sequential = _files(corpus)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    _, pooled = _files(corpus, jobs=2)
    assert pooled == sequential


def test_clean_build_from_the_command_line(tmp_path, built_dir):
    result = nkrel("build", "--clean", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for name in GRAPH_FILES.values():
        assert (tmp_path / "out" / name).read_bytes() == (built_dir / name).read_bytes()


def test_persistent_store_answers_like_the_in_memory_store(tmp_path, built):
    from nkrel.sparql.query import shipped_queries

    folder = pipeline.write_store(built, tmp_path / "store")
    disk = ox.Store.read_only(str(folder))
    memory = built.dataset.store()
    assert len(disk) == len(memory) == len(built.dataset)
    for name, q in shipped_queries().items():
        rows_disk = [tuple(map(str, r)) for r in disk.query(q.text, use_default_graph_as_union=True)]
        rows_memory = [tuple(map(str, r)) for r in memory.query(q.text, use_default_graph_as_union=True)]
        assert sorted(rows_disk) == sorted(rows_memory), name


SPARQL_SHAPE = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX nksh: <https://w3id.org/nkrel/shapes#>
nksh:FactShape sh:sparql [
    a sh:SPARQLConstraint ;
    sh:message "A fact's evidence comes from the document the fact is derived from." ;
    sh:select \"\"\"
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX nk: <https://w3id.org/nkrel/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT $this WHERE { $this prov:wasDerivedFrom ?d ; nk:evidence/oa:hasSource ?s . FILTER(?d != ?s) }\"\"\" ;
] .
"""


@pytest.fixture
def sparql_shapes(monkeypatch):
    """The shipped shapes plus a SPARQL-based constraint (SHACL-SPARQL), for the quick check."""
    from rdflib import Graph

    from nkrel.core.vocabulary import shapes_path
    from nkrel.model import validate

    shapes = Graph().parse(shapes_path(), format="turtle").parse(data=SPARQL_SHAPE, format="turtle")
    monkeypatch.setattr(validate, "_SHAPES", shapes)
    monkeypatch.setattr(validate, "_QUICK", [])
    yield validate
    monkeypatch.setattr(validate, "_QUICK", [])


def test_the_quick_check_runs_sparql_constraints(built, sparql_shapes, monkeypatch):
    validate = sparql_shapes
    assert validate._quick_check() is not None, "the quick check gave up on a plain SPARQL constraint"
    docs = [n for n in built.dataset.names() if "/graph/" in n and n.rsplit("/", 1)[1] not in
            ("entities", "ontology", "anomalies")]  # fmt: skip
    hasource = "<http://www.w3.org/ns/oa#hasSource>"
    other = f"<https://w3id.org/nkrel/id/document/{docs[0].rsplit('/', 1)[1]}>"
    quads = _mutated(built, "sparql", lambda t, g: t[1] == hasource and t[2] != other,
                     lambda t: [(t[0], t[1], other)])  # fmt: skip
    expected = _union_report(quads)
    assert any("evidence comes from the document" in line for line in expected)
    assert validate.validate_dataset(quads).problems == expected

    def refuse(*args, **kwargs):
        raise AssertionError("pySHACL ran although the quick check should have passed")

    monkeypatch.setattr(validate, "_pyshacl_problems", refuse)
    assert validate.validate_dataset(built.dataset).conforms


def test_a_graph_beside_the_documents_is_validated_too(tmp_path, monkeypatch):
    """A named graph that is neither a document's nor entities, ontology or anomalies
    (as the model may add) is checked like a document's graph."""
    from nkrel.model import build

    real = build.build_dataset
    quads_seen = []

    def with_extra_graph(*args, **kwargs):
        quads = real(*args, **kwargs)
        quads_seen.append(quads)
        doc = next(n for n in quads.names() if n.endswith("/trade-agreements"))
        fact = next(t[0] for t in quads.graphs[doc] if "/fact/" in t[0] and t[0].count("/") == 6)
        copy = fact[:-1] + "-copy>"  # a new fact, described only in the extra graph, without a label
        extra = sorted((copy, p, o) for s, p, o in quads.graphs[doc] if s == fact and p != LABEL)
        quads.set_graph("https://w3id.org/nkrel/graph/extra", extra)
        return quads

    monkeypatch.setattr(build, "build_dataset", with_extra_graph)
    with pytest.raises(pipeline.ShapeError) as e:
        pipeline.build_graph(_copy_corpus(tmp_path))
    assert [p for p in e.value.problems if "-copy" in p] == [p for p in _union_report(quads_seen[0]) if "-copy" in p]
    assert any("-copy (http://www.w3.org/2000/01/rdf-schema#label)" in p for p in e.value.problems)


def test_a_fact_caused_by_another_documents_fact_is_checked_once_with_that_graph(tmp_path, monkeypatch):
    """The per-document stage cannot see another document's facts; it leaves such a
    document undecided (no pySHACL run, which took 3 s a document at 10x) and the build
    checks it with the other graph: it conforms, and pySHACL never runs."""
    from nkrel.model import validate

    corpus = _copy_corpus(tmp_path)
    facts = corpus / "facts" / "encyclopedia-economic-relations.yaml"
    text = facts.read_text(encoding="utf-8")
    old = "{fact: en-end-of-cold-war, quote:"
    assert text.count(old) == 1
    facts.write_text(text.replace(old, "{fact: ta-dprk-food-shortage-1996-1998, quote:"), encoding="utf-8")
    cause = "<https://w3id.org/nkrel/id/fact/ta-dprk-food-shortage-1996-1998>"
    DOCUMENT = "<https://w3id.org/nkrel/id/document/encyclopedia-economic-relations>"  # noqa: N806
    calls = []
    real = validate.document_report

    def spy(triples, *args, **kwargs):
        calls.append((kwargs.get("decide", True), any(s == DOCUMENT for s, _, _ in triples)))
        return real(triples, *args, **kwargs)

    monkeypatch.setattr(validate, "document_report", spy)

    def refuse(*args, **kwargs):
        raise AssertionError("pySHACL ran although the data conforms")

    monkeypatch.setattr(validate, "_pyshacl_problems", refuse)
    built = pipeline.build_graph(corpus)
    doc = next(n for n in built.dataset.names() if n.endswith("/encyclopedia-economic-relations"))
    assert any(o == cause for _, _, o in built.dataset.graphs[doc])
    documents = [c for c in calls if c[0] is False]
    assert len(documents) == 3, "each document once in the per-document stage, quick check only"
    assert [c for c in calls if c[1]] == [(False, True), (True, True)], "then the one pointing outside, with it"


def _disjoint_corpus(tmp_path, copies):
    from .benchmark_scale import generate_corpus

    root = tmp_path / f"corpus-{copies}"
    generate_corpus(root, copies, "disjoint")
    return root


def test_a_documents_check_does_not_grow_with_the_corpus(tmp_path, monkeypatch):
    """Issue 25: every document named an entity of the reference graph, so each one was
    checked again with the whole reference graph, which grows with the corpus (804 s at
    1000x). The triples a document's check sees must not depend on the corpus size."""
    from nkrel.model import validate

    sizes = {}
    real = validate.document_report
    for copies in (1, 4):
        seen = sizes[copies] = {}

        def spy(triples, entity_triples, context, others=(), decide=True, _seen=seen):
            doc = next((t[0] for t in triples if "/id/document/" in t[0]), None)
            if doc is not None:
                _seen[doc] = len(entity_triples) + sum(map(len, others))
            return real(triples, entity_triples, context, others, decide)

        monkeypatch.setattr(validate, "document_report", spy)
        built = pipeline.build_graph(_disjoint_corpus(tmp_path, copies), check_shapes=False)
        assert validate.validate_dataset(built.dataset).conforms
    assert len(sizes[4]) == 4 * len(sizes[1]) > 0, "every document is checked once"
    assert {d: n for d, n in sizes[4].items() if d in sizes[1]} == sizes[1]


REFERENCE_MUTATIONS = {
    "reference subject": lambda t, g: t[1] == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>",
    "reference origin": lambda t, g: g.endswith("/reference") and t[1] == "<http://www.w3.org/ns/prov#wasDerivedFrom>",
}


@pytest.mark.parametrize("name", sorted(REFERENCE_MUTATIONS))
def test_the_reference_graph_is_checked_as_the_union_checks_it(built, name):
    from nkrel.model.validate import validate_dataset

    quads = _mutated(built, name, REFERENCE_MUTATIONS[name], lambda t: [])
    expected = _union_report(quads)
    assert expected, "the mutation broke no shape"
    assert validate_dataset(quads).problems == expected


WRITERS_BEFORE_STREAMING = "fbeac82"  # the commit whose writers built each file whole in memory


def _writer_at(commit):
    """nkrel/output/write.py as it was at `commit`, loaded as a module of nkrel.output."""
    import importlib.util
    import sys

    from nkrel.output import write

    text = subprocess.run(["git", "show", f"{commit}:nkrel/output/write.py"], cwd=default_corpus_dir().parents[1],
                          capture_output=True, check=True, text=True).stdout  # fmt: skip
    spec = importlib.util.spec_from_loader("nkrel.output._write_before", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "nkrel.output"
    sys.modules[spec.name] = module
    exec(compile(text, write.__file__ + f"@{commit}", "exec"), module.__dict__)
    return module


def test_streamed_writers_give_the_bytes_of_the_old_writers_at_10x(tmp_path):
    """Issue 25: the writers stream chunks to disk instead of building each file whole;
    the files must stay byte for byte what they were."""
    from nkrel.output.write import serialize_chunks, write_files

    old = _writer_at(WRITERS_BEFORE_STREAMING)
    built = pipeline.build_graph(_disjoint_corpus(tmp_path, 10), check_shapes=False)
    for fmt in [*GRAPH_FILES, "ntriples"]:
        chunks = list(serialize_chunks(built.dataset, fmt))
        assert len(chunks) > 1 or fmt == "jsonld", f"{fmt}: written in one piece"
        write_files({fmt: iter(chunks)}, tmp_path / "out")
        assert (tmp_path / "out" / fmt).read_bytes() == old.serialize(built.dataset, fmt), fmt


CORRELATED = ["border-freight", "changes", "debt", "investments", "labour", "military-support", "policies",
              "projects", "relation-states", "sanctions", "trade-shares"]  # fmt: skip


def test_queries_whose_sub_selects_name_the_facts_class_give_the_same_rows_at_10x(tmp_path):
    """Issue 25: the GROUP_CONCAT sub-selects aggregated over every fact of the graph; they
    now aggregate over the facts of the query's class only. The rows must be the rows of
    the old text, on a graph with ten copies (and the copies' anomalies)."""
    from nkrel.sparql.query import PREFIXES, shipped_queries

    built = pipeline.build_graph(_disjoint_corpus(tmp_path, 10), check_shapes=False)
    store = built.dataset.store()
    queries = shipped_queries()
    root = default_corpus_dir().parents[1]
    for name in CORRELATED:
        old = subprocess.run(["git", "show", f"{WRITERS_BEFORE_STREAMING}:nkrel/queries/{name}.rq"], cwd=root,
                             capture_output=True, check=True, text=True).stdout  # fmt: skip
        assert old != queries[name].text, f"{name}: not rewritten"
        rows = [[str(r[v]) if r[v] is not None else None for v in range(len(r))]
                for r in store.query(queries[name].text, use_default_graph_as_union=True, prefixes=PREFIXES)]  # fmt: skip
        before = [[str(r[v]) if r[v] is not None else None for v in range(len(r))]
                  for r in store.query(old, use_default_graph_as_union=True, prefixes=PREFIXES)]  # fmt: skip
        assert rows, f"{name}: no rows, the comparison would prove nothing"
        assert rows == before, name


RESHAPED_BEFORE = "548354c"  # the commit before trade-by-year and trade-peak were reshaped for the store
RESHAPED = {
    "trade-by-year": [{}, {"partner": "russia"}, {"partner": "russia", "year": "2005"},
                      {"partner": "russia", "with-predecessors": "yes"}, {"partner": "russia", "full-years": "yes"},
                      {"year": "2005"}, {"partner": "russia-c3", "year": "2004"}, {"with-predecessors": "yes"},
                      {"partner": "north-korea"}, {"partner": "soviet-union", "with-predecessors": "yes"},
                      {"partner": "china", "year": "2014", "full-years": "yes"}],
    "trade-peak": [{}, {"partner": "russia"}, {"partner": "china-c4"}, {"partner": "north-korea"}],
}  # fmt: skip


@pytest.fixture(scope="module")
def subject_store(tmp_path_factory):
    """Ten copies of the corpus that share North Korea (the benchmark's `subject` variant:
    every copy's trade rows answer, and each copy has its own partners and anomalies)."""
    from .benchmark_scale import generate_corpus

    root = tmp_path_factory.mktemp("subject") / "corpus"
    generate_corpus(root, 10, "subject")
    return pipeline.build_graph(root, check_shapes=False).dataset.store()


@pytest.mark.parametrize("name", sorted(RESHAPED))
def test_queries_reshaped_for_the_store_give_the_rows_of_the_old_text_at_10x(subject_store, name):
    """Issue 25. trade-by-year found its states in a sub-select over every trade fact, so a
    bound partner still read every trade fact; it now joins the partner's facts first.
    trade-peak checked for a stated peak once per fact, scanning every peak (260 s in memory
    at 100x); now once per partner. Each must give the old text's rows for every kind of
    binding."""
    from nkrel.sparql.query import PREFIXES, bind_params, shipped_queries

    query = shipped_queries()[name]
    old = subprocess.run(["git", "show", f"{RESHAPED_BEFORE}:nkrel/queries/{name}.rq"],
                         cwd=default_corpus_dir().parents[1], capture_output=True, check=True, text=True).stdout  # fmt: skip
    assert old != query.text, "not rewritten"

    def rows(text, params):
        bound = bind_params(text, query, params)
        return [[None if r[v] is None else str(r[v]) for v in range(len(r))]
                for r in subject_store.query(bound, use_default_graph_as_union=True, prefixes=PREFIXES)]  # fmt: skip

    some = 0
    for params in RESHAPED[name]:
        now, before = rows(query.text, params), rows(old, params)
        some += bool(now)
        assert sorted(now, key=repr) == sorted(before, key=repr), params
        if (
            name == "trade-by-year"
        ):  # ORDER BY ?state ?when ?fact leaves ties (a fact's quantities, quotes) in any order
            assert [r[:2] + r[9:10] for r in now] == [r[:2] + r[9:10] for r in before], params
        else:
            assert now == before, params
    assert some >= len(RESHAPED[name]) - 1, "bindings without rows would prove little"


def test_the_subject_variant_shares_north_korea_and_nothing_else(tmp_path):
    """The benchmark's `subject` copies: North Korea once, named by every copy's facts; every
    other entity, document and fact once per copy, so that the shipped queries that name
    id:north-korea answer about every copy (in the disjoint copies, about copy 0 only)."""
    import yaml

    from .benchmark_scale import generate_corpus

    generate_corpus(tmp_path / "c", 3, "subject")
    ids = [e["id"] for e in yaml.safe_load((tmp_path / "c" / "entities.yaml").read_text())["entities"]]
    shipped = [e["id"] for e in yaml.safe_load((default_corpus_dir() / "entities.yaml").read_text())["entities"]]
    assert len(ids) == len(set(ids)) == 3 * len(shipped) - 2
    assert ids.count("north-korea") == 1 and "north-korea-c1" not in ids
    assert {"china", "china-c1", "china-c2"} <= set(ids)
    parties = [p for f in (tmp_path / "c" / "facts").glob("*-c2.yaml")
               for fact in yaml.safe_load(f.read_text())["facts"] for p in fact.get("parties") or []]  # fmt: skip
    assert "north-korea" in parties and "china-c2" in parties and "china" not in parties
