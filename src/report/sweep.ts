/**
 * Sweeps (`lbsim sweep`): the same scenario run over a grid of values of one or more of its
 * fields, each point with one or more replications. A sweep is summarised as a fixed list of
 * per-strategy figures (`SWEEP_METRICS`), each as the mean over the replications with a 95%
 * confidence interval (Student's t, as `lbsim run --replications`), per point and strategy.
 * `sweep.json` is this document, `sweep.csv` its tidy table (one row per point and strategy),
 * and the terminal gets the figures that change across the grid (or those named with
 * `--metric`). Pure functions of the summaries; the CLI runs the simulations.
 */
import { stringify } from 'csv-stringify/sync';
import { integer, listing, ms, money, ratio, roundTo, upToOneDecimal, type Better } from './format.js';
import { roundedInterval, type Interval } from './replications.js';
import type { SetOption } from '../scenario/index.js';
import { sweepAxis, type SweepAxis } from './sweep-axis.js';
import type { StrategySummary, Summary, SummaryMeta } from './summary.js';
import { alignColumns } from './terminal.js';

/** One figure a sweep charts: where it comes from in a strategy's summary, and how it reads. */
export interface SweepMetric {
  /** Its summary.json path (the breakage rate is charted in percent, not as a ratio). */
  readonly id: string;
  readonly label: string;
  /** What it measures, in a sentence (shown under its charts). */
  readonly help: string;
  /** `%`, `ms`, `sessions`, …; empty for ratios without a unit. */
  readonly unit: string;
  readonly better: Better;
  readonly format: (value: number) => string;
  /** The figure of one strategy of one run; undefined when it does not apply (the cache load of a strategy without one). */
  readonly value: (strategy: StrategySummary) => number | undefined;
  /** Left out of a sweep in which it is zero everywhere: nothing in that scenario can cause it. */
  readonly onlyWhenNonZero?: boolean;
}

/** Counts are whole in one run and fractional as means over replications. */
const count = (value: number) => (Number.isInteger(value) ? integer(value) : upToOneDecimal(value));
const percentPoints = (value: number) => `${value.toFixed(2)}%`;
const perSecond = (value: number) => `${upToOneDecimal(value)}/s`;

/** The figures of a sweep, in page order. */
export const SWEEP_METRICS: readonly SweepMetric[] = [
  { id: 'breakageRate', label: 'breakage rate', help: 'The share of all sessions that broke, whatever the cause.', unit: '%', better: 'lower', format: percentPoints, value: (s) => s.breakageRate * 100 },
  { id: 'sessions.broken', label: 'broken sessions', help: 'Sessions that broke, whatever the cause.', unit: 'sessions', better: 'lower', format: count, value: (s) => s.sessions.broken },
  { id: 'failoverLoss.sessions', label: 'failover loss', help: 'Sessions broken because a backend failed, the pool changed, or a recovered backend took its users back.', unit: 'sessions', better: 'lower', format: count, value: (s) => s.failoverLoss.sessions },
  { id: 'skew.requestsMaxOverMean', label: 'load skew: max / mean', help: 'Requests of the busiest backend over the mean per backend: 1 is perfectly even.', unit: '', better: 'lower', format: ratio, value: (s) => s.skew.requestsMaxOverMean },
  { id: 'skew.requestsCv', label: 'load skew: CV', help: 'Coefficient of variation of the requests per backend: 0 is perfectly even.', unit: '', better: 'lower', format: ratio, value: (s) => s.skew.requestsCv },
  { id: 'latencyMs.mean', label: 'mean response time', help: 'Mean response time of completed requests (queueing, retries, service and store round trips).', unit: 'ms', better: 'lower', format: ms, value: (s) => s.latencyMs.mean },
  { id: 'latencyMs.p95', label: 'p95 response time', help: '95th percentile response time of completed requests.', unit: 'ms', better: 'lower', format: ms, value: (s) => s.latencyMs.p95 },
  { id: 'latencyMs.p99', label: 'p99 response time', help: '99th percentile response time of completed requests.', unit: 'ms', better: 'lower', format: ms, value: (s) => s.latencyMs.p99 },
  { id: 'sessions.completed', label: 'completed sessions', help: 'Sessions that completed their last step.', unit: 'sessions', better: 'higher', format: count, value: (s) => s.sessions.completed },
  { id: 'revenue', label: 'revenue', help: 'Order value of the completed sessions.', unit: 'money', better: 'higher', format: money, value: (s) => s.revenue },
  { id: 'requests.lostUpdates', label: 'lost updates', help: 'Updates overwritten by a concurrent request of the same session (shared cache without locking); shown only when some run lost one.', unit: 'updates', better: 'lower', format: count, value: (s) => s.requests.lostUpdates, onlyWhenNonZero: true },
  { id: 'storeStats.opsPerSec', label: 'shared-cache load', help: 'Reads and writes per simulated second on the shared cache, for the strategies that use it.', unit: 'ops/s', better: 'none', format: perSecond, value: (s) => (s.storeStats.kind === 'shared' ? s.storeStats.opsPerSec : undefined) },
];

