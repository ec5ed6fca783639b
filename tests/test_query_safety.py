"""`nkrel query` cannot be turned against the user's machine, and errors are clear."""

from __future__ import annotations

import socket
import threading

import pytest

from nkrel.query import QueryError, check_safety

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
    check_safety(text)  # does not raise


def test_check_safety_reports_line_and_column():
    with pytest.raises(QueryError, match=r"refused SERVICE at line 2, column 3"):
        check_safety("SELECT * WHERE {\n  SERVICE <http://x/> { ?s ?p ?o } }")


def test_syntax_error_shows_line_and_column():
    result = nkrel("query", "SELECT * WHERE {\n  ?s ?p }")
    assert result.returncode == 2
    assert result.stderr.startswith("nkrel: error: SPARQL syntax error at 2:") and "Traceback" not in result.stderr


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
