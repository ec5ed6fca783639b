"""`nkrel export -o FILE`: the format follows the extension, a contradicting --format is
refused, and every file parses back, in pyoxigraph and in rapper, to exactly the build.

The build is graphs' nkrel.nq as written by `nkrel build` (session fixture `built_dir`),
parsed term for term (pyoxigraph.parse, not a Store: a Store would turn
xsd:nonNegativeInteger offsets into xsd:integer). rapper (raptor2 2.0.15) has no JSON-LD
parser, so JSON-LD round-trips through pyoxigraph and rdflib's own JSON-LD parser.
"""

from __future__ import annotations

import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest

from .conftest import nkrel

# extension -> (format nkrel must choose, pyoxigraph format, rapper syntax or None)
EXTENSIONS = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE, "turtle"),
    ".trig": ("trig", ox.RdfFormat.TRIG, "trig"),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS, "nquads"),
    ".nt": ("ntriples", ox.RdfFormat.N_TRIPLES, "ntriples"),
    ".jsonld": ("jsonld", ox.RdfFormat.JSON_LD, None),
    ".json": ("jsonld", ox.RdfFormat.JSON_LD, None),
}
QUAD_FORMATS = {"trig", "nquads", "jsonld"}  # the others carry the union, without graph names
NETWORK = {".graphml": ("graphml", nx.read_graphml), ".gexf": ("gexf", nx.read_gexf)}
BUILT_NAME = {"turtle": "nkrel.ttl", "trig": "nkrel.trig", "nquads": "nkrel.nq", "jsonld": "nkrel.jsonld"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every extension exported once with -o and no --format: {extension: path}."""
    folder = tmp_path_factory.mktemp("export")
    paths = {}
    for ext in [*EXTENSIONS, *NETWORK]:
        path = folder / f"nkrel{ext}"
        result = nkrel("export", "-o", path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and result.stderr.startswith(f"Wrote {path} (")
        paths[ext] = path
    return paths


@pytest.fixture(scope="module")
def build_quads(built_dir) -> set:
    quads = set(ox.parse(path=str(built_dir / "nkrel.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) > 1000 and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    return quads


def same_as_build(parsed: set, fmt: str, build_quads: set) -> None:
    if fmt in QUAD_FORMATS:
        assert parsed == build_quads
    else:
        assert {q.triple for q in parsed} == {q.triple for q in build_quads}
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in parsed)


@pytest.mark.parametrize("ext", sorted(EXTENSIONS))
def test_the_extension_chooses_the_format(exported, built_dir, ext):
    fmt = EXTENSIONS[ext][0]
    explicit = nkrel("export", "--format", fmt)
    assert explicit.returncode == 0, explicit.stderr
    assert exported[ext].read_text(encoding="utf-8") == explicit.stdout
    if fmt in BUILT_NAME:
        assert exported[ext].read_bytes() == (built_dir / BUILT_NAME[fmt]).read_bytes()


@pytest.mark.parametrize("ext", sorted(EXTENSIONS))
def test_pyoxigraph_reads_back_the_build(exported, build_quads, ext):
    fmt, oxfmt, _ = EXTENSIONS[ext]
    parsed = set(ox.parse(path=str(exported[ext]), format=oxfmt))
    same_as_build(parsed, fmt, build_quads)


@pytest.mark.parametrize("ext", sorted(e for e, (_, _, syntax) in EXTENSIONS.items() if syntax))
def test_rapper_reads_back_the_build(exported, build_quads, ext):
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils (make test-deps)"
    fmt, _, syntax = EXTENSIONS[ext]
    result = subprocess.run([rapper, "-q", "-i", syntax, "-o", "nquads", str(exported[ext])], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    same_as_build(set(ox.parse(result.stdout, format=ox.RdfFormat.N_QUADS)), fmt, build_quads)


@pytest.mark.parametrize("ext", [".jsonld", ".json"])
def test_rdflib_reads_back_the_json_ld(exported, build_quads, ext):
    """The second parser for JSON-LD (rapper has none): rdflib, via N-Quads into pyoxigraph."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(exported[ext], format="json-ld")
    parsed = set(ox.parse(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS))
    assert parsed == build_quads


@pytest.mark.parametrize("ext", sorted(NETWORK))
def test_network_formats_read_back_as_the_projection(exported, built_dir, ext):
    from nkrel.output.network import network_graph, read_dataset

    fmt, reader = NETWORK[ext]
    explicit = nkrel("export", "--format", fmt)
    assert exported[ext].read_text(encoding="utf-8") == explicit.stdout
    graph = reader(exported[ext])
    projection = network_graph(read_dataset(built_dir / "nkrel.trig"))
    assert set(graph.nodes) == {str(n) for n in projection.nodes} and graph.number_of_nodes() > 10
    assert graph.number_of_edges() == projection.number_of_edges() > 10


def test_an_upper_case_extension_is_recognised(tmp_path, built_dir):
    path = tmp_path / "NKREL.TRIG"
    result = nkrel("export", "-o", path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == (built_dir / "nkrel.trig").read_bytes()


@pytest.mark.parametrize("name", ["nkrel.txt", "nkrel", "nkrel.rdf"])
def test_an_unknown_extension_needs_format(tmp_path, name):
    path = tmp_path / name
    result = nkrel("export", "-o", path)
    assert result.returncode == 2
    assert result.stderr == f"nkrel: error: cannot tell the format of {path} from its extension " \
        "(.gexf .graphml .json .jsonld .nq .nt .trig .ttl): give --format\n"  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_extension_with_format_is_written(tmp_path, built_dir):
    path = tmp_path / "nkrel.txt"
    result = nkrel("export", "--format", "nquads", "-o", path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == (built_dir / "nkrel.nq").read_bytes()


@pytest.mark.parametrize(
    "fmt,name,implied",
    [("turtle", "out.jsonld", "jsonld"), ("jsonld", "out.ttl", "turtle"), ("nquads", "out.trig", "trig"),
     ("graphml", "out.gexf", "gexf"), ("trig", "out.json", "jsonld")],
)  # fmt: skip
def test_a_format_that_contradicts_the_extension_is_refused(tmp_path, fmt, name, implied):
    path = tmp_path / name
    result = nkrel("export", "--format", fmt, "-o", path)
    assert result.returncode == 2 and result.stdout == ""
    ext = path.suffix
    assert result.stderr == f"nkrel: error: --format {fmt} does not match {path} (a {ext} file is {implied}): " \
        "change one of them\n"  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_stdout_without_format_is_turtle(built_dir):
    result = nkrel("export")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (built_dir / "nkrel.ttl").read_text(encoding="utf-8")
