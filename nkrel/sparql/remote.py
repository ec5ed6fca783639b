"""Talk to remote SPARQL servers: run queries (SPARQL 1.1 Protocol) and push named
graphs (SPARQL 1.1 Graph Store Protocol).

Results are fetched in a standard format and re-serialised locally by the same code
as local queries, so the same query gives the same output on both sides.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .query import ENTITY_NAMES, ID, PREFIXES, QueryError, bind_params, format_result, printable


def redact(url: str) -> str:
    """A URL fit to print: a password inside it (http://user:pw@host) is masked."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<a malformed URL>"
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname or ''}" + (f":{parts.port}" if _port(parts) else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def check_http_url(url: str, what: str) -> None:
    """An http(s) URL with a host and a valid port, and no spaces or control characters."""
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        raise QueryError(f"{what} must not contain spaces or control characters: {printable(redact(url))!r}")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as e:
        raise QueryError(f"{what} is not a valid URL ({e}): {printable(redact(url))}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryError(f"{what} must be an http(s) URL, got {printable(redact(url))!r}")


def http_error_message(url: str, e: Exception) -> str:
    url = printable(redact(url))
    if isinstance(e, urllib.error.HTTPError):
        try:
            body = e.read(300).decode("utf-8", "replace").strip().splitlines()
        except (OSError, http.client.HTTPException):
            body = []
        detail = f": {printable(body[0])}" if body else ""
        return f"{url} answered HTTP {e.code} {printable(str(e.reason))}{detail}"
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{url} did not answer in time (--timeout)"
    return f"cannot reach {url}: {printable(str(reason))}"


def fetch(request: urllib.request.Request, deadline: float, max_bytes: int, opener=None) -> bytes:
    """The body of an HTTP answer, within a total deadline and a size limit."""
    opener = opener or urllib.request.build_opener()
    url = request.full_url
    left = deadline - time.monotonic()
    if left <= 0:
        raise QueryError(f"{printable(redact(url))} did not answer in time (--timeout)")
    chunks, size = [], 0
    try:
        with opener.open(request, timeout=left) as response:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryError(f"{printable(redact(url))} did not answer in time (--timeout)")
                # the socket's own timeout bounds one read; keep it within what is left of the deadline
                sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
                if sock is not None:
                    sock.settimeout(left)
                chunk = response.read1(1 << 16)  # what has arrived: read() would wait for a full buffer
                if not chunk:
                    if response.length:  # the connection closed before the announced Content-Length
                        raise http.client.IncompleteRead(b"", response.length)
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise QueryError(
                        f"{printable(redact(url))} sent more than {max_bytes >> 20} MiB; stopped reading (--memory)"
                    )
                chunks.append(chunk)
    except (urllib.error.URLError, OSError) as e:
        raise QueryError(http_error_message(url, e)) from None
    except http.client.HTTPException as e:
        shown = printable(redact(url))
        raise QueryError(f"{shown} sent an incomplete or malformed answer ({type(e).__name__})") from None
    return b"".join(chunks)


def remote_query(endpoint: str, text: str, fmt: str | None, timeout: float, shipped=None, params=None,
                 max_bytes: int = 2 << 30) -> tuple[bytes, bool]:  # fmt: skip
    """Run a read-only query on a SPARQL 1.1 endpoint; SERVICE and FROM are the server's business."""
    import pyoxigraph as ox

    from .safety import check_query, with_prefixes

    check_http_url(endpoint, "--endpoint")
    deadline = time.monotonic() + timeout

    def entities():
        rows = _post(endpoint, with_prefixes(ENTITY_NAMES, PREFIXES), "SELECT", deadline, max_bytes)
        names: dict[str, list[str]] = {}
        for row in ox.parse_query_results(rows, format=ox.QueryResultsFormat.JSON):
            names.setdefault(row["e"].value[len(ID) :], []).append(row["name"].value)
        return names

    text = bind_params(text, shipped, params or {}, entities=entities)
    form = check_query(text, PREFIXES, allow_remote=True).form
    data = _post(endpoint, with_prefixes(text, PREFIXES), form, deadline, max_bytes)
    try:
        if form in ("SELECT", "ASK"):
            result = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            if form == "ASK" and isinstance(result, ox.QuerySolutions):
                result = _ask_from_rows(result, ox)
        else:
            result = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as e:
        shown = printable(redact(endpoint))
        raise QueryError(f"{shown} did not answer with SPARQL results: {printable(str(e))[:200]}") from None
    return format_result(result, fmt, ox)


def _post(endpoint: str, text: str, form: str, deadline: float, max_bytes: int) -> bytes:
    accept = "application/sparql-results+json" if form in ("SELECT", "ASK") else "application/n-triples"
    # Oxigraph reads union-default-graph so queries see named graphs as locally;
    # other servers ignore it (configure their union default graph instead).
    body = urllib.parse.urlencode({"query": text, "union-default-graph": ""}).encode()
    request = urllib.request.Request(
        endpoint,
        data=body,
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    return fetch(request, deadline, max_bytes)


def _ask_from_rows(solutions, ox):
    """Virtuoso 7.2 answers ASK with a one-column SELECT (__ASK_RETVAL: one row "1" for true,
    none for false); read it as the boolean it stands for."""
    variables = [v.value for v in solutions.variables]
    if variables != ["__ASK_RETVAL"]:
        raise QueryError(f"the endpoint answered an ASK query with rows of {', '.join(variables) or 'nothing'}")
    truth = any(s["__ASK_RETVAL"] is not None and s["__ASK_RETVAL"].value not in ("0", "false") for s in solutions)
    return ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if truth else b"false"),
                                  format=ox.QueryResultsFormat.JSON)  # fmt: skip


