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
