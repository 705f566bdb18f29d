/**
 * The page's only script of its own, run after Chart.js and the annotation plugin: it reads the
 * chart configurations from the JSON data block and draws each one on its canvas. Plain ES2017 so
 * any current browser runs it without a build step; it registers no inline handlers and fetches
 * nothing. Before printing it redraws the charts at the printed width (Chart.js's recipe,
 * https://www.chartjs.org/docs/4.5.1/configuration/responsive.html#printing-resizable-charts).
 */

/** The id of the `<script type="application/json">` element holding the page's data. */
export const DATA_ELEMENT_ID = 'lbsim-data';

/** The bootstrap script's source text. */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('${DATA_ELEMENT_ID}').textContent);
  var charts = [];
  data.charts.forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (canvas) charts.push(new Chart(canvas, chart.config));
  });
  window.addEventListener('beforeprint', function () {
    charts.forEach(function (chart) { chart.resize(640, 260); });
  });
  window.addEventListener('afterprint', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
})();
`;
