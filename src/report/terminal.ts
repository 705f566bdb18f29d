/**
 * The comparison table printed after a run: one column per strategy, one row per figure, the
 * best value of each comparable row marked with `*` (`marks.ts`: on a replicated run, ties are
 * judged on paired differences, and each figure shows ± its 95% interval). Plain text, no
 * colours: it is pasted into tickets and chat as often as it is read in a terminal.
 */
import { nginxWorkerNote } from './nginx-workers.js';
import { BREAK_CAUSES } from '../model/index.js';
import { bestIndexes, integer, ms, money, percent, ratio, warmupNote, type Better } from './format.js';
import { intervalAt, markedBest, provenance } from './marks.js';
import type { StrategySummary, Summary } from './summary.js';
import { contenders, MARK_RULE, verdict } from './verdict.js';

interface Row {
  readonly label: string;
  /** The figure's summary path, or, for a figure derived from others, how to compute it. */
  readonly figure: string | ((s: StrategySummary) => number);
  readonly format: (value: number) => string;
  readonly better: Better;
  /** A breakage row: every strategy competes for its mark, not only the contenders. */
  readonly breakage: boolean;
}

/** The number at a dotted summary path (`latencyMs.p50`); absent fields of older summaries read as 0. */
function numberAt(strategy: StrategySummary, path: string): number {
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], strategy);
  return typeof value === 'number' ? value : 0;
}

function rows(strategies: readonly StrategySummary[]): Row[] {
  const row = (label: string, figure: Row['figure'], format: Row['format'], better: Better = 'none', breakage = false): Row => ({ label, figure, format, better, breakage });
  const causes = BREAK_CAUSES.filter((cause) => strategies.some((s) => s.brokenByCause[cause] > 0));
  return [
    row('sessions', 'sessions.total', integer),
    row('  completed', 'sessions.completed', integer, 'higher'),
    row('  abandoned', 'sessions.abandoned', integer),
    row('  broken', 'sessions.broken', integer, 'lower', true),
    row('breakage rate', 'breakageRate', percent, 'lower', true),
    ...causes.map((cause) => row(`  ${cause}`, `brokenByCause.${cause}`, integer, 'lower', true)),
    row('failover loss: sessions', 'failoverLoss.sessions', integer, 'lower'),
    row('failover loss: carts', 'failoverLoss.carts', integer, 'lower'),
    // What the users who would have paid were going to pay.
    row('failover loss: revenue', 'failoverLoss.revenueLost', money, 'lower'),
    row('revenue (completed orders)', 'revenue', money, 'higher'),
    row('skew: max/mean requests', 'skew.requestsMaxOverMean', ratio, 'lower'),
    row('skew: CV of requests', 'skew.requestsCv', ratio, 'lower'),
    row('latency mean', 'latencyMs.mean', ms, 'lower'),
    row('latency p50', 'latencyMs.p50', ms, 'lower'),
    row('latency p95', 'latencyMs.p95', ms, 'lower'),
    row('latency p99', 'latencyMs.p99', ms, 'lower'),
    row('latency max', 'latencyMs.max', ms, 'lower'),
    row('requests', 'requests.total', integer),
    row('  failed (5xx)', 'requests.failed', integer, 'lower'),
    row('  rejected (503)', 'requests.rejected', integer, 'lower'),
    row('upstream attempts', 'requests.attempts', integer),
    row('  sent to dead backend', 'requests.sentToDeadBackend', integer, 'lower'),
    ...(strategies.some((s) => (s.requests.lostUpdates ?? 0) + (s.requests.lockWaits ?? 0) + (s.requests.lockTimeouts ?? 0) > 0)
      ? [
          row('lost updates', 'requests.lostUpdates', integer, 'lower'),
          row('lock waits', 'requests.lockWaits', integer, 'lower'),
          row('  mean lock wait', (s) => ((s.requests.lockWaits ?? 0) > 0 ? (s.requests.lockWaitMs ?? 0) / s.requests.lockWaits! : 0), ms, 'lower'),
          row('  lock timeouts', 'requests.lockTimeouts', integer, 'lower'),
        ]
      : []),
  ];
}

/** A row's cells: each figure, ± its 95% interval on a replicated run, and the mark. */
function cells(row: Row, strategies: readonly StrategySummary[], inRace: ReadonlySet<number>): string[] {
  const { figure, format } = row;
  const values = strategies.map((s) => (typeof figure === 'string' ? numberAt(s, figure) : figure(s)));
  const among = row.breakage ? undefined : inRace;
  const best = typeof figure === 'string' ? markedBest(strategies, figure, values, row.better, format, among) : bestIndexes(values, row.better, format, among);
  return values.map((v, i) => {
    const interval = typeof figure === 'string' ? intervalAt(strategies[i]!, figure) : undefined;
    // A figure that did not move across the replications (the session count), or moved less than it prints, shows none.
    const spread = interval === undefined || format(interval.halfWidth) === format(0) ? '' : ` ±${format(interval.halfWidth)}`;
    return `${format(v)}${spread}${best.has(i) ? ' *' : '  '}`;
  });
}


/** Lines of a plain-text table: the first `leftColumns` columns aligned left (labels), the rest right (figures). */
export function alignColumns(table: readonly (readonly string[])[], leftColumns = 1): string[] {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length)));
  return table.map((line) => line.map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
}

/** Words wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

/** Renders the comparison table (strategies as columns), ending with a newline. */
export function renderTerminal(summary: Summary): string {
  const strategies = summary.strategies;
  const inRace = contenders(strategies);
  const body = rows(strategies).map((row) => [row.label, ...cells(row, strategies, inRace)]);
  const header = ['', ...strategies.map((s) => `${s.name}  `)];
  const table = [header, ...body];
  const lines = alignColumns(table);
  const title = `lbsim — ${summary.scenario.name} (seed ${summary.seed})`;
  const warmup = warmupNote(summary.scenario.setup?.warmupMs);
  const verdictLines = verdict(strategies).flatMap((sentence) => wrap(sentence, 100));
  const rule = wrap(`* best of the strategies for that row. ${MARK_RULE} ${provenance(summary)}`, 100);
  const workers = nginxWorkerNote(strategies.map((s) => s.method));
  return [title, ...(warmup ? [warmup] : []), '', ...verdictLines, '', ...lines, '', ...rule, ...(workers ? wrap(workers, 100) : []), ''].join('\n');
}
