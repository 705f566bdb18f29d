/**
 * The timeline section, drawn only when summaries carry per-window series (`strategies[].timeline`):
 * breakages over time for every strategy, and requests per backend over time for each strategy,
 * with the run's events (a crash, a backend marked down) as vertical lines from
 * chartjs-plugin-annotation (https://www.chartjs.org/chartjs-plugin-annotation/3.1.0/). Series are
 * downsampled to at most MAX_POINTS windows so the page size does not grow with the run length.
 */
import type { ChartConfiguration, ChartType } from 'chart.js';
import { integer, seconds } from '../format.js';
import type { StrategyTimeline } from '../summary.js';
import { baseOptions, type ChartFigure } from './charts.js';
import { CATEGORY_COLOURS, type Column, type Comparison } from './columns.js';

/** Most points a timeline chart draws; longer series are merged into wider windows. */
export const MAX_POINTS = 200;

/** A series after downsampling: window starts and sums over the merged windows. */
export interface Series {
  readonly windowMs: number;
  readonly startMs: readonly number[];
  readonly breaks: readonly number[];
  /** [backend][window] */
  readonly requestsPerBackend: readonly (readonly number[])[];
}

/** Merges runs of consecutive windows (summing counts) so at most `maxPoints` remain. */
export function downsample(timeline: StrategyTimeline, backends: number, maxPoints = MAX_POINTS): Series {
  const merge = Math.max(1, Math.ceil(timeline.windows.length / maxPoints));
  const groups = Array.from({ length: Math.ceil(timeline.windows.length / merge) }, (_, g) => timeline.windows.slice(g * merge, (g + 1) * merge));
  return {
    windowMs: timeline.windowMs * merge,
    startMs: groups.map((g) => g[0]!.startMs),
    breaks: groups.map((g) => g.reduce((sum, w) => sum + w.breaks, 0)),
    requestsPerBackend: Array.from({ length: backends }, (_, b) => groups.map((g) => g.reduce((sum, w) => sum + (w.requestsPerBackend[b] ?? 0), 0))),
  };
}

/** Columns that carry a timeline. */
export function timelineColumns(columns: readonly Column[]): Column[] {
  return columns.filter((c) => c.strategy.timeline !== undefined && c.strategy.timeline.windows.length > 0);
}

/**
 * The part of chartjs-plugin-annotation's line annotation options the report uses (its own
 * `AnnotationOptions` type does not resolve under NodeNext: its .d.ts re-exports lack extensions).
 * The lines carry no label: the page lays the labels out itself (`lbsimEventLabels` in assets.ts).
 */
interface EventLine {
  readonly type: 'line';
  readonly xMin: number;
  readonly xMax: number;
  readonly borderColor: string;
  readonly borderWidth: number;
  readonly borderDash: readonly number[];
}

/** An event's label, at `x` seconds, that the page draws above the plot. */
interface EventLabel {
  readonly x: number;
  readonly text: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** chartjs-plugin-annotation's options, as far as the report uses them. */
    annotation: { readonly annotations: Readonly<Record<string, EventLine>> };
    /** The page's own event labels (assets.ts). */
    lbsimEventLabels: { readonly labels: readonly EventLabel[] };
  }
}

/** A chart's events, once each: vertical lines, and the labels the page lays out in rows that do not overlap. */
function eventMarks(events: readonly { readonly atMs: number; readonly label: string }[]) {
  const unique = [...new Map(events.map((e) => [`${e.atMs}\u0000${e.label}`, e])).values()];
  const lines = Object.fromEntries(unique.map((e, i): [string, EventLine] => {
    const x = e.atMs / 1000;
    return [`event${i}`, { type: 'line', xMin: x, xMax: x, borderColor: '#444444', borderWidth: 1, borderDash: [4, 4] }];
  }));
  return { annotation: { annotations: lines }, lbsimEventLabels: { labels: unique.map((e) => ({ x: e.atMs / 1000, text: e.label })) } };
}

/** A column's events, named by their run when the page compares several. */
function eventsOf(column: Column): { readonly atMs: number; readonly label: string }[] {
  return column.strategy.timeline!.events.map((e) => (column.run.tag ? { atMs: e.atMs, label: `${e.label} (${column.run.tag})` } : e));
}

const timeAxis = { type: 'linear' as const, title: { display: true, text: 'simulated time, s' } };

/** Breakages per window for every strategy with a timeline, events annotated. */
function breaksChart(columns: readonly Column[]): ChartFigure {
  const series = columns.map((c) => downsample(c.strategy.timeline!, c.strategy.backends.length));
  const config = {
    type: 'line',
    data: {
      datasets: columns.map((c, i) => ({
        label: c.label, borderColor: c.colour, backgroundColor: c.colour, borderDash: [...c.dash], pointRadius: 0, borderWidth: 2,
        data: series[i]!.startMs.map((t, w) => ({ x: t / 1000, y: series[i]!.breaks[w]! })),
      })),
    },
    options: baseOptions<'line'>({
      scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: 'sessions broken per window' } } },
      plugins: eventMarks(columns.flatMap(eventsOf)),
    }),
  } as ChartConfiguration;
  const starts = series[0]!.startMs;
  return {
    id: 'chart-timeline-breaks',
    title: 'Breakages over time',
    config,
    table: {
      caption: `sessions broken per ${seconds(series[0]!.windowMs)} window`,
      head: ['window start', ...columns.map((c) => c.label)],
      rows: starts.map((t, w) => [seconds(t), ...series.map((s) => integer(s.breaks[w] ?? 0))]),
    },
  };
}

/** Requests per backend per window for one strategy, events annotated. */
function requestsChart(column: Column, index: number): ChartFigure {
  const series = downsample(column.strategy.timeline!, column.strategy.backends.length);
  const names = column.strategy.backends.map((b) => b.name);
  const config = {
    type: 'line',
    data: {
      datasets: names.map((name, b) => ({
        label: name, borderColor: CATEGORY_COLOURS[b % CATEGORY_COLOURS.length]!, backgroundColor: CATEGORY_COLOURS[b % CATEGORY_COLOURS.length]!, pointRadius: 0, borderWidth: 1.5,
        data: series.startMs.map((t, w) => ({ x: t / 1000, y: series.requestsPerBackend[b]![w]! })),
      })),
    },
    options: baseOptions<'line'>({
      scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: 'upstream attempts per window' } } },
      plugins: eventMarks(eventsOf(column)),
    }),
  } as ChartConfiguration;
  return {
    id: `chart-timeline-requests-${index}`,
    title: `Requests per backend over time: ${column.label}`,
    config,
    table: {
      caption: `upstream attempts per backend per ${seconds(series.windowMs)} window, ${column.label}`,
      head: ['window start', ...names],
      rows: series.startMs.map((t, w) => [seconds(t), ...names.map((_, b) => integer(series.requestsPerBackend[b]![w]!))]),
    },
  };
}

/** The timeline charts, or none when no summary carries a timeline. */
export function timelineCharts({ columns }: Comparison): ChartFigure[] {
  const withTimeline = timelineColumns(columns);
  if (withTimeline.length === 0) return [];
  // Past LIMITS.backendDetail backends the windows hold totals only: no per-backend lines to draw.
  const perBackend = withTimeline.filter((c) => c.strategy.backendsSummary === undefined);
  return [breaksChart(withTimeline), ...perBackend.map((c, i) => requestsChart(c, i))];
}
