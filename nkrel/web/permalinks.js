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
