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
