"""Start and stop a real OpenLink Virtuoso (Debian's virtuoso-opensource) for the tests.

The server runs from its own virtuoso.ini in a temporary folder, on two free loopback
ports (SQL and HTTP), and the fixture sets the dba password through isql. A missing
binary or a server that does not start is a failure, never a skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    password: str  # of the dba user
    sql_port: int  # for isql-vt
    pid: int
    started_in: float  # seconds from launch to the first answer

    @property
    def store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: apt-get install virtuoso-opensource (`make test` installs it)")
    return path


def isql(sql_port: int, password: str, script: str) -> subprocess.CompletedProcess:
    """Run SQL as dba; the script (and any password in it) goes through stdin, not argv."""
    return subprocess.run([binary("isql-vt"), f"127.0.0.1:{sql_port}", "dba", password], input=script,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def start(folder: Path, seconds: float = 60) -> tuple[subprocess.Popen, Virtuoso]:
    sql_port, http_port = free_port(), free_port()
    (folder / "vsp").mkdir()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    launched = time.monotonic()
    with open(folder / "stdout.log", "wb") as log:
        proc = subprocess.Popen([binary("virtuoso-t"), "+foreground", "+configfile", str(ini)], cwd=folder,
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{http_port}"
    while not answers(base + "/sparql"):
        if proc.poll() is not None or time.monotonic() - launched > seconds:
            stop(proc)
            tail = (
                (folder / "virtuoso.log").read_text(errors="replace")[-1500:]
                if (folder / "virtuoso.log").exists()
                else ""
            )
            pytest.fail(f"Virtuoso did not start on 127.0.0.1:{http_port} (exit {proc.returncode}): {tail}")
        time.sleep(0.1)
    started_in = time.monotonic() - launched
    password = secrets.token_urlsafe(12)
    result = isql(sql_port, "dba", f"USER_SET_PASSWORD('dba', '{password}');\n")
    if result.returncode != 0 or "Error" in result.stdout + result.stderr:
        stop(proc)
        pytest.fail(f"cannot set the dba password through isql-vt: {result.stdout[-500:]} {result.stderr[-500:]}")
    return proc, Virtuoso(base, password, sql_port, proc.pid, started_in)


def stop(proc: subprocess.Popen) -> None:
    """Stop the server by its PID (the folder is thrown away: no clean shutdown needed)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)


def running_virtuoso():
    """Generator for a session fixture: yields the running Virtuoso; stops it and removes its folder."""
    folder = Path(tempfile.mkdtemp(prefix="nkrel-virtuoso-"))
    try:
        proc, server = start(folder)
        try:
            yield server
        finally:
            stop(proc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
