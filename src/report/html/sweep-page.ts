/**
 * `sweep.html`: a sweep's figures against the swept field, one chart per metric, one line per
 * strategy, with a shaded 95% confidence band when the points were replicated. With several swept
 * fields, the first is the x axis and each combination of the others gets its own chart, titled
 * with it. The page is built like the run report (shell.ts: the same policy, inlined scripts,
 * palette and escaping) and, like it, gives every chart its data table.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { combinations, formatFigure, pointLabel, sweepMetric, type Sweep, type SweepFigure } from '../sweep.js';
import type { HtmlAssets } from './assets.js';
import { baseOptions, type ChartFigure } from './charts.js';
import { strategyLook } from './columns.js';
import { listing } from '../format.js';
import { escapeHtml, renderFacts, type DataTable } from './markup.js';
import { paragraphs, renderFigure, renderPage, renderToc, type Section } from './shell.js';
import { styles } from './styles.js';

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/** A word for a POSIX shell: as is when it is safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that runs this sweep again. */
export function sweepCommand(sweep: Sweep): string {
  const { options } = sweep;
  return [
    'lbsim sweep',
    shellWord(sweep.scenario.file),
    ...sweep.parameters.map((p) => `--set ${shellWord(`${p.path}=${p.values.join(',')}`)}`),
    ...(sweep.replications > 1 ? [`--replications ${sweep.replications}`] : []),
    ...(options.seed === undefined ? [] : [`--seed ${shellWord(options.seed)}`]),
    ...(options.sessions === undefined ? [] : [`--sessions ${options.sessions}`]),
    ...(options.strategy === undefined ? [] : [`--strategy ${shellWord(options.strategy)}`]),
  ].join(' ');
}

/** The seeds of the points, in words: `42/rep/0 … 42/rep/2 at every point`. */
function seedsText(sweep: Sweep): string {
  const seeds = [...new Set(sweep.points.map((p) => p.seeds[0]!.replace(/\/rep\/0$/, '')))];
  const each = sweep.replications > 1 ? (seed: string) => `${seed}/rep/0 … ${seed}/rep/${sweep.replications - 1}` : (seed: string) => seed;
  return seeds.length === 1 ? `${each(seeds[0]!)} at every point` : `${listing(seeds.map(each))}, by point`;
}

function chartFor(sweep: Sweep, metricIndex: number, combo: readonly string[], comboIndex: number): ChartFigure {
  const metric = sweepMetric(sweep.metrics[metricIndex]!.id);
  const x = sweep.parameters[0]!;
  const stride = sweep.points.length / x.values.length;
  const figures = (name: string) => x.values.map((_, i) => sweep.points[i * stride + comboIndex]!.strategies.find((s) => s.name === name)?.metrics[metric.id]);
  const numeric = x.values.every((v) => NUMBER.test(v.trim()));
  const at = (i: number, y: number | undefined) => (numeric ? { x: Number(x.values[i]), y: y ?? null } : (y ?? null));
  const bands = sweep.replications > 1;
  const seriesOf = sweep.strategies.map(figures);
  const datasets = sweep.strategies.flatMap((name, s): ChartDataset<'line'>[] => {
    const { colour, pointStyle } = strategyLook(s);
    const series = seriesOf[s]!;
    // A strategy the metric does not apply to (no shared cache) has no line, and no legend entry.
    if (series.every((f) => f === undefined)) return [];
    const line = { label: name, data: series.map((f, i) => at(i, f?.mean)), borderColor: colour, backgroundColor: colour, pointStyle, pointRadius: 4, borderWidth: 2, fill: false } as ChartDataset<'line'>;
    if (!bands) return [line];
    // Every figure is zero or more: a band is drawn from zero at the lowest (the table has the interval as computed).
    const edge = (which: 'low' | 'high') => ({ label: `${name}, 95% ${which}`, band: true, data: series.map((f, i) => at(i, f === undefined ? undefined : Math.max(0, f.ci95[which]))), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, backgroundColor: `${colour}2e`, fill: which === 'high' ? '-1' : false }) as unknown as ChartDataset<'line'>;
    return [edge('low'), edge('high'), line];
  });
  const yTitle = metric.unit ? `${metric.label}, ${metric.unit}` : metric.label;
  const xTitle = { display: true, text: x.path };
  const xAxis = numeric ? { type: 'linear' as const, title: xTitle } : { type: 'category' as const, offset: true, title: xTitle };
  const config = {
    type: 'line',
    data: numeric ? { datasets } : { labels: [...x.values], datasets },
    options: baseOptions<'line'>({ interaction: { mode: 'index', intersect: false }, plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8 } } }, scales: { x: xAxis, y: { beginAtZero: true, title: { display: true, text: yTitle } } } }),
  } as ChartConfiguration;
  const others = sweep.parameters.slice(1);
  const where = others.length > 0 ? ` at ${pointLabel(others, combo)}` : '';
  const cell = (f: SweepFigure | undefined) => formatFigure(metric.format, f, bands, '\u00a0');
  const table: DataTable = {
    caption: `${metric.label}${metric.unit ? ` (${metric.unit})` : ''}${where}: ${bands ? `mean over ${sweep.replications} replications ± half the 95% interval` : 'one run per point'}`,
    head: [x.path, ...sweep.strategies],
    rows: x.values.map((value, i) => [value, ...seriesOf.map((series) => cell(series[i]))]),
  };
  const title = `${metric.label[0]!.toUpperCase()}${metric.label.slice(1)} against ${x.path}${where}`;
  return { id: `chart-sweep-${metricIndex}-${comboIndex}`, title, config, table };
}

