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
