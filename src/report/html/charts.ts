/**
 * The report's charts as typed Chart.js configurations (https://www.chartjs.org/docs/4.5.1/),
 * each with the data table behind it. Configurations are plain JSON — no functions — because
 * they travel to the page in its JSON data block; the page's small script hands each one to
 * `new Chart`. Animation is off so a chart is complete on first paint, in print and screenshots.
 */
import type { ChartConfiguration, ChartDataset, ChartOptions, ChartType } from 'chart.js';
import { BREAK_CAUSES, type BreakCause } from '../../model/index.js';
import { integer, ms, percent } from '../format.js';
import { unionInOrder, type Column, type Comparison } from './columns.js';
import { CAUSE_COLOURS } from './colours.js';
import { intervalAt } from '../marks.js';
import type { DataTable } from './markup.js';

/** A chart of the page: its canvas id, title, configuration and data table. */
export interface ChartFigure {
  readonly id: string;
  readonly title: string;
  readonly config: ChartConfiguration;
  readonly table: DataTable;
  /** Canvas height in CSS pixels when the default does not suit (a bar per strategy). */
  readonly heightPx?: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Options every chart shares, merged with a chart's own scales and plugins. */
export function baseOptions<T extends ChartType>(options: ChartOptions<T>): ChartOptions<T> {
  return { animation: false, responsive: true, maintainAspectRatio: false, ...options, plugins: { legend: { position: 'bottom' }, ...options?.plugins } } as ChartOptions<T>;
}

const axis = (title: string, extra: Record<string, unknown> = {}) => ({ beginAtZero: true, title: { display: true, text: title }, ...extra });

function barDataset(column: Column, data: (number | null)[]): ChartDataset<'bar'> {
  return { label: column.label, data, backgroundColor: column.fill, borderColor: column.colour, borderWidth: column.run.index === 0 ? 0 : 2 };
}

/**
 * A bar dataset with the 95% interval of each bar (`intervals`, drawn as whiskers by the page's
 * script) when the summary is replicated; as it was otherwise.
 */
function withIntervals(dataset: ChartDataset<'bar'>, column: Column, paths: readonly string[]): ChartDataset<'bar'> {
  const intervals = paths.map((path) => intervalAt(column.strategy, path));
  if (intervals.some((i) => i === undefined)) return dataset;
  return { ...dataset, intervals: intervals.map((i) => [round2(i!.low), round2(i!.high)]) } as ChartDataset<'bar'>;
}

function lineDataset(column: Column, data: (number | null)[]): ChartDataset<'line'> {
  return { label: column.label, data, borderColor: column.colour, backgroundColor: column.colour, borderDash: [...column.dash], pointStyle: column.pointStyle, pointRadius: 4, borderWidth: 2, spanGaps: false };
}

/** Break causes that broke at least one session in some column, in BREAK_CAUSES order. */
export function presentCauses(columns: readonly Column[]): BreakCause[] {
  return BREAK_CAUSES.filter((cause) => columns.some((c) => c.strategy.brokenByCause[cause] > 0));
}

/** Broken sessions per cause, stacked per strategy (share of all sessions). */
export function breakageChart({ columns }: Comparison): ChartFigure {
  const causes = presentCauses(columns);
  const shareOf = (c: Column, cause: BreakCause) => (c.strategy.sessions.total > 0 ? c.strategy.brokenByCause[cause] / c.strategy.sessions.total : 0);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: columns.map((c) => `${c.label}: ${percent(c.strategy.breakageRate)}`),
      datasets: causes.map((cause) => ({ label: cause, data: columns.map((c) => round2(shareOf(c, cause) * 100)), backgroundColor: CAUSE_COLOURS[cause] })),
    },
    options: baseOptions<'bar'>({ indexAxis: 'y', scales: { x: axis('% of sessions broken', { stacked: true }), y: { stacked: true } } }),
  };
  const table: DataTable = {
    caption: 'broken sessions by cause (share of all sessions)',
    head: ['strategy', ...causes, 'all causes'],
    rows: columns.map((c) => [c.label, ...causes.map((cause) => `${integer(c.strategy.brokenByCause[cause])} (${percent(shareOf(c, cause))})`), `${integer(c.strategy.sessions.broken)} (${percent(c.strategy.breakageRate)})`]),
  };
  return { id: 'chart-breakage', title: 'Broken sessions by cause, as a share of all sessions', config: config as ChartConfiguration, table, heightPx: 110 + 44 * columns.length };
}

/**
 * The share of requests each backend should get if load were perfectly even: its weight over the
 * pool's total weight (backends declared down get none). Equal shares when the summary does not
 * record the backends' weights.
 */
export function evenShares(column: Column): number[] {
  const declared = column.run.summary.scenario.setup?.backends;
  const weights = column.strategy.backends.map((b) => {
    const spec = declared?.find((d) => d.name === b.name);
    return spec === undefined ? 1 : spec.down ? 0 : spec.weight;
  });
  // The whole pool's weight: past LIMITS.backendDetail, backends[] lists only the busiest and least busy.
  const pool = column.strategy.backendsSummary === undefined || declared === undefined ? weights : declared.map((d) => (d.down ? 0 : d.weight));
  const total = pool.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}

/** Each backend's share of a strategy's upstream attempts, 0 when it sent none. */
export function requestShares(column: Column): number[] {
  const total = column.strategy.backendsSummary?.requests.total ?? column.strategy.backends.reduce((sum, b) => sum + b.requests, 0);
  return column.strategy.backends.map((b) => (total > 0 ? b.requests / total : 0));
}

