/**
 * `sweep.html`: a sweep's figures against the swept field, one chart per metric, one line per
 * strategy, with a shaded 95% confidence band when the points were replicated. With several swept
 * fields, the first is the x axis and each combination of the others gets its own chart, titled
 * with it. Quantities sit at their size on the x axis (sweep-axis.ts); a chart on which no line
 * moves is left out and named instead, and every chart drawn gets a sentence read from its data.
 * The page is built like the run report (shell.ts: the same policy, inlined scripts, palette and
 * escaping) and, like it, gives every chart its data table.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { changeAcross, combinations, formatFigure, NOTABLE_CHANGE, pointLabel, sweepMetric, type Sweep, type SweepFigure, type SweepMetric } from '../sweep.js';
import type { HtmlAssets } from './assets.js';
import { baseOptions, type ChartFigure } from './charts.js';
import { strategyLook } from './columns.js';
import { listing } from '../format.js';
import { escapeHtml, renderFacts, type DataTable } from './markup.js';
import { paragraphs, renderFigure, renderPage, renderToc, type Section } from './shell.js';
import { styles } from './styles.js';

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
    ...(options.metrics ?? []).map((id) => `--metric ${shellWord(id)}`),
    ...(options.log === true ? ['--log'] : []),
  ].join(' ');
}

/** The seeds of the points, in words: `42/rep/0 … 42/rep/2 at every point`. */
function seedsText(sweep: Sweep): string {
  // A point of a partial sweep may lack its first replication, or every one.
  const replicate = sweep.replications > 1 ? /\/rep\/\d+$/ : /\/rep\/0$/;
  const seeds = [...new Set(sweep.points.flatMap((p) => p.seeds.slice(0, 1)).map((seed) => seed.replace(replicate, '')))];
  const each = sweep.replications > 1 ? (seed: string) => `${seed}/rep/0 … ${seed}/rep/${sweep.replications - 1}` : (seed: string) => seed;
  return seeds.length === 1 ? `${each(seeds[0]!)} at every point` : `${listing(seeds.map(each))}, by point`;
}

type Points = Sweep['points'];

/** The points of one chart: every value of the first swept field at one combination of the others. */
function chartPoints(sweep: Sweep, comboIndex: number): Points {
  const stride = sweep.points.length / sweep.parameters[0]!.values.length;
  return sweep.parameters[0]!.values.map((_, i) => sweep.points[i * stride + comboIndex]!);
}

const figureOf = (point: Points[number], strategy: string, id: string) => point.strategies.find((s) => s.name === strategy)?.metrics[id];

