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
