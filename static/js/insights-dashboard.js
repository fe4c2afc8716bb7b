// The county dashboard's charts. Data comes from <script type="application/json" id="dashboard-data">
// (no inline script: CSP allows same-origin scripts only). Clicking a school drills down to its page.
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var narrow = window.innerWidth < 760;
    function chart(name, option, onClick) {
      var el = document.querySelector('[data-chart="' + name + '"]');
      if (!el) { return; }
      var c = echarts.init(el, null, { renderer: "canvas" });
      c.setOption(option);
      if (onClick) { c.on("click", onClick); }
      charts.push(c);
    }
    var heat = data.heat;
    if (heat.data.length) {
      var el = document.querySelector('[data-chart="heat"]');
      if (el) { el.style.height = Math.max(280, heat.schools.length * 26 + 110) + "px"; }
      var hl = data.labels || {};
      // Full names (wrapped, never cut off), each with its lag count when the map is sorted by lag.
      var names = heat.schools.map(function (n, i) {
        var lag = heat.lags && heat.lags[i];
        return lag === null || lag === undefined ? n : n + "（" + hl.lag + lag + "）";
      });
      chart("heat", {
        animation: false,
        tooltip: { formatter: function (p) { return names[p.value[1]] + "<br>" + heat.months[p.value[0]] + "：" + p.value[2] + "%"; } },
        grid: { left: 260, right: 10, top: 10, bottom: 90 },
        xAxis: { type: "category", data: heat.months, axisLabel: { rotate: 60, fontSize: 10 } },
        yAxis: { type: "category", data: names, inverse: true, axisLabel: { fontSize: 11, width: 250, overflow: "break" } },
        visualMap: { min: 0, max: 100, orient: "horizontal", left: "center", bottom: 0, itemHeight: 160, calculable: false,
                     text: ["100%", hl.scale + " 0%"], textGap: 8, formatter: "{value}%",
                     inRange: { color: ["#b22222", "#f0c36d", "#1e7b34"] } },
        series: [{ type: "heatmap", data: heat.data }]
      }, function (p) { window.location.href = heat.urls[p.value[1]]; });
    }
    var ranking = data.ranking;
    if (ranking.names.length) {
      chart("ranking", {
        animation: false,
        tooltip: {},
        grid: { left: narrow ? 96 : 180, right: 30, top: 10, bottom: 20 },
        xAxis: { type: "value", min: 0, max: 100 },
        yAxis: { type: "category", data: ranking.names, inverse: true, axisLabel: { fontSize: 10, width: narrow ? 90 : 170, overflow: "truncate" } },
        series: [{ type: "bar", data: ranking.scores, itemStyle: { color: "#b22222" }, label: { show: true, position: "right", fontSize: 10 } }]
      }, function (p) { window.location.href = ranking.urls[p.dataIndex]; });
    }
    if (data.grades.length) {
      chart("grades", {
        animation: false,
        tooltip: {},
        xAxis: { type: "category", data: data.grades.map(function (g) { return g[0]; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.grades.map(function (g) { return g[1]; }), itemStyle: { color: "#a15c00" }, label: { show: true, position: "top" } }]
      });
    }
    var labels = data.labels || {};
    // A month without a figure is null: a gap in the line, and 无数据 in the tooltip (never 0 %).
    function shown(value) { return value === null || value === undefined ? labels.no_data : value; }
    function line(name, label, rows) {
      chart(name, {
        animation: false,
        tooltip: { trigger: "axis", valueFormatter: shown },
        legend: { top: 0 },
        grid: { left: 40, right: 10, top: 30, bottom: 60 },
        xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: 30, fontSize: 10 } },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [{ name: label, type: "line", data: rows.map(function (r) { return r[1]; }) }]
      });
    }
    if (data.compliance.some(function (r) { return r[1] !== null; })) { line("trend", labels.compliance, data.compliance); }
    if (data.rounds.length) { line("rounds", labels.rounds, data.rounds); }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    // 大字模式 or a larger browser font narrows the page without a window resize: follow the boxes themselves.
    if (window.ResizeObserver) {
      var boxes = new ResizeObserver(function () { charts.forEach(function (c) { c.resize(); }); });
      charts.forEach(function (c) { boxes.observe(c.getDom()); });
    }
    document.body.setAttribute("data-charts-ready", String(charts.length));
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
