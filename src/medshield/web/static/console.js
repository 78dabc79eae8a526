// Draws the charts of a page from their data attributes (no inline script: the CSP forbids it).
(function () {
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var series = JSON.parse(el.getAttribute("data-series")).map(function (s) {
        return { name: s.name, type: kind, data: s.data };
      });
      var chart = window.echarts.init(el);
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 4 },
        grid: { left: 48, right: 16, top: 36, bottom: 48 },
        xAxis: { type: "category", data: JSON.parse(el.getAttribute("data-x")), axisLabel: { interval: 0, width: 110, overflow: "truncate" } },
        yAxis: { type: "value", minInterval: 1 },
        series: series,
        aria: { enabled: true }
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
    // a chart whose whole option the server built (the traffic map: fixed size, no resize)
    document.querySelectorAll("[data-option]").forEach(function (el) {
      window.echarts.init(el).setOption(JSON.parse(el.getAttribute("data-option")));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
