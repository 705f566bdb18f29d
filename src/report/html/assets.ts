/**
 * The scripts of the page, which must run offline and under a strict Content-Security-Policy:
 * Chart.js and its annotation plugin (the CLI reads them from `node_modules`, paths below, and
 * passes their text in, so the renderer stays pure), and the page's own small script, which reads
 * the chart configurations from the JSON data block and draws each one. Inlined code is made safe
 * to sit in a `<script>` element, and each script is allowed by its SHA-256 hash. Nothing is
 * fetched, by the page or by lbsim.
 */
// @noble/hashes, not node:crypto: the report renders in a browser too (the playground), and
// Web Crypto's digest is asynchronous where rendering is not.
import { sha256 } from '@noble/hashes/sha2.js';

/** Script texts the HTML page inlines, in the order they must run. */
export interface HtmlAssets {
  /** Chart.js's UMD build; it defines `window.Chart`. */
  readonly chartJs: string;
  /** chartjs-plugin-annotation's UMD build; it registers itself with `window.Chart`. */
  readonly annotationPlugin: string;
}

/** Where each asset lives, relative to `node_modules` (the packages are dependencies of lbsim). */
export const HTML_ASSET_FILES: Readonly<Record<keyof HtmlAssets, string>> = {
  chartJs: 'chart.js/dist/chart.umd.js',
  annotationPlugin: 'chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js',
};

/** Assets that define nothing: for tests of the markup, where no browser runs the page. */
export const NO_ASSETS: HtmlAssets = { chartJs: '', annotationPlugin: '' };

/**
 * Library code made safe to inline in a `<script>` element. A `</script` or `<!--` inside it (in
 * a string, regular expression or comment) would end or confuse the element, so `</script`
 * becomes `<\/script` and `<!--` becomes `\x3C!--`, which mean the same to JavaScript there.
 * The source-map comment is dropped: an offline page has no map to fetch.
 */
export function inlineScript(code: string): string {
  return code
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
}

/** Bytes as base64 (btoa exists in browsers and in Node 16 and later). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The CSP source expression allowing exactly this inline script (`'sha256-…'`). */
export function scriptHash(code: string): string {
  return `'sha256-${base64(sha256(new TextEncoder().encode(code)))}'`;
}

/** The id of the `<script type="application/json">` element holding the page's data. */
export const DATA_ELEMENT_ID = 'lbsim-data';

/**
 * The page's own script, run after the libraries: it draws each chart of the data block on its
 * canvas and marks `<html data-charts-drawn="N">` when done; datasets marked `band: true` stay out of
 * legends and tooltips. Plain ES2017 so any current browser
 * runs it without a build step; it registers no inline handlers and fetches nothing. Before
 * printing it redraws the charts at the printed width (Chart.js's recipe,
 * https://www.chartjs.org/docs/4.5.1/configuration/responsive.html#printing-resizable-charts).
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('${DATA_ELEMENT_ID}').textContent);
  var charts = [];
  // Datasets marked "band" (the edges of a confidence band) are drawn, but not listed in the
  // legend or the tooltips: the line they surround stands for them.
  Chart.defaults.plugins.legend.labels.filter = function (item, chartData) { return !chartData.datasets[item.datasetIndex].band; };
  Chart.defaults.plugins.tooltip.filter = function (item) { return !item.dataset.band; };
  // Bars whose dataset carries "intervals" ([low, high] per bar: a replicated run's 95%
  // intervals) get a whisker drawn over them.
  Chart.register({
    id: 'lbsimIntervals',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      chart.data.datasets.forEach(function (dataset, d) {
        var meta = chart.getDatasetMeta(d);
        if (!dataset.intervals || meta.hidden) return;
        var scale = chart.scales[meta.yAxisID];
        ctx.save();
        ctx.strokeStyle = '#1d2330';
        ctx.lineWidth = 1.5;
        meta.data.forEach(function (bar, k) {
          var interval = dataset.intervals[k];
          if (!interval) return;
          var low = scale.getPixelForValue(interval[0]);
          var high = scale.getPixelForValue(interval[1]);
          ctx.beginPath();
          ctx.moveTo(bar.x, low); ctx.lineTo(bar.x, high);
          ctx.moveTo(bar.x - 4, low); ctx.lineTo(bar.x + 4, low);
          ctx.moveTo(bar.x - 4, high); ctx.lineTo(bar.x + 4, high);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  });
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