/** A swept field: its path as given (`clients.nat.share`) and its values as typed (`0.1`, `20/s`): a `--set` option. */
export type SweepParameter = SetOption;

/** Options the sweep ran with besides the grid, so it can be described and rerun. */
export interface SweepOptions {
  readonly seed?: string | undefined;
  readonly sessions?: number | undefined;
  readonly strategy?: string | undefined;
  /** `--metric`: the figures the terminal shows, by id, instead of those that change. */
  readonly metrics?: readonly string[] | undefined;
  /** `--log`: the charts' x axis on a log scale. */
  readonly log?: boolean | undefined;
}

/** The runs of a sweep, as the CLI hands them over. */
export interface SweepRuns {
  /** The scenario file, as named on the command line. */
  readonly file: string;
  readonly parameters: readonly SweepParameter[];
  readonly replications: number;
  readonly options: SweepOptions;
  /** Every point in grid order (the first parameter varies slowest): its values, one per parameter, and one summary per replication. */
  readonly points: readonly { readonly values: readonly string[]; readonly summaries: readonly Summary[] }[];
  /** Runs a merged partial sweep lacks (`lbsim sweep --merge DIR --partial`); their points hold only the replications that ran. */
  readonly gaps?: readonly SweepGap[] | undefined;
}

/** A run a partial sweep lacks: its job, point and replication, and whether it never reported or failed. */
export interface SweepGap {
  readonly job: number;
  readonly values: readonly string[];
  readonly replication: number;
  readonly seed: string;
  readonly status: 'missing' | 'failed';
}

/** A metric of one strategy at one point: the mean over the replications, its 95% interval, and each replication's value. */
export interface SweepFigure {
  readonly mean: number;
  readonly ci95: Interval;
  readonly values: readonly number[];
}

/** `sweep.json`. */
export interface Sweep {
  readonly schemaVersion: number;
  readonly kind: 'sweep';
  readonly scenario: { readonly name: string; readonly description: string | null; readonly file: string };
  readonly lbsimVersion: string;
  readonly generatedAt: string;
  readonly runTimeMs: number;
  readonly parameters: readonly SweepParameter[];
  readonly replications: number;
  readonly options: SweepOptions;
  /** The x axis of the charts: the first swept field's values as positions. */
  readonly axis: SweepAxis;
  /** Strategy names, in the order they are drawn. */
  readonly strategies: readonly string[];
  /** The metrics of this sweep (`SWEEP_METRICS` less those that do not apply). */
  readonly metrics: readonly { readonly id: string; readonly label: string; readonly unit: string }[];
  /** Present only in a partial sweep: the runs it lacks (a point no run reached has no seeds and no figures). */
  readonly gaps?: readonly SweepGap[];
  readonly points: readonly {
    readonly values: readonly string[];
    /** The seeds of the replications at this point. */
    readonly seeds: readonly string[];
    /** Per strategy: its metrics by id (a metric that does not apply to the strategy is absent). */
    readonly strategies: readonly { readonly name: string; readonly metrics: Readonly<Record<string, SweepFigure>> }[];
  }[];
}

export const SWEEP_SCHEMA_VERSION = 1;

const round = (value: number) => roundTo(value, 6);

/** One figure at one point: as `lbsim run --replications` gives it, with the replications' values. */
function figure(values: readonly number[]): SweepFigure {
  return { ...roundedInterval(values), values: values.map(round) };
}

/** A figure as tables show it: the mean, and ± half the 95% interval when there are bands (`space`: the gap around ±). */
export function formatFigure(format: (value: number) => string, f: SweepFigure | undefined, bands: boolean, space = ' '): string {
  if (f === undefined) return '—';
  return bands ? `${format(f.mean)}${space}±${space}${format(f.ci95.halfWidth)}` : format(f.mean);
}