# --- Graph Store Protocol: push every named graph -------------------------------------

GSP_HINT = (
    "STORE_URL must be a SPARQL 1.1 Graph Store Protocol URL, not a query URL (/query, /sparql): "
    "Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, "
    "GraphDB http://HOST:7200/repositories/ID/rdf-graphs/service, "
    "Virtuoso http://HOST:8890/sparql-graph-crud-auth"
)
# Answers after which the other graphs would fail the same way: stop sending.
FATAL_STATUS = {301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 406, 415, 501}


@dataclass
class NamedGraph:
    iri: str
    triples: int
    data: bytes  # N-Triples, sorted


@dataclass
class PushResult:
    graph: NamedGraph
    status: int | None = None  # the HTTP status when it was pushed
    error: str | None = None  # why it was not pushed, in full
    reason: str | None = None  # the same in a few words
    hint: str | None = None  # what to do about it

    @property
    def pushed(self) -> bool:
        return self.status is not None


def load_quads(graph_file) -> list:
    """The quads of a built file, exactly as written (a corpus is built by
    pipeline.built_quads instead).

    Parsed, not loaded into an Oxigraph Store: the store (0.5.13) keeps literals of
    derived integer types such as xsd:nonNegativeInteger as xsd:integer, and the
    server must receive the terms the build wrote.
    """
    from .rdffile import parse_quads

    return parse_quads(Path(graph_file))


def named_graphs(quads) -> tuple[list[NamedGraph], int]:
    """Each named graph as sorted N-Triples (by graph IRI), and the number of default-graph triples."""
    import pyoxigraph as ox

    by_name: dict[str, set] = {}
    default = set()
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.add(q.triple)
        elif isinstance(q.graph_name, ox.NamedNode):
            by_name.setdefault(q.graph_name.value, set()).add(q.triple)
        else:
            raise QueryError(f"a named graph has a blank node name ({q.graph_name}); only IRIs can be pushed")
    graphs = []
    for name, triples in sorted(by_name.items()):
        data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
        graphs.append(NamedGraph(name, len(triples), b"".join(sorted(data.splitlines(keepends=True)))))
    return graphs, len(default)


def check_store_url(store_url: str) -> None:
    check_http_url(store_url, "STORE_URL")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(store_url).query, keep_blank_values=True)
    if "graph" in query or "default" in query:
        raise QueryError(f"give STORE_URL without ?graph= or ?default (nkrel names each graph): {redact(store_url)}")


def graph_url(store_url: str, iri: str) -> str:
    """STORE_URL?graph=<IRI> (indirect graph identification), never ?default."""
    sep = "&" if "?" in store_url else "?"
    return f"{store_url}{sep}{urllib.parse.urlencode({'graph': iri})}"


def _looks_like_query_url(store_url: str) -> bool:
    path = urllib.parse.urlsplit(store_url).path.rstrip("/")
    return path.rsplit("/", 1)[-1] in ("query", "sparql", "update", "")


