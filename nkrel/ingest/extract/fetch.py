"""Fetch a document from an address: a time limit, a size cap, one clear error per failure.

Only http and https; at most a few redirects (each to http or https); the body is
read up to the cap and refused beyond it. The address asked for, the final one after
redirects, the retrieval time (UTC) and the media type are recorded with the document.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

TIMEOUT = 30.0  # seconds for the connection and each read
MAX_REDIRECTS = 5
USER_AGENT = "nkrel add-document (a knowledge-graph builder; one request per document)"


class FetchError(Exception):
    """The address could not be fetched; the message says why."""


@dataclass
class Fetched:
    body: bytes
    address: str  # as asked for
    final: str  # after redirects
    retrieved: str  # UTC, ISO 8601 to the second
    media_type: str | None


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS, each to http or https (urllib itself refuses file: but follows ftp:)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{req.full_url} redirected to {newurl!r}, not an http or https address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_address(text: str) -> bool:
    return urllib.parse.urlsplit(text).scheme.lower() in ("http", "https")


def fetch(address: str, max_bytes: int, timeout: float = TIMEOUT) -> Fetched:
    parts = urllib.parse.urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{address!r} is not an http or https address")
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    retrieved = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{address} is {int(declared)} bytes (at most {max_bytes})")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"{address} is larger than {max_bytes} bytes: refused")
            media = response.headers.get_content_type() if response.headers.get("Content-Type") else None
            return Fetched(body, address, response.geturl(), retrieved, media)
    except urllib.error.HTTPError as e:
        raise FetchError(f"{address} answered HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"{address} did not answer within {timeout:g} s") from None
        raise FetchError(f"cannot reach {address}: {getattr(reason, 'strerror', None) or reason}") from None
    except TimeoutError:
        raise FetchError(f"{address} did not answer within {timeout:g} s") from None
    except (ConnectionError, OSError) as e:
        raise FetchError(f"cannot fetch {address}: {e.strerror or e}") from None
    except (http.client.HTTPException, ValueError) as e:  # a malformed status line, header or body
        raise FetchError(f"{address} sent a malformed answer ({e})") from None
