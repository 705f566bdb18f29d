/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The run's results in the page: the report `lbsim run` writes (rendered by the worker with the
 * same renderer), taken apart and put in place. Its stylesheet is adopted through the CSS object
 * model and its charts are drawn here from its data block, so the page's Content-Security-Policy
 * needs no hash of a stylesheet or script that only exists after a run. The verdict (the report's
 * "at a glance" sentences) is repeated at the top, where a newcomer looks first.
 */
interface ChartConstructor {
  new (canvas: HTMLCanvasElement, config: unknown): { destroy(): void };
  defaults: { plugins: { legend: { labels: { filter?: unknown } }; tooltip: { filter?: unknown } } };
}

let drawn: { destroy(): void }[] = [];

/** Puts the report into `root`, its verdict into `verdict`; returns how many charts were drawn. */
export function showReport(reportHtml: string, root: HTMLElement, verdict: HTMLElement): number {
  // The stylesheet is cut out before parsing: a parsed <style> element would meet the page's policy.
  const start = reportHtml.indexOf('<style>');
  const end = reportHtml.indexOf('</style>', start);
  const css = start < 0 || end < 0 ? '' : reportHtml.slice(start + '<style>'.length, end);
  const doc = new DOMParser().parseFromString(start < 0 || end < 0 ? reportHtml : reportHtml.slice(0, start) + reportHtml.slice(end + '</style>'.length), 'text/html');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [sheet];
  for (const chart of drawn) chart.destroy();
  drawn = [];
  const header = doc.querySelector('header.page');
  const sections = [...doc.querySelectorAll('main > section')];
  // The scenario is in the editor already; the table of contents points into the report.
  const parts = [header, ...sections].filter((n): n is Element => n !== null).map((n) => document.importNode(n, true));
  for (const part of parts) for (const script of part.querySelectorAll('script')) script.remove();
  root.replaceChildren(...parts);
  const glance = root.querySelector('#headline .explain');
  verdict.replaceChildren(...(glance ? [...glance.childNodes].map((n) => n.cloneNode(true)) : []));
  const data = JSON.parse(doc.getElementById('lbsim-data')?.textContent ?? '{"charts":[]}') as { charts: { id: string; config: unknown }[] };
  const Chart = (window as unknown as { Chart?: ChartConstructor }).Chart;
  if (Chart === undefined) return 0;
  Chart.defaults.plugins.legend.labels.filter = (item: { datasetIndex: number }, chartData: { datasets: { band?: boolean }[] }) => !chartData.datasets[item.datasetIndex]?.band;
  Chart.defaults.plugins.tooltip.filter = (item: { dataset: { band?: boolean } }) => !item.dataset.band;
  for (const chart of data.charts) {
    const canvas = document.getElementById(chart.id);
    if (canvas instanceof HTMLCanvasElement) drawn.push(new Chart(canvas, chart.config));
  }
  document.documentElement.setAttribute('data-charts-drawn', String(drawn.length));
  return drawn.length;
}
