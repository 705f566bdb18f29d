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
import { labelRows } from './label-rows.js';

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
  // Event labels (a backend down, the cache back) above a timeline's plot, laid out as drawn:
  // measured, kept inside the plot (shortened with an ellipsis if need be) and stacked in rows
  // that never overlap. Each chart keeps its boxes in $lbsimEventLabels, for the browser test.
  var labelRows = ${labelRows.toString()};
  var LABEL_PAD = 4, LABEL_ROW = 16;
  function fitted(ctx, text, room) {
    if (ctx.measureText(text).width <= room) return text;
    var shown = text;
    while (shown.length > 1 && ctx.measureText(shown + '…').width > room) shown = shown.slice(0, -1);
    return shown + '…';
  }
  Chart.register({
    id: 'lbsimEventLabels',
    afterDraw: function (chart) {
      var own = chart.config.options.plugins && chart.config.options.plugins.lbsimEventLabels;
      if (!own || !own.labels.length) return;
      var ctx = chart.ctx, area = chart.chartArea, xScale = chart.scales.x;
      ctx.save();
      ctx.font = '11px ' + Chart.defaults.font.family;
      var spans = own.labels.map(function (label) {
        var text = fitted(ctx, label.text, area.right - area.left - 2 * LABEL_PAD);
        var width = ctx.measureText(text).width + 2 * LABEL_PAD;
        var left = Math.max(area.left, Math.min(xScale.getPixelForValue(label.x) - width / 2, area.right - width));
        return { text: text, left: left, width: width };
      });
      var rows = labelRows(spans);
      chart.$lbsimEventLabels = spans.map(function (span, i) {
        var top = area.top + 2 + rows[i] * LABEL_ROW;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(span.left, top, span.width, LABEL_ROW - 2);
        ctx.fillStyle = '#222222';
        ctx.textBaseline = 'middle';
        ctx.fillText(span.text, span.left + LABEL_PAD, top + (LABEL_ROW - 2) / 2);
        return { text: span.text, left: span.left, top: top, right: span.left + span.width, bottom: top + LABEL_ROW - 2 };
      });
      ctx.restore();
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
