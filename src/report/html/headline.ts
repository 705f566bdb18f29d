/**
 * The headline table: the figures a decision turns on, strategies as columns (as in the
 * terminal table), the best value of each row marked with a star, bold type and a tint — never
 * colour alone. Each value cell carries its exact number and its summary.json path in `data-*`
 * attributes, so a reader (or a test) can compare the page with the summary without parsing
 * formatted text.
 */
import { bestIndexes, integer, ms, money, percent, ratio, type Better } from '../format.js';
import type { StrategySummary } from '../summary.js';
import { intervalAt, markedBest } from '../marks.js';
import { contenders, MARK_RULE } from '../verdict.js';
import type { Comparison } from './columns.js';
import { escapeHtml } from './markup.js';

/** One row: a label, the summary.json path of its value within a strategy, and how to read it. */
export interface HeadlineRow {
  readonly label: string;
  readonly path: string;
  readonly better: Better;
  readonly format: (value: number) => string;
  /** A breakage row: every strategy competes for its mark, not only the contenders. */
  readonly breakage?: true;
  /** Absent from summaries written before the field existed: such a cell shows a dash. */
  readonly optional?: true;
  /** Shown only when some strategy has a value other than 0 (figures most scenarios never have). */
  readonly whenNonZero?: true;
}

/** The rows of the headline table, in order. */
export const HEADLINE_ROWS: readonly HeadlineRow[] = [
  { label: 'sessions', path: 'sessions.total', better: 'none', format: integer },
  { label: 'breakage rate', path: 'breakageRate', better: 'lower', format: percent, breakage: true },
  { label: 'completed sessions', path: 'sessions.completed', better: 'higher', format: integer },
  { label: 'broken sessions', path: 'sessions.broken', better: 'lower', format: integer, breakage: true },
  { label: 'failover loss: sessions', path: 'failoverLoss.sessions', better: 'lower', format: integer },
  { label: 'failover loss: carts', path: 'failoverLoss.carts', better: 'lower', format: integer },
  { label: 'failover loss: revenue', path: 'failoverLoss.revenueLost', better: 'lower', format: money, optional: true },
  { label: 'skew: max / mean requests', path: 'skew.requestsMaxOverMean', better: 'lower', format: ratio },
  { label: 'skew: CV of requests', path: 'skew.requestsCv', better: 'lower', format: ratio },
  { label: 'latency p50', path: 'latencyMs.p50', better: 'lower', format: ms },
  { label: 'latency p95', path: 'latencyMs.p95', better: 'lower', format: ms },
  { label: 'latency p99', path: 'latencyMs.p99', better: 'lower', format: ms },
  { label: 'failed requests (502/504)', path: 'requests.failed', better: 'lower', format: integer },
  { label: 'rejected requests (503)', path: 'requests.rejected', better: 'lower', format: integer },
  { label: 'lost updates', path: 'requests.lostUpdates', better: 'lower', format: integer, optional: true, whenNonZero: true },
  { label: 'lock waits', path: 'requests.lockWaits', better: 'lower', format: integer, optional: true, whenNonZero: true },
  { label: 'lock timeouts', path: 'requests.lockTimeouts', better: 'lower', format: integer, optional: true, whenNonZero: true },
  { label: 'revenue (completed orders)', path: 'revenue', better: 'higher', format: money },
];

/** The number at a dotted summary.json path of a strategy (`latencyMs.p95`); undefined for an optional field the summary lacks. */
export function valueAt(strategy: StrategySummary, row: Pick<HeadlineRow, 'path' | 'optional'>): number | undefined {
  const value = row.path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], strategy);
  if (value === undefined && row.optional) return undefined;
  if (typeof value !== 'number') throw new Error(`summary path ${row.path} is not a number`);
  return value;
}

/** The headline table's markup. */
export function renderHeadline({ runs, columns }: Comparison): string {
  const head = columns.map((c, i) => `<th scope="col" class="num"><span class="swatch c${i}" aria-hidden="true"></span>${escapeHtml(c.label)}</th>`).join('');
  // Contenders are judged within their own run: another scenario's breakage says nothing of this one's.
  const inRace = new Set(runs.flatMap((run) => {
    const own = columns.filter((c) => c.run === run);
    const chosen = contenders(own.map((c) => c.strategy));
    return own.filter((_, i) => chosen.has(i)).map((c) => columns.indexOf(c));
  }));
  const shown = HEADLINE_ROWS.filter((row) => !row.whenNonZero || columns.some((c) => (valueAt(c.strategy, row) ?? 0) !== 0));
  const rows = shown.map((row) => {
    const values = columns.map((c) => valueAt(c.strategy, row));
    const present = new Set(values.flatMap((v, i) => (v === undefined ? [] : [i])));
    const among = row.breakage ? present : new Set([...inRace].filter((i) => present.has(i)));
    const numbers = values.map((v) => v ?? NaN);
    // Paired differences need shared seeds: one run's strategies, not several runs'.
    const best = runs.length === 1 ? markedBest(columns.map((c) => c.strategy), row.path, numbers, row.better, row.format, among) : bestIndexes(numbers, row.better, row.format, among);
    const cells = values.map((value, i) => {
      const c = columns[i]!;
      if (value === undefined) return `<td class="num" data-metric="${row.path}" data-run="${c.run.index}" data-strategy="${escapeHtml(c.strategy.name)}" data-label="${escapeHtml(c.label)}" title="not in this summary: it was written by an older lbsim">—</td>`;
      const interval = intervalAt(c.strategy, row.path);
      const ci = interval === undefined ? '' : ` data-ci-low="${interval.low}" data-ci-high="${interval.high}" data-ci-half-width="${interval.halfWidth}"`;
      const attributes = `data-metric="${row.path}" data-run="${c.run.index}" data-strategy="${escapeHtml(c.strategy.name)}" data-value="${String(value)}"${ci} data-label="${escapeHtml(c.label)}"`;
      const spread = interval === undefined || row.format(interval.halfWidth) === row.format(0) ? '' : `<span class="spread"> ±${escapeHtml(row.format(interval.halfWidth))}</span>`;
      const mark = best.has(i) ? '<span class="mark" aria-hidden="true">★</span><span class="visually-hidden"> (best)</span>' : '';
      return `<td class="num${best.has(i) ? ' best' : ''}" ${attributes}>${escapeHtml(row.format(value))}${spread}${mark}</td>`;
    });
    const hint = row.better === 'none' ? '' : `<span class="visually-hidden"> (${row.better} is better)</span>`;
    return `<tr><th scope="row">${escapeHtml(row.label)}${hint}</th>${cells.join('')}</tr>`;
  });
  return [
    // Above the table, not its caption: a caption is as wide as the table, which scrolls on a phone.
    // What the figures are (one run, or a mean with intervals) the page's header says, run by run.
    `<p class="note">★ marks the best strategy on each row (ties share it; a row where all are equal has none). ${escapeHtml(MARK_RULE)}</p>`,
    '<div class="table-wrap"><table class="headline">',
    '<caption class="visually-hidden">The headline figures, one column per strategy</caption>',
    `<thead><tr><th scope="col">figure</th>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}
