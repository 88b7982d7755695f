// Draw each report's chart from the JSON block beside it (reports.registry.chart_spec).
// Labels come translated from the server; numbers are formatted for the page's language.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var colours = ["#1f5f8b", "#c0504d", "#6b7b8c", "#2e8540", "#8e6c00"];
  var locale = document.documentElement.lang || "en";
  document.querySelectorAll("canvas[data-report-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-report-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.series.map(function (series, index) {
      var colour = colours[index % colours.length];
      return {
        type: series.line ? "line" : spec.kind,
        label: series.label,
        data: series.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: series.line ? 2 : 0,
        stack: series.line ? "line" : "bars",
        order: series.line ? 0 : 1
      };
    });
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: locale,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { stacked: spec.stacked, title: { display: true, text: spec.xTitle } },
          y: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  });
})();