/** The sweep document: every metric of every strategy at every point, with intervals over the replications. */
export function buildSweep(runs: SweepRuns, meta: SummaryMeta): Sweep {
  const first = runs.points.flatMap((p) => p.summaries)[0];
  if (first === undefined) throw new Error('a sweep needs at least one run');
  const strategies = [...new Set(runs.points.flatMap((p) => p.summaries.flatMap((s) => s.strategies.map((st) => st.name))))];
  const all = runs.points.flatMap((p) => p.summaries.flatMap((s) => s.strategies));
  const metrics = SWEEP_METRICS.filter((m) => {
    const values = all.map(m.value).filter((v) => v !== undefined);
    return values.length > 0 && (!m.onlyWhenNonZero || values.some((v) => v !== 0));
  });
  const points = runs.points.map((point) => ({
    values: point.values,
    seeds: point.summaries.map((s) => s.seed),
    strategies: strategies.flatMap((name) => {
      const runsOf = point.summaries.map((s) => s.strategies.find((st) => st.name === name));
      // A point of a partial sweep that no run reached: its rows are there, without figures.
      if (runsOf.length === 0) return [{ name, metrics: {} }];
      if (runsOf.some((s) => s === undefined)) return [];
      const figures: Record<string, SweepFigure> = {};
      for (const metric of metrics) {
        const values = runsOf.map((s) => metric.value(s!));
        if (values.every((v) => v !== undefined)) figures[metric.id] = figure(values as number[]);
      }
      return [{ name, metrics: figures }];
    }),
  }));
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    kind: 'sweep',
    scenario: { name: first.scenario.name, description: first.scenario.description, file: runs.file },
    lbsimVersion: meta.lbsimVersion,
    generatedAt: meta.generatedAt,
    runTimeMs: Math.round(meta.runTimeMs),
    parameters: runs.parameters,
    replications: runs.replications,
    options: runs.options,
    axis: sweepAxis(runs.parameters[0]!, runs.options.log === true),
    strategies,
    metrics: metrics.map(({ id, label, unit }) => ({ id, label, unit })),
    ...(runs.gaps === undefined || runs.gaps.length === 0 ? {} : { gaps: runs.gaps }),
    points,
  };
}

/** The metric definition of a sweep's metric. */
export function sweepMetric(id: string): SweepMetric {
  const metric = SWEEP_METRICS.find((m) => m.id === id);
  if (!metric) throw new Error(`unknown sweep metric ${id}`);
  return metric;
}

/**
 * `sweep.csv`, tidy: one row per point and strategy. The first columns are the swept paths,
 * holding the values as typed, then `strategy`, `replications`, and for each figure its mean and
 * the bounds of its 95% interval (empty with one replication: one run gives no interval; every
 * cell of a figure that does not apply to the strategy is empty).
 */
export function renderSweepCsv(sweep: Sweep): string {
  const header = [...sweep.parameters.map((p) => p.path), 'strategy', 'replications', ...sweep.metrics.flatMap((m) => [m.id, `${m.id}.ci95_low`, `${m.id}.ci95_high`])];
  const bounded = sweep.replications > 1;
  const rows = sweep.points.flatMap((point) =>
    point.strategies.map((strategy) => [
      ...point.values,
      strategy.name,
      point.seeds.length,
      ...sweep.metrics.flatMap((metric) => {
        const f = strategy.metrics[metric.id];
        if (f === undefined) return ['', '', ''];
        return bounded ? [f.mean, f.ci95.low, f.ci95.high] : [f.mean, '', ''];
      }),
    ]),
  );
  return stringify([header, ...rows]);
}

/** Every combination of one value from each list, the first list varying slowest: the points of a grid. */
export function combinations(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((points, list) => points.flatMap((point) => list.map((value) => [...point, value])), [[]]);
}

/** `clients.nat.share=0.1, arrivals.rate=20/s`: a point as the user would set it. */
export function pointLabel(parameters: readonly SweepParameter[], values: readonly string[]): string {
  return parameters.map((p, i) => `${p.path}=${values[i]}`).join(', ');
}

/** A change smaller than this share of a strategy's largest value does not earn a terminal table by default. */
export const NOTABLE_CHANGE = 0.05;

/**
 * How much a figure moves across `points` (the whole grid by default): for the strategy it moves
 * most for, its range over the points as a share of that strategy's largest absolute value. 0 when
 * every strategy's values print the same at every point: nothing to see.
 */
export function changeAcross(sweep: Sweep, id: string, points: Sweep['points'] = sweep.points): number {
  const { format } = sweepMetric(id);
  let most = 0;
  for (const name of sweep.strategies) {
    const means = points.flatMap((p) => p.strategies.find((s) => s.name === name)?.metrics[id]?.mean ?? []);
    if (new Set(means.map(format)).size <= 1) continue;
    most = Math.max(most, (Math.max(...means) - Math.min(...means)) / Math.max(...means.map(Math.abs)));
  }
  return most;
}

