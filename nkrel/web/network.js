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
    var LABEL_GAP = 4;  // between a node and a label placed above it (canvas units)
    function liftOf(nodeSize, fontSize) {
      // the font.vadjust that moves a label from below its node (where vis draws it, its top
      // at half a line and 4 units below the node) to above it, LABEL_GAP clear of the node
      return -(2 * nodeSize + 1.5 * fontSize + 4 + LABEL_GAP);
    }
    function labelBox(p, r, px, w, s, above) {
      // the box vis draws a label in, on screen: below the node, or lifted above it by liftOf
      var y0 = above ? p.y - r - (LABEL_GAP * s) - px : p.y + r + px / 2 + 4 * s;
      return { x0: p.x - w / 2 - 2, x1: p.x + w / 2 + 2, y0: y0, y1: y0 + px };
    }
    function labelBoxes(declutter) {
      // each drawn label's box on screen, the biggest nodes first; with declutter, a label that
      // would overlap one already placed, or run past the edge of the network, is left out
      // (hover, the panel and the list still name it), except that a state's label first tries
      // above its node (lifts: its font.vadjust)
      var s = network.getScale(), W = container.clientWidth, H = container.clientHeight;
      function rank(n) { return isState(n) ? 0 : N.kind[n] === AGREEMENT ? 1 : 2; }
      var order = Array.from(drawn).sort(function (a, b) {
        return rank(a) - rank(b) || nodeCount[b] - nodeCount[a] || a - b;
      });
      var pos = network.getPositions(order.map(function (n) { return N.id[n]; }));
      var placed = [], sizes = new Map(), lifts = new Map(), extent = null;
      function grow(b) {
        extent = extent ? { x0: Math.min(extent.x0, b.x0), x1: Math.max(extent.x1, b.x1),
                            y0: Math.min(extent.y0, b.y0), y1: Math.max(extent.y1, b.y1) } : b;
      }
      function clashes(label) {
        return label.x0 < 0 || label.x1 > W || label.y0 < 0 || label.y1 > H || placed.some(function (q) {
          return label.x0 < q.x1 && q.x0 < label.x1 && label.y0 < q.y1 && q.y0 < label.y1;
        });
      }
      order.forEach(function (n) {
        var size = labelSize(n), id = N.id[n], node = nodesDS.get(id);
        sizes.set(n, size);
        lifts.set(n, 0);
        if (!pos[id] || !node) { return; }
        var p = network.canvasToDOM(pos[id]), r = (node.size || 10) * s;
        grow({ x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r });
        if (!size) { return; }
        var px = size * s;
        measure.font = px + "px arial";
        var w = measure.measureText(node.label || "").width;
        var label = labelBox(p, r, px, w, s, false);
        if (isState(n)) { grow(label); }  // the fit leaves room for the states' labels; the others may give way
        if (declutter && clashes(label)) {
          var above = isState(n) ? labelBox(p, r, px, w, s, true) : null;
          if (!above || clashes(above)) { sizes.set(n, 0); return; }
          label = above;
          lifts.set(n, liftOf(node.size || 10, size));
        }
        placed.push(label);
      });
      return { sizes: sizes, lifts: lifts, extent: extent, placed: placed };
    }
    function adjustLabels(force) {
      var s = network.getScale();
      if (!force && Math.abs(s - zoomScale) / zoomScale < 0.15 && status.ready) { return; }
      zoomScale = s;
      var ups = [];
      drawn.forEach(function (n) { ups.push({ id: N.id[n], font: { size: labelSize(n) } }); });
      nodesDS.update(ups);
      ups = [];
      var boxes = labelBoxes(true);
      boxes.sizes.forEach(function (size, n) { ups.push({ id: N.id[n], font: { size: size, vadjust: boxes.lifts.get(n) } }); });
      nodesDS.update(ups);
    }
