    // ---------------------------------------------------------------- timeline
    var TIMELINE_MARKS = 2500;
    function timelineRows(ids) {
      var byRow = new Map(), perRelation = byId("timeline-rows").value === "relation";
      ids.forEach(function (i) {
        var keys = perRelation ? [F.relation[i]] : partnersOf(i);
        if (!keys.length) { keys = [-1]; }
        keys.forEach(function (k) {
          if (!byRow.has(k)) { byRow.set(k, []); }
          byRow.get(k).push(i);
        });
      });
      var rows = Array.from(byRow.keys()).map(function (k) {
        var label = k === -1 ? (D.focus !== null ? nodeLabel(D.focus) + " alone" : "No partner state")
          : (perRelation ? REL[k].label : nodeLabel(k));
        return { key: k, label: label, facts: byRow.get(k) };
      });
      rows.sort(function (x, y) { return (x.key === -1) - (y.key === -1) || (y.facts.length - x.facts.length) || (x.label < y.label ? -1 : 1); });
      return rows;
    }
    function renderTimeline() {
      var box = byId("timeline");
      box.replaceChildren();
      var ids = shownFacts(), datedIds = ids.filter(function (i) { return dated[i]; });
      var undatedIds = sortByTime(ids.filter(function (i) { return !dated[i]; }));
      renderFactButtons(byId("undated-list"), undatedIds, "undated");
      byId("undated-title").textContent = "Facts with no date (" + undatedIds.length + ")";
      if (!D.years) { box.appendChild(el("p", "No fact has a date.", "hint")); return; }
      var y0 = D.years[0], y1 = D.years[1] + 1;
      var W = width(box, 600), left = 150, right = 16, top = 44;
      var x = d3.scaleLinear().domain([y0, y1]).range([left, W - right]);
      var rows = timelineRows(datedIds), aggregate = datedIds.length > TIMELINE_MARKS;
      var laneH = 11, y = top, layout = [];
      rows.forEach(function (r) {
        var lanes = [];
        var marks = r.facts.slice().sort(compareTime).map(function (i) {
          var a = isFinite(lo[i]) ? lo[i] : y0, b = isFinite(hi[i]) ? hi[i] + 1 : y1;
          var x0 = x(a), x1 = Math.max(x(b), x0 + 8);
          var lane = 0;
          if (!aggregate) {
            while (lane < lanes.length && lanes[lane] > x0) { lane++; }
            if (lane >= 14) { lane = 13; }
            lanes[lane] = x1 + 2;
          }
          return { fact: i, x0: x0, x1: x1, lane: lane, open: !isFinite(hi[i]) || !isFinite(lo[i]), point: lo[i] === hi[i] };
        });
        var h = aggregate ? 22 : Math.max(1, Math.min(lanes.length, 14)) * laneH + 8;
        layout.push({ row: r, y: y, h: h, marks: marks });
        y += h;
      });
      var H = y + 30;
      var svg = d3.select(box).append("svg").attr("width", W).attr("height", H)
        .attr("role", "group").attr("aria-label", "Timeline of " + plural(datedIds.length, "dated fact"));
      // the brush band: drag across it to choose the years every view shows
      var band = svg.append("g").attr("class", "brush-band");
      band.append("rect").attr("class", "band").attr("x", left).attr("y", 4).attr("width", W - right - left).attr("height", 22);
      band.append("text").attr("x", left - 6).attr("y", 19).attr("text-anchor", "end").text("Years \u2192");
      var brush = d3.brushX().extent([[left, 4], [W - right, 26]]).on("end", function (ev) {
        if (!ev.sourceEvent) { return; }
        if (!ev.selection) { return; }
        var a = Math.round(x.invert(ev.selection[0])), b = Math.round(x.invert(ev.selection[1])) - 1;
        S.mode = "between"; S.from = Math.max(D.years[0], Math.min(a, b)); S.to = Math.min(D.years[1], Math.max(a, b));
        update();
      });
      var bg = band.append("g").attr("class", "brush").call(brush);
      if (S.mode !== "all") {
        var from = S.mode === "between" ? S.from : (S.mode === "in" ? S.to : D.years[0]);
        bg.call(brush.move, [x(from), x(S.to + 1)]);
      }
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (top - 6) + ")")
        .call(d3.axisTop(x).ticks(Math.max(2, Math.floor((W - left) / 70))).tickFormat(d3.format("d")));
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (y + 4) + ")")
        .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor((W - left) / 70))).tickFormat(d3.format("d")));
      layout.forEach(function (L, k) {
        var g = svg.append("g").attr("class", "row");
        if (k % 2 === 0) { g.append("rect").attr("x", left).attr("y", L.y).attr("width", W - right - left).attr("height", L.h).attr("fill", "#f6f8f8"); }
        g.append("title").text(L.row.label);
        g.append("text").attr("class", "row-label").attr("x", left - 6).attr("y", L.y + 14).attr("text-anchor", "end")
          .text(L.row.label.length > 22 ? L.row.label.slice(0, 21) + "\u2026" : L.row.label);
        if (aggregate) { drawTimelineCounts(g, L, x, y0, y1); return; }
        L.marks.forEach(function (m) {
          var i = m.fact, r = REL[F.relation[i]], cy = L.y + 4 + m.lane * laneH + laneH / 2 - 1;
          var flagged = list(F.anomalies, i).length > 0;
          var mark;
          if (m.point) {
            mark = g.append("circle").attr("cx", (m.x0 + m.x1) / 2).attr("cy", cy).attr("r", 4.5);
          } else {
            mark = g.append("rect").attr("x", m.x0).attr("y", cy - 4).attr("width", Math.max(6, m.x1 - m.x0)).attr("height", 8).attr("rx", 2);
            if (m.open) { mark.attr("stroke-dasharray", "3 2"); }
          }
          mark.attr("class", "mark").attr("fill", r.color).attr("stroke", flagged ? "#c0392b" : "#17202a")
            .attr("stroke-width", flagged ? 2 : 0.6).attr("tabindex", 0).attr("role", "button")
            .attr("data-fact", F.id[i]).attr("aria-label", F.label[i] + ", " + F.time[i]);
          markEvents(mark, i, true);
        });
      });
      markCurrentEverywhere();
    }
    function drawTimelineCounts(g, L, x, y0, y1) {
      // too many facts for one mark each: a cell per year, darker for more facts
      var perYear = new Map(), max = 1;
      L.row.facts.forEach(function (i) {
        var a = Math.max(y0, isFinite(lo[i]) ? lo[i] : y0), b = Math.min(y1 - 1, isFinite(hi[i]) ? hi[i] : y1 - 1);
        for (var yr = a; yr <= b; yr++) {
          if (!perYear.has(yr)) { perYear.set(yr, []); }
          perYear.get(yr).push(i);
        }
      });
      perYear.forEach(function (fs) { max = Math.max(max, fs.length); });
      Array.from(perYear.keys()).sort(function (a, b) { return a - b; }).forEach(function (yr) {
        var fs = perYear.get(yr);
        var cell = g.append("rect").attr("class", "mark").attr("x", x(yr)).attr("y", L.y + 3)
          .attr("width", Math.max(2, x(yr + 1) - x(yr) - 1)).attr("height", L.h - 6)
          .attr("fill", "#1f4e79").attr("fill-opacity", 0.15 + 0.85 * Math.sqrt(fs.length / max))
          .attr("tabindex", 0).attr("role", "button")
          .attr("aria-label", L.row.label + ", " + yr + ": " + plural(fs.length, "fact"));
        function open() {
          var body = panel(L.row.label + ", " + yr, plural(fs.length, "fact"));
          cardList(body, sortByTime(fs.slice()));
        }
        cell.on("click", open).on("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
      });
    }
    function markEvents(mark, i, toNetwork) {
      mark.on("mouseenter", function () { showFactPanel(i); })
        .on("focus", function () { showFactPanel(i); })
        .on("mouseleave", endHover)
        .on("click", function () { chooseFact(i, toNetwork); })
        .on("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); chooseFact(i, toNetwork); }
        });
    }
    function chooseFact(i, toNetwork) {
      if (toNetwork) { showView("network", { noHash: true }); }
      selectFact(i);
    }
    function renderFactButtons(ul, ids, what) {
      ul.replaceChildren();
      var limit = 200;
      ids.slice(0, limit).forEach(function (i) {
        var li = el("li"), b = button(null, null, function () { chooseFact(i, false); });
        b.appendChild(document.createTextNode(F.label[i] + " "));
        b.appendChild(el("span", F.time[i] ? "(" + F.time[i] + ")" : "", "what"));
        b.setAttribute("data-fact", F.id[i]);
        b.addEventListener("mouseenter", function () { showFactPanel(i); });
        b.addEventListener("mouseleave", endHover);
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (ids.length > limit) { ul.appendChild(el("li", "\u2026 and " + (ids.length - limit) + " more " + what + " facts (the table lists them all).", "hint")); }
    }
