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
