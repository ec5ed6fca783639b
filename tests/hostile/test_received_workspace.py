"""A workspace received from someone else (an archive, a shared folder, a repository):
nothing in it runs as code, and no reader answers from a build it has not verified.

Each test is named after the attack it repeats (issue 19)."""

from __future__ import annotations

import json
import os
import pickle
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import nkrel

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TRIPLE = (
    "<https://w3id.org/nkrel/id/fact/forged>",
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    '"a fact no source states"',
)


@pytest.fixture(scope="module")
def built_workspace(tmp_path_factory) -> Path:
    """The example, built once for this module: tests take copies (times kept)."""
    root = tmp_path_factory.mktemp("received") / "w"
    assert nkrel("init", root, "--example", env={"NKREL_WORKSPACE": ""}).returncode == 0
    result = nkrel("build", cwd=root, env={"NKREL_WORKSPACE": str(root)})
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def quads(built_workspace) -> int:
    """The number of quads of the example's build, read from its N-Quads file."""
    return len((built_workspace / "graphs" / "nkrel.nq").read_bytes().splitlines())


@pytest.fixture
def ws(built_workspace, tmp_path) -> Path:
    copy = tmp_path / "w"
    shutil.copytree(built_workspace, copy, symlinks=True)
    return copy


def count(ws: Path, *extra) -> subprocess.CompletedProcess:
    return nkrel("query", COUNT, "--format", "csv", *extra, cwd=ws, env={"NKREL_WORKSPACE": str(ws)})


def n_quads(result) -> int:
    assert result.returncode == 0, result.stderr
    return int(result.stdout.splitlines()[1])


class Payload:
    """A pickle that runs a command when loaded."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def plant_pickles(ws: Path, marker: Path) -> int:
    entries = sorted((ws / ".nkrel" / "cache").glob("*.nkdoc"))
    for entry in entries:
        entry.write_bytes(pickle.dumps(Payload(f"touch {marker}")))
    return len(entries)


def test_a_pickled_cache_entry_runs_no_code_when_the_workspace_builds(ws, tmp_path, quads):
    marker = tmp_path / "PWNED"
    assert plant_pickles(ws, marker) == 3
    shutil.rmtree(ws / "graphs")
    result = nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert n_quads(count(ws)) == quads


def test_a_pickled_cache_entry_runs_no_code_through_query_or_the_api(ws, tmp_path, quads):
    marker = tmp_path / "PWNED"
    plant_pickles(ws, marker)
    shutil.rmtree(ws / "graphs")
    assert n_quads(count(ws)) == quads  # the reader rebuilds: no build yet
    assert not marker.exists()
    plant_pickles(ws, marker)
    shutil.rmtree(ws / "graphs")
    script = f"import nkrel; print(len(nkrel.open({str(ws)!r}).query('entities')))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ws,
                            env={**os.environ, "NKREL_WORKSPACE": ""})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
    assert not marker.exists()


def _forge_entries(ws: Path) -> None:
    """Add a triple to every cache entry, keeping its header (and so its old signature)."""
    for entry in (ws / ".nkrel" / "cache").glob("*.nkdoc"):
        head, _, payload = entry.read_bytes().partition(b"\n")
        data = json.loads(payload)
        data["triples"].append(list(TRIPLE))
        entry.write_bytes(head + b"\n" + json.dumps(data).encode())


def test_a_forged_cache_entry_publishes_no_fact_that_no_source_states(ws):
    _forge_entries(ws)
    shutil.rmtree(ws / "graphs")
    result = nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
    assert result.returncode == 0, result.stderr
    assert "a fact no source states" not in (ws / "graphs" / "nkrel.nq").read_text(encoding="utf-8")


def test_a_cache_entry_signed_with_someone_elses_key_is_not_used(ws, tmp_path):
    """The sender's own nkrel signed it: valid for them, not for the receiver."""
    theirs = {"NKREL_KEY_FILE": str(tmp_path / "their-key"), "NKREL_WORKSPACE": str(ws)}
    assert nkrel("build", "--clean", cwd=ws, env=theirs).returncode == 0
    _forge_entries(ws)  # their entries, now carrying the forged triple
    shutil.rmtree(ws / "graphs")
    # re-sign with their key, as their nkrel would after writing the entry
    code = (
        "import os, sys; from pathlib import Path; from nkrel.core.trust import sign\n"
        "for p in Path(sys.argv[1]).glob('*.nkdoc'):\n"
        "    head, _, payload = p.read_bytes().partition(b'\\n')\n"
        "    p.write_bytes(b'nkrel-cache 2 ' + sign('cache ' + p.stem, payload).encode() + b'\\n' + payload)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(ws / ".nkrel" / "cache")], check=True, env={**os.environ, **theirs})
    # under their key the forged entry is used: what tells entries apart is the signature alone
    assert nkrel("build", cwd=ws, env=theirs).returncode == 0
    assert "a fact no source states" in (ws / "graphs" / "nkrel.nq").read_text(encoding="utf-8")
    shutil.rmtree(ws / "graphs")
    assert nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)}).returncode == 0
    assert "a fact no source states" not in (ws / "graphs" / "nkrel.nq").read_text(encoding="utf-8")


