"""Attacks through SPARQL text a user runs or is sent: reaching the network, running
away with time or memory, leaving processes behind, crashing the CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from ..conftest import default_sigint, nkrel
from .conftest import children_of, process_gone

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize(
    "text",
    [
        # the two bypasses of the keyword scanner the hostile battery found
        "SELECT * WHERE { ?s ?p true.SERVICE <{url}> {?a ?b ?c} }",
        "SELECT * WHERE {{ ?s ?p nk:a\\' }} UNION {{ SERVICE <{url}> {{?a ?b ?c}} }} #'",
        "SELECT * WHERE { { ?s ?p nk:a\\' } UNION { SERVICE <{url}> {?a ?b ?c} } #' }",
        # codepoint escapes are expanded before parsing, by us as by Oxigraph
        "ASK { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(EXISTS { SERVICE <{url}> { ?a ?b ?c } } AS ?x) }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (EXISTS { SERVICE <{url}> { } })",
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?x { 1 } SERVICE SILENT <{url}> { ?s ?p ?o } }",
        "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
        "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ; LOAD <{url}>",
    ],
)
def test_service_bypasses_are_refused_and_nothing_is_contacted(listener, text):
    result = nkrel("query", text.replace("{url}", listener.url), timeout=120)
    assert result.returncode == 2, result
    assert result.stderr.startswith("nkrel: error: ") and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert listener.connections == 0


def test_second_line_a_query_process_cannot_connect_even_if_the_check_were_wrong(listener):
    """Run SERVICE in the isolated query process without the check: the sandbox stops it."""
    import pyoxigraph as ox

    from nkrel.sparql.runner import RunError, run_isolated

    def unchecked():
        return list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))

    with pytest.raises(RunError, match="Operation not permitted"):
        run_isolated(unchecked, timeout=30)
    assert listener.connections == 0


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-1", "86401", "abc"])
def test_timeouts_that_are_not_a_duration_are_usage_errors(value):
    result = nkrel("query", "ASK { ?s ?p ?o }", "--timeout", value, timeout=60)
    assert result.returncode == 2, result
    assert "--timeout" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "10", "-5", "abc", "99999999"])
def test_memory_limits_that_make_no_sense_are_usage_errors(value):
    result = nkrel("query", "ASK { ?s ?p ?o }", "--memory", value, timeout=60)
    assert result.returncode == 2, result
    assert "--memory" in result.stderr and "Traceback" not in result.stderr


def test_a_query_over_its_memory_limit_is_stopped_with_a_clear_message():
    text = "SELECT ?a ?b ?c ?d WHERE { ?a ?p ?b . ?c ?q ?d } ORDER BY ?a ?b ?c ?d"
    result = nkrel("query", text, "--memory", "128", "--timeout", "300", "--format", "csv", timeout=400)
    assert result.returncode == 2, result.stderr
    assert "memory limit" in result.stderr and "--memory" in result.stderr
    assert "Traceback" not in result.stderr and "memory allocation" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("printed", [b"", b"terminate called after throwing an instance of 'std::bad_alloc'\n",
                                     b"  what():  Resource temporarily unavailable\n"])  # fmt: skip
def test_native_code_that_aborts_under_the_memory_limit_is_named_as_such(printed):
    """RocksDB's threads abort with a C++ message (or none) when RLIMIT_AS leaves no room for a
    stack: the user is still told about --memory, not just "signal SIGABRT"."""
    from nkrel.sparql.runner import RunError, run_isolated

    def aborts():
        os.write(2, printed)
        os.abort()

    with pytest.raises(RunError, match=r"memory limit.*--memory"):
        run_isolated(aborts, timeout=30, memory_mb=256)


SIGNAL_IN_THE_FORK_GAP = """
import os, signal, sys, time
from nkrel.sparql.runner import Stopped, run_isolated
real_fork, children = os.fork, []
def fork_then_signal():  # a SIGTERM that arrives just after the fork, before the wait
    pid = real_fork()
    if pid:
        children.append(pid)
        os.kill(os.getpid(), signal.{sig})
    return pid
os.fork = fork_then_signal
try:
    run_isolated(lambda: time.sleep(60), timeout=120)
except (Stopped, KeyboardInterrupt) as e:
    try:
        os.kill(children[0], 0)
        print("child alive")
    except ProcessLookupError:
        print("stopped, child gone")
