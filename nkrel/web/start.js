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
