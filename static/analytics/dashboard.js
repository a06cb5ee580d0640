/* Dashboards: ECharts from the JSON the page embeds, sortable tables, the month picker.
 * Every chart has its numbers in a table beside it; the charts are an aid, not the only record.
 * Each series has an id (the figure's key) and the table's column heading names it (data-series). */
(function () {
  "use strict";

  var COLORS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];

  function chartData() {
    var node = document.getElementById("dashboard-charts");
    return node ? JSON.parse(node.textContent) : {};
  }

  function draw(name, option) {
    var node = document.querySelector('[data-chart="' + name + '"]');
    if (!node || !window.echarts) { return; }
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    option.color = COLORS;
    option.aria = { enabled: true };
    option.textStyle = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif" };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function lineSeries(series, unit) {
    return series.map(function (item) {
      return { id: item.key, name: item.name, type: "line", data: item.data, connectNulls: false, smooth: false,
        tooltip: { renderMode: "richText", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + unit; } } };
    });
  }

  function barOption(block) {
    return {
      tooltip: { renderMode: "richText", trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: block.names.slice().reverse(), axisLabel: { width: 96, overflow: "truncate" } },
      series: block.series.map(function (item) {
        return { id: item.key, name: item.name, type: "bar", data: item.data.slice().reverse() };
      })
    };
  }

  function drawCharts() {
    var data = chartData();
    var trend = data.trend || {};
    if (trend.months) {
      draw("trend-counts", {
        tooltip: { renderMode: "richText", trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", minInterval: 1 },
        series: lineSeries(trend.counts, "")
      });
      draw("trend-rates", {
        tooltip: { renderMode: "richText", trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: lineSeries(trend.rates, "%")
      });
    }
    if (data.tiers) {
      draw("tiers", {
        tooltip: { renderMode: "richText", trigger: "item", formatter: "{b}：{c} 家（{d}%）" },
        legend: { bottom: 0 },
        series: [{ id: "tiers", type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data.tiers,
          label: { show: false }, emphasis: { label: { show: true, formatter: "{b}\n{c} 家", fontWeight: "bold" } } }]
      });
    }
    if (data.categories && data.categories.names.length) { draw("categories", barOption(data.categories)); }
    if (data.bureaus && data.bureaus.names.length) { draw("bureaus", barOption(data.bureaus)); }
  }

  /* Click a column heading to sort by it; click again to reverse. */
  function sortTable(table, columnIndex, type, header) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") !== "descending" && type === "number";
    if (header.getAttribute("aria-sort") === "ascending") { descending = true; }
    if (header.getAttribute("aria-sort") === "descending") { descending = false; }
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[columnIndex].getAttribute("data-sort") || a.cells[columnIndex].textContent.trim();
      var y = b.cells[columnIndex].getAttribute("data-sort") || b.cells[columnIndex].textContent.trim();
      if (type === "number") {
        if (x === "" && y === "") { return 0; }
        if (x === "") { return 1; }
        if (y === "") { return -1; }
        return descending ? parseFloat(y) - parseFloat(x) : parseFloat(x) - parseFloat(y);
      }
      return descending ? y.localeCompare(x, "zh-CN") : x.localeCompare(y, "zh-CN");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function enableSorting() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
        var button = header.querySelector(".sort-button");
        if (!button) { return; }
        button.addEventListener("click", function () {
          sortTable(table, index, button.getAttribute("data-sort-type"), header);
        });
      });
    });
  }

  function autoSubmitMonth() {
    document.querySelectorAll("[data-month-picker] input[type=month]").forEach(function (input) {
      input.addEventListener("change", function () { if (input.value) { input.form.submit(); } });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    enableSorting();
    autoSubmitMonth();
  });
})();