"""


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_just_after_the_fork_stops_the_query_and_its_process(sig):
    """Found by mutation testing: the handlers were set after the fork, so a signal in
    that gap killed nkrel outright (exit -15) and the test of signals was flaky."""
    import sys

    result = subprocess.run([sys.executable, "-c", SIGNAL_IN_THE_FORK_GAP.format(sig=sig)], capture_output=True,
                            text=True, timeout=60, preexec_fn=default_sigint)  # fmt: skip
    assert (result.returncode, result.stdout) == (0, "stopped, child gone\n"), result.stderr


def start_query(*args):
    return subprocess.Popen([shutil.which("nkrel"), "query", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=default_sigint)  # fmt: skip


def wait_for_child(pid: int, seconds: float = 60) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kids = children_of(pid)
        if kids:
            return kids
        time.sleep(0.05)
    pytest.fail("the query process never started")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_a_long_query_leaves_no_process_behind(sig):
    proc = start_query(SLOW, "--timeout", "600")
    kids = wait_for_child(proc.pid)
    proc.send_signal(sig)
    code = proc.wait(30)
    stderr = proc.stderr.read()
    assert code == 128 + sig, (code, stderr)
    assert "Traceback" not in stderr and stderr.startswith("nkrel: stopped")
    for kid in kids:
        assert process_gone(kid), f"the query process {kid} outlived nkrel"


def test_kill_9_of_nkrel_takes_the_query_process_with_it():
    proc = start_query(SLOW, "--timeout", "600")
    kids = wait_for_child(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    for kid in kids:
        assert process_gone(kid), f"the query process {kid} outlived nkrel"


def test_the_timeout_stops_the_query_process():
    proc = start_query(SLOW, "--timeout", "2")
    kids = wait_for_child(proc.pid)
    assert proc.wait(120) == 2
    assert "timeout" in proc.stderr.read()
    for kid in kids:
        assert process_gone(kid)


@pytest.mark.parametrize("length", [256, 5000, 100_000])
def test_long_one_line_queries_are_queries_not_file_names(length):
    text = "ASK { ?s ?p ?o }" + " " * (length - 16)
    result = nkrel("query", text, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "true\n"


@pytest.mark.parametrize("text", ["", "   ", "# only a comment", "PREFIX ex: <http://example.org/>"])
def test_an_empty_query_is_called_empty_not_an_update(text):
    result = nkrel("query", text, timeout=60)
    assert result.returncode == 2, result
    assert "the query is empty" in result.stderr and "update" not in result.stderr


def test_an_escaped_nul_in_the_query_is_a_clean_answer():
    result = nkrel("query", 'ASK { ?s ?p "\\u0000" }', timeout=60)
    assert result.returncode == 1 and result.stdout == "false\n" and "Traceback" not in result.stderr


def test_unknown_entity_parameter_says_did_you_mean():
    result = nkrel("query", "trade-by-year", "--param", "partner=chna", timeout=60)
    assert result.returncode == 2
    assert result.stderr == "nkrel: error: parameter partner: no entity 'chna' in the graph; did you mean china?\n"


def test_entity_parameters_take_labels_and_aliases():
    by_id = nkrel("query", "trade-by-year", "--param", "partner=soviet-union", "--format", "csv", timeout=60)
    by_alias = nkrel("query", "trade-by-year", "--param", "partner=USSR", "--format", "csv", timeout=60)
    assert by_id.returncode == 0 and by_id.stdout == by_alias.stdout
    ambiguous = nkrel("query", "trade-by-year", "--param", "partner=Moscow", timeout=60)
    assert ambiguous.returncode == 2 and "names several entities: russia, soviet-union" in ambiguous.stderr


def test_queries_need_no_prefix_lines_and_their_own_prefix_wins():
    plain = nkrel("query", "SELECT ?f WHERE { ?f a nk:Aid } ORDER BY ?f", "--format", "csv", timeout=60)
    assert plain.returncode == 0 and plain.stdout.count("\n") > 2
    own = nkrel("query", "PREFIX nk: <urn:nothing#> SELECT ?f WHERE { ?f a nk:Aid }", timeout=60)
    assert own.returncode == 1, own.stderr


def test_table_cells_print_as_names_that_paste_back_into_a_query():
    table = nkrel("query", "SELECT ?f WHERE { ?f a nk:Recognition } ORDER BY ?f LIMIT 1", "--wide", timeout=60)
    fact = table.stdout.splitlines()[2].strip()
    assert fact.startswith("fact:") and "/" not in fact
    again = nkrel("query", f"ASK {{ {fact} a nk:Recognition }}", timeout=60)
    assert again.returncode == 0 and again.stdout == "true\n"


def test_tables_fit_the_terminal_unless_wide():
    narrow = nkrel("query", "evidence", env={"COLUMNS": "80"}, timeout=60)
    assert narrow.returncode == 0 and max(map(len, narrow.stdout.splitlines())) <= 80
    wide = nkrel("query", "evidence", "--wide", env={"COLUMNS": "80"}, timeout=60)
    assert max(map(len, wide.stdout.splitlines())) > 200
