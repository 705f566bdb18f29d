/**
 * The report's stylesheet: one readable column that works from a phone to a projector, tables
 * that scroll sideways instead of squeezing, and a print layout (A4 or Letter, portrait) without
 * navigation or folded tables, where no chart is split across pages. System fonts only: the page
 * loads nothing.
 */
import type { ChartFigure } from './charts.js';
import type { Column } from './columns.js';

const BASE_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5a6272; --line: #d9dde5; --paper: #ffffff; --wash: #f5f6f8; --best: #e3f1e8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 0 16px 48px; }
header.page { background: var(--paper); border-bottom: 1px solid var(--line); }
header.page > div { max-width: 1180px; margin: 0 auto; padding: 20px 16px 12px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 8px; }
h3 { font-size: 1.05rem; margin: 0 0 6px; }
p { margin: 0 0 8px; }
.meta { color: var(--muted); font-size: 0.9rem; }
.description { max-width: 75ch; white-space: pre-line; }
nav.toc { margin-top: 8px; font-size: 0.9rem; display: flex; flex-wrap: wrap; gap: 2px 14px; }
nav.toc a { color: #0b5cad; text-decoration: none; white-space: nowrap; }
nav.toc a:hover { text-decoration: underline; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-top: 16px; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
.grid > * { min-width: 0; }
@media (min-width: 1000px) { .grid.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
figure { margin: 0; min-width: 0; }
figcaption { margin-bottom: 6px; }
.canvas-box { position: relative; height: 340px; width: 100%; }
.explain { margin-top: 10px; max-width: 85ch; }
.explain p { margin-bottom: 4px; }
.note { color: var(--muted); font-size: 0.9rem; }
.table-wrap { overflow-x: auto; margin: 6px 0; position: relative; }
table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 4px 0; caption-side: top; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
tbody tr:nth-child(even) { background: #fafbfc; }
table.headline { width: 100%; }
table.headline tbody th { white-space: nowrap; font-weight: 500; }
table.headline td.best { background: var(--best); font-weight: 700; }
table.story tbody th { white-space: nowrap; font-weight: 500; }
.mark { margin-left: 4px; }
.spread { color: var(--muted); font-weight: 400; font-size: 0.85em; }
ul.runs { margin: 4px 0; padding-left: 18px; color: var(--muted); }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 6px; vertical-align: -0.05em; border: 1px solid rgba(0,0,0,0.25); }
details.data-table { margin-top: 8px; }
details.data-table summary { cursor: pointer; color: #0b5cad; font-size: 0.9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; background: var(--wash); padding: 1px 4px; border-radius: 3px; }
pre.command { margin: 4px 0 8px; padding: 6px 8px; background: var(--wash); border-radius: 4px; overflow-x: auto; }
pre.command code { padding: 0; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 0 8px 32px; }
  section { padding: 12px 10px; }
  .canvas-box { height: 300px; }
  th, td { padding: 3px 6px; }
  /* The headline table reflows: each figure a block, its values two a line, each named. */
  table.headline thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.headline tr { display: grid; grid-template-columns: 1fr 1fr; border-bottom: 1px solid var(--line); }
  table.headline tbody th { grid-column: 1 / -1; white-space: normal; font-weight: 700; }
  table.headline td { display: block; border: none; }
  table.headline td::before { content: attr(data-label); display: block; text-align: left; font-size: 12px; color: var(--muted); }
}
@media print {
  @page { margin: 14mm; }
  body { background: #ffffff; font-size: 10.5pt; }
  header.page, section { border: none; }
  nav.toc { display: none; }
  main { max-width: none; padding: 0; }
  section { padding: 0; margin-top: 10mm; }
  .grid.two { grid-template-columns: minmax(0, 1fr); }
  figure, table, .explain { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .canvas-box { height: 70mm; }
  details.data-table { display: none; }
  a { color: inherit; text-decoration: none; }
  table.headline td.best { background: #eeeeee; }
}
`;

/** The canvas box's height on a phone (BASE_CSS), the legend entries it holds beside the plot, and a legend line's height. */
const PHONE_BOX_PX = 300;
const PHONE_LEGEND_FITS = 3;
const PHONE_LEGEND_LINE_PX = 22;

/** How many entries a chart's legend lists: its datasets, less the band edges the page leaves out. */
function legendEntries(chart: ChartFigure): number {
  const datasets = (chart.config.data?.datasets ?? []) as readonly { readonly band?: boolean }[];
  return datasets.filter((d) => !d.band).length;
}

/**
 * The stylesheet, with one swatch class per column and a height rule per chart that needs one,
 * so no markup needs a style attribute (the page's CSP allows none).
 */
export function styles(columns: readonly Column[], charts: readonly ChartFigure[]): string {
  const swatches = columns.map((c, i) => `.swatch.c${i} { background: ${c.fill}; border-color: ${c.colour}; }`);
  const heights = charts.flatMap((c) => (c.heightPx === undefined ? [] : [`#fig-${c.id} .canvas-box { height: ${Math.round(c.heightPx)}px; }`]));
  // On a phone Chart.js stacks legend entries one a line, inside the same box as the plot: a
  // chart with many entries grows by a line each, so its plot keeps its height.
  const phone = charts.flatMap((c) => {
    const entries = legendEntries(c);
    return entries <= PHONE_LEGEND_FITS ? [] : [`#fig-${c.id} .canvas-box { height: ${Math.round((c.heightPx ?? PHONE_BOX_PX) + (entries - PHONE_LEGEND_FITS) * PHONE_LEGEND_LINE_PX)}px; }`];
  });
  const phoneRules = phone.length === 0 ? [] : [`@media (max-width: 600px) {\n  ${phone.join('\n  ')}\n}`];
  return `${BASE_CSS}${[...swatches, ...heights, ...phoneRules].join('\n')}\n`;
}
