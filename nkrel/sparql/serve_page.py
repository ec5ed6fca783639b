"""The query page of `nkrel serve`: the YASGUI editor that the Oxigraph server ships,
configured as nkrel's own. The editor knows nkrel's prefixes, the shipped queries are
one choice away, results show prefixed names with their labels (`id:china` China,
`nk:Treaty` treaty; the labels by one more query to this server), and nothing
on the page asks another machine for anything: YASGUI's prefix completion, which
reads prefix.cc by default, reads nkrel's list from this server instead (`/prefixes.json`),
and the page's Content-Security-Policy lets it connect to this server only."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

from .query import PREFIXES, shipped_queries

PAGE_PATHS = ("/", "/index.html")
PREFIXES_PATH = "/prefixes.json"
FIRST_QUERY = "trade-by-year"

_SCRIPT = """
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("nkrel-config").textContent);
  var here = window.location.origin;
  // YASGUI asks prefix.cc for prefixes by default: nkrel's own list instead, from here
  Yasgui.Yasqe.defaults.prefixCcApi = here + "/prefixes.json";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: here + "/query", method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: here + "/query" }]; }, keys: [] },
    yasqe: { value: config.first, prefixCcApi: here + "/prefixes.json" },
    yasr: { prefixes: config.prefixes }
  });
  var choice = document.getElementById("shipped");
  var about = document.getElementById("shipped-about");
  choice.addEventListener("change", function () {
    var q = config.queries[choice.value];
    if (!q) { return; }
    yasgui.getTab().setQuery(q.text);
    about.textContent = q.description;
  });

  // Each IRI in the results gets its rdfs:label beside its prefixed name: whenever the
  // table draws IRIs whose label is not known yet, one query to this server asks for them
  // all. A label comes from the documents: set as text, never parsed as HTML.
  var labels = new Map();  // IRI -> its label, or null while asked for or when it has none
  var IRIREF = /^[^\\u0000-\\u0020<>"{}|^`\\\\]+$/;  // only what a query can hold between < and >
  function showLabels() {
    var wanted = [];
    document.querySelectorAll(".yasr a.iri").forEach(function (a) {
      var iri = a.getAttribute("href"), next = a.nextElementSibling;
      if (next && next.classList.contains("nkrel-label")) { return; }
      if (!labels.has(iri)) {
        if (IRIREF.test(iri)) { labels.set(iri, null); wanted.push(iri); }
        return;
      }
      if (labels.get(iri) === null) { return; }
      var span = document.createElement("span");
      span.className = "nkrel-label";
      span.textContent = labels.get(iri);
      a.after(span);
    });
    if (wanted.length) { askLabels(wanted); }
  }
  function askLabels(iris) {
    var query = "SELECT ?s ?l WHERE { VALUES ?s { <" + iris.join("> <") + "> } " +
                "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l";
    fetch(here + "/query", { method: "POST", body: new URLSearchParams({ query: query }),
                             headers: { Accept: "application/sparql-results+json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        (data ? data.results.bindings : []).forEach(function (b) {
          if (labels.get(b.s.value) === null) { labels.set(b.s.value, b.l.value); }
        });
        showLabels();
      })
      .catch(function () { /* the names stay without labels */ });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    setTimeout(function () { pending = false; showLabels(); }, 0);
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
"""

_STYLE = """
body { margin: 0; font-family: system-ui, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem;
         border-bottom: 1px solid #ccc; }
header h1 { font-size: 1.1rem; margin: 0; }
#shipped-about { color: #333; }
.nkrel-label { margin-left: .5em; color: #444; }
"""


def with_prefixes(text: str) -> str:
    """A shipped query as the editor should show it: after its comment lines, the PREFIX
    lines of nkrel's prefixes that it uses and does not declare (nkrel adds them when it
    runs a query; an editor that sees them flags no unknown prefix, and the text pasted
    elsewhere runs)."""
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    used = [p for p in PREFIXES if p not in declared and re.search(rf"(?<![\w:/#-]){re.escape(p)}:", text)]
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return "".join(lines[:head]) + prefixes + "".join(lines[head:])


def _json_in_script(value) -> str:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page() -> tuple[bytes, str]:
    """The page and its Content-Security-Policy."""
    queries = {
        name: {"text": with_prefixes(q.text), "description": q.description} for name, q in shipped_queries().items()
    }
    config = {"prefixes": PREFIXES, "queries": queries, "first": queries[FIRST_QUERY]["text"]}
    options = "".join(
        f'<option value="{html.escape(name)}"{" selected" if name == FIRST_QUERY else ""}>{html.escape(name)}</option>'
        for name in sorted(queries)
    )
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'self'; "
        f"script-src 'self' 'sha256-{script_hash}'; "
        "style-src 'self' 'unsafe-inline'; "  # YASGUI sets styles on its own elements
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    body = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nkrel: SPARQL over the build</title>
<link href="./yasgui.min.css" rel="stylesheet" type="text/css">
<script src="./yasgui.min.js"></script>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>nkrel: SPARQL over the build</h1>
<label for="shipped">Shipped query</label>
<select id="shipped">{options}</select>
<span id="shipped-about">{html.escape(queries[FIRST_QUERY]["description"])}</span>
</header>
<main id="yasgui"></main>
<script id="nkrel-config" type="application/json">{_json_in_script(config)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
    return body.encode("utf-8"), csp


def prefixes_json() -> bytes:
    """nkrel's prefixes as YASGUI's prefix completion reads them: {"nk": "https://..."}."""
    return json.dumps(PREFIXES, sort_keys=True).encode("utf-8")
