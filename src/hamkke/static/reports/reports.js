// Hamkke reports (통계): draws the charts whose numbers the page embeds as <script type="application/json">
// (Django's json_script), so that no inline script is needed (ready for a strict CSP), and shows only
// the period fields that apply. Chart.js is served from static/vendor (no CDN). Both run again after
// an htmx swap of the report body. Without JavaScript the tables and every field still work.
(function () {
  "use strict";
  var palette = ["#1f6f5c", "#2457a6", "#a15c00", "#b3261e", "#616e7c", "#7b4fa0"];
  // Which fields each period kind uses (the others are hidden, not removed: the form still submits).
  var periodFields = {year: ["year"], quarter: ["year", "quarter"], month: ["year", "month"],
                      custom: ["start", "end"]};

  function config(spec) {
    var values = {stacked: !!spec.stacked, beginAtZero: true, ticks: {precision: 0}};
    var categories = {stacked: !!spec.stacked, ticks: {autoSkip: !spec.horizontal}};
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, index) {
          var color = palette[index % palette.length];
          return {label: set.label, data: set.data, backgroundColor: color, borderColor: color,
                  tension: 0.25, fill: false, pointRadius: 2};
        })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {display: spec.datasets.length > 1, position: "bottom"}},
        scales: spec.horizontal ? {x: values, y: categories} : {x: categories, y: values}
      }
    };
  }

  function drawCharts(root) {
    if (!window.Chart) {
      return;
    }
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source || window.Chart.getChart(canvas)) {
        return;
      }
      new window.Chart(canvas, config(JSON.parse(source.textContent)));
    });
  }

  function showPeriodFields(form) {
    var kind = form.querySelector("select[name=period]");
    if (!kind) {
      return;
    }
    var wanted = periodFields[kind.value] || [];
    ["year", "quarter", "month", "start", "end"].forEach(function (name) {
      var field = form.querySelector(".field-" + name);
      if (field && !field.querySelector(".errorlist")) {
        field.hidden = wanted.indexOf(name) < 0;
      }
    });
  }

  function enhance() {
    drawCharts(document);
    document.querySelectorAll("form.report-period").forEach(showPeriodFields);
  }

  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);
  document.addEventListener("change", function (event) {
    if (event.target.name === "period" && event.target.form && event.target.form.classList.contains("report-period")) {
      showPeriodFields(event.target.form);
    }
  });
})();