function header(sweep: Sweep, toc: readonly Section[]): string {
  const x = sweep.parameters[0]!;
  const others = sweep.parameters.slice(1);
  const runs = sweep.points.length * sweep.replications * sweep.strategies.length;
  const lines = [
    `Each chart shows a figure against ${x.path}, one line per strategy${others.length > 0 ? `, with one chart for each combination of ${listing(others.map((p) => p.path))}` : ''}.`,
    sweep.replications > 1
      ? `Lines are means over ${sweep.replications} replications (seeds ${seedsText(sweep)}); bands are 95% confidence intervals of the mean (Student’s t).`
      : `One run per point (seed ${seedsText(sweep)}), so there are no confidence bands: rerun with --replications N (N ≥ 2) for 95% intervals.`,
    `${sweep.points.length} point${sweep.points.length === 1 ? '' : 's'} × ${sweep.replications} replication${sweep.replications === 1 ? '' : 's'} × ${sweep.strategies.length} strateg${sweep.strategies.length === 1 ? 'y' : 'ies'} = ${runs.toLocaleString('en-US')} runs. lbsim ${sweep.lbsimVersion}, generated ${sweep.generatedAt}.`,
  ];
  return [
    '<header class="page"><div>',
    `<h1>lbsim sweep: ${escapeHtml(sweep.scenario.name)} over ${escapeHtml(listing(sweep.parameters.map((p) => p.path)))}</h1>`,
    sweep.scenario.description ? `<p class="description">${escapeHtml(sweep.scenario.description.trim())}</p>` : '',
    `<div class="meta">${paragraphs(lines)}</div>`,
    renderToc(toc),
    '</div></header>',
  ].filter(Boolean).join('\n');
}

function gridSection(sweep: Sweep): Section {
  const facts: [string, string][] = [
    ['scenario', `${sweep.scenario.name} (${sweep.scenario.file})`],
    ...sweep.parameters.map((p): [string, string] => [p.path, p.values.join(', ')]),
    ['points', String(sweep.points.length)],
    ['strategies', listing([...sweep.strategies])],
    ['replications', String(sweep.replications)],
    ['seeds', seedsText(sweep)],
    ...(sweep.options.sessions === undefined ? [] : [['sessions', String(sweep.options.sessions)] as [string, string]]),
    ['lbsim', sweep.lbsimVersion],
    ['generated', sweep.generatedAt],
  ];
  const body = [
    '<p>To run it again:</p>',
    `<pre class="command"><code>${escapeHtml(sweepCommand(sweep))}</code></pre>`,
    `<p>Every point is an ordinary run: <code>lbsim run</code> with <code>--set PATH=VALUE</code> for each swept field${sweep.replications > 1 ? ` and <code>--replications ${sweep.replications}</code>` : ''} gives its figures.</p>`,
    renderFacts('the sweep', facts),
  ].join('\n');
  return { id: 'grid', title: 'The sweep', body };
}

/** Renders the sweep page. `assets` are the chart libraries to inline (see assets.ts). */
export function renderSweepHtml(sweep: Sweep, assets: HtmlAssets): string {
  const combos = combinations(sweep.parameters.slice(1).map((p) => p.values));
  const charts: ChartFigure[] = [];
  const sections: Section[] = sweep.metrics.map((m, metricIndex) => {
    const metric = sweepMetric(m.id);
    const figures = combos.map((combo, comboIndex) => {
      const figure = chartFor(sweep, metricIndex, combo, comboIndex);
      charts.push(figure);
      return renderFigure(figure);
    });
    const body = `<div class="explain">${paragraphs([metric.help])}</div>\n${combos.length > 1 ? `<div class="grid two">${figures.join('\n')}</div>` : figures[0]!}`;
    return { id: `metric-${metricIndex}`, title: `${metric.label[0]!.toUpperCase()}${metric.label.slice(1)}`, body };
  });
  const all = [...sections, gridSection(sweep)];
  return renderPage(
    {
      title: `lbsim sweep: ${sweep.scenario.name} over ${sweep.parameters.map((p) => p.path).join(', ')}`,
      header: header(sweep, all),
      sections: all,
      charts,
      data: { sweep },
      css: styles([], charts),
    },
    assets,
  );
}