function chartFor(sweep: Sweep, metricIndex: number, combo: readonly string[], comboIndex: number): ChartFigure {
  const metric = sweepMetric(sweep.metrics[metricIndex]!.id);
  const x = sweep.parameters[0]!;
  const { axis } = sweep;
  const points = chartPoints(sweep, comboIndex);
  const at = (i: number, y: number | undefined) => (axis.positions === null ? (y ?? null) : { x: axis.positions[i]!, y: y ?? null });
  const bands = sweep.replications > 1;
  const seriesOf = sweep.strategies.map((name) => points.map((point) => figureOf(point, name, metric.id)));
  const datasets = sweep.strategies.flatMap((name, s): ChartDataset<'line'>[] => {
    const { colour, pointStyle } = strategyLook(s, sweep.strategies);
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
  const xTitle = { display: true, text: axis.unit ? `${x.path}, ${axis.unit}` : x.path };
  const xAxis = axis.scale === 'category' ? { type: 'category' as const, offset: true, title: xTitle } : { type: axis.scale, title: xTitle };
  const config = {
    type: 'line',
    data: axis.scale === 'category' ? { labels: [...x.values], datasets } : { datasets },
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

/**
 * The sentence under a chart: how the line that moves most moves (and, with replications, whether
 * its ends' intervals overlap), then how the others compare. Only for charts where a line moves.
 */
function reading(sweep: Sweep, metric: SweepMetric, points: Points): string {
  const x = sweep.parameters[0]!;
  const f = metric.format;
  const lines = sweep.strategies.flatMap((name) => {
    const at = points.flatMap((point, i) => {
      const fig = figureOf(point, name, metric.id);
      return fig === undefined ? [] : [{ value: x.values[i]!, fig }];
    });
    if (at.length === 0) return [];
    const means = at.map((a) => a.fig.mean);
    return [{ name, at, range: Math.max(...means) - Math.min(...means), flat: new Set(means.map(f)).size === 1 }];
  });
  const lead = lines.reduce((best, line) => (line.range > best.range ? line : best));
  const means = lead.at.map((a) => a.fig.mean);
  const rising = means.every((m, i) => i === 0 || m >= means[i - 1]!);
  const falling = means.every((m, i) => i === 0 || m <= means[i - 1]!);
  const byMean = [...lead.at].sort((a, b) => a.fig.mean - b.fig.mean);
  const [from, to] = rising || falling ? [lead.at[0]!, lead.at.at(-1)!] : [byMean[0]!, byMean.at(-1)!];
  // A line that moves less than the terminal's threshold is said to, so a chart's scale does not overstate it.
  const slight = lead.range < NOTABLE_CHANGE * Math.max(...means.map(Math.abs)) ? ` by less than ${NOTABLE_CHANGE * 100}%,` : '';
  const movement = rising || falling
    ? `${lead.name} ${rising ? 'rises' : 'falls'}${slight} from ${f(from.fig.mean)} at ${x.path}=${from.value} to ${f(to.fig.mean)} at ${to.value}`
    : `${lead.name} ${lines.length > 1 ? 'moves most' : 'moves'},${slight} between ${f(from.fig.mean)} at ${x.path}=${from.value} and ${f(to.fig.mean)} at ${to.value}`;
  const overlap = from.fig.ci95.low <= to.fig.ci95.high && to.fig.ci95.low <= from.fig.ci95.high;
  const noise = sweep.replications < 2 ? '' : overlap ? ' (within the noise: the 95% intervals at those two points overlap)' : ' (beyond the noise: the 95% intervals at those two points do not overlap)';
  const others = lines.filter((line) => line !== lead);
  const moving = others.filter((line) => !line.flat);
  // Flat lines at the same printed value are named together: `round-robin and cookie stay at 0.00%`.
  const flatAt = new Map<string, string[]>();
  for (const line of others.filter((l) => l.flat)) {
    const value = f(line.at[0]!.fig.mean);
    flatAt.set(value, [...(flatAt.get(value) ?? []), line.name]);
  }
  const parts = [
    ...(moving.length === 0 ? [] : [`${listing(moving.map((l) => l.name))} also ${moving.length === 1 ? 'moves' : 'move'}, by up to ${f(Math.max(...moving.map((l) => l.range)))}`]),
    ...[...flatAt].map(([value, names]) => `${listing(names)} ${names.length === 1 ? 'stays' : 'stay'} at ${value}`),
  ];
  return `${[`${movement}${noise}`, ...parts].join('; ')}.`;
}

/** A figure left out because it is the same at every point: its label, with its values when each strategy has one. */
function unchanged(sweep: Sweep, id: string): string {
  const metric = sweepMetric(id);
  const values = sweep.strategies.flatMap((name) => {
    const printed = new Set(sweep.points.flatMap((p) => figureOf(p, name, id) ?? []).map((fig) => metric.format(fig.mean)));
    return printed.size === 0 ? [] : [{ name, printed: [...printed] }];
  });
  if (values.some((v) => v.printed.length > 1)) return metric.label;
  const distinct = new Set(values.map((v) => v.printed[0]));
  if (distinct.size === 1 && values.length > 1) return `${metric.label} (${values[0]!.printed[0]} for every strategy)`;
  return `${metric.label} (${listing(values.map((v) => `${v.name} ${v.printed[0]}`))})`;
}

/** How the x axis places the swept values, in words. */
function axisSentence(sweep: Sweep): string[] {
  const { axis } = sweep;
  const path = sweep.parameters[0]!.path;
  const placed = axis.scale === 'category'
    ? `The values of ${path} are not quantities: each has one step on the x axis, in the order given.`
    : `The values of ${path} sit at their size on a ${axis.scale === 'logarithmic' ? 'log' : 'linear'} x axis${axis.unit ? `, in ${axis.unit}` : ''}.`;
  return axis.logRefused === undefined ? [placed] : [placed, `${axis.logRefused}.`];
}

/** A partial sweep says so first: how many runs it lacks, and which. */
function gapLines(sweep: Sweep): string[] {
  const gaps = sweep.gaps ?? [];
  if (gaps.length === 0) return [];
  const runs = sweep.points.length * sweep.replications;
  const named = gaps.slice(0, 10).map((g) => `job ${g.job} (${pointLabel(sweep.parameters, g.values)}, replication ${g.replication}, ${g.status})`);
  const more = gaps.length > named.length ? [`${gaps.length - named.length} more`] : [];
  return [`A partial sweep: ${gaps.length} of its ${runs.toLocaleString('en-US')} runs are missing or failed, so the points they belong to show fewer replications, or nothing: ${listing([...named, ...more])}.`];
}

function header(sweep: Sweep, toc: readonly Section[], unchangedIds: readonly string[]): string {
  const x = sweep.parameters[0]!;
  const others = sweep.parameters.slice(1);
  const runs = sweep.points.length * sweep.replications * sweep.strategies.length;
  const lines = [
    `Each chart shows a figure against ${x.path}, one line per strategy${others.length > 0 ? `, with one chart for each combination of ${listing(others.map((p) => p.path))}` : ''}.`,
    ...axisSentence(sweep),
    ...(unchangedIds.length === 0 ? [] : [`Not charted, the same at every point: ${listing(unchangedIds.map((id) => unchanged(sweep, id)))}.`]),
    sweep.replications > 1
      ? `Lines are means over ${sweep.replications} replications (seeds ${seedsText(sweep)}); bands are 95% confidence intervals of the mean (Student’s t).`
      : `One run per point (seed ${seedsText(sweep)}), so there are no confidence bands: rerun with --replications N (N ≥ 2) for 95% intervals.`,
    ...gapLines(sweep),
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
  const others = sweep.parameters.slice(1);
  const combos = combinations(others.map((p) => p.values));
  const charts: ChartFigure[] = [];
  const unchangedIds: string[] = [];
  const sections: Section[] = sweep.metrics.flatMap((m, metricIndex) => {
    const metric = sweepMetric(m.id);
    // A chart on which no line moves says nothing about the swept field: it is named, not drawn.
    const moving = combos.flatMap((combo, comboIndex) => (changeAcross(sweep, m.id, chartPoints(sweep, comboIndex)) > 0 ? [{ combo, comboIndex }] : []));
    if (moving.length === 0) {
      unchangedIds.push(m.id);
      return [];
    }
    const figures = moving.map(({ combo, comboIndex }) => {
      const figure = chartFor(sweep, metricIndex, combo, comboIndex);
      charts.push(figure);
      return renderFigure(figure, [reading(sweep, metric, chartPoints(sweep, comboIndex))]);
    });
    const still = combos.filter((_, comboIndex) => !moving.some((c) => c.comboIndex === comboIndex));
    const stillNote = still.length === 0 ? [] : [`Not charted, the same at every value of ${sweep.parameters[0]!.path}: ${listing(still.map((combo) => `at ${pointLabel(others, combo)}`))}.`];
    const body = `<div class="explain">${paragraphs([metric.help, ...stillNote])}</div>\n${figures.length > 1 ? `<div class="grid two">${figures.join('\n')}</div>` : figures[0]!}`;
    return [{ id: `metric-${metricIndex}`, title: `${metric.label[0]!.toUpperCase()}${metric.label.slice(1)}`, body }];
  });
  const all = [...sections, gridSection(sweep)];
  return renderPage(
    {
      title: `lbsim sweep: ${sweep.scenario.name} over ${sweep.parameters.map((p) => p.path).join(', ')}`,
      header: header(sweep, all, unchangedIds),
      sections: all,
      charts,
      data: { sweep },
      css: styles([], charts),
    },
    assets,
  );
}
