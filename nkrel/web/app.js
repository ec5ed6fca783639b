(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nkrel-data").textContent);
  var state = { stabilized: false, stabilizedAt: null, pinned: null, startedAt: performance.now(),
                cspViolations: 0 };
  document.addEventListener("securitypolicyviolation", function () { state.cspViolations += 1; });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function byId(id) { return document.getElementById(id); }

  var factsOf = {}, nodeById = {}, edgeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  function visNode(n) {
    var k = data.nodeKinds[n.kind], flagged = n.anomalies.length > 0;
    var border = flagged ? "#c0392b" : "#17202a";
    return { id: n.id, label: (flagged ? "\u26a0 " : "") + n.label, shape: k.shape, size: n.size, hidden: false,
             borderWidth: flagged ? 4 : 1,
             color: { background: k.color, border: border,
                      highlight: { background: k.color, border: "#000000" },
                      hover: { background: k.color, border: "#000000" } },
             font: { size: n.kind === "state" ? 18 : 13, color: flagged ? "#922b21" : "#1c2833" } };
  }
  function visEdge(e) {
    var r = data.relations[e.relation] || { color: "#aab7b8" };
    var dashed = e.role === "involves" || e.role === "place";
    var v = { id: e.id, from: e.from, to: e.to, width: e.width, hidden: false, dashes: dashed,
              color: { color: r.color, highlight: "#000000", hover: "#000000", opacity: dashed ? 0.6 : 0.9 },
              arrows: { to: { enabled: e.directed, scaleFactor: 0.6 } } };
    if (e.flagged) {  // an anomaly concerns this fact: mark the edge, the panel says what is wrong
      v.label = "\u26a0";
      v.font = { size: 16, color: "#c0392b", strokeWidth: 2, strokeColor: "#ffffff", align: "middle" };
    }
    v.smooth = e.curve === 0 ? false
      : { enabled: true, type: e.curve > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(e.curve) };
    return v;
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var container = byId("graph");
  state.parsedAt = performance.now() - state.startedAt;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.constructedAt = performance.now() - state.startedAt;

  function finishLayout() {
    if (state.stabilized) { return; }
    network.setOptions({ physics: { enabled: false } });
    var pos = network.getPositions();
    nodes.update(Object.keys(pos).map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
    state.stabilized = true;
    state.stabilizedAt = performance.now() - state.startedAt;
    byId("status").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges, "
      + Object.keys(data.facts).length + " facts";
    document.body.setAttribute("data-ready", "true");
    applyFilters();
  }
  network.on("stabilizationProgress", function (p) {
    byId("status").textContent = "Laying out the network\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", finishLayout);

  // ------------------------------------------------------------------ evidence panel
  function row(dl, term, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) {
      return;
    }
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join("; ") : value));
  }
  function factCard(fid) {
    var f = data.facts[fid];
    var card = el("div", null, "fact");
    card.setAttribute("data-fact", fid);
    var head = el("div", null, "fact-head");
    var badge = el("span", f.kind, "badge");
    badge.style.backgroundColor = (data.relations[f.relation] || { color: "#aab7b8" }).color;
    head.appendChild(badge);
    head.appendChild(el("span", f.modality, "modality"));
    card.appendChild(head);
    card.appendChild(el("div", f.label, "fact-label"));
    var dl = el("dl");
    if (f.from && f.to) { row(dl, "Direction", f.from + " \u2192 " + f.to); } else { row(dl, "Parties", f.parties); }
    row(dl, "Agreement", f.agreement);
    row(dl, "Involves", f.involves);
    row(dl, "Where", f.places);
    row(dl, "When", f.time);
    row(dl, "Value", f.quantities);
    row(dl, "Goods", f.commodities);
    row(dl, "Words", f.mentions);
    card.appendChild(dl);
    card.appendChild(el("blockquote", f.quote, "quote"));
    var src = "Source: " + (f.title || f.document || "unknown");
    if (f.document) {
      src += " [" + f.document + (f.span ? ", characters " + f.span[0] + "\u2013" + f.span[1] : "") + "]";
    }
    card.appendChild(el("div", src, "source"));
    if (f.also.length) { card.appendChild(el("div", "Also stated by: " + f.also.join(", "), "source")); }
    if (f.note) { card.appendChild(el("div", "Curator\u2019s note: " + f.note, "source")); }
    f.anomalies.forEach(function (a) { card.appendChild(el("div", "\u26a0 " + a, "warn")); });
    return card;
  }
  function show(title, fids, warnings, subtitle) {
    byId("panel-title").textContent = title;
    var body = byId("panel-body");
    body.replaceChildren();
    if (subtitle) { body.appendChild(el("p", subtitle, "hint")); }
    warnings.forEach(function (a) { body.appendChild(el("p", "\u26a0 " + a, "warn")); });
    fids.forEach(function (fid) { body.appendChild(factCard(fid)); });
  }
  function sortFacts(fids) {
    return fids.slice().sort(function (a, b) {
      var fa = data.facts[a], fb = data.facts[b];
      var ya = fa.first === null ? 99999 : fa.first, yb = fb.first === null ? 99999 : fb.first;
      return ya - yb || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  function showNode(id) {
    var n = nodeById[id];
    if (!n) { return; }
    var k = data.nodeKinds[n.kind];
    var fids = sortFacts(n.facts.filter(factVisible));
    var hidden = n.facts.length - fids.length;
    show(n.label, fids, n.anomalies, k.label + (n.type && n.type !== k.label ? " (" + n.type + ")" : "")
      + (n.wikidata ? ", Wikidata " + n.wikidata : "") + ": " + fids.length + " fact"
      + (fids.length === 1 ? "" : "s") + (hidden ? " shown (" + hidden + " hidden by the filters)" : ""));
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    var a = nodeById[e.from], b = nodeById[e.to];
    show(a.label + (e.directed ? " \u2192 " : " \u2013 ") + b.label, [e.fact], [], null);
  }
  function showSelection(sel) {
    if (!sel) {
      byId("panel-title").textContent = "Evidence";
      byId("panel-body").replaceChildren(
        el("p", "Hover over or click a node or an edge to read the facts behind it.", "hint"));
    } else if (sel.node) { showNode(sel.node); } else { showEdge(sel.edge); }
  }
  network.on("click", function (p) {
    if (p.nodes.length) { state.pinned = { node: p.nodes[0] }; }
    else if (p.edges.length) { state.pinned = { edge: p.edges[0] }; }
    else { state.pinned = null; }
    showSelection(state.pinned);
  });
  network.on("hoverNode", function (p) { showNode(p.node); });
  network.on("hoverEdge", function (p) { showEdge(p.edge); });
  network.on("blurNode", function () { showSelection(state.pinned); });
  network.on("blurEdge", function () { showSelection(state.pinned); });

  // ------------------------------------------------------------------ filters
  var relationBoxes = {};
  var fs = byId("relations");
  data.relationOrder.forEach(function (r) {
    var label = el("label", null, "check");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = r;
    box.setAttribute("data-relation", r);
    var line = el("span", null, "line");
    line.style.backgroundColor = data.relations[r].color;
    label.appendChild(box); label.appendChild(document.createTextNode(" "));
    label.appendChild(line); label.appendChild(document.createTextNode(data.relations[r].label));
    fs.appendChild(label);
    relationBoxes[r] = box;
    box.addEventListener("change", applyFilters);
  });
  var partner = byId("partner");
  data.partners.forEach(function (id) { partner.appendChild(new Option(nodeById[id].label, id)); });
  var yearMode = byId("year-mode"), year = byId("year"), undated = byId("undated");
  if (data.years) {
    year.min = String(data.years[0]); year.max = String(data.years[1]); year.value = String(data.years[1]);
  } else { yearMode.disabled = true; }
  [partner, yearMode, undated].forEach(function (c) { c.addEventListener("change", applyFilters); });
  year.addEventListener("input", applyFilters);

  function factVisible(fid) {
    var f = data.facts[fid];
    if (!relationBoxes[f.relation] || !relationBoxes[f.relation].checked) { return false; }
    if (partner.value && f.members.indexOf(partner.value) < 0) { return false; }
    var mode = yearMode.value;
    if (mode !== "all") {
      if (f.first === null) { return undated.checked; }
      var y = Number(year.value);
      if (f.first > y) { return false; }
      if (mode === "in" && f.last < y) { return false; }
    }
    return true;
  }
  function applyFilters() {
    var mode = yearMode.value;
    year.disabled = mode === "all";
    byId("year-value").textContent = mode === "all" ? "" : (mode === "upto" ? "up to " : "in ") + year.value;
    var showFact = {};
    Object.keys(data.facts).forEach(function (fid) { showFact[fid] = factVisible(fid); });
    var nodeChanges = [], edgeChanges = [];
    data.edges.forEach(function (e) {
      var hide = !showFact[e.fact];
      if (edges.get(e.id).hidden !== hide) { edgeChanges.push({ id: e.id, hidden: hide }); }
    });
    data.nodes.forEach(function (n) {
      var hide = !n.facts.some(function (fid) { return showFact[fid]; });
      if (nodes.get(n.id).hidden !== hide) { nodeChanges.push({ id: n.id, hidden: hide }); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    var v = visible();
    byId("status").textContent = v.nodes + " of " + data.nodes.length + " nodes, " + v.edges + " of "
      + data.edges.length + " edges shown";
    if (state.pinned) { showSelection(state.pinned); }
  }
  function visible() {
    return { nodes: nodes.get({ filter: function (n) { return !n.hidden; } }).length,
             edges: edges.get({ filter: function (e) { return !e.hidden; } }).length };
  }
  byId("reset").addEventListener("click", function () {
    partner.value = ""; yearMode.value = "all"; undated.checked = true;
    if (data.years) { year.value = String(data.years[1]); }
    Object.keys(relationBoxes).forEach(function (r) { relationBoxes[r].checked = true; });
    applyFilters();
  });

  // ------------------------------------------------------------------ search
  var names = byId("node-names");
  data.nodes.slice().sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
    .forEach(function (n) { var o = el("option"); o.value = n.label; names.appendChild(o); });
  function search(text) {
    var q = String(text || "").trim().toLowerCase();
    var out = byId("search-result");
    if (!q) { out.textContent = ""; return null; }
    var hit = data.nodes.filter(function (n) { return n.label.toLowerCase() === q; })[0]
      || data.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; })[0]
      || data.nodes.filter(function (n) { return n.id.toLowerCase().indexOf(q) >= 0; })[0];
    if (!hit) { out.textContent = "No node matches."; return null; }
    var shown = !nodes.get(hit.id).hidden;
    out.textContent = shown ? "" : hit.label + " is hidden by the filters.";
    if (shown) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, { scale: 1.2, animation: false });
    }
    state.pinned = { node: hit.id };
    showSelection(state.pinned);
    return hit.id;
  }
  var box = byId("search");
  box.addEventListener("change", function () { search(box.value); });
  box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(box.value); } });

  // ------------------------------------------------------------------ legend
  var ln = byId("legend-nodes");
  data.kindOrder.forEach(function (k) {
    var li = el("li"), sw = el("span", data.nodeKinds[k].symbol, "swatch");
    sw.style.color = data.nodeKinds[k].color;
    li.appendChild(sw); li.appendChild(document.createTextNode(" " + data.nodeKinds[k].label));
    ln.appendChild(li);
  });

  if (data.nodes.length === 0) { finishLayout(); byId("status").textContent = "No facts to show."; }

  window.nkrelNetwork = {
    network: network, nodes: nodes, edges: edges, data: data, state: state,
    counts: { nodes: data.nodes.length, edges: data.edges.length, facts: Object.keys(data.facts).length },
    visible: visible, applyFilters: applyFilters, search: search, showNode: showNode, showEdge: showEdge,
    edgeMidpoint: function (id) {
      var p = network.body.edges[id].edgeType.getPoint(0.5);
      var d = network.canvasToDOM(p), r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    },
    nodePoint: function (id) {
      var p = network.getPositions([id])[id];
      var d = network.canvasToDOM(p), r = container.getBoundingClientRect();
      return { x: r.left + d.x, y: r.top + d.y };
    }
  };
})();