def test_a_build_received_from_someone_else_is_rebuilt_before_it_answers(ws, tmp_path, quads):
    theirs = {"NKREL_KEY_FILE": str(tmp_path / "their-key"), "NKREL_WORKSPACE": str(ws)}
    assert nkrel("build", cwd=ws, env=theirs).returncode == 0
    refused = count(ws, "--no-rebuild")
    assert refused.returncode == 2 and "was not made by your nkrel" in refused.stderr, refused.stderr
    answered = count(ws)
    assert n_quads(answered) == quads
    assert "rebuilding" in answered.stderr


def test_graph_file_answers_from_that_file_never_from_a_store_beside_it(ws, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "nkrel.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    shutil.copytree(ws / "graphs" / "store", folder / "store")
    shutil.copy2(ws / "graphs" / "build.json", folder / "build.json")
    assert n_quads(count(ws, "--graph", folder / "nkrel.nq")) == 1


def test_a_store_swapped_for_another_builds_is_refused(ws, tmp_path, built_workspace):
    other = tmp_path / "other"
    shutil.copytree(built_workspace, other, symlinks=True)
    facts = other / "corpus" / "facts" / "trade-agreements.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "# another build\n", encoding="utf-8")
    assert nkrel("build", cwd=other, env={"NKREL_WORKSPACE": str(other)}).returncode == 0
    shutil.rmtree(ws / "graphs" / "store")
    shutil.copytree(other / "graphs" / "store", ws / "graphs" / "store")
    refused = count(ws)
    assert refused.returncode == 2 and "the build is damaged: run nkrel build" in refused.stderr, refused.stderr
    shutil.rmtree(ws / "graphs" / "store")
    (ws / "graphs" / "store").symlink_to(other / "graphs" / "store")
    refused = count(ws)
    assert refused.returncode == 2 and "the build is damaged: run nkrel build" in refused.stderr, refused.stderr


def test_a_truncated_build_file_is_refused_not_answered(ws):
    nq = ws / "graphs" / "nkrel.nq"
    lines = nq.read_bytes().splitlines(keepends=True)
    nq.write_bytes(b"".join(lines[: len(lines) // 2]))
    shutil.rmtree(ws / "graphs" / "store")
    refused = count(ws)
    assert refused.returncode == 2, refused.stderr
    assert "the build is damaged: run nkrel build" in refused.stderr and "Traceback" not in refused.stderr


def test_a_bit_flipped_build_file_of_the_same_size_is_refused(ws):
    nq = ws / "graphs" / "nkrel.nq"
    data = bytearray(nq.read_bytes())
    data[len(data) // 2] ^= 0x01
    nq.write_bytes(bytes(data))
    refused = count(ws)
    assert refused.returncode == 2 and "nkrel.nq was changed since the build" in refused.stderr, refused.stderr


@pytest.mark.parametrize("command", [["stats"], ["anomalies"], ["query", "entities"]])
def test_a_bit_flipped_store_gives_a_clear_message_in_every_reader(ws, command):
    store_files = sorted((ws / "graphs" / "store").rglob("*.sst")) or sorted((ws / "graphs" / "store").iterdir())
    target = max(store_files, key=lambda p: p.stat().st_size)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    result = nkrel(*command, cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
    assert result.returncode == 2, result.stderr
    assert "the build is damaged: run nkrel build" in result.stderr and "Traceback" not in result.stderr


def test_a_bit_flipped_store_gives_a_clear_error_in_the_api(ws):
    target = max((ws / "graphs" / "store").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    script = f"import nkrel\ntry:\n nkrel.open({str(ws)!r})\nexcept Exception as e:\n print(type(e).__name__, e)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "NKREL_WORKSPACE": ""})  # fmt: skip
    assert result.stdout.startswith("WorkspaceError the build is damaged: run nkrel build"), result


def test_a_query_check_of_a_huge_query_is_bound_by_the_timeout(ws, tmp_path):
    big = tmp_path / "big.rq"
    rows = " ".join(f"({i})" for i in range(100_000))
    # refused once parsed: only a check that runs within the limits stops it at the timeout
    # first (a check before the limits parses it all, for 25 s, then refuses SERVICE)
    big.write_text(f"SELECT ?x WHERE {{ VALUES (?x) {{ {rows} }} SERVICE <http://127.0.0.1:9/> {{ ?x ?p ?o }} }}",
                   encoding="utf-8")  # fmt: skip
    result = nkrel("query", big, "--timeout", "2", cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
    assert result.returncode == 2
    assert "ran longer than the 2 s timeout" in result.stderr, result.stderr


def test_the_sandboxed_childs_answer_is_never_unpickled(tmp_path, monkeypatch):
    from nkrel.sparql import runner

    marker = tmp_path / "PWNED"
    monkeypatch.setattr(runner, "encode", lambda payload: pickle.dumps(Payload(f"touch {marker}")))
    with pytest.raises(runner.RunError, match="not well-formed data"):
        runner.run_isolated(lambda: 1, timeout=20)
    assert not marker.exists()


def test_the_childs_answer_round_trips_the_values_queries_give():
    from decimal import Decimal

    from nkrel.sparql import runner

    value = (b"\x00\xff bytes", True, None, 3, 1.5, Decimal("6860000000.0"), "text \x1b", [("a", "b")], {"k": [1]})
    assert runner.run_isolated(lambda: value, timeout=20) == value
    with pytest.raises(runner.RunError, match="is not data"):
        runner.run_isolated(lambda: object(), timeout=20)


@pytest.mark.parametrize("graphs", [".", "corpus", "corpus/sub", ".nkrel"])
def test_graphs_set_to_the_workspace_root_or_corpus_with_a_planted_build_json(ws, graphs):
    from tests.hostile.conftest import snapshot

    (ws / "corpus" / "build.json").write_text('{"nkrel": "0"}', encoding="utf-8")
    (ws / "build.json").write_text('{"nkrel": "0"}', encoding="utf-8")
    (ws / "nkrel.toml").write_text(f'[workspace]\ncorpus = "corpus"\ngraphs = "{graphs}"\n', encoding="utf-8")
    before = snapshot(ws / "corpus")
    result = nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
    assert result.returncode == 2, result.stderr
    assert "nkrel.toml: 'graphs'" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(ws / "corpus") == before
    assert not list(ws.parent.glob(".*.old-*"))


def test_a_build_never_replaces_a_folder_holding_a_workspace(ws, tmp_path):
    from nkrel.output.publish import PublishError, publish

    (ws / "build.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PublishError, match="never replaces a workspace"):
        publish({"x.txt": b"x"}, ws, {})
    assert (ws / "nkrel.toml").is_file()


def test_nul_and_deep_nesting_in_nkrel_toml_are_clear_errors(ws):
    for text in ('[workspace]\nname = "a\0b"\n', "[workspace]\nname = " + "[" * 50_000 + "]" * 50_000 + "\n"):
        (ws / "nkrel.toml").write_text(text, encoding="utf-8")
        result = nkrel("stats", cwd=ws, env={"NKREL_WORKSPACE": str(ws)})
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("nkrel: error: ") and "not valid TOML" in result.stderr, result.stderr
        assert "\0" not in result.stderr


@pytest.mark.parametrize(
    "literal",
    ['"12x"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1e999999"^^<http://www.w3.org/2001/XMLSchema#decimal>'],
)
def test_viz_of_a_graph_with_an_ill_typed_value_or_offset_draws_the_page(built_dir, tmp_path, literal):
    text = (built_dir / "nkrel.nq").read_text(encoding="utf-8")
    value = "<https://w3id.org/nkrel/ontology#value>"
    start = "<http://www.w3.org/ns/oa#start>"
    lines = []
    for line in text.splitlines():
        if f" {value} " in line and "^^" in line:
            s, p, rest = line.split(" ", 2)
            line = f"{s} {p} {literal} {rest.rsplit(' ', 2)[-2]} ."
        elif f" {start} " in line:
            s, p, rest = line.split(" ", 2)
            line = f'{s} {p} "-3x"^^<http://www.w3.org/2001/XMLSchema#string> {rest.rsplit(" ", 2)[-2]} .'
        lines.append(line)
    bad = tmp_path / "bad.nq"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = nkrel("viz", "--graph", bad, "--out", tmp_path / "page.html")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and (tmp_path / "page.html").stat().st_size > 0


def test_a_store_folder_left_by_a_killed_build_is_removed_by_the_next(ws):
    dead = ws / ".graphs.store-999999999-abc"
    dead.mkdir()
    (dead / "junk").write_bytes(b"x" * 1000)
    running = ws / f".graphs.store-{os.getpid()}-abc"  # a build still running: left alone
    running.mkdir()
    assert nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)}).returncode == 0
    assert not dead.exists() and running.exists()


def test_a_cache_file_left_by_a_killed_build_is_removed_by_the_next(ws):
    cache = ws / ".nkrel" / "cache"
    dead = cache / ".999999999.abc.tmp"
    dead.write_bytes(b"half an entry")
    assert nkrel("build", cwd=ws, env={"NKREL_WORKSPACE": str(ws)}).returncode == 0
    assert not dead.exists()


def test_raw_escape_sequences_never_reach_a_terminal_from_csv_tsv_or_xml(tmp_path):
    graph = tmp_path / "g.nt"
    graph.write_text('<urn:a> <urn:b> "red \\u001B[31m here \\u0007" .\n', encoding="utf-8")
    for fmt in ("csv", "tsv", "xml", "json", "table"):
        screen = _on_a_terminal([shutil.which("nkrel"), "query", "SELECT ?o WHERE { ?s ?p ?o }",
                                 "--graph", str(graph), "--format", fmt])  # fmt: skip
        assert b"\x1b" not in screen and b"\x07" not in screen, (fmt, screen)
        assert b"red" in screen, (fmt, screen)
    piped = nkrel("query", "SELECT ?o WHERE { ?s ?p ?o }", "--graph", graph, "--format", "csv")
    assert "\x1b[31m" in piped.stdout  # a file or a pipe gets the exact value


def _on_a_terminal(argv) -> bytes:
    """What a command prints on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(master)
    return out


def test_push_to_a_url_with_a_password_in_it_sends_the_request(listener):
    url = listener.url.replace("http://", "http://user:secret@")
    result = nkrel("push", url, "--timeout", "3", env={"NKREL_WORKSPACE": ""})
    assert listener.connections >= 1, result.stderr
    assert "Name or service not known" not in result.stderr
    assert "secret" not in result.stderr and "secret" not in result.stdout


def test_a_users_error_in_the_child_comes_back_as_its_own_class_and_nothing_else(monkeypatch):
    from nkrel.sparql import runner
    from nkrel.sparql.query import QueryError
    from nkrel.sparql.safety import UnsafeQuery

    def refuse():
        raise UnsafeQuery("refused SERVICE")

    with pytest.raises(UnsafeQuery, match="refused SERVICE"):
        runner.run_isolated(refuse, timeout=20, reported=(QueryError, UnsafeQuery))
    # a child that names a class the parent did not list gets no class of its choosing
    monkeypatch.setattr(runner, "encode", lambda payload: b'["reported",[7,"boo"]]')
    with pytest.raises(runner.RunError, match="not well-formed data"):
        runner.run_isolated(lambda: 1, timeout=20, reported=(QueryError,))


def test_a_query_argument_naming_another_file_never_quotes_its_words(tmp_path):
    secret = tmp_path / "notes"
    secret.write_text("hunter2:x:0:0 private words\n", encoding="utf-8")
    result = nkrel("query", secret, "--graph", tmp_path / "none.nt")
    assert result.returncode == 2 and "SPARQL syntax error at line 1" in result.stderr, result.stderr
    assert "hunter2" not in result.stderr and "private" not in result.stderr
    mine = tmp_path / "mine.rq"
    mine.write_text("hunter2:x:0:0 private words\n", encoding="utf-8")
    result = nkrel("query", mine, "--graph", tmp_path / "none.nt")
    assert "'words' is not valid here" in result.stderr  # a .rq file is the user's own: the token at fault shown
