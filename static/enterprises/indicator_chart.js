/* The 12-month operating-indicator trend on the enterprise profile.
 *
 * The chart element names the json_script that holds its data
 * (data-jk-chart="<id>") and where ECharts lives (data-echarts-src). This file
 * is included by the indicators tab itself, so it runs on a full page load and
 * again each time htmx swaps the tab in; it sets itself up once and then only
 * draws the charts that are not drawn yet. The numbers are also in the table
 * beside the chart, for screen readers and for print.
 */
(function () {
  "use strict";

  if (!window.jkIndicatorCharts) {
    var echartsLoading = null;

    var loadEcharts = function (src) {
      if (window.echarts) return Promise.resolve(window.echarts);
      if (!echartsLoading) {
        echartsLoading = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = src;
          script.onload = function () { resolve(window.echarts); };
          script.onerror = reject;
          document.head.appendChild(script);
        });
      }
      return echartsLoading;
    };

    var option = function (data) {
      var labels = data.labels;
      return {
        color: ["#2c6fb7", "#e67e22", "#27ae60"],
        tooltip: { renderMode: "richText", trigger: "axis" },
        // The legend sits below the plot, where wrapping on a phone overlaps nothing.
        legend: { bottom: 0, data: [labels.output, labels.orders, labels.capacity] },
        grid: { left: 8, right: 8, bottom: 56, top: 32, containLabel: true },
        xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: "value", name: labels.money_axis },
          { type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } }
        ],
        series: [
          { name: labels.output, type: "bar", data: data.output, barMaxWidth: 22 },
          { name: labels.orders, type: "line", data: data.orders, smooth: true },
          { name: labels.capacity, type: "line", yAxisIndex: 1, data: data.capacity, smooth: true }
        ],
        graphic: data.output.concat(data.orders, data.capacity).some(function (v) { return v !== null; })
          ? []
          : [{ type: "text", left: "center", top: "middle", style: { text: labels.empty, fill: "#888", fontSize: 14 } }]
      };
    };

    var draw = function (element) {
      var source = document.getElementById(element.dataset.jkChart);
      if (!source) return;
      element.dataset.jkChartReady = "1";
      loadEcharts(element.dataset.echartsSrc).then(function (echarts) {
        if (!element.isConnected) return;
        var chart = echarts.getInstanceByDom(element) || echarts.init(element, null, { renderer: "svg" });
        chart.setOption(option(JSON.parse(source.textContent)), true);
        if (window.ResizeObserver) {
          new ResizeObserver(function () { chart.resize(); }).observe(element);
        }
      });
    };

    window.jkIndicatorCharts = {
      drawAll: function (root) {
        (root || document).querySelectorAll("[data-jk-chart]:not([data-jk-chart-ready])").forEach(draw);
      }
    };

    // A chart swapped out by htmx releases its ECharts instance.
    document.addEventListener("htmx:beforeCleanupElement", function (event) {
      var element = event.target;
      if (window.echarts && element.dataset && element.dataset.jkChart) {
        var chart = window.echarts.getInstanceByDom(element);
        if (chart) chart.dispose();
      }
    });
  }

  window.jkIndicatorCharts.drawAll(document);
})();
