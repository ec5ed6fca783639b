"""The Host check of `nkrel serve`, as a table and without a server: only an IP address,
localhost, or a name given with --allow-host, with this server's port. A name that merely
contains an allowed one (a suffix, a prefix, a dot more) is another host and is refused:
that is how a page rebinding its own DNS name to 127.0.0.1 would arrive."""

from __future__ import annotations

import pytest

from nkrel.sparql.server import host_allowed

PORT = 7878
ALLOWED = frozenset({"graph.lab.example"})  # as `serve` keeps --allow-host names: lower case, no final dot

TABLE = [
    # what the server is: allowed
    ("localhost:7878", True),
    ("LOCALHOST:7878", True),
    ("localhost.:7878", True),
    ("127.0.0.1:7878", True),
    ("[::1]:7878", True),
    ("graph.lab.example:7878", True),
    ("Graph.Lab.Example.:7878", True),
    # names that contain an allowed name: other hosts
    ("localhost.evil.example:7878", False),
    ("evil-localhost:7878", False),
    ("localhostx:7878", False),
    ("xlocalhost:7878", False),
    ("127.0.0.1.evil.example:7878", False),
    ("127.0.0.1.nip.io:7878", False),
    ("graph.lab.example.evil.example:7878", False),
    ("evil-graph.lab.example:7878", False),
    ("lab.example:7878", False),
    ("xgraph.lab.example:7878", False),
    ("graph.lab.examplex:7878", False),
    ("localhost@evil.example:7878", False),
    ("evil.example#localhost:7878", False),
    ("localhost:7878.evil.example", False),
    ("localhost:7878@evil.example", False),
    ("localhost 7878", False),
    # the right name on another port, or none at all
    ("localhost:7879", False),
    ("localhost", False),
    ("localhost:", False),
    ("localhost:07878x", False),
    ("127.0.0.1:17878", False),
    ("", False),
    (None, False),
]


@pytest.mark.parametrize("host, allowed", TABLE, ids=[repr(h) for h, _ in TABLE])
def test_the_host_check(host, allowed):
    assert host_allowed(host, PORT, ALLOWED) is allowed


def test_port_80_may_be_left_out():
    assert host_allowed("localhost", 80) and host_allowed("127.0.0.1", 80) and not host_allowed("localhost", 8080)
    assert not host_allowed("localhost.evil.example", 80)


def test_an_allowed_name_is_only_that_name():
    """Without --allow-host, the allowed name of the table is a stranger."""
    assert not host_allowed("graph.lab.example:7878", PORT)
    assert not host_allowed("graph.lab.example:7878", PORT, frozenset({"lab.example"}))
    assert not host_allowed("lab.example:7878", PORT, frozenset({"graph.lab.example", "example"}))