/** Figures that say the same thing; by default the terminal shows one of each group, the first that changes notably. */
const RELATED_FIGURES: readonly (readonly string[])[] = [
  ['breakageRate', 'sessions.broken', 'failoverLoss.sessions'],
  ['skew.requestsMaxOverMean', 'skew.requestsCv'],
  ['latencyMs.p95', 'latencyMs.mean', 'latencyMs.p99'],
  ['sessions.completed', 'revenue'],
  ['storeStats.opsPerSec'],
  ['requests.lostUpdates'],
];

/**
 * The figures the terminal shows without `--metric`: of each group of related figures, the first
 * that changes by `NOTABLE_CHANGE` or more; failing any, the one figure that changes most. Never a
 * figure that is the same everywhere.
 */
function changingFigures(sweep: Sweep): string[] {
  const change = new Map(sweep.metrics.map((m) => [m.id, changeAcross(sweep, m.id)]));
  const notable = RELATED_FIGURES.flatMap((group) => group.filter((id) => (change.get(id) ?? 0) >= NOTABLE_CHANGE).slice(0, 1));
  if (notable.length > 0) return notable;
  const most = [...change].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1])[0];
  return most === undefined ? [] : [most[0]];
}

/** Why the terminal shows what it shows when it chose: the sentences above its tables. */
function choiceLines(sweep: Sweep, shown: readonly string[]): string[] {
  const change = (id: string) => changeAcross(sweep, id);
  const labels = (keep: (id: string) => boolean) => listing(sweep.metrics.filter((m) => !shown.includes(m.id) && keep(m.id)).map((m) => m.label));
  const same = labels((id) => change(id) === 0);
  const small = labels((id) => change(id) > 0 && change(id) < NOTABLE_CHANGE);
  const notable = `${NOTABLE_CHANGE * 100}%`;
  const lead =
    shown.length === 0 ? 'No figure changes across the grid: every one is the same at every point'
    : change(shown[0]!) >= NOTABLE_CHANGE ? `The figures that change by ${notable} or more across the grid (for some strategy)`
    : `No figure changes by ${notable} or more across the grid; this one changes most`;
  return [
    `${lead}. --metric NAME shows others; sweep.csv has every figure.`,
    ...(same && shown.length > 0 ? [`The same at every point: ${same}.`] : []),
    ...(small ? [`Changing by less than ${notable}: ${small}.`] : []),
  ];
}

/** Why a figure asked for has no table: it applies to no strategy here, or never happened. */
function absentLine(id: string): string {
  const metric = sweepMetric(id);
  return `${metric.label}: ${metric.onlyWhenNonZero ? 'zero in every run of this sweep' : 'applies to no strategy of this sweep'}`;
}

/**
 * What the terminal shows: a table per figure, points as rows and strategies as columns. The
 * figures are `ids` (`--metric`), in that order, or by default those that change across the grid.
 */
export function renderSweepTerminal(sweep: Sweep, ids?: readonly string[]): string {
  const grid = sweep.parameters.map((p) => `${p.path} (${p.values.length} value${p.values.length === 1 ? '' : 's'})`).join(' × ');
  const reps = `${sweep.replications} replication${sweep.replications === 1 ? '' : 's'}`;
  const out = [`lbsim sweep — ${sweep.scenario.name}: ${grid}; ${sweep.strategies.length} strateg${sweep.strategies.length === 1 ? 'y' : 'ies'}, ${reps} per point`];
  const shown = ids ?? changingFigures(sweep);
  if (ids === undefined) out.push(...choiceLines(sweep, shown));
  if (sweep.axis.logRefused !== undefined) out.push(`${sweep.axis.logRefused}.`);
  for (const id of shown) {
    if (!sweep.metrics.some((m) => m.id === id)) {
      out.push('', absentLine(id));
      continue;
    }
    const metric = sweepMetric(id);
    const cell = (f: SweepFigure | undefined) => formatFigure(metric.format, f, sweep.replications > 1);
    const rows = sweep.points.map((p) => [...p.values, ...sweep.strategies.map((name) => cell(p.strategies.find((s) => s.name === name)?.metrics[id]))]);
    out.push('', `${metric.label}${sweep.replications > 1 ? ' (mean ±95% interval)' : ''}`, ...alignColumns([[...sweep.parameters.map((p) => p.path), ...sweep.strategies], ...rows], sweep.parameters.length));
  }
  return `${out.join('\n')}\n`;
}
