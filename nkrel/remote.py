"""Talk to remote SPARQL servers: run queries (SPARQL 1.1 Protocol).

Results are fetched in a standard format and re-serialised locally by the same code
as local queries, so the same query gives the same output on both sides.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from .query import _TOKEN, QueryError, check_safety, format_result

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str:
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and m.group().upper() in FORMS:
            return m.group().upper()
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def http_error_message(url: str, e: Exception) -> str:
    if isinstance(e, urllib.error.HTTPError):
        body = e.read(300).decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0]}" if body else ""
        return f"{url} answered HTTP {e.code} {e.reason}{detail}"
    if isinstance(e, urllib.error.URLError):
        return f"cannot reach {url}: {e.reason}"
    return f"cannot reach {url}: {e}"


def remote_query(endpoint: str, text: str, fmt: str | None, timeout: float) -> tuple[bytes, bool]:
    """Run a read-only query on a SPARQL 1.1 endpoint; SERVICE and FROM are the server's business."""
    import pyoxigraph as ox

    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"--endpoint must be an http(s) URL, got {endpoint!r}")
    check_safety(text, allow_remote=True)
    form = query_form(text)
    accept = "application/sparql-results+json" if form in ("SELECT", "ASK") else "application/n-triples"
    # Oxigraph reads union-default-graph so queries see named graphs as locally;
    # other servers ignore it (configure their union default graph instead).
    body = urllib.parse.urlencode({"query": text, "union-default-graph": ""}).encode()
    request = urllib.request.Request(
        endpoint,
        data=body,
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as e:
        raise QueryError(http_error_message(endpoint, e)) from None
    try:
        if form in ("SELECT", "ASK"):
            result = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        else:
            result = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as e:
        raise QueryError(f"{endpoint} did not answer with SPARQL results: {e}") from None
    return format_result(result, fmt, ox)
