/* nkrel's network page: network, timeline, trade chart, table and source views over one
   embedded data set (see page_data in nkrel/output/network/page.py for its columns).
   Text from the documents is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var status = { ready: false, evidence: false, stabilized: false, startedAt: performance.now(), parsedAt: null,
                 constructedAt: null, stabilizedAt: null, readyAt: null, evidenceAt: null, cspViolations: 0, error: null };
  document.addEventListener("securitypolicyviolation", function () { status.cspViolations += 1; });

  function byId(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function button(text, cls, onClick) {
    var b = el("button", text, cls);
    b.type = "button";
    if (onClick) { b.addEventListener("click", onClick); }
    return b;
  }
  function since() { return performance.now() - status.startedAt; }

  function readEvidence(node) {
    // a large graph: the evidence is gzip-compressed JSON, unpacked by the browser itself (no request)
    var bin = atob(node.textContent.trim()), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
    var decoder = new TextDecoder(), parts = [];
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) { parts.push(decoder.decode()); return JSON.parse(parts.join("")); }
        parts.push(decoder.decode(r.value, { stream: true }));
        return pump();
      });
    }
    return pump();
  }

  try {
    var evidenceNode = byId("nkrel-evidence");
    var packed = evidenceNode.getAttribute("data-encoding") === "gzip-base64";
    // the network first; on a large page the evidence follows while the network is already usable
    start(JSON.parse(byId("nkrel-data").textContent), packed ? null : JSON.parse(evidenceNode.textContent),
          packed ? function () { return readEvidence(evidenceNode); } : null);
  } catch (e) {
    status.error = String(e && e.stack || e);
    byId("status").textContent = "The page could not start: " + e;
    throw e;
  }

  function start(D, evidence, readLater) {
    status.parsedAt = since();
    var F = D.facts, N = D.nodes, NF = F.id.length, NN = N.id.length;
    var detailReady = false;
    function mergeEvidence(ev) {
      Object.keys(ev.facts).forEach(function (k) { F[k] = ev.facts[k]; });
      Object.keys(ev).forEach(function (k) { if (k !== "facts") { D[k] = ev[k]; } });
      detailReady = true;
      status.evidence = true;
      status.evidenceAt = since();
    }
    if (evidence) { mergeEvidence(evidence); Object.freeze(D); Object.freeze(F); }
    var REL = D.relations, KIND = D.kinds, EMPTY = [];
    var ROLE = {};
    D.roles.forEach(function (r, i) { ROLE[r] = i; });
    function get(column, i) { var v = column[i]; return v === undefined ? null : v; }
    function list(column, i) { return column[i] || EMPTY; }
    var nodeIndex = new Map(), factIndex = new Map();
    N.id.forEach(function (id, i) { nodeIndex.set(id, i); });
    F.id.forEach(function (id, i) { factIndex.set(id, i); });
    var KIND_ID = KIND.map(function (k) { return k.id; });
    var STATE = KIND_ID.indexOf("state"), AGREEMENT = KIND_ID.indexOf("agreement");

    // ---------------------------------------------------------------- derived tables
    // A fact's interval: [lo, hi] in years, an open side infinite; undated when both are open.
    var lo = new Float64Array(NF), hi = new Float64Array(NF), dated = new Uint8Array(NF);
    for (var i = 0; i < NF; i++) {
      var a = F.first[i], b = F.last[i];
      dated[i] = a !== null || b !== null ? 1 : 0;
      lo[i] = a === null ? -Infinity : a;
      hi[i] = b === null ? Infinity : b;
    }
    // One edge per fact and pair of participants: the rule of _pairs in nkrel/output/network/projection.py.
    function factPairs(i, out) {
      var explicit = get(F.edges, i);
      if (explicit) { explicit.forEach(function (e) { out.push(e[0], e[1], e[2]); }); return; }
      var parties = list(F.parties, i), principal = parties.length ? parties : list(F.involves, i);
      var ag = get(F.agreement, i), fr = get(F.from, i), to = get(F.to, i), base = out.length;
      function add(x, y, r) {
        if (x === y) { return; }
        for (var k = base; k < out.length; k += 3) {
          if (out[k] === x && out[k + 1] === y && out[k + 2] === r) { return; }
        }
        out.push(x, y, r);
      }
      if (ag !== null) { principal.forEach(function (p) { add(p, ag, ROLE.agreement); }); }
      else {
        for (var m = 0; m < principal.length; m++) {
          for (var n = m + 1; n < principal.length; n++) {
            var x = principal[m], y = principal[n];
            if (fr !== null && to !== null && ((x === fr && y === to) || (x === to && y === fr))) { add(fr, to, ROLE.directed); }
            else { add(x, y, ROLE.party); }
          }
        }
      }
      if (parties.length) {
        list(F.involves, i).forEach(function (e) {
          parties.forEach(function (p) { if (parties.indexOf(e) < 0) { add(p, e, ROLE.involves); } });
        });
      }
      list(F.places, i).forEach(function (pl) {
        principal.forEach(function (p) { if (principal.indexOf(pl) < 0) { add(p, pl, ROLE.place); } });
      });
    }
    var flat = [], pairStart = new Int32Array(NF + 1);
    for (i = 0; i < NF; i++) { pairStart[i] = flat.length / 3; factPairs(i, flat); }
    pairStart[NF] = flat.length / 3;
    var pairs = Int32Array.from(flat);
    flat = null;
    // members: every entity a fact involves
    var memberStart = new Int32Array(NF + 1), memberFlat = [], nodeCount = new Int32Array(NN);
    for (i = 0; i < NF; i++) {
      var from = memberFlat.length;
      memberStart[i] = from;
      var addMember = function (x) {
        if (x === null) { return; }
        for (var k = from; k < memberFlat.length; k++) { if (memberFlat[k] === x) { return; } }
        memberFlat.push(x);
        nodeCount[x] += 1;
      };
      list(F.parties, i).forEach(addMember);
      addMember(get(F.from, i)); addMember(get(F.to, i)); addMember(get(F.agreement, i));
      list(F.involves, i).forEach(addMember);
      list(F.places, i).forEach(addMember);
      for (var p = pairStart[i]; p < pairStart[i + 1]; p++) { addMember(pairs[3 * p]); addMember(pairs[3 * p + 1]); }
    }
    memberStart[NF] = memberFlat.length;
    var members = Int32Array.from(memberFlat);
    memberFlat = null;
    var nodeFactStart = new Int32Array(NN + 1);
    for (i = 0; i < NN; i++) { nodeFactStart[i + 1] = nodeFactStart[i] + nodeCount[i]; }
    var nodeFacts = new Int32Array(members.length), fill = nodeFactStart.slice(0, NN);
    for (i = 0; i < NF; i++) {
      for (var q = memberStart[i]; q < memberStart[i + 1]; q++) { nodeFacts[fill[members[q]]++] = i; }
    }
    function membersOf(i) { return members.subarray(memberStart[i], memberStart[i + 1]); }
    function factsOf(n) { return nodeFacts.subarray(nodeFactStart[n], nodeFactStart[n + 1]); }
    function isMember(i, n) {
      for (var q = memberStart[i]; q < memberStart[i + 1]; q++) { if (members[q] === n) { return true; } }
      return false;
    }
    var USD = D.units.indexOf("USD"), VALUE = D.measures.indexOf("value");
    var usd = new Float64Array(NF).fill(NaN);
    for (i = 0; i < NF; i++) {
      var vals = list(F.values, i);
      for (var v = 0; v < vals.length; v++) {
        if (vals[v][1] === USD && vals[v][2] === VALUE) { usd[i] = vals[v][0]; break; }
      }
    }
    var maxCount = 1;
    for (i = 0; i < NN; i++) { maxCount = Math.max(maxCount, nodeCount[i]); }

    function nodeLabel(n) { return N.label[n]; }
    function isState(n) { return N.kind[n] === STATE; }
    // the states beside the focus (North Korea in nkrel's corpus) that a fact involves
    function partnersOf(i) {
      var out = [];
      membersOf(i).forEach(function (n) { if (isState(n) && n !== D.focus) { out.push(n); } });
      return out.sort(function (x, y) { return x - y; });
    }
    function compareTime(x, y) {
      return (lo[x] - lo[y]) || (hi[x] - hi[y]) || (F.id[x] < F.id[y] ? -1 : F.id[x] > F.id[y] ? 1 : 0);
    }
    function sortByTime(ids) {
      // undated facts last (their interval is -inf..inf)
      return ids.sort(function (x, y) { return (dated[y] - dated[x]) || compareTime(x, y); });
    }
    var textCache = {};
    function docText(d) {
      if (d === null || D.documents.text[d] === null) { return null; }
      if (!textCache[d]) {
        var t = D.documents.text[d];
        // offsets count code points: split only when the text has characters outside the BMP
        textCache[d] = /[\uD800-\uDFFF]/.test(t) ? Array.from(t) : t;
      }
      return textCache[d];
    }
    function cut(text, s, e) {
      return typeof text === "string" ? text.slice(s, e) : text.slice(s, e).join("");
    }
    function spansOf(i) {
      var pages = F.pages ? get(F.pages, i) || EMPTY : EMPTY;  // a PDF's page of each quote
      return F.evidence[i].map(function (sp, k) {
        var text = docText(sp[0]);
        var quote = sp.length > 3 ? sp[3] : (text !== null ? cut(text, sp[1], sp[2]) : null);
        return { doc: sp[0], start: sp[1], end: sp[2], quote: quote, page: pages[k] === undefined ? null : pages[k] };
      });
    }

    // ---------------------------------------------------------------- filters and state
    var defaultKinds = new Set();
    KIND.forEach(function (k, i) {
      if (k.present && (!D.aggregate || i === STATE || i === AGREEMENT)) { defaultKinds.add(i); }
    });
    var S = {
      view: "network", sel: null, partner: null, relations: null, mode: "all",
      from: D.years ? D.years[0] : 0, to: D.years ? D.years[1] : 0, undated: false,
      kinds: null, edges: "grouped", expanded: new Set(), limit: D.drawLimit
    };
    function resetFilters() {
      S.partner = null; S.mode = "all"; S.undated = false; S.edges = "grouped";
      S.relations = new Set(REL.map(function (r, i) { return r.present ? i : -1; }).filter(function (x) { return x >= 0; }));
      S.kinds = new Set(defaultKinds);
      if (D.years) { S.from = D.years[0]; S.to = D.years[1]; }
      S.expanded = new Set(); S.limit = D.drawLimit;
    }
    resetFilters();
    var shown = new Uint8Array(NF), shownCount = 0;
    function passes(i) {
      if (!S.relations.has(F.relation[i])) { return false; }
      if (S.partner !== null && !isMember(i, S.partner)) { return false; }
      if (S.mode !== "all") {
        if (!dated[i]) { return S.undated; }
        if (S.mode === "upto") { return lo[i] <= S.to; }
        var from = S.mode === "in" ? S.to : S.from;
        return lo[i] <= S.to && hi[i] >= from;  // its interval meets the years chosen
      }
      return true;
    }
    function computeShown() {
      shownCount = 0;
      for (var i = 0; i < NF; i++) { shown[i] = passes(i) ? 1 : 0; shownCount += shown[i]; }
    }
    function shownFacts() {
      var out = [];
      for (var i = 0; i < NF; i++) { if (shown[i]) { out.push(i); } }
      return out;
    }
    function yearsText(i) {
      if (!dated[i]) { return ""; }
      if (lo[i] === hi[i]) { return String(lo[i]); }
      if (!isFinite(hi[i])) { return "since " + lo[i]; }
      if (!isFinite(lo[i])) { return "until " + hi[i]; }
      return lo[i] + "\u2013" + hi[i];
    }
    function describeYears() {
      if (S.mode === "all") { return ""; }
      if (S.mode === "upto") { return "up to " + S.to; }
      if (S.mode === "in") { return "in " + S.to; }
      return "from " + S.from + " to " + S.to;
    }
