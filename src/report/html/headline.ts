/**
 * The headline table: the figures a decision turns on, strategies as columns (as in the
 * terminal table), the best value of each row marked with a star, bold type and a tint — never
 * colour alone. Each value cell carries its exact number and its summary.json path in `data-*`
 * attributes, so a reader (or a test) can compare the page with the summary without parsing
 * formatted text.
 */
import { bestIndexes, integer, ms, money, percent, ratio, type Better } from '../format.js';
import type { StrategySummary } from '../summary.js';
import type { Comparison } from './columns.js';
import { escapeHtml } from './markup.js';

/** One row: a label, the summary.json path of its value within a strategy, and how to read it. */
export interface HeadlineRow {
  readonly label: string;
  readonly path: string;
  readonly better: Better;
  readonly format: (value: number) => string;
}

/** The rows of the headline table, in order. */
export const HEADLINE_ROWS: readonly HeadlineRow[] = [
  { label: 'sessions', path: 'sessions.total', better: 'none', format: integer },
  { label: 'breakage rate', path: 'breakageRate', better: 'lower', format: percent },
  { label: 'broken sessions', path: 'sessions.broken', better: 'lower', format: integer },
  { label: 'failover loss: sessions', path: 'failoverLoss.sessions', better: 'lower', format: integer },
  { label: 'failover loss: carts', path: 'failoverLoss.carts', better: 'lower', format: integer },
  { label: 'revenue at risk (failover)', path: 'failoverLoss.revenue', better: 'lower', format: money },
  { label: 'skew: max / mean requests', path: 'skew.requestsMaxOverMean', better: 'lower', format: ratio },
  { label: 'skew: CV of requests', path: 'skew.requestsCv', better: 'lower', format: ratio },
  { label: 'latency p50', path: 'latencyMs.p50', better: 'lower', format: ms },
  { label: 'latency p95', path: 'latencyMs.p95', better: 'lower', format: ms },
  { label: 'latency p99', path: 'latencyMs.p99', better: 'lower', format: ms },
  { label: 'failed requests (502/504)', path: 'requests.failed', better: 'lower', format: integer },
  { label: 'rejected requests (503)', path: 'requests.rejected', better: 'lower', format: integer },
  { label: 'revenue (completed orders)', path: 'revenue', better: 'higher', format: money },
];

/** The number at a dotted summary.json path of a strategy (`latencyMs.p95`). */
export function valueAt(strategy: StrategySummary, path: string): number {
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], strategy);
  if (typeof value !== 'number') throw new Error(`summary path ${path} is not a number`);
  return value;
}

/** The headline table's markup. */
export function renderHeadline({ columns }: Comparison): string {
  const head = columns.map((c, i) => `<th scope="col" class="num"><span class="swatch c${i}" aria-hidden="true"></span>${escapeHtml(c.label)}</th>`).join('');
  const rows = HEADLINE_ROWS.map((row) => {
    const values = columns.map((c) => valueAt(c.strategy, row.path));
    const best = bestIndexes(values, row.better, row.format);
    const cells = values.map((value, i) => {
      const c = columns[i]!;
      const attributes = `data-metric="${row.path}" data-run="${c.run.index}" data-strategy="${escapeHtml(c.strategy.name)}" data-value="${String(value)}"`;
      const mark = best.has(i) ? '<span class="mark" aria-hidden="true">★</span><span class="visually-hidden"> (best)</span>' : '';
      return `<td class="num${best.has(i) ? ' best' : ''}" ${attributes}>${escapeHtml(row.format(value))}${mark}</td>`;
    });
    const hint = row.better === 'none' ? '' : `<span class="visually-hidden"> (${row.better} is better)</span>`;
    return `<tr><th scope="row">${escapeHtml(row.label)}${hint}</th>${cells.join('')}</tr>`;
  });
  return [
    '<div class="table-wrap"><table class="headline">',
    '<caption>★ marks the best strategy on each row (ties share it; a row where all are equal has none)</caption>',
    `<thead><tr><th scope="col">figure</th>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}
