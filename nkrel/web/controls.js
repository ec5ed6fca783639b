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