/** Columns grouped by their pool (the same backend names in the same order): one load chart each. */
export function pools(columns: readonly Column[]): Column[][] {
  const groups = new Map<string, Column[]>();
  for (const column of columns) {
    const key = column.strategy.backends.map((b) => b.name).join('\n');
    groups.set(key, [...(groups.get(key) ?? []), column]);
  }
  return [...groups.values()];
}

/** Load per backend for one pool's columns, with the even share drawn as a line. */
export function loadChart(group: readonly Column[], index: number, titled: boolean): ChartFigure {
  const backends = group[0]!.strategy.backends.map((b) => b.name);
  const even = evenShares(group[0]!);
  const bars = group.map((c) => ({ ...barDataset(c, requestShares(c).map((s) => round2(s * 100))), type: 'bar' as const, order: 1 }));
  const ideal = { type: 'line' as const, label: 'even share', data: even.map((s) => round2(s * 100)), borderColor: '#000000', backgroundColor: '#ffffff', borderDash: [6, 4], borderWidth: 2, pointRadius: 0, order: 0 };
  const config = {
    type: 'bar',
    data: { labels: backends, datasets: [ideal, ...bars] },
    options: baseOptions<'bar'>({ scales: { y: axis('% of upstream attempts') } }),
  } as ChartConfiguration;
  const table: DataTable = {
    caption: 'upstream attempts per backend (share of the strategy’s attempts)',
    head: ['backend', ...group.map((c) => c.label), 'even share'],
    rows: backends.map((name, b) => [name, ...group.map((c) => `${integer(c.strategy.backends[b]?.requests ?? 0)} (${percent(requestShares(c)[b] ?? 0)})`), percent(even[b] ?? 0)]),
  };
  return { id: `chart-load-${index}`, title: `Share of upstream attempts per backend, against the even share${titled ? ` (${group[0]!.run.title})` : ''}`, config, table };
}

const PERCENTILES = ['p50', 'p95', 'p99'] as const;

/** Latency percentiles over all requests, one group of bars per percentile. */
export function latencyChart({ columns }: Comparison): ChartFigure {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: [...PERCENTILES], datasets: columns.map((c) => withIntervals(barDataset(c, PERCENTILES.map((p) => round2(c.strategy.latencyMs[p]))), c, PERCENTILES.map((p) => `latencyMs.${p}`))) },
    options: baseOptions<'bar'>({ scales: { y: axis('response time, ms') } }),
  };
  const table: DataTable = {
    caption: 'response time of completed requests',
    head: ['strategy', 'mean', ...PERCENTILES, 'max'],
    rows: columns.map((c) => [c.label, ...(['mean', ...PERCENTILES, 'max'] as const).map((p) => ms(c.strategy.latencyMs[p]))]),
  };
  return { id: 'chart-latency', title: 'Response time percentiles of completed requests', config: config as ChartConfiguration, table };
}

/** p95 latency per journey step, one line per strategy; the table has p50, p95 and p99. */
export function latencyByStepChart({ columns }: Comparison): ChartFigure {
  const steps = unionInOrder(columns.map((c) => c.strategy.latencyByStepMs.map((s) => s.step)));
  const stat = (c: Column, step: string) => c.strategy.latencyByStepMs.find((s) => s.step === step && s.count > 0);
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { labels: steps, datasets: columns.map((c) => lineDataset(c, steps.map((step) => { const s = stat(c, step); return s ? round2(s.p95) : null; }))) },
    options: baseOptions<'line'>({ scales: { y: axis('p95 response time, ms') } }),
  };
  const table: DataTable = {
    caption: 'response time per step: p50 / p95 / p99',
    head: ['step', ...columns.map((c) => c.label)],
    rows: steps.map((step) => [step, ...columns.map((c) => { const s = stat(c, step); return s ? PERCENTILES.map((p) => s[p].toFixed(1)).join(' / ') + ' ms' : '—'; })]),
  };
  return { id: 'chart-latency-steps', title: '95th percentile response time per journey step', config: config as ChartConfiguration, table };
}

/** The session funnel: the share of sessions that completed each step, one line per strategy. */
export function funnelChart({ columns }: Comparison): ChartFigure {
  const steps = unionInOrder(columns.map((c) => c.strategy.funnel.map((f) => f.step)));
  const reached = (c: Column, step: string) => c.strategy.funnel.find((f) => f.step === step)?.sessions;
  const shareOf = (c: Column, n: number) => (c.strategy.sessions.total > 0 ? n / c.strategy.sessions.total : 0);
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { labels: steps, datasets: columns.map((c) => lineDataset(c, steps.map((step) => { const n = reached(c, step); return n === undefined ? null : round2(shareOf(c, n) * 100); }))) },
    options: baseOptions<'line'>({ scales: { y: axis('% of sessions that completed the step', { max: 100 }) } }),
  };
  const table: DataTable = {
    caption: 'sessions that completed each step',
    head: ['step', ...columns.map((c) => c.label)],
    rows: steps.map((step) => [step, ...columns.map((c) => { const n = reached(c, step); return n === undefined ? '—' : `${integer(n)} (${percent(shareOf(c, n))})`; })]),
  };
  return { id: 'chart-funnel', title: 'Sessions that completed each step, as a share of all sessions', config: config as ChartConfiguration, table };
}
