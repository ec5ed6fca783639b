    // ---------------------------------------------------------------- trade chart
    var tradeRelation = byId("trade-relation");
    (function () {
      var withValues = new Set();
      for (var i = 0; i < NF; i++) { if (list(F.values, i).length) { withValues.add(F.relation[i]); } }
      Array.from(withValues).sort(function (a, b) { return a - b; }).forEach(function (r) {
        tradeRelation.appendChild(new Option(REL[r].label, REL[r].id));
      });
      if (withValues.has(REL.map(function (r) { return r.id; }).indexOf("trade"))) { tradeRelation.value = "trade"; }
    })();
    tradeRelation.addEventListener("change", function () { renderTrade(); writeHash(); });
    byId("trade-log").addEventListener("change", function () { renderTrade(); writeHash(); });
    byId("timeline-rows").addEventListener("change", function () {
      if (S.view === "timeline") { renderTimeline(); }
      writeHash();
    });
    // series colours; no red, which marks the values an anomaly concerns
    var PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e",
                   "#393b79"];
    function seriesOf(i) {
      var fr = get(F.from, i), to = get(F.to, i);
      if (fr !== null && to !== null) { return nodeLabel(fr) + " \u2192 " + nodeLabel(to); }
      var ps = list(F.parties, i).slice();
      if (D.focus !== null && ps.indexOf(D.focus) >= 0) {
        ps = [D.focus].concat(ps.filter(function (p) { return p !== D.focus; }));
      }
      return ps.length ? names(ps).join(" \u2013 ") : "(no parties)";
    }
    function renderTrade() {
      var main = byId("trade-main"), small = byId("trade-small"), notes = byId("trade-notes"), legend = byId("trade-legend");
      main.replaceChildren(); small.replaceChildren(); notes.replaceChildren(); legend.replaceChildren();
      var rel = REL.map(function (r) { return r.id; }).indexOf(tradeRelation.value);
      var charts = new Map(), undatedValues = [];
      for (var i = 0; i < NF; i++) {
        if (!shown[i] || F.relation[i] !== rel) { continue; }
        list(F.values, i).forEach(function (v) {
          if (!dated[i]) { undatedValues.push(i); return; }
          var key = v[1] === USD && v[2] === VALUE ? "main" : D.units[v[1]] + "|" + D.measures[v[2]];
          if (!charts.has(key)) { charts.set(key, { unit: D.units[v[1]], measure: D.measures[v[2]], points: new Map() }); }
          var series = seriesOf(i);
          var pk = series + "|" + lo[i] + "|" + hi[i] + "|" + v[0];
          var pts = charts.get(key).points;
          if (!pts.has(pk)) { pts.set(pk, { series: series, lo: lo[i], hi: hi[i], value: v[0], facts: [] }); }
          if (pts.get(pk).facts.indexOf(i) < 0) { pts.get(pk).facts.push(i); }
        });
      }
      var seriesNames = new Set();
      charts.forEach(function (c) { c.points.forEach(function (p) { seriesNames.add(p.series); }); });
      var seriesList = Array.from(seriesNames).sort(), colour = {};
      seriesList.forEach(function (s, k) { colour[s] = PALETTE[k % PALETTE.length]; });
      seriesList.forEach(function (s) {
        var li = el("li"), sw = el("span", null, "swatch dot");
        sw.style.backgroundColor = colour[s];
        li.appendChild(sw); li.appendChild(document.createTextNode(s));
        legend.appendChild(li);
      });
      var log = byId("trade-log").checked;
      if (charts.has("main")) {
        drawValueChart(main, charts.get("main"), width(main, 300), 320, log, colour, "US$ (value as stated, by year)");
      } else {
        main.appendChild(el("p", "No US$ value among the facts shown.", "hint"));
      }
      Array.from(charts.keys()).filter(function (k) { return k !== "main"; }).sort().forEach(function (k) {
        var c = charts.get(k), fig = el("figure");
        fig.appendChild(el("figcaption", c.unit + (c.measure && c.measure !== c.unit ? " (" + c.measure + ")" : "")));
        small.appendChild(fig);
        drawValueChart(fig, c, 320, 190, false, colour, c.unit);  // small ranges, negative changes: linear
      });
      if (undatedValues.length) {
        notes.appendChild(el("p", plural(undatedValues.length, "value") + " with no year " +
          (undatedValues.length === 1 ? "is" : "are") + " not drawn:"));
        var ul = el("ul", null, "fact-list");
        notes.appendChild(ul);
        renderFactButtons(ul, sortByTime(Array.from(new Set(undatedValues))), "undated");
      }
      markCurrentEverywhere();
    }
    function money(v) {
      var a = Math.abs(v), f = d3.format("~r");
      if (a >= 1e9) { return "$" + f(+(v / 1e9).toPrecision(3)) + "bn"; }
      if (a >= 1e6) { return "$" + f(+(v / 1e6).toPrecision(3)) + "m"; }
      if (a >= 1e3) { return "$" + f(+(v / 1e3).toPrecision(3)) + "k"; }
      return "$" + f(v);
    }
    function drawValueChart(box, chart, W, H, log, colour, title) {
      var pts = Array.from(chart.points.values());
      var left = 74, right = 12, top = 12, bottom = 28;
      var years = D.years || [0, 1];
      var x = d3.scaleLinear().domain([years[0], years[1] + 1]).range([left, W - right]);
      var values = pts.map(function (p) { return p.value; });
      var positive = values.filter(function (v) { return v > 0; });
      var useLog = log && positive.length > 0;
      var yScale = useLog ? d3.scaleLog().domain([d3.min(positive), d3.max(positive)]).nice()
        : d3.scaleLinear().domain([Math.min(0, d3.min(values)), d3.max(values) || 1]).nice();
      yScale.range([H - bottom, top]);
      var svg = d3.select(box).append("svg").attr("width", W).attr("height", H)
        .attr("role", "group").attr("aria-label", title + ": " + plural(pts.length, "value"));
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (H - bottom) + ")")
        .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(W / 90))).tickFormat(d3.format("d")));
      svg.append("g").attr("class", "axis").attr("transform", "translate(" + left + ",0)")
        .call(d3.axisLeft(yScale).ticks(useLog ? 5 : 6).tickFormat(chart.unit === "USD" ? money : d3.format("~s")));
      pts.sort(function (a, b) { return a.lo - b.lo || a.value - b.value; });
      pts.forEach(function (p) {
        if (useLog && !(p.value > 0)) { return; }
        var a = isFinite(p.lo) ? p.lo : years[0], b = isFinite(p.hi) ? p.hi + 1 : years[1] + 1;
        var cy = yScale(p.value), cx = (x(a) + x(b)) / 2;
        var flagged = p.facts.some(function (i) { return list(F.anomalies, i).length > 0; });
        var g = svg.append("g");
        if (b - a > 1) {
          g.append("line").attr("x1", x(a)).attr("x2", x(b)).attr("y1", cy).attr("y2", cy)
            .attr("stroke", colour[p.series]).attr("stroke-width", 3).attr("stroke-opacity", 0.6);
        }
        var mark = g.append("circle").attr("class", "mark").attr("cx", cx).attr("cy", cy).attr("r", p.facts.length > 1 ? 6 : 5)
          .attr("fill", colour[p.series]).attr("stroke", flagged ? "#c0392b" : "#17202a").attr("stroke-width", flagged ? 3 : 1)
          .attr("tabindex", 0).attr("role", "button").attr("data-fact", F.id[p.facts[0]])
          .attr("aria-label", p.series + ", " + F.time[p.facts[0]] + ": " + list(F.quantities, p.facts[0]).join("; ") +
                (flagged ? " (an anomaly concerns it)" : "") + (p.facts.length > 1 ? ", stated by " + p.facts.length + " facts" : ""));
        if (flagged) {
          g.append("text").attr("x", cx + 7).attr("y", cy - 6).style("fill", "#922b21").attr("aria-hidden", "true").text("\u26a0");
        }
        if (p.facts.length > 1) {
          mark.on("mouseenter focus", function () {
            var body = panel(p.series + ", " + F.time[p.facts[0]], plural(p.facts.length, "fact") + " state this value");
            cardList(body, sortByTime(p.facts.slice()));
          }).on("mouseleave", endHover)
            .on("click", function () { selectFact(p.facts[0], { keepView: true }); })
            .on("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectFact(p.facts[0], { keepView: true }); } });
        } else {
          markEvents(mark, p.facts[0], false);
        }
      });
    }
