// Draws each report chart: a <canvas data-chart="ID"> and its data in <script id="ID">
// (Django's json_script). Chart.js is served from our own static files (vendor/chartjs).
(function () {
  "use strict";
  var PALETTE = ["#2f6db5", "#e07b39", "#3a9d5d", "#b23b3b", "#7a5cb8", "#8c8c8c"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: spec.type === "line" ? colour + "33" : colour,
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0,
        pointRadius: spec.labels.length > 60 ? 0 : 2,
        tension: 0.2,
      };
    });
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        callback: function (value) {
          return spec.percent ? value + " %" : value.toLocaleString();
        },
      },
    };
    var scales = spec.horizontal ? { x: valueAxis } : { y: valueAxis };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          title: { display: true, text: spec.title, font: { size: 14 } },
          legend: { display: datasets.length > 1 },
        },
      },
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