def push_error(store_url: str, graph: NamedGraph, e: Exception, user: str | None, timeout: float) -> PushResult:
    """Why a PUT failed: in full (naming the URL and the HTTP status), in brief, and a hint."""
    shown = printable(redact(store_url))
    if isinstance(e, urllib.error.HTTPError):
        try:
            body = e.read(300).decode("utf-8", "replace").strip().splitlines()
        except (OSError, http.client.HTTPException):
            body = []
        detail = f": {printable(body[0].strip())}" if body and "<" not in body[0] else ""
        hint = None
        if 300 <= e.code < 400:
            hint = f"the server redirects to {printable(redact(e.headers.get('Location', '?')))}: give that URL"
        elif e.code in (401, 403):
            hint = "the credentials were refused" if user else "give --user NAME, with the password in NKREL_PASSWORD"
        elif e.code in (400, 404, 405, 406, 415, 501) or _looks_like_query_url(store_url):
            hint = GSP_HINT
        reason = printable(str(e.reason))
        message = f"PUT <{graph.iri}> to {shown}: HTTP {e.code} {reason}{detail}"
        return PushResult(graph, error=message, reason=f"HTTP {e.code} {reason}", hint=hint)
    reason = e.reason if isinstance(e, urllib.error.URLError) else e
    if isinstance(reason, TimeoutError):
        message = f"PUT <{graph.iri}> to {shown}: no answer within {timeout:g} s (--timeout)"
        return PushResult(graph, error=message, reason="no answer")
    if isinstance(reason, ConnectionRefusedError):
        reason = "connection refused (is the server running?)"
    if isinstance(e, http.client.HTTPException):
        reason = f"an incomplete or malformed answer ({type(e).__name__})"
    return PushResult(graph, error=f"cannot reach {shown}: {printable(str(reason))}", reason="unreachable")


class _DigestAuthHandler(urllib.request.HTTPDigestAuthHandler):
    """Digest that reports refused credentials at once (urllib would resend the graph five more times)."""

    def http_error_401(self, req, fp, code, msg, headers):
        sent = req.get_header("Authorization") or ""
        stale = "stale=true" in (headers.get("WWW-Authenticate") or "").replace('"', "").lower()
        if sent.startswith("Digest ") and not stale:
            raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
        return super().http_error_401(req, fp, code, msg, headers)


def auth_opener(store_url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    """An opener that answers a 401 challenge in the scheme the server names: Digest or Basic.

    Nothing is sent with the first request, so a Digest server never sees the password
    in Basic form; the credentials go only to STORE_URL's host and path.
    """
    if user is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, store_url, user, password or "")
    return urllib.request.build_opener(_DigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords))


def push(
    store_url: str,
    graphs: list[NamedGraph],
    user: str | None = None,
    password: str | None = None,
    timeout: float = 60.0,
    progress=None,
) -> list[PushResult]:
    """PUT each named graph to STORE_URL?graph=<IRI> (SPARQL 1.1 Graph Store Protocol).

    PUT replaces the graph, so pushing twice leaves the server in the same state; the
    server's default graph and graphs not in `graphs` are never touched. After an
    answer that every graph would get too (unreachable, 404, 401, ...), the remaining
    graphs are not sent. progress(i, n, graph, None) is called before each PUT and
    progress(i, n, graph, result) after it.
    """
    check_store_url(store_url)
    headers = {"Content-Type": "application/n-triples"}
    opener = auth_opener(store_url, user, password)
    basic = None  # the Basic credentials once the server has accepted them
    results: list[PushResult] = []
    stop = False
    for i, graph in enumerate(graphs, 1):
        if stop:
            skipped = "not sent: every graph would meet the same error"
            results.append(PushResult(graph, error=skipped, reason="not sent"))
            continue
        if progress:
            progress(i, len(graphs), graph, None)
        request = urllib.request.Request(graph_url(store_url, graph.iri), data=graph.data, method="PUT",
                                         headers=headers)  # fmt: skip
        if basic:  # accepted for an earlier graph: send it at once, not after a 401
            request.add_unredirected_header("Authorization", basic)
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
                result = PushResult(graph, status=response.status)
            if (request.get_header("Authorization") or "").startswith("Basic "):
                basic = request.get_header("Authorization")
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            result = push_error(store_url, graph, e, user, timeout)
            stop = not isinstance(e, urllib.error.HTTPError) or e.code in FATAL_STATUS
        except ValueError as e:  # urllib's answer to a challenge in a scheme it does not speak
            if "does not support" not in str(e):
                raise
            scheme = re.search(r"scheme: '?(\w+)", str(e))
            message = f"PUT <{graph.iri}> to {store_url}: the server asks for {scheme.group(1) if scheme else 'an'} " \
                "authentication; nkrel speaks Basic and Digest"  # fmt: skip
            result, stop = PushResult(graph, error=message, reason="unsupported authentication"), True
        results.append(result)
        if progress:
            progress(i, len(graphs), graph, result)
    return results
