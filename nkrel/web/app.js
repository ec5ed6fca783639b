/* nkrel's network page: network, timeline, trade chart, table and source views over one
   embedded data set (see page_data in nkrel/output/network.py for its columns).
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
    // One edge per fact and pair of participants: the rule of _pairs in network.py.
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

    // ---------------------------------------------------------------- the network
    var container = byId("graph");
    var nodesDS = new vis.DataSet(), edgesDS = new vis.DataSet();
    var drawn = new Set(), positions = {}, groups = new Map(), factEdges = new Map(), firstLayout = true;
    var network;
    var sizeFactor = Math.min(1, 30 / (2 * Math.sqrt(maxCount)));

    function visNode(n) {
      var k = KIND[N.kind[n]], flagged = list(N.anomalies, n).length > 0;
      var v = { id: N.id[n], label: (flagged ? "\u26a0 " : "") + shortLabel(N.label[n]), shape: k.shape,
                size: Math.round(10 * (k.size + sizeFactor * 2 * Math.sqrt(nodeCount[n]))) / 10,
                borderWidth: flagged ? 4 : 1,
                color: { background: k.color, border: flagged ? "#c0392b" : "#17202a",
                         highlight: { background: k.color, border: "#000000" },
                         hover: { background: k.color, border: "#000000" } },
                font: { size: labelSize(n), color: flagged ? "#922b21" : "#1c2833" } };
      if (positions[v.id]) { v.x = positions[v.id].x; v.y = positions[v.id].y; }
      return v;
    }
    function shortLabel(s) { return s.length > 34 ? s.slice(0, 32) + "\u2026" : s; }
    var zoomScale = 1;
    var prominentFrom = 0;  // the fact count from which a drawn state or agreement keeps its label readable
    function labelSize(n) {
      // The main states and agreements keep a readable label however far the view is zoomed
      // out; the others show theirs once zoomed in far enough to read it (and in the panel on hover).
      var s = Math.max(zoomScale, 0.05), prominent = nodeCount[n] >= prominentFrom;
      if (isState(n)) { return prominent ? Math.round(Math.max(18, 15 / s)) : (18 * s >= 9 ? 18 : 0); }
      if (N.kind[n] === AGREEMENT) { return prominent ? Math.round(Math.max(14, 12 / s)) : (14 * s >= 9 ? 14 : 0); }
      return 13 * s >= 9 ? 13 : 0;
    }
    function updateProminence() {
      var counts = [];
      drawn.forEach(function (n) { if (isState(n) || N.kind[n] === AGREEMENT) { counts.push(nodeCount[n]); } });
      counts.sort(function (a, b) { return b - a; });
      prominentFrom = counts.length > 40 ? counts[39] + 1 : 0;
    }
    function drawCandidates() {
      // entities with a fact the filters show, of the kinds drawn (or asked for one by one)
      var cand = [];
      var seen = new Uint8Array(NN);
      for (var i = 0; i < NF; i++) {
        if (!shown[i]) { continue; }
        for (var q = memberStart[i]; q < memberStart[i + 1]; q++) {
          var n = members[q];
          if (!seen[n]) { seen[n] = 1; cand.push(n); }
        }
      }
      var wanted = cand.filter(function (n) {
        return S.kinds.has(N.kind[n]) || S.expanded.has(n) || n === S.partner || selectedNode() === n;
      });
      var hiddenByLimit = 0;
      var asked = wanted.filter(function (n) { return S.expanded.has(n) || n === S.partner || selectedNode() === n; });
      if (wanted.length - asked.length > S.limit) {
        // Too many to draw: grow a connected picture from the edge with the most facts,
        // following the heaviest edges first (breadth first), then from the next heaviest
        // edge not yet reached; then the entities with the most facts. The limit holds
        // these; the entities asked for come on top.
        var chosen = new Set(asked), count = 0, adjacent = new Map();
        var order = Array.from(computeGroups(new Set(wanted)).values()).sort(function (x, y) {
          return (y.facts.length - x.facts.length) || (x.a - y.a) || (x.b - y.b) || (x.relation - y.relation);
        });
        order.forEach(function (g) {
          [[g.a, g.b], [g.b, g.a]].forEach(function (e) {
            if (!adjacent.has(e[0])) { adjacent.set(e[0], []); }
            adjacent.get(e[0]).push(e[1]);  // in order of weight, as the groups are sorted
          });
        });
        for (var k = 0; k < order.length && count < S.limit; k++) {
          var queue = [order[k].a, order[k].b];
          for (var q = 0; q < queue.length && count < S.limit; q++) {
            var n = queue[q];
            if (chosen.has(n)) { continue; }
            chosen.add(n);
            count += 1;
            adjacent.get(n).forEach(function (m) { if (!chosen.has(m)) { queue.push(m); } });
          }
        }
        var rest = wanted.filter(function (n) { return !chosen.has(n); });
        rest.sort(function (x, y) { return (nodeCount[y] - nodeCount[x]) || (x - y); });
        for (k = 0; k < rest.length && count < S.limit; k++) { chosen.add(rest[k]); count += 1; }
        hiddenByLimit = wanted.length - chosen.size;
        wanted = Array.from(chosen);
      }
      return { nodes: wanted, hiddenByLimit: hiddenByLimit, candidates: cand.length };
    }
    function selectedNode() { return S.sel && S.sel.node !== undefined ? S.sel.node : null; }
    function groupKey(x, y, r) {
      var a = Math.min(x, y), b = Math.max(x, y);
      return "g|" + N.id[a] + "|" + N.id[b] + "|" + REL[r].id;
    }
    function factEdgeId(i, x, y, r) { return F.id[i] + "|" + D.roles[r] + "|" + N.id[x] + "|" + N.id[y]; }
    var NREL = REL.length;
    function computeGroups(draw) {
      var byKey = new Map(), drawnFlag = new Uint8Array(NN);
      draw.forEach(function (n) { drawnFlag[n] = 1; });
      for (var i = 0; i < NF; i++) {
        if (!shown[i]) { continue; }
        for (var p = pairStart[i]; p < pairStart[i + 1]; p++) {
          var x = pairs[3 * p], y = pairs[3 * p + 1], r = pairs[3 * p + 2];
          if (!drawnFlag[x] || !drawnFlag[y]) { continue; }
          var a = x < y ? x : y, b = x < y ? y : x;
          var key = (a * NN + b) * NREL + F.relation[i];
          var g = byKey.get(key);
          if (!g) {
            g = { id: null, a: a, b: b, relation: F.relation[i], facts: [], usd: 0, claims: null,
                  forward: 0, backward: 0, undirected: 0, minor: true, flagged: false };
            byKey.set(key, g);
          }
          if (g.facts[g.facts.length - 1] !== i) {
            g.facts.push(i);
            if (list(F.anomalies, i).length) { g.flagged = true; }
            var c = get(F.claim, i);
            // the same claim stated by several documents counts once in the summed value
            if (!isNaN(usd[i]) && (c === null || !(g.claims && g.claims.has(c)))) {
              g.usd += usd[i];
              if (c !== null) { (g.claims = g.claims || new Set()).add(c); }
            }
          }
          if (r === ROLE.directed) { if (x === a) { g.forward += 1; } else { g.backward += 1; } }
          else if (r !== ROLE.agreement) { g.undirected += 1; }
          if (r !== ROLE.involves && r !== ROLE.place) { g.minor = false; }
        }
      }
      var out = new Map();
      byKey.forEach(function (g) { g.id = groupKey(g.a, g.b, g.relation); out.set(g.id, g); });
      return out;
    }
    // widths are scaled to the largest edge of the whole graph (page_data works it out), so that
    // filters keep them comparable
    var widthScale = { count: Math.max(1, D.edgeScale.count), usd: Math.max(1, D.edgeScale.usd) };
    function groupWidth(g) {
      if (REL[g.relation].id === "trade" && g.usd > 0) {
        return 1.5 + 10.5 * Math.log10(1 + g.usd / 1e6) / Math.log10(1 + widthScale.usd / 1e6);
      }
      if (widthScale.count <= 1) { return 2; }
      return 1.5 + 10.5 * Math.sqrt((g.facts.length - 1) / (widthScale.count - 1));
    }
    function curveFor(list) {  // parallel edges between the same two nodes fan out
      var perPair = new Map();
      list.forEach(function (e) {
        var k = Math.min(e.a, e.b) + "," + Math.max(e.a, e.b);
        if (!perPair.has(k)) { perPair.set(k, []); }
        perPair.get(k).push(e);
      });
      perPair.forEach(function (es) {
        var n = es.length;
        es.forEach(function (e, i) {
          if (n === 1) { e.curve = 0; return; }
          var sign = i % 2 === 0 ? 1 : -1;
          if (e.a > e.b) { sign = -sign; }
          e.curve = Math.round(1000 * sign * 0.6 * (Math.floor(i / 2) + 1) / Math.ceil(n / 2)) / 1000;
        });
      });
    }
    function smooth(curve) {
      return curve === 0 ? false : { enabled: true, type: curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(curve) };
    }
    function visGroupEdge(g) {
      var r = REL[g.relation], n = g.facts.length;
      var v = { id: g.id, from: N.id[g.a], to: N.id[g.b], width: Math.round(100 * groupWidth(g)) / 100,
                dashes: g.minor, smooth: smooth(g.curve),
                color: { color: r.color, highlight: "#000000", hover: "#000000", opacity: g.minor ? 0.6 : 0.9 },
                arrows: { to: { enabled: g.forward > 0, scaleFactor: 0.6 }, from: { enabled: g.backward > 0, scaleFactor: 0.6 } },
                title: undefined };
      var label = (g.flagged ? "\u26a0 " : "") + (n > 1 ? String(n) : "");
      if (label) {
        v.label = label;
        v.font = { size: 12, color: g.flagged ? "#922b21" : "#1c2833", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" };
      }
      return v;
    }
    function visFactEdge(e) {
      var r = REL[F.relation[e.fact]], minor = e.role === ROLE.involves || e.role === ROLE.place;
      var w = usd[e.fact] > 0 && !minor ? 1.5 + 1.2 * Math.max(0, Math.log10(usd[e.fact] / 1e5)) : (minor ? 1 : 1.5);
      var v = { id: e.id, from: N.id[e.a], to: N.id[e.b], width: Math.round(100 * w) / 100, dashes: minor,
                smooth: smooth(e.curve), arrows: { to: { enabled: e.role === ROLE.directed, scaleFactor: 0.6 } },
                color: { color: r.color, highlight: "#000000", hover: "#000000", opacity: minor ? 0.6 : 0.9 } };
      if (list(F.anomalies, e.fact).length) {
        v.label = "\u26a0";
        v.font = { size: 16, color: "#c0392b", strokeWidth: 2, strokeColor: "#ffffff", align: "middle" };
      }
      return v;
    }
    var FACT_EDGE_LIMIT = 5000;
    function computeFactEdges(draw) {
      var out = [];
      for (var i = 0; i < NF; i++) {
        if (!shown[i]) { continue; }
        for (var p = pairStart[i]; p < pairStart[i + 1]; p++) {
          var x = pairs[3 * p], y = pairs[3 * p + 1], r = pairs[3 * p + 2];
          if (draw.has(x) && draw.has(y)) { out.push({ id: factEdgeId(i, x, y, r), fact: i, a: x, b: y, role: r }); }
          if (out.length > FACT_EDGE_LIMIT) { return null; }
        }
      }
      return out;
    }
    var networkNote = "";
    function updateNetwork() {
      var cand = drawCandidates();
      var next = new Set(cand.nodes);
      var notes = [];
      // nodes: keep the ones that stay (and their places), add the new ones near a neighbour
      var removeIds = [], addNodes = [], fresh = [];
      drawn.forEach(function (n) { if (!next.has(n)) { removeIds.push(N.id[n]); } });
      if (network && removeIds.length) {
        var pos = network.getPositions(removeIds);
        Object.keys(pos).forEach(function (id) { positions[id] = pos[id]; });
      }
      next.forEach(function (n) {
        if (!drawn.has(n)) {
          if (!positions[N.id[n]] && network) { placeNear(n, next); fresh.push(n); }
          addNodes.push(visNode(n));
        }
      });
      drawn = next;
      updateProminence();
      if (removeIds.length) { nodesDS.remove(removeIds); }
      if (addNodes.length) { nodesDS.add(addNodes.map(function (v) { v.font.size = labelSize(nodeIndex.get(v.id)); return v; })); }
      // edges
      var items = [];
      groups = new Map(); factEdges = new Map();
      var mode = S.edges;
      if (mode === "facts") {
        var fe = computeFactEdges(drawn);
        if (fe === null) {
          mode = "grouped";
          notes.push("More than " + FACT_EDGE_LIMIT.toLocaleString("en") + " fact edges: they are grouped per pair " +
                     "and relation kind until the filters narrow the view.");
        } else {
          curveFor(fe);
          fe.forEach(function (e) { factEdges.set(e.id, e); items.push(visFactEdge(e)); });
        }
      }
      if (mode === "grouped") {
        var gs = [];
        computeGroups(drawn).forEach(function (g) { gs.push(g); });
        gs.sort(function (x, y) { return x.id < y.id ? -1 : 1; });
        curveFor(gs);
        gs.forEach(function (g) { groups.set(g.id, g); items.push(visGroupEdge(g)); });
      }
      var keep = new Set(items.map(function (e) { return e.id; }));
      var stale = edgesDS.getIds().filter(function (id) { return !keep.has(id); });
      if (stale.length) { edgesDS.remove(stale); }
      edgesDS.update(items);
      if (cand.hiddenByLimit) {
        notes.push(drawn.size.toLocaleString("en") + " of " + (drawn.size + cand.hiddenByLimit).toLocaleString("en") +
                   " entities drawn (grown from the edges with the most facts).");
      }
      networkNote = notes.join(" ");
      renderNetworkNote(cand.hiddenByLimit);
      if (network && fresh.length) { relayout(fresh); }
    }
    function renderNetworkNote(hiddenByLimit) {
      var box = byId("network-note");
      box.replaceChildren();
      if (networkNote) { box.appendChild(document.createTextNode(networkNote + " ")); }
      if (hiddenByLimit) {
        box.appendChild(button("Draw " + Math.min(hiddenByLimit, D.drawLimit).toLocaleString("en") + " more", "link", function () {
          S.limit += D.drawLimit; update();
        }));
      }
    }
    function hashAngle(s) {
      var h = 2166136261;
      for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
      return ((h >>> 0) % 3600) / 3600 * 2 * Math.PI;
    }
    function placeNear(n, next) {
      // beside the drawn neighbour it shares the most facts with; the layout then settles it
      var best = null, bestCount = 0, counts = new Map();
      var fs = factsOf(n);
      for (var k = 0; k < fs.length && k < 5000; k++) {
        membersOf(fs[k]).forEach(function (m) {
          if (m !== n && drawn.has(m)) { counts.set(m, (counts.get(m) || 0) + 1); }
        });
      }
      counts.forEach(function (c, m) { if (c > bestCount) { best = m; bestCount = c; } });
      var centre = { x: 0, y: 0 };
      if (best !== null) { centre = network.getPositions([N.id[best]])[N.id[best]] || centre; }
      var angle = hashAngle(N.id[n]), r = 120 + (hashAngle(N.id[n] + "r") * 20);
      positions[N.id[n]] = { x: centre.x + r * Math.cos(angle), y: centre.y + r * Math.sin(angle) };
    }
    function relayout(fresh) {
      // settle only the new nodes: the others keep their places
      status.stabilized = false;
      var fixed = [];
      drawn.forEach(function (n) { if (fresh.indexOf(n) < 0) { fixed.push({ id: N.id[n], fixed: true }); } });
      nodesDS.update(fixed);
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(120);
    }
    function finishLayout() {
      network.setOptions({ physics: { enabled: false } });
      var pos = network.getPositions();
      var ups = [];
      Object.keys(pos).forEach(function (id) {
        positions[id] = pos[id];
        ups.push({ id: id, x: pos[id].x, y: pos[id].y, fixed: false });
      });
      nodesDS.update(ups);
      if (firstLayout) {
        firstLayout = false;
        fitAll();
        status.stabilizedAt = since();
      }
      status.stabilized = true;
      adjustLabels(true);
      if (!status.ready) { becomeReady(); }
    }
    function fitAll() {
      // fit the nodes with room for their labels: vis fits node centres and sizes only,
      // so a label near the edge (below its node) would be cut off on a narrow screen
      network.fit({ animation: false });
      var W = container.clientWidth, H = container.clientHeight;
      for (var round = 0; round < 4; round++) {  // labels keep their size on screen as the view shrinks: repeat
        zoomScale = network.getScale();
        var box = labelBoxes(false).extent;
        if (!box || !W || !H) { return; }
        var grow = Math.min(1, (W - 16) / Math.max(box.x1 - box.x0, 1), (H - 16) / Math.max(box.y1 - box.y0, 1));
        var centre = network.DOMtoCanvas({ x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 });
        network.moveTo({ position: centre, scale: zoomScale * grow, animation: false });
        if (grow > 0.98) { break; }
      }
    }
    var measure = document.createElement("canvas").getContext("2d");
    function labelBoxes(declutter) {
      // each drawn label's box on screen (vis draws it centred below its node), the biggest
      // nodes first; with declutter, a label that would overlap one already placed, or run
      // past the edge of the network, is left out (hover, the panel and the list still name it)
      var s = network.getScale(), W = container.clientWidth, H = container.clientHeight;
      function rank(n) { return isState(n) ? 0 : N.kind[n] === AGREEMENT ? 1 : 2; }
      var order = Array.from(drawn).sort(function (a, b) {
        return rank(a) - rank(b) || nodeCount[b] - nodeCount[a] || a - b;
      });
      var pos = network.getPositions(order.map(function (n) { return N.id[n]; }));
      var placed = [], sizes = new Map(), extent = null;
      function grow(b) {
        extent = extent ? { x0: Math.min(extent.x0, b.x0), x1: Math.max(extent.x1, b.x1),
                            y0: Math.min(extent.y0, b.y0), y1: Math.max(extent.y1, b.y1) } : b;
      }
      order.forEach(function (n) {
        var size = labelSize(n), id = N.id[n], node = nodesDS.get(id);
        sizes.set(n, size);
        if (!pos[id] || !node) { return; }
        var p = network.canvasToDOM(pos[id]), r = (node.size || 10) * s;
        grow({ x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r });
        if (!size) { return; }
        var px = size * s;
        measure.font = px + "px arial";
        var w = measure.measureText(node.label || "").width;
        var label = { x0: p.x - w / 2 - 2, x1: p.x + w / 2 + 2, y0: p.y + r, y1: p.y + r + px * 1.25 };
        if (isState(n)) { grow(label); }  // the fit leaves room for the states' labels; the others may give way
        var clash = label.x0 < 0 || label.x1 > W || label.y1 > H || placed.some(function (q) {
          return label.x0 < q.x1 && q.x0 < label.x1 && label.y0 < q.y1 && q.y0 < label.y1;
        });
        if (declutter && clash) { sizes.set(n, 0); } else { placed.push(label); }
      });
      return { sizes: sizes, extent: extent, placed: placed };
    }
    function adjustLabels(force) {
      var s = network.getScale();
      if (!force && Math.abs(s - zoomScale) / zoomScale < 0.15 && status.ready) { return; }
      zoomScale = s;
      var ups = [];
      drawn.forEach(function (n) { ups.push({ id: N.id[n], font: { size: labelSize(n) } }); });
      nodesDS.update(ups);
      ups = [];
      labelBoxes(true).sizes.forEach(function (size, n) { ups.push({ id: N.id[n], font: { size: size } }); });
      nodesDS.update(ups);
    }

    // ---------------------------------------------------------------- the evidence panel
    function row(dl, term, value) {
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
      dl.appendChild(el("dt", term));
      dl.appendChild(el("dd", Array.isArray(value) ? value.join("; ") : value));
    }
    function names(ids) { return Array.prototype.map.call(ids, nodeLabel); }
    function alsoStated(i) {
      var c = get(F.claim, i);
      if (c === null) { return []; }
      var own = new Set(F.evidence[i].map(function (sp) { return sp[0]; })), docs = new Set();
      D.claims[c].forEach(function (j) {
        if (j !== i) { F.evidence[j].forEach(function (sp) { if (sp[0] !== null && !own.has(sp[0])) { docs.add(sp[0]); } }); }
      });
      return Array.from(docs).map(function (d) { return D.documents.id[d]; }).sort();
    }
    var LOADING = "Reading the evidence\u2026";
    function factCard(i) {
      if (!detailReady) { return el("p", LOADING, "hint"); }
      var card = el("article", null, "fact");
      card.setAttribute("data-fact", F.id[i]);
      card.tabIndex = -1;
      var r = REL[F.relation[i]];
      var head = el("div", null, "fact-head");
      var badge = el("span", D.factKinds[F.kind[i]], "badge");
      badge.style.backgroundColor = r.color;
      badge.style.color = r.text;
      head.appendChild(badge);
      head.appendChild(el("span", D.modalities[F.modality[i]], "modality"));
      card.appendChild(head);
      card.appendChild(el("div", F.label[i], "fact-label"));
      var dl = el("dl"), fr = get(F.from, i), to = get(F.to, i);
      if (fr !== null && to !== null) { row(dl, "Direction", nodeLabel(fr) + " \u2192 " + nodeLabel(to)); }
      else { row(dl, "Parties", names(list(F.parties, i))); }
      if (get(F.agreement, i) !== null) { row(dl, "Agreement", nodeLabel(get(F.agreement, i))); }
      row(dl, "Involves", names(list(F.involves, i)));
      row(dl, "Where", names(list(F.places, i)));
      row(dl, "When", F.time[i]);
      row(dl, "Value", list(F.quantities, i));
      row(dl, "Change", get(F.direction, i));
      row(dl, "Goods", list(F.goods, i));
      row(dl, "Words", list(F.words, i).map(function (w) { return nodeLabel(w[0]) + ": the text says \u201c" + w[1] + "\u201d"; }));
      row(dl, "Attributed to", list(F.attributed, i));
      card.appendChild(dl);
      var causes = list(F.causes, i);
      if (causes.length) {
        var cp = el("div", "Cause: ", "source");
        causes.forEach(function (c, k) {
          if (k) { cp.appendChild(document.createTextNode("; ")); }
          if (c[0] !== null) { cp.appendChild(button(c[1], "link", function () { select(F.id[c[0]]); })); }
          else { cp.appendChild(document.createTextNode(c[1])); }
        });
        card.appendChild(cp);
      }
      spansOf(i).forEach(function (sp, k) {
        card.appendChild(el("blockquote", sp.quote, "quote"));
        var doc = sp.doc !== null ? D.documents.id[sp.doc] : null;
        var src = "Source: " + ((sp.doc !== null && D.documents.title[sp.doc]) || doc || "unknown");
        if (doc) { src += " [" + doc + (sp.page !== null ? ", page " + sp.page : "") + (sp.start !== null ? ", characters " + sp.start + "\u2013" + sp.end : "") + "]"; }
        card.appendChild(el("div", src, "source"));
        if (sp.doc !== null) {
          var actions = el("div", null, "evidence-actions");
          var b = button("Show in source", "link", function () { showSource(i, k); });
          b.setAttribute("aria-label", "Show in source: " + F.label[i] + (F.evidence[i].length > 1 ? " (quote " + (k + 1) + ")" : ""));
          actions.appendChild(b);
          card.appendChild(actions);
        }
      });
      var also = alsoStated(i);
      if (also.length) {
        card.appendChild(el("div", "Also stated by: " + (also.length > 12 ? also.slice(0, 12).join(", ") + " and " +
          (also.length - 12) + " more documents" : also.join(", ")), "source"));
      }
      if (get(F.note, i)) { card.appendChild(el("div", "Curator\u2019s note: " + get(F.note, i), "source")); }
      list(F.anomalies, i).forEach(function (a) { card.appendChild(el("div", "\u26a0 " + D.anomalies[a], "warn")); });
      if (!shown[i]) { card.appendChild(el("div", "Hidden by the current filters.", "hint")); }
      return card;
    }
    var PAGE = 50;
    function cardList(body, ids, current) {
      var box = el("div");
      body.appendChild(box);
      var shownUpTo = 0;
      function more() {
        var end = Math.min(ids.length, shownUpTo + PAGE);
        for (var k = shownUpTo; k < end; k++) {
          var c = factCard(ids[k]);
          if (ids[k] === current) { c.classList.add("current"); }
          box.appendChild(c);
        }
        shownUpTo = end;
        if (moreButton) { moreButton.remove(); moreButton = null; }
        if (shownUpTo < ids.length) {
          moreButton = button("Show " + Math.min(PAGE, ids.length - shownUpTo) + " more of " + ids.length + " facts", null, more);
          body.appendChild(moreButton);
        }
      }
      var moreButton = null;
      more();
    }
    function panel(title, subtitle, warnings) {
      byId("panel-title").textContent = title;
      var body = byId("panel-body");
      body.replaceChildren();
      if (subtitle) { body.appendChild(el("p", subtitle, "hint")); }
      (warnings || []).forEach(function (a) { body.appendChild(el("p", "\u26a0 " + a, "warn")); });
      return body;
    }
    function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
    function showFactPanel(i) {
      var body = panel(detailReady ? F.label[i] : F.id[i], null);
      body.appendChild(factCard(i));
      var gs = [];
      groups.forEach(function (g) { if (g.facts.indexOf(i) >= 0) { gs.push(g); } });
      if (gs.length) { body.appendChild(groupList(gs, "Edges it belongs to")); }
    }
    function groupTitle(g, from) {
      // "A → B" when every fact of the edge goes that way; otherwise "A – B", the node asked about first
      var oneWay = !g.undirected && (g.forward > 0) !== (g.backward > 0);
      if (oneWay) {
        var src = g.forward ? g.a : g.b;
        return nodeLabel(src) + " \u2192 " + nodeLabel(src === g.a ? g.b : g.a) + ": " + REL[g.relation].label;
      }
      var a = from === g.b ? g.b : g.a;
      return nodeLabel(a) + " \u2013 " + nodeLabel(a === g.a ? g.b : g.a) + ": " + REL[g.relation].label;
    }
    function groupList(gs, heading, from) {
      var box = el("div");
      box.appendChild(el("h3", heading, "hint"));
      var ul = el("ul", null, "group-list");
      gs.forEach(function (g) {
        var li = el("li");
        var b = button(null, null, function () { select({ edge: g.id }); });
        b.appendChild(document.createTextNode(groupTitle(g, from) + " "));
        b.appendChild(el("span", "(" + plural(g.facts.length, "fact") + ")", "what"));
        b.setAttribute("data-edge", g.id);
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      return box;
    }
    function showNodePanel(n) {
      var k = KIND[N.kind[n]];
      var all = factsOf(n), ids = [];
      for (var q = 0; q < all.length; q++) { if (shown[all[q]]) { ids.push(all[q]); } }
      sortByTime(ids);
      var hidden = all.length - ids.length;
      var sub = k.label + (N.type[n] && N.type[n] !== k.label ? " (" + N.type[n] + ")" : "") +
        (get(N.wikidata, n) ? ", Wikidata " + get(N.wikidata, n) : "") + ": " + plural(ids.length, "fact") +
        (hidden ? " shown (" + hidden + " hidden by the filters)" : "");
      var body = panel(N.label[n], sub, list(N.anomalies, n).map(function (a) { return detailReady ? D.anomalies[a] : LOADING; }));
      if (list(N.aliases, n).length) { body.appendChild(el("p", "Also called: " + list(N.aliases, n).join(", "), "hint")); }
      var gs = [];
      groups.forEach(function (g) { if (g.a === n || g.b === n) { gs.push(g); } });
      gs.sort(function (x, y) { return (y.facts.length - x.facts.length) || (x.id < y.id ? -1 : 1); });
      var linked = 0;
      for (q = 0; q < all.length; q++) {
        if (!shown[all[q]]) { continue; }
        membersOf(all[q]).forEach(function (m) { if (!drawn.has(m)) { linked += 1; } });
        if (linked) { break; }
      }
      if (linked) {
        body.appendChild(button("Draw the entities linked to " + N.label[n], null, function () { expand(n); }));
      }
      if (gs.length) { body.appendChild(groupList(gs, "Its edges in the network", n)); }
      body.appendChild(el("h3", "Facts, by time", "hint"));
      cardList(body, ids);
    }
    function showGroupPanel(g, current) {
      var ids = sortByTime(g.facts.slice());
      var sub = plural(ids.length, "fact") + (g.usd > 0 ? ", stated values sum to US$" + Math.round(g.usd).toLocaleString("en") +
        " (a claim stated by several documents counted once)" : "");
      var body = panel(groupTitle(g), sub);
      cardList(body, ids, current);
    }
    function showFactEdgePanel(e) {
      var body = panel(nodeLabel(e.a) + (e.role === ROLE.directed ? " \u2192 " : " \u2013 ") + nodeLabel(e.b), null);
      body.appendChild(factCard(e.fact));
    }
    function renderSelection() {
      var sel = S.sel;
      if (!sel) {
        panel("Evidence", "Hover over or click a node or an edge to read the facts behind it, each with the " +
              "verbatim quote and its source document.");
      } else if (sel.fact !== undefined) { showFactPanel(sel.fact); }
      else if (sel.node !== undefined) { showNodePanel(sel.node); }
      else if (sel.edge !== undefined) {
        var g = groups.get(sel.edge);
        if (g) { showGroupPanel(g); }
        else if (factEdges.get(sel.edge)) { showFactEdgePanel(factEdges.get(sel.edge)); }
        else { panel("Evidence", "This edge is not in the view the filters give."); }
      }
    }
    function endHover() { renderSelection(); }

    // ---------------------------------------------------------------- selection
    function highlightInNetwork() {
      if (!network) { return; }
      var sel = S.sel;
      if (!sel) { network.unselectAll(); return; }
      if (sel.node !== undefined) {
        if (drawn.has(sel.node)) { network.selectNodes([N.id[sel.node]]); } else { network.unselectAll(); }
      } else if (sel.fact !== undefined) {
        var ids = [];
        groups.forEach(function (g) { if (g.facts.indexOf(sel.fact) >= 0) { ids.push(g.id); } });
        factEdges.forEach(function (e) { if (e.fact === sel.fact) { ids.push(e.id); } });
        network.setSelection({ nodes: [], edges: ids }, { unselectAll: true, highlightEdges: false });
      } else if (sel.edge !== undefined) {
        if (groups.has(sel.edge) || factEdges.has(sel.edge)) {
          network.setSelection({ nodes: [], edges: [sel.edge] }, { unselectAll: true, highlightEdges: false });
        } else { network.unselectAll(); }
      }
    }
    function focusNodes(ids) {
      if (!network || !ids.length || S.view !== "network") { return; }
      network.fit({ nodes: ids, animation: false });
      if (network.getScale() > 1.2) { network.moveTo({ scale: 1.2, animation: false }); }
      adjustLabels();
    }
    function selectFact(i, opts) {
      S.sel = { fact: i };
      // its participants are drawn, whatever the entity kinds chosen
      var added = false;
      membersOf(i).forEach(function (n) { if (!drawn.has(n)) { S.expanded.add(n); added = true; } });
      if (added) { updateNetwork(); }
      afterSelect(opts);
      var ends = [];
      membersOf(i).forEach(function (n) { if (drawn.has(n)) { ends.push(N.id[n]); } });
      if (!(opts && opts.keepView)) { focusNodes(ends); }
    }
    function selectNode(n, opts) {
      S.sel = { node: n };
      if (!drawn.has(n) && shownFactsOf(n)) { S.expanded.add(n); updateNetwork(); }
      afterSelect(opts);
      if (drawn.has(n) && !(opts && opts.keepView) && network) {
        network.focus(N.id[n], { scale: Math.max(network.getScale(), 0.9), animation: false });
        adjustLabels();
      }
    }
    function shownFactsOf(n) {
      var fs = factsOf(n);
      for (var q = 0; q < fs.length; q++) { if (shown[fs[q]]) { return true; } }
      return false;
    }
    function selectEdge(id, opts) {
      S.sel = { edge: id };
      afterSelect(opts);
    }
    function afterSelect(opts) {
      if (S.view === "source" && detailReady && S.sel && S.sel.fact !== undefined &&
          !(sourceAt && sourceAt.fact === S.sel.fact) && F.evidence[S.sel.fact].length &&
          F.evidence[S.sel.fact][0][0] !== null) {  // the source view follows the fact chosen
        sourceAt = { fact: S.sel.fact, span: 0 };
        sourceDoc.value = String(F.evidence[S.sel.fact][0][0]);
        renderSource();
      }
      renderSelection();
      highlightInNetwork();
      markCurrentEverywhere();
      if (!(opts && opts.noHash)) { writeHash(); }
    }
    function select(id) {
      if (id && typeof id === "object") {
        if (id.fact !== undefined && factIndex.has(id.fact)) { selectFact(factIndex.get(id.fact)); return "fact"; }
        if (id.node !== undefined && nodeIndex.has(id.node)) { selectNode(nodeIndex.get(id.node)); return "node"; }
        if (id.edge !== undefined) { selectEdge(id.edge); return groups.has(id.edge) || factEdges.has(id.edge) ? "edge" : null; }
        return null;
      }
      if (factIndex.has(id)) { selectFact(factIndex.get(id)); return "fact"; }
      if (nodeIndex.has(id)) { selectNode(nodeIndex.get(id)); return "node"; }
      if (groups.has(id) || factEdges.has(id)) { selectEdge(id); return "edge"; }
      return null;
    }
    function clearSelection() { S.sel = null; afterSelect(); }
    function expand(n) {
      membersOfNeighbours(n).forEach(function (m) { S.expanded.add(m); });
      S.expanded.add(n);
      update();
    }
    function membersOfNeighbours(n) {
      var out = new Set(), fs = factsOf(n);
      for (var q = 0; q < fs.length; q++) {
        if (shown[fs[q]]) { membersOf(fs[q]).forEach(function (m) { out.add(m); }); }
        if (out.size > D.drawLimit) { break; }
      }
      return out;
    }

    // ---------------------------------------------------------------- controls
    var relationBoxes = {}, kindBoxes = {};
    REL.forEach(function (r, i) {
      if (!r.present) { return; }
      var label = el("label", null, "check"), box = el("input");
      box.type = "checkbox"; box.value = r.id;
      box.setAttribute("data-relation", r.id);
      var line = el("span", null, "line");
      line.style.backgroundColor = r.color;
      label.appendChild(box); label.appendChild(document.createTextNode(" "));
      label.appendChild(line); label.appendChild(document.createTextNode(r.label));
      byId("relations").appendChild(label);
      relationBoxes[i] = box;
      box.addEventListener("change", function () {
        if (box.checked) { S.relations.add(i); } else { S.relations.delete(i); }
        update();
      });
    });
    KIND.forEach(function (k, i) {
      if (!k.present) { return; }
      var label = el("label", null, "check"), box = el("input");
      box.type = "checkbox"; box.value = k.id;
      box.setAttribute("data-kind", k.id);
      var sw = el("span", null, "swatch " + k.shape);
      sw.style.backgroundColor = k.color;
      label.appendChild(box); label.appendChild(document.createTextNode(" "));
      label.appendChild(sw); label.appendChild(document.createTextNode(k.label));
      byId("entity-kinds").appendChild(label);
      kindBoxes[i] = box;
      box.addEventListener("change", function () {
        if (box.checked) { S.kinds.add(i); } else { S.kinds.delete(i); }
        update();
      });
      var li = el("li"), sw2 = el("span", null, "swatch " + k.shape);
      sw2.style.backgroundColor = k.color;
      li.appendChild(sw2); li.appendChild(document.createTextNode(k.label));
      byId("legend-nodes").appendChild(li);
    });
    var partner = byId("partner");
    var partnerIds = [];
    for (i = 0; i < NN; i++) { if (isState(i)) { partnerIds.push(i); } }
    partnerIds.sort(function (x, y) { return N.label[x] < N.label[y] ? -1 : N.label[x] > N.label[y] ? 1 : x - y; });
    partnerIds.forEach(function (n) { partner.appendChild(new Option(N.label[n], N.id[n])); });
    partner.addEventListener("change", function () {
      S.partner = partner.value ? nodeIndex.get(partner.value) : null;
      update();
    });
    var yearMode = byId("year-mode"), year = byId("year"), yearFrom = byId("year-from"), undated = byId("undated");
    if (D.years) {
      [year, yearFrom].forEach(function (r) { r.min = String(D.years[0]); r.max = String(D.years[1]); });
    } else { yearMode.disabled = true; }
    yearMode.addEventListener("change", function () {
      S.mode = yearMode.value;
      update();
    });
    year.addEventListener("input", function () {
      S.to = Number(year.value);
      if (S.mode === "between" && S.from > S.to) { S.from = S.to; }
      update();
    });
    yearFrom.addEventListener("input", function () {
      S.from = Number(yearFrom.value);
      if (S.from > S.to) { S.to = S.from; }
      update();
    });
    undated.addEventListener("change", function () { S.undated = undated.checked; update(); });
    Array.prototype.forEach.call(document.querySelectorAll("input[name=edge-mode]"), function (r) {
      r.addEventListener("change", function () { if (r.checked) { S.edges = r.value; update(); } });
    });
    byId("fit").addEventListener("click", function () {
      if (network) { fitAll(); adjustLabels(true); }
    });
    byId("reset").addEventListener("click", function () {
      resetFilters();
      S.sel = null;
      byId("search").value = "";
      byId("timeline-rows").value = "partner";
      byId("trade-log").checked = false;
      byId("search-results").replaceChildren();
      byId("search-result").textContent = "";
      update();
      if (network) { fitAll(); adjustLabels(true); }
    });
    function syncControls() {
      partner.value = S.partner === null ? "" : N.id[S.partner];
      yearMode.value = S.mode;
      year.value = String(S.to); yearFrom.value = String(S.from);
      year.disabled = S.mode === "all";
      yearFrom.disabled = S.mode !== "between";
      byId("year-from-box").hidden = S.mode !== "between";
      byId("year-label").textContent = S.mode === "between" ? "To" : "Year";
      undated.disabled = S.mode === "all";
      undated.checked = S.undated;
      byId("year-value").textContent = describeYears();
      Object.keys(relationBoxes).forEach(function (r) { relationBoxes[r].checked = S.relations.has(Number(r)); });
      Object.keys(kindBoxes).forEach(function (k) { kindBoxes[k].checked = S.kinds.has(Number(k)); });
      Array.prototype.forEach.call(document.querySelectorAll("input[name=edge-mode]"), function (r) {
        r.checked = r.value === S.edges;
      });
    }

    // ---------------------------------------------------------------- search
    function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
    var searchNames = [];
    for (i = 0; i < NN; i++) {
      searchNames.push([norm(N.label[i])].concat(list(N.aliases, i).map(norm)));
    }
    function searchMatches(text, max) {
      var q = norm(text).trim();
      if (!q) { return []; }
      var hits = [];
      for (var n = 0; n < NN; n++) {
        var best = 99, via = null, ns = searchNames[n];
        for (var k = 0; k < ns.length; k++) {
          var s = ns[k], rank;
          if (s === q) { rank = 0; }
          else if (s.indexOf(q) === 0) { rank = 1; }
          else if ((" " + s).indexOf(" " + q) >= 0) { rank = 2; }
          else if (s.indexOf(q) >= 0) { rank = 3; }
          else { continue; }
          rank = 2 * rank + (k === 0 ? 0 : 1);  // the label before an alias
          if (rank < best) { best = rank; via = k === 0 ? null : list(N.aliases, n)[k - 1]; }
        }
        if (best < 99) { hits.push({ node: n, rank: best, via: via }); }
      }
      hits.sort(function (x, y) {  // states first, then the closest match, then the most facts
        return ((isState(y.node) ? 1 : 0) - (isState(x.node) ? 1 : 0)) || (x.rank - y.rank) ||
          (nodeCount[y.node] - nodeCount[x.node]) || (x.node - y.node);
      });
      return hits.slice(0, max || 8);
    }
    var searchBox = byId("search"), searchList = byId("search-results"), searchNote = byId("search-result");
    function listMatches() {
      var hits = searchMatches(searchBox.value);
      searchList.replaceChildren();
      if (!searchBox.value.trim()) { searchNote.textContent = ""; return hits; }
      searchNote.textContent = hits.length ? plural(hits.length, "match") .replace("matchs", "matches") : "No entity matches.";
      hits.forEach(function (h) {
        var li = el("li"), b = button(null, null, function () { chooseMatch(h.node); });
        b.appendChild(document.createTextNode(N.label[h.node] + " "));
        b.appendChild(el("span", KIND[N.kind[h.node]].label.toLowerCase() + (h.via ? ", also called " + h.via : "") +
                         ", " + plural(nodeCount[h.node], "fact"), "what"));
        b.setAttribute("data-node", N.id[h.node]);
        li.appendChild(b);
        searchList.appendChild(li);
      });
      return hits;
    }
    function chooseMatch(n) {
      if (S.view !== "network") { showView("network"); }
      selectNode(n);
      searchNote.textContent = shownFactsOf(n) ? "" : N.label[n] + " is hidden by the filters.";
    }
    var searchTimer = null;
    searchBox.addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(listMatches, 120);
    });
    searchBox.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        clearTimeout(searchTimer);
        var hits = listMatches();
        if (hits.length) { chooseMatch(hits[0].node); }
      } else if (ev.key === "ArrowDown" && searchList.querySelector("button")) {
        ev.preventDefault();
        searchList.querySelector("button").focus();
      }
    });

    // ---------------------------------------------------------------- the keyboard list of entities
    function updateNodeList() {
      var ul = byId("node-list");
      ul.replaceChildren();
      var ns = Array.from(drawn);
      var counts = new Map();
      ns.forEach(function (n) {
        var c = 0, fs = factsOf(n);
        for (var q = 0; q < fs.length; q++) { c += shown[fs[q]]; }
        counts.set(n, c);
      });
      ns.sort(function (x, y) {
        return (N.kind[x] - N.kind[y]) || (counts.get(y) - counts.get(x)) || (N.label[x] < N.label[y] ? -1 : 1);
      });
      ns.forEach(function (n) {
        var li = el("li"), b = button(null, null, function () { selectNode(n); });
        b.appendChild(document.createTextNode(N.label[n] + " "));
        b.appendChild(el("span", KIND[N.kind[n]].label.toLowerCase() + ", " + plural(counts.get(n), "fact"), "what"));
        b.setAttribute("data-node", N.id[n]);
        li.appendChild(b);
        ul.appendChild(li);
      });
      byId("node-list-summary").textContent = "Entities in the network (" + ns.length + ")";
    }

    // ---------------------------------------------------------------- views
    var VIEWS = ["network", "timeline", "trade", "table", "source"];
    var rendered = {};
    function showView(name, opts) {
      if (VIEWS.indexOf(name) < 0) { return; }
      S.view = name;
      VIEWS.forEach(function (v) {
        byId("view-" + v).hidden = v !== name;
        byId("tab-" + v).setAttribute("aria-selected", v === name ? "true" : "false");
        byId("tab-" + v).tabIndex = v === name ? 0 : -1;
      });
      renderView();
      if (name === "network" && network) {
        network.redraw();
        if (needsFit) { needsFit = false; fitAll(); adjustLabels(true); }
      }
      if (!(opts && opts.noHash)) { writeHash(); }
    }
    var needsFit = false;
    function renderView() {
      if (S.view !== "network" && !detailReady) {
        byId("view-" + S.view).setAttribute("aria-busy", "true");
        return;  // drawn when the evidence is read
      }
      byId("view-" + S.view).removeAttribute("aria-busy");
      if (S.view === "timeline") { renderTimeline(); }
      else if (S.view === "trade") { renderTrade(); }
      else if (S.view === "table") { renderTable(); }
      else if (S.view === "source") { renderSource(); }
      rendered[S.view] = true;
    }
    VIEWS.forEach(function (v, k) {
      var tab = byId("tab-" + v);
      tab.addEventListener("click", function () { showView(v); });
      tab.addEventListener("keydown", function (ev) {
        var d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
        if (!d) { return; }
        var next = VIEWS[(k + d + VIEWS.length) % VIEWS.length];
        showView(next);
        byId("tab-" + next).focus();
      });
    });
    function markCurrentEverywhere() {
      var cur = S.sel && S.sel.fact !== undefined ? F.id[S.sel.fact] : null;
      Array.prototype.forEach.call(document.querySelectorAll(".mark.current, tr.current"), function (e) {
        e.classList.remove("current");
      });
      if (cur === null) { return; }
      Array.prototype.forEach.call(document.querySelectorAll(".mark[data-fact], tr[data-fact]"), function (e) {
        if (e.getAttribute("data-fact") === cur) { e.classList.add("current"); }
      });
    }
    function width(elem, fallback) { return Math.max(elem.clientWidth || 0, fallback || 300); }

    // ---------------------------------------------------------------- timeline
    var TIMELINE_MARKS = 2500;
    function timelineRows(ids) {
      var byRow = new Map(), perRelation = byId("timeline-rows").value === "relation";
      ids.forEach(function (i) {
        var keys = perRelation ? [F.relation[i]] : partnersOf(i);
        if (!keys.length) { keys = [-1]; }
        keys.forEach(function (k) {
          if (!byRow.has(k)) { byRow.set(k, []); }
          byRow.get(k).push(i);
        });
      });
      var rows = Array.from(byRow.keys()).map(function (k) {
        var label = k === -1 ? (D.focus !== null ? nodeLabel(D.focus) + " alone" : "No partner state")
          : (perRelation ? REL[k].label : nodeLabel(k));
        return { key: k, label: label, facts: byRow.get(k) };
      });
      rows.sort(function (x, y) { return (x.key === -1) - (y.key === -1) || (y.facts.length - x.facts.length) || (x.label < y.label ? -1 : 1); });
      return rows;
    }
    function renderTimeline() {
      var box = byId("timeline");
      box.replaceChildren();
      var ids = shownFacts(), datedIds = ids.filter(function (i) { return dated[i]; });
      var undatedIds = sortByTime(ids.filter(function (i) { return !dated[i]; }));
      renderFactButtons(byId("undated-list"), undatedIds, "undated");
      byId("undated-title").textContent = "Facts with no date (" + undatedIds.length + ")";
      if (!D.years) { box.appendChild(el("p", "No fact has a date.", "hint")); return; }
      var y0 = D.years[0], y1 = D.years[1] + 1;
      var W = width(box, 600), left = 150, right = 16, top = 44;
      var x = d3.scaleLinear().domain([y0, y1]).range([left, W - right]);
      var rows = timelineRows(datedIds), aggregate = datedIds.length > TIMELINE_MARKS;
      var laneH = 11, y = top, layout = [];
      rows.forEach(function (r) {
        var lanes = [];
        var marks = r.facts.slice().sort(compareTime).map(function (i) {
          var a = isFinite(lo[i]) ? lo[i] : y0, b = isFinite(hi[i]) ? hi[i] + 1 : y1;
          var x0 = x(a), x1 = Math.max(x(b), x0 + 8);
          var lane = 0;
          if (!aggregate) {
            while (lane < lanes.length && lanes[lane] > x0) { lane++; }
            if (lane >= 14) { lane = 13; }
            lanes[lane] = x1 + 2;
          }
          return { fact: i, x0: x0, x1: x1, lane: lane, open: !isFinite(hi[i]) || !isFinite(lo[i]), point: lo[i] === hi[i] };
        });
        var h = aggregate ? 22 : Math.max(1, Math.min(lanes.length, 14)) * laneH + 8;
        layout.push({ row: r, y: y, h: h, marks: marks });
        y += h;
      });
      var H = y + 30;
      var svg = d3.select(box).append("svg").attr("width", W).attr("height", H)
        .attr("role", "group").attr("aria-label", "Timeline of " + plural(datedIds.length, "dated fact"));
      // the brush band: drag across it to choose the years every view shows
      var band = svg.append("g").attr("class", "brush-band");
      band.append("rect").attr("class", "band").attr("x", left).attr("y", 4).attr("width", W - right - left).attr("height", 22);
      band.append("text").attr("x", left - 6).attr("y", 19).attr("text-anchor", "end").text("Years \u2192");
      var brush = d3.brushX().extent([[left, 4], [W - right, 26]]).on("end", function (ev) {
        if (!ev.sourceEvent) { return; }
        if (!ev.selection) { return; }
        var a = Math.round(x.invert(ev.selection[0])), b = Math.round(x.invert(ev.selection[1])) - 1;
        S.mode = "between"; S.from = Math.max(D.years[0], Math.min(a, b)); S.to = Math.min(D.years[1], Math.max(a, b));
        update();
      });
      var bg = band.append("g").attr("class", "brush").call(brush);
      if (S.mode !== "all") {
        var from = S.mode === "between" ? S.from : (S.mode === "in" ? S.to : D.years[0]);
        bg.call(brush.move, [x(from), x(S.to + 1)]);
      }
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (top - 6) + ")")
        .call(d3.axisTop(x).ticks(Math.max(2, Math.floor((W - left) / 70))).tickFormat(d3.format("d")));
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (y + 4) + ")")
        .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor((W - left) / 70))).tickFormat(d3.format("d")));
      layout.forEach(function (L, k) {
        var g = svg.append("g").attr("class", "row");
        if (k % 2 === 0) { g.append("rect").attr("x", left).attr("y", L.y).attr("width", W - right - left).attr("height", L.h).attr("fill", "#f6f8f8"); }
        g.append("title").text(L.row.label);
        g.append("text").attr("class", "row-label").attr("x", left - 6).attr("y", L.y + 14).attr("text-anchor", "end")
          .text(L.row.label.length > 22 ? L.row.label.slice(0, 21) + "\u2026" : L.row.label);
        if (aggregate) { drawTimelineCounts(g, L, x, y0, y1); return; }
        L.marks.forEach(function (m) {
          var i = m.fact, r = REL[F.relation[i]], cy = L.y + 4 + m.lane * laneH + laneH / 2 - 1;
          var flagged = list(F.anomalies, i).length > 0;
          var mark;
          if (m.point) {
            mark = g.append("circle").attr("cx", (m.x0 + m.x1) / 2).attr("cy", cy).attr("r", 4.5);
          } else {
            mark = g.append("rect").attr("x", m.x0).attr("y", cy - 4).attr("width", Math.max(6, m.x1 - m.x0)).attr("height", 8).attr("rx", 2);
            if (m.open) { mark.attr("stroke-dasharray", "3 2"); }
          }
          mark.attr("class", "mark").attr("fill", r.color).attr("stroke", flagged ? "#c0392b" : "#17202a")
            .attr("stroke-width", flagged ? 2 : 0.6).attr("tabindex", 0).attr("role", "button")
            .attr("data-fact", F.id[i]).attr("aria-label", F.label[i] + ", " + F.time[i]);
          markEvents(mark, i, true);
        });
      });
      markCurrentEverywhere();
    }
    function drawTimelineCounts(g, L, x, y0, y1) {
      // too many facts for one mark each: a cell per year, darker for more facts
      var perYear = new Map(), max = 1;
      L.row.facts.forEach(function (i) {
        var a = Math.max(y0, isFinite(lo[i]) ? lo[i] : y0), b = Math.min(y1 - 1, isFinite(hi[i]) ? hi[i] : y1 - 1);
        for (var yr = a; yr <= b; yr++) {
          if (!perYear.has(yr)) { perYear.set(yr, []); }
          perYear.get(yr).push(i);
        }
      });
      perYear.forEach(function (fs) { max = Math.max(max, fs.length); });
      Array.from(perYear.keys()).sort(function (a, b) { return a - b; }).forEach(function (yr) {
        var fs = perYear.get(yr);
        var cell = g.append("rect").attr("class", "mark").attr("x", x(yr)).attr("y", L.y + 3)
          .attr("width", Math.max(2, x(yr + 1) - x(yr) - 1)).attr("height", L.h - 6)
          .attr("fill", "#1f4e79").attr("fill-opacity", 0.15 + 0.85 * Math.sqrt(fs.length / max))
          .attr("tabindex", 0).attr("role", "button")
          .attr("aria-label", L.row.label + ", " + yr + ": " + plural(fs.length, "fact"));
        function open() {
          var body = panel(L.row.label + ", " + yr, plural(fs.length, "fact"));
          cardList(body, sortByTime(fs.slice()));
        }
        cell.on("click", open).on("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
      });
    }
    function markEvents(mark, i, toNetwork) {
      mark.on("mouseenter", function () { showFactPanel(i); })
        .on("focus", function () { showFactPanel(i); })
        .on("mouseleave", endHover)
        .on("click", function () { chooseFact(i, toNetwork); })
        .on("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); chooseFact(i, toNetwork); }
        });
    }
    function chooseFact(i, toNetwork) {
      if (toNetwork) { showView("network", { noHash: true }); }
      selectFact(i);
    }
    function renderFactButtons(ul, ids, what) {
      ul.replaceChildren();
      var limit = 200;
      ids.slice(0, limit).forEach(function (i) {
        var li = el("li"), b = button(null, null, function () { chooseFact(i, false); });
        b.appendChild(document.createTextNode(F.label[i] + " "));
        b.appendChild(el("span", F.time[i] ? "(" + F.time[i] + ")" : "", "what"));
        b.setAttribute("data-fact", F.id[i]);
        b.addEventListener("mouseenter", function () { showFactPanel(i); });
        b.addEventListener("mouseleave", endHover);
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (ids.length > limit) { ul.appendChild(el("li", "\u2026 and " + (ids.length - limit) + " more " + what + " facts (the table lists them all).", "hint")); }
    }

    // ---------------------------------------------------------------- trade chart
    var tradeRelation = byId("trade-relation");
    (function () {
      var withValues = new Set();
      for (var i = 0; i < NF; i++) { if (list(F.values, i).length) { withValues.add(F.relation[i]); } }
      Array.from(withValues).sort(function (a, b) { return a - b; }).forEach(function (r) {
        tradeRelation.appendChild(new Option(REL[r].label, REL[r].id));
      });
      if (withValues.has(REL.map(function (r) { return r.id; }).indexOf("trade"))) { tradeRelation.value = "trade"; }
    })();
    tradeRelation.addEventListener("change", function () { renderTrade(); writeHash(); });
    byId("trade-log").addEventListener("change", function () { renderTrade(); writeHash(); });
    byId("timeline-rows").addEventListener("change", function () {
      if (S.view === "timeline") { renderTimeline(); }
      writeHash();
    });
    // series colours; no red, which marks the values an anomaly concerns
    var PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e",
                   "#393b79"];
    function seriesOf(i) {
      var fr = get(F.from, i), to = get(F.to, i);
      if (fr !== null && to !== null) { return nodeLabel(fr) + " \u2192 " + nodeLabel(to); }
      var ps = list(F.parties, i).slice();
      if (D.focus !== null && ps.indexOf(D.focus) >= 0) {
        ps = [D.focus].concat(ps.filter(function (p) { return p !== D.focus; }));
      }
      return ps.length ? names(ps).join(" \u2013 ") : "(no parties)";
    }
    function renderTrade() {
      var main = byId("trade-main"), small = byId("trade-small"), notes = byId("trade-notes"), legend = byId("trade-legend");
      main.replaceChildren(); small.replaceChildren(); notes.replaceChildren(); legend.replaceChildren();
      var rel = REL.map(function (r) { return r.id; }).indexOf(tradeRelation.value);
      var charts = new Map(), undatedValues = [];
      for (var i = 0; i < NF; i++) {
        if (!shown[i] || F.relation[i] !== rel) { continue; }
        list(F.values, i).forEach(function (v) {
          if (!dated[i]) { undatedValues.push(i); return; }
          var key = v[1] === USD && v[2] === VALUE ? "main" : D.units[v[1]] + "|" + D.measures[v[2]];
          if (!charts.has(key)) { charts.set(key, { unit: D.units[v[1]], measure: D.measures[v[2]], points: new Map() }); }
          var series = seriesOf(i);
          var pk = series + "|" + lo[i] + "|" + hi[i] + "|" + v[0];
          var pts = charts.get(key).points;
          if (!pts.has(pk)) { pts.set(pk, { series: series, lo: lo[i], hi: hi[i], value: v[0], facts: [] }); }
          if (pts.get(pk).facts.indexOf(i) < 0) { pts.get(pk).facts.push(i); }
        });
      }
      var seriesNames = new Set();
      charts.forEach(function (c) { c.points.forEach(function (p) { seriesNames.add(p.series); }); });
      var seriesList = Array.from(seriesNames).sort(), colour = {};
      seriesList.forEach(function (s, k) { colour[s] = PALETTE[k % PALETTE.length]; });
      seriesList.forEach(function (s) {
        var li = el("li"), sw = el("span", null, "swatch dot");
        sw.style.backgroundColor = colour[s];
        li.appendChild(sw); li.appendChild(document.createTextNode(s));
        legend.appendChild(li);
      });
      var log = byId("trade-log").checked;
      if (charts.has("main")) {
        drawValueChart(main, charts.get("main"), width(main, 300), 320, log, colour, "US$ (value as stated, by year)");
      } else {
        main.appendChild(el("p", "No US$ value among the facts shown.", "hint"));
      }
      Array.from(charts.keys()).filter(function (k) { return k !== "main"; }).sort().forEach(function (k) {
        var c = charts.get(k), fig = el("figure");
        fig.appendChild(el("figcaption", c.unit + (c.measure && c.measure !== c.unit ? " (" + c.measure + ")" : "")));
        small.appendChild(fig);
        drawValueChart(fig, c, 320, 190, false, colour, c.unit);  // small ranges, negative changes: linear
      });
      if (undatedValues.length) {
        notes.appendChild(el("p", plural(undatedValues.length, "value") + " with no year " +
          (undatedValues.length === 1 ? "is" : "are") + " not drawn:"));
        var ul = el("ul", null, "fact-list");
        notes.appendChild(ul);
        renderFactButtons(ul, sortByTime(Array.from(new Set(undatedValues))), "undated");
      }
      markCurrentEverywhere();
    }
    function money(v) {
      var a = Math.abs(v), f = d3.format("~r");
      if (a >= 1e9) { return "$" + f(+(v / 1e9).toPrecision(3)) + "bn"; }
      if (a >= 1e6) { return "$" + f(+(v / 1e6).toPrecision(3)) + "m"; }
      if (a >= 1e3) { return "$" + f(+(v / 1e3).toPrecision(3)) + "k"; }
      return "$" + f(v);
    }
    function drawValueChart(box, chart, W, H, log, colour, title) {
      var pts = Array.from(chart.points.values());
      var left = 74, right = 12, top = 12, bottom = 28;
      var years = D.years || [0, 1];
      var x = d3.scaleLinear().domain([years[0], years[1] + 1]).range([left, W - right]);
      var values = pts.map(function (p) { return p.value; });
      var positive = values.filter(function (v) { return v > 0; });
      var useLog = log && positive.length > 0;
      var yScale = useLog ? d3.scaleLog().domain([d3.min(positive), d3.max(positive)]).nice()
        : d3.scaleLinear().domain([Math.min(0, d3.min(values)), d3.max(values) || 1]).nice();
      yScale.range([H - bottom, top]);
      var svg = d3.select(box).append("svg").attr("width", W).attr("height", H)
        .attr("role", "group").attr("aria-label", title + ": " + plural(pts.length, "value"));
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (H - bottom) + ")")
        .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(W / 90))).tickFormat(d3.format("d")));
      svg.append("g").attr("class", "axis").attr("transform", "translate(" + left + ",0)")
        .call(d3.axisLeft(yScale).ticks(useLog ? 5 : 6).tickFormat(chart.unit === "USD" ? money : d3.format("~s")));
      pts.sort(function (a, b) { return a.lo - b.lo || a.value - b.value; });
      pts.forEach(function (p) {
        if (useLog && !(p.value > 0)) { return; }
        var a = isFinite(p.lo) ? p.lo : years[0], b = isFinite(p.hi) ? p.hi + 1 : years[1] + 1;
        var cy = yScale(p.value), cx = (x(a) + x(b)) / 2;
        var flagged = p.facts.some(function (i) { return list(F.anomalies, i).length > 0; });
        var g = svg.append("g");
        if (b - a > 1) {
          g.append("line").attr("x1", x(a)).attr("x2", x(b)).attr("y1", cy).attr("y2", cy)
            .attr("stroke", colour[p.series]).attr("stroke-width", 3).attr("stroke-opacity", 0.6);
        }
        var mark = g.append("circle").attr("class", "mark").attr("cx", cx).attr("cy", cy).attr("r", p.facts.length > 1 ? 6 : 5)
          .attr("fill", colour[p.series]).attr("stroke", flagged ? "#c0392b" : "#17202a").attr("stroke-width", flagged ? 3 : 1)
          .attr("tabindex", 0).attr("role", "button").attr("data-fact", F.id[p.facts[0]])
          .attr("aria-label", p.series + ", " + F.time[p.facts[0]] + ": " + list(F.quantities, p.facts[0]).join("; ") +
                (flagged ? " (an anomaly concerns it)" : "") + (p.facts.length > 1 ? ", stated by " + p.facts.length + " facts" : ""));
        if (flagged) {
          g.append("text").attr("x", cx + 7).attr("y", cy - 6).style("fill", "#922b21").attr("aria-hidden", "true").text("\u26a0");
        }
        if (p.facts.length > 1) {
          mark.on("mouseenter focus", function () {
            var body = panel(p.series + ", " + F.time[p.facts[0]], plural(p.facts.length, "fact") + " state this value");
            cardList(body, sortByTime(p.facts.slice()));
          }).on("mouseleave", endHover)
            .on("click", function () { selectFact(p.facts[0], { keepView: true }); })
            .on("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectFact(p.facts[0], { keepView: true }); } });
        } else {
          markEvents(mark, p.facts[0], false);
        }
      });
    }

    // ---------------------------------------------------------------- table
    var COLUMNS = [
      { id: "label", label: "Fact" }, { id: "kind", label: "Kind" }, { id: "parties", label: "Parties" },
      { id: "time", label: "Time" }, { id: "values", label: "Values" }, { id: "modality", label: "Modality" },
      { id: "quote", label: "Quote" }, { id: "document", label: "Document" }
    ];
    var tableSort = { column: "time", dir: 1 }, tableLimit = 200;
    function partiesText(i) {
      var fr = get(F.from, i), to = get(F.to, i);
      if (fr !== null && to !== null) { return nodeLabel(fr) + " \u2192 " + nodeLabel(to); }
      return names(list(F.parties, i)).join(", ");
    }
    function tableRow(i) {
      var spans = spansOf(i);
      return {
        id: F.id[i], label: F.label[i], kind: D.factKinds[F.kind[i]], relation: REL[F.relation[i]].id,
        parties: partiesText(i), time: F.time[i], first_year: F.first[i], last_year: F.last[i],
        values: list(F.quantities, i).join("; "), modality: D.modalities[F.modality[i]],
        quote: spans.map(function (s) { return s.quote; }).join(" \u2026 "),
        document: Array.from(new Set(spans.map(function (s) { return s.doc === null ? "" : D.documents.id[s.doc]; }))).join(", "),
        evidence: spans.map(function (s) {
          return { quote: s.quote, document: s.doc === null ? null : D.documents.id[s.doc], start: s.start, end: s.end };
        })
      };
    }
    function tableFacts() {
      var ids = shownFacts(), c = tableSort.column, dir = tableSort.dir;
      var key;
      if (c === "time") {
        return sortByTime(ids).sort(function (a, b) {
          return dir * ((dated[b] - dated[a]) || compareTime(a, b)) || (a - b);
        });
      }
      var cache = new Map();
      ids.forEach(function (i) {
        key = c === "label" ? F.label[i] : c === "kind" ? D.factKinds[F.kind[i]] : c === "parties" ? partiesText(i)
          : c === "values" ? (isNaN(usd[i]) ? -Infinity : usd[i]) : c === "modality" ? D.modalities[F.modality[i]]
          : c === "quote" ? (spansOf(i)[0] || {}).quote || "" : (F.evidence[i][0] ? D.documents.id[F.evidence[i][0][0]] || "" : "");
        cache.set(i, key);
      });
      return ids.sort(function (a, b) {
        var x = cache.get(a), y = cache.get(b);
        return dir * (x < y ? -1 : x > y ? 1 : 0) || compareTime(a, b);
      });
    }
    function renderTable() {
      var table = byId("fact-table"), thead = table.tHead, tbody = table.tBodies[0];
      thead.replaceChildren(); tbody.replaceChildren();
      var tr = el("tr");
      COLUMNS.forEach(function (c) {
        var th = el("th");
        th.scope = "col";
        var b = button(c.label, null, function () {
          tableSort = { column: c.id, dir: tableSort.column === c.id ? -tableSort.dir : 1 };
          renderTable();
          var again = byId("fact-table").querySelector("th[data-column=" + c.id + "] button");
          if (again) { again.focus(); }
        });
        th.setAttribute("data-column", c.id);
        if (tableSort.column === c.id) { th.setAttribute("aria-sort", tableSort.dir > 0 ? "ascending" : "descending"); }
        b.appendChild(document.createTextNode(tableSort.column === c.id ? (tableSort.dir > 0 ? " \u25b2" : " \u25bc") : ""));
        th.appendChild(b);
        tr.appendChild(th);
      });
      thead.appendChild(tr);
      var ids = tableFacts();
      var end = Math.min(ids.length, tableLimit);
      for (var k = 0; k < end; k++) {
        var i = ids[k], r = tableRow(i), row = el("tr");
        row.setAttribute("data-fact", F.id[i]);
        var first = el("td");
        first.appendChild(button(r.label, "link", (function (fi) { return function () { selectFact(fi, { keepView: true }); }; })(i)));
        row.appendChild(first);
        ["kind", "parties", "time", "values", "modality", "quote", "document"].forEach(function (col) {
          row.appendChild(el("td", r[col], col === "quote" ? "quote" : null));
        });
        tbody.appendChild(row);
      }
      byId("table-count").textContent = plural(ids.length, "fact") + (end < ids.length ? " (" + end + " listed)" : "") +
        "; the downloads hold all " + ids.length.toLocaleString("en") + ", in this order.";
      var more = byId("table-more");
      more.hidden = end >= ids.length;
      more.textContent = "Show " + Math.min(200, ids.length - end) + " more rows";
      markCurrentEverywhere();
    }
    byId("table-more").addEventListener("click", function () { tableLimit += 200; renderTable(); });
    function tableRows() { return tableFacts().map(tableRow); }
    var CSV_FIELDS = ["id", "kind", "relation", "label", "parties", "time", "first_year", "last_year", "values", "modality", "quote", "document"];
    function csvCell(v) {
      var s = v === null || v === undefined ? "" : String(v);
      if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // a spreadsheet must not read a cell as a formula
      return /[",\n\r]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
    }
    function tableCsv() {
      var lines = [CSV_FIELDS.join(",")];
      tableRows().forEach(function (r) { lines.push(CSV_FIELDS.map(function (f) { return csvCell(r[f]); }).join(",")); });
      return lines.join("\r\n") + "\r\n";
    }
    function tableJson() { return JSON.stringify(tableRows(), null, 1) + "\n"; }
    function download(name, type, text) {
      var url = URL.createObjectURL(new Blob([text], { type: type }));
      var a = document.createElement("a");
      a.href = url; a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }
    byId("download-csv").addEventListener("click", function () { download("nkrel-facts.csv", "text/csv", tableCsv()); });
    byId("download-json").addEventListener("click", function () { download("nkrel-facts.json", "application/json", tableJson()); });

    // ---------------------------------------------------------------- source view
    var sourceDoc = byId("source-doc"), sourceAt = null;
    function fillDocumentList() {
      D.documents.id.forEach(function (id, d) {
        sourceDoc.appendChild(new Option((D.documents.title[d] || id) + " [" + id + "]", String(d)));
      });
    }
    if (detailReady) { fillDocumentList(); }
    sourceDoc.addEventListener("change", function () { sourceAt = null; renderSource(); writeHash(); });
    var docFacts = null;
    function factsInDocument(d) {
      if (!docFacts) {
        docFacts = new Map();
        for (var i = 0; i < NF; i++) {
          F.evidence[i].forEach(function (sp, k) {
            if (sp[0] === null) { return; }
            if (!docFacts.has(sp[0])) { docFacts.set(sp[0], []); }
            docFacts.get(sp[0]).push({ fact: i, span: k, start: sp[1], end: sp[2] });
          });
        }
      }
      return docFacts.get(d) || [];
    }
    function showSource(i, k) {
      var sp = F.evidence[i][k || 0];
      if (!sp || sp[0] === null) { return; }
      sourceAt = { fact: i, span: k || 0 };
      sourceDoc.value = String(sp[0]);
      S.sel = { fact: i };
      showView("source", { noHash: true });
      afterSelect();
      var mark = byId("source-body").querySelector("mark");
      if (mark) { mark.scrollIntoView({ block: "center" }); }
    }
    function renderSource() {
      var body = byId("source-body"), meta = byId("source-meta");
      body.replaceChildren();
      if (!D.documents.id.length) { meta.textContent = "No document."; return; }
      if (!sourceDoc.value) { sourceDoc.value = "0"; }
      var d = Number(sourceDoc.value || 0);
      var current = sourceAt || (S.sel && S.sel.fact !== undefined ? { fact: S.sel.fact, span: 0 } : null);
      if (current && F.evidence[current.fact][current.span] && F.evidence[current.fact][current.span][0] !== d) { current = null; }
      var spans = factsInDocument(d).filter(function (s) { return s.start !== null; });
      var text = docText(d);
      var chosen = current ? spansOf(current.fact)[current.span] : null;
      meta.textContent = (D.documents.title[d] || D.documents.id[d]) + " \u2014 " + plural(spans.length, "quoted span") +
        "; each fact's quote is underlined, the chosen one highlighted, and the facts are listed in the margin." +
        (chosen && chosen.page !== null ? " The chosen quote starts on page " + chosen.page + " of the PDF." : "");
      if (text === null) {
        body.appendChild(el("p", "The text of this document is not embedded in this page (build the page from the corpus " +
          "to include it); its quotes:", "hint"));
        var ul = el("ul", null, "fact-list");
        body.appendChild(ul);
        renderFactButtons(ul, sortByTime(Array.from(new Set(spans.map(function (s) { return s.fact; })))), "");
        return;
      }
      var chars = typeof text === "string" ? null : text, len = chars ? chars.length : text.length;
      function piece(a, b) { return chars ? chars.slice(a, b).join("") : text.slice(a, b); }
      // paragraphs (lines) with their code-point ranges
      var paras = [], startAt = 0;
      for (var c = 0; c <= len; c++) {
        var ch = c < len ? (chars ? chars[c] : text[c]) : "\n";
        if (ch === "\n") { paras.push([startAt, c]); startAt = c + 1; }
      }
      var curSpan = current ? F.evidence[current.fact][current.span] : null;
      paras.forEach(function (p) {
        var inside = spans.filter(function (s) { return s.start < p[1] && s.end > p[0] || (s.start === s.end && s.start === p[0]); });
        var starting = spans.filter(function (s) { return s.start >= p[0] && s.start < Math.max(p[1], p[0] + 1); });
        if (p[1] === p[0] && !starting.length) { return; }
        var rowEl = el("div", null, "para"), margin = el("div", null, "margin"), textEl = el("p", null, "text");
        starting.sort(function (a, b) { return a.start - b.start || a.fact - b.fact; }).forEach(function (s) {
          var r = REL[F.relation[s.fact]];
          var b = button((dated[s.fact] ? yearsText(s.fact) + " \u00b7 " : "") + D.factKinds[F.kind[s.fact]], null, function () {
            sourceAt = { fact: s.fact, span: s.span }; S.sel = { fact: s.fact }; afterSelect(); renderSource();
          });
          b.style.borderLeftColor = r.color;
          b.appendChild(el("span", ": " + F.label[s.fact], "sr-only"));  // the whole label, for screen readers
          b.title = F.label[s.fact];
          b.setAttribute("data-fact", F.id[s.fact]);
          if (current && s.fact === current.fact && s.span === current.span) { b.setAttribute("aria-current", "true"); }
          margin.appendChild(b);
        });
        // cut the paragraph at every span boundary; each piece knows the facts covering it
        var cuts = new Set([p[0], p[1]]);
        inside.forEach(function (s) { cuts.add(Math.max(p[0], s.start)); cuts.add(Math.min(p[1], s.end)); });
        var points = Array.from(cuts).sort(function (a, b) { return a - b; });
        for (var k = 0; k + 1 < points.length; k++) {
          var a = points[k], b = points[k + 1];
          if (a === b) { continue; }
          var covering = inside.filter(function (s) { return s.start <= a && s.end >= b; });
          var isCurrent = curSpan && curSpan[1] <= a && curSpan[2] >= b;
          if (isCurrent) { textEl.appendChild(el("mark", piece(a, b))); }
          else if (covering.length) {
            var span = el("span", piece(a, b), "span-fact");
            covering.sort(function (x, y) { return (x.end - x.start) - (y.end - y.start); });
            span.setAttribute("data-fact", F.id[covering[0].fact]);
            (function (s) {
              span.addEventListener("click", function () { sourceAt = { fact: s.fact, span: s.span }; S.sel = { fact: s.fact }; afterSelect(); renderSource(); });
            })(covering[0]);
            textEl.appendChild(span);
          } else { textEl.appendChild(document.createTextNode(piece(a, b))); }
        }
        rowEl.appendChild(margin);
        rowEl.appendChild(textEl);
        body.appendChild(rowEl);
      });
    }

    // ---------------------------------------------------------------- permalinks: the state in the hash
    var lastHash = null, wantedDoc = null;  // a document the link asks for, shown once the evidence is read
    function shownDoc() {
      if (wantedDoc !== null) { return wantedDoc; }
      return detailReady && sourceDoc.value ? D.documents.id[Number(sourceDoc.value)] : null;
    }
    function showWantedDoc() {
      if (wantedDoc === null || !detailReady) { return null; }
      var d = D.documents.id.indexOf(wantedDoc), missing = d < 0 ? "no document " + wantedDoc : null;
      if (d >= 0) { sourceDoc.value = String(d); sourceAt = null; if (S.view === "source") { renderSource(); } }
      wantedDoc = null;
      return missing;
    }
    function hashString() {
      var p = [];
      function add(k, v) { p.push(k + "=" + encodeURIComponent(v)); }
      if (S.sel && S.sel.fact !== undefined) { add("fact", F.id[S.sel.fact]); }
      else if (S.sel && S.sel.node !== undefined) { add("node", N.id[S.sel.node]); }
      else if (S.sel && S.sel.edge !== undefined) { add("edge", S.sel.edge); }
      if (S.view !== "network") { add("view", S.view); }
      if (S.partner !== null) { add("partner", N.id[S.partner]); }
      var allRel = REL.filter(function (r) { return r.present; }).length;
      if (S.relations.size !== allRel) {
        add("relations", Array.from(S.relations).sort(function (a, b) { return a - b; }).map(function (r) { return REL[r].id; }).join(","));
      }
      var sameKinds = S.kinds.size === defaultKinds.size && Array.from(S.kinds).every(function (k) { return defaultKinds.has(k); });
      if (!sameKinds) {
        add("entities", Array.from(S.kinds).sort(function (a, b) { return a - b; }).map(function (k) { return KIND[k].id; }).join(","));
      }
      if (S.mode !== "all") {
        add("years", S.mode === "between" ? S.from + "-" + S.to : S.mode + "-" + S.to);
        if (S.undated) { add("undated", "1"); }
      }
      if (S.edges !== "grouped") { add("edges", S.edges); }
      if (S.view === "trade" && tradeRelation.value !== "trade") { add("values", tradeRelation.value); }
      if (byId("timeline-rows").value !== "partner") { add("rows", byId("timeline-rows").value); }
      if (byId("trade-log").checked) { add("scale", "log"); }
      if (S.view === "source" && shownDoc() !== null) { add("doc", shownDoc()); }
      return p.join("&");
    }
    function writeHash() {
      var h = hashString();
      lastHash = h;
      if (location.hash.replace(/^#/, "") !== h) {
        history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
      }
    }
    function readHash() {
      var h = location.hash.replace(/^#/, "");
      if (h === lastHash) { return; }
      lastHash = h;
      var params = new URLSearchParams(h), problems = [];
      resetFilters();
      S.sel = null;
      if (params.has("partner")) {
        if (nodeIndex.has(params.get("partner"))) { S.partner = nodeIndex.get(params.get("partner")); }
        else { problems.push("no partner " + params.get("partner")); }
      }
      if (params.has("relations")) {
        var ids = params.get("relations").split(",");
        S.relations = new Set(REL.map(function (r, i) { return ids.indexOf(r.id) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; }));
      }
      if (params.has("entities")) {
        var ks = params.get("entities").split(",");
        S.kinds = new Set(KIND.map(function (k, i) { return ks.indexOf(k.id) >= 0 ? i : -1; }).filter(function (i) { return i >= 0; }));
      }
      var years = params.get("years");
      if (years && D.years) {
        var m = /^(upto|in)-(-?\d+)$/.exec(years), b = /^(-?\d+)-(-?\d+)$/.exec(years);
        if (m) { S.mode = m[1]; S.to = Number(m[2]); }
        else if (b) { S.mode = "between"; S.from = Number(b[1]); S.to = Number(b[2]); }
        else { problems.push("years " + years + " not understood"); }
        S.undated = params.get("undated") === "1";
      }
      if (params.get("edges") === "facts") { S.edges = "facts"; }
      if (params.has("values")) { tradeRelation.value = params.get("values"); }
      byId("timeline-rows").value = params.get("rows") === "relation" ? "relation" : "partner";
      byId("trade-log").checked = params.get("scale") === "log";
      wantedDoc = params.get("doc");
      update({ noHash: true });
      var view = params.get("view") || "network";
      showView(VIEWS.indexOf(view) >= 0 ? view : "network", { noHash: true });
      var sel = null;
      if (params.has("fact")) { sel = select({ fact: params.get("fact") }); if (!sel) { problems.push("no fact " + params.get("fact")); } }
      else if (params.has("node")) { sel = select({ node: params.get("node") }); if (!sel) { problems.push("no entity " + params.get("node")); } }
      else if (params.has("edge")) { sel = select({ edge: params.get("edge") }); if (!sel) { problems.push("no edge " + params.get("edge")); } }
      else { renderSelection(); highlightInNetwork(); }
      var noDoc = showWantedDoc();
      if (noDoc) { problems.push(noDoc); }
      if (problems.length) { byId("panel-body").prepend(el("p", "The link asks for " + problems.join(", ") + ".", "warn")); }
      writeHash();
    }
    window.addEventListener("hashchange", readHash);

    // ---------------------------------------------------------------- one update for every change
    function update(opts) {
      computeShown();
      syncControls();
      updateNetwork();
      updateNodeList();
      rendered = {};
      if (S.view !== "network") { renderView(); }
      renderSelection();
      highlightInNetwork();
      var draw = nodesDS.length, edges = edgesDS.length;
      byId("status").textContent = plural(shownCount, "fact") + " of " + NF.toLocaleString("en") + " shown" +
        (describeYears() ? " (" + describeYears() + ")" : "") + "; " + plural(draw, "entity").replace("entitys", "entities") +
        " and " + plural(edges, "edge") + " drawn";
      if (!(opts && opts.noHash) && status.ready) { writeHash(); }
    }

    // ---------------------------------------------------------------- start
    if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
      byId("filters").open = false;  // small screens: the views first, the filters one tap away
    } else {
      byId("legend-box").open = true;
    }
    computeShown();
    syncControls();
    updateNetwork();
    var options = D.options;
    network = new vis.Network(container, { nodes: nodesDS, edges: edgesDS }, options);
    status.constructedAt = since();
    network.on("stabilizationProgress", function (p) {
      if (!status.ready) { byId("status").textContent = "Laying out the network\u2026 " + Math.round(100 * p.iterations / p.total) + "%"; }
    });
    network.on("stabilizationIterationsDone", finishLayout);
    network.on("zoom", function () { clearTimeout(zoomTimer); zoomTimer = setTimeout(function () { adjustLabels(true); }, 80); });
    network.on("dragEnd", function () { adjustLabels(true); });
    var zoomTimer = null;
    network.on("click", function (p) {
      if (p.nodes.length) { selectNode(nodeIndex.get(p.nodes[0]), { keepView: true }); }
      else if (p.edges.length) { selectEdge(p.edges[0], { keepView: true }); }
      else { clearSelection(); }
    });
    network.on("hoverNode", function (p) { showNodePanel(nodeIndex.get(p.node)); });
    network.on("hoverEdge", function (p) {
      var g = groups.get(p.edge);
      if (g) { showGroupPanel(g); } else if (factEdges.get(p.edge)) { showFactEdgePanel(factEdges.get(p.edge)); }
    });
    network.on("blurNode", endHover);
    network.on("blurEdge", endHover);
    if (nodesDS.length === 0) { finishLayout(); }

    function aboutCorpus() {
      // what the page covers, and what it cannot place in time, before anyone asks
      var first = Infinity, last = -Infinity, undatedCount = 0;
      for (var i = 0; i < NF; i++) {
        if (!dated[i]) { undatedCount++; continue; }
        first = Math.min(first, isFinite(lo[i]) ? lo[i] : hi[i]);
        last = Math.max(last, isFinite(hi[i]) ? hi[i] : lo[i]);
      }
      var text = "About this corpus: " + plural(D.documentCount || 0, "document") + ", " + plural(NF, "fact");
      if (isFinite(first)) { text += ", dated " + (first === last ? first : first + "\u2013" + last); }
      text += undatedCount ? "; " + plural(undatedCount, "fact") + " with no date (listed under the timeline)."
        : "; every fact has a date.";
      byId("about").textContent = text;
    }
    byId("skip").addEventListener("click", function () {  // a skip link that is a button: no href in the page
      document.querySelector("#tabs [aria-selected=true]").focus();
    });
    function becomeReady() {
      status.ready = true;
      aboutCorpus();
      readHash();
      if (S.view !== "network") { needsFit = true; }
      if (NF === 0) { byId("status").textContent = "No facts to show."; }
      document.body.setAttribute("data-ready", "true");
      status.readyAt = since();
      if (readLater) {
        byId("status").textContent += "; reading the evidence\u2026";
        readLater().then(function (ev) {
          mergeEvidence(ev);
          Object.freeze(D); Object.freeze(F);
          fillDocumentList();
          showWantedDoc();
          renderView();
          renderSelection();
          markCurrentEverywhere();
          update({ noHash: true });
        }).catch(function (e) {
          status.error = String(e && e.stack || e);
          byId("status").textContent = "The evidence could not be read: " + e;
        });
      }
    }

    // ---------------------------------------------------------------- for tests and power users (read-only)
    function fact(id) {
      var i = typeof id === "number" ? id : factIndex.get(id);
      if (i === undefined) { return null; }
      var r = tableRow(i);
      r.members = Array.from(membersOf(i)).map(function (n) { return N.id[n]; }).sort();
      r.anomalies = list(F.anomalies, i).map(function (a) { return D.anomalies[a]; });
      r.also = alsoStated(i);
      r.shown = shown[i] === 1;
      return r;
    }
    function domPoint(p) {
      var d = network.canvasToDOM(p), r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    }
    var api = Object.freeze({
      network: network,
      get data() { return D; },
      select: select,
      view: function (name) { if (name) { showView(name); } return S.view; },
      status: function () { return Object.assign({}, status); },
      state: function () {
        return { view: S.view, selection: S.sel && (S.sel.fact !== undefined ? { fact: F.id[S.sel.fact] }
                   : S.sel.node !== undefined ? { node: N.id[S.sel.node] } : { edge: S.sel.edge }),
                 partner: S.partner === null ? null : N.id[S.partner], mode: S.mode, from: S.from, to: S.to,
                 undated: S.undated, edges: S.edges,
                 relations: Array.from(S.relations).map(function (r) { return REL[r].id; }).sort(),
                 entities: Array.from(S.kinds).map(function (k) { return KIND[k].id; }).sort() };
      },
      counts: { nodes: NN, facts: NF },
      visible: function () { return { nodes: nodesDS.length, edges: edgesDS.length, facts: shownCount }; },
      shownFacts: function () { return shownFacts().map(function (i) { return F.id[i]; }); },
      fact: fact,
      factPairs: function (id) {
        var i = factIndex.get(id), out = [];
        for (var p = pairStart[i]; p < pairStart[i + 1]; p++) {
          out.push([N.id[pairs[3 * p]], N.id[pairs[3 * p + 1]], D.roles[pairs[3 * p + 2]]]);
        }
        return out;
      },
      edge: function (id) {
        var g = groups.get(id);
        if (g) { return { from: N.id[g.a], to: N.id[g.b], relation: REL[g.relation].id, facts: g.facts.map(function (i) { return F.id[i]; }), usd: g.usd }; }
        var e = factEdges.get(id);
        return e ? { from: N.id[e.a], to: N.id[e.b], relation: REL[F.relation[e.fact]].id, facts: [F.id[e.fact]], role: D.roles[e.role] } : null;
      },
      search: function (text) { return searchMatches(text).map(function (h) { return N.id[h.node]; }); },
      tableRows: tableRows, tableCsv: tableCsv, tableJson: tableJson,
      nodes: nodesDS, edges: edgesDS,
      nodePoint: function (id) { return domPoint(network.getPositions([id])[id]); },
      edgePoint: function (id) { return domPoint(network.body.edges[id].edgeType.getPoint(0.5)); }
    });
    Object.defineProperty(window, "nkrel", { value: api, enumerable: true, configurable: false, writable: false });
  }
})();
