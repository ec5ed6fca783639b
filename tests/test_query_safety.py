"""`nkrel query` cannot be turned against the user's machine, and errors are clear."""

from __future__ import annotations

import socket
import threading

import pytest

from nkrel.sparql.query import PREFIXES
from nkrel.sparql.safety import UnsafeQuery, check_query

from .conftest import nkrel

NK = "PREFIX nk: <https://w3id.org/nkrel/ontology#>\n"


class Listener:
    """A loopback TCP listener that counts connection attempts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


REFUSED_QUERIES = {
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "service silent in filter exists": (
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://127.0.0.1:{port}/> { ?s ?p ?o } } }"
    ),
    "service in a sub-query": (
        "SELECT * WHERE { { SELECT ?s WHERE { service <http://127.0.0.1:{port}/> { ?s ?p ?o } } } }"
    ),
    "service in optional in graph": (
        "SELECT * WHERE { GRAPH ?g { OPTIONAL { SeRvIcE <http://127.0.0.1:{port}/> { ?s ?p ?o } } } }"
    ),
    "from": "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
    "from named": "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "from a local file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "insert": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "drop": "DROP ALL",
    "clear": "CLEAR DEFAULT",
}


@pytest.mark.parametrize("name", sorted(REFUSED_QUERIES))
def test_dangerous_queries_are_refused_before_anything_runs(listener, name):
    text = REFUSED_QUERIES[name].replace("{port}", str(listener.port))
    result = nkrel("query", text)
    assert result.returncode == 2, result
    assert result.stderr.startswith("nkrel: error: refused ") and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert listener.connections == 0


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SERVICE LOAD FROM INSERT")) } LIMIT 1',
        "PREFIX service: <urn:x:>\nSELECT * WHERE { ?s service:from ?o } LIMIT 1",
        "SELECT ?from ?load WHERE { ?from ?load ?o } LIMIT 1  # SERVICE in a comment",
        "SELECT * WHERE { ?s <urn:service#from> ?o } LIMIT 1",
    ],
)
def test_keywords_inside_strings_names_and_comments_are_not_refused(text):
    assert check_query(text, PREFIXES).form == "SELECT"


def test_a_refusal_names_what_was_refused():
    with pytest.raises(UnsafeQuery, match=r"^refused SERVICE: it would send the query to another endpoint"):
        check_query("SELECT * WHERE {\n  SERVICE <http://x/> { ?s ?p ?o } }")


def test_syntax_error_shows_line_and_column():
    result = nkrel("query", "SELECT * WHERE {\n  ?s ?p }")
    assert result.returncode == 2
    assert result.stderr.startswith("nkrel: error: SPARQL syntax error at line 2, column 9: '}' is not valid here")
    assert "Traceback" not in result.stderr


def test_runaway_query_is_stopped_by_the_timeout():
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = nkrel("query", text, "--timeout", "1")
    assert result.returncode == 2
    assert "timeout" in result.stderr and "Traceback" not in result.stderr


def test_unknown_query_name_and_bad_param_are_clear_errors():
    result = nkrel("query", "no-such-query")
    assert result.returncode == 2 and "no shipped query named 'no-such-query'" in result.stderr
    result = nkrel("query", NK + "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--param", "novalue")
    assert result.returncode == 2 and "--param takes NAME=VALUE" in result.stderr


def test_no_results_exits_1_and_results_exit_0():
    assert nkrel("query", "ASK { <urn:nothing> ?p ?o }").returncode == 1
    assert nkrel("query", "ASK { ?s ?p ?o }").returncode == 0


def test_result_formats_are_the_w3c_ones():
    import csv
    import io
    import json
    import xml.etree.ElementTree as ET

    text = NK + "SELECT ?fact ?year WHERE { ?fact a nk:Recognition ; nk:date ?year } ORDER BY ?fact"
    as_json = json.loads(nkrel("query", text, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["fact", "year"] and as_json["results"]["bindings"]
    root = ET.fromstring(nkrel("query", text, "--format", "xml").stdout)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    table = list(csv.reader(io.StringIO(nkrel("query", text, "--format", "csv").stdout)))
    assert table[0] == ["fact", "year"] and len(table) == len(as_json["results"]["bindings"]) + 1
    tsv = nkrel("query", text, "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?fact\t?year"


def test_construct_gives_rdf_and_refuses_a_table_format():
    import pyoxigraph as ox

    text = NK + "CONSTRUCT { ?f a nk:Recognition } WHERE { ?f a nk:Recognition }"
    result = nkrel("query", text)
    assert result.returncode == 0
    triples = list(ox.parse(result.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert triples and all(t.object.value.endswith("#Recognition") for t in triples)
    bad = nkrel("query", text, "--format", "csv")
    assert bad.returncode == 2 and "does not fit" in bad.stderr


def test_query_an_exported_file_with_graph(tmp_path):
    out = tmp_path / "g.trig"
    assert nkrel("export", "--format", "trig", "-o", out).returncode == 0
    result = nkrel("query", "trade-peak", "--graph", out, "--format", "csv")
    assert result.returncode == 0 and "6860000000" in result.stdout
    missing = nkrel("query", "trade-peak", "--graph", tmp_path / "none.nq")
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_param_values_cannot_inject_sparql():
    result = nkrel("query", "trade-by-year", "--param", "partner=china> } SERVICE <http://x/")
    assert result.returncode == 2 and "parameter partner: no entity 'china> } SERVICE" in result.stderr
    result = nkrel("query", "trade-by-year", "--param", "nosuch=1")
    assert result.returncode == 2 and "has no parameter 'nosuch'" in result.stderr
