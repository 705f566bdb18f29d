/**
 * The comparison table printed after a run: one column per strategy, one row per figure, the
 * best value of each comparable row marked with `*`. Plain text, no colours: it is pasted into
 * tickets and chat as often as it is read in a terminal.
 */
import { BREAK_CAUSES } from '../model/index.js';
import { bestIndexes, integer, ms, money, percent, ratio, warmupNote, type Better } from './format.js';
import type { StrategySummary, Summary } from './summary.js';
import { contenders, MARK_RULE, verdict } from './verdict.js';

interface Row {
  readonly label: string;
  readonly values: readonly number[];
  readonly format: (value: number) => string;
  readonly better: Better;
  /** A breakage row: every strategy competes for its mark, not only the contenders. */
  readonly breakage: boolean;
}

function rows(strategies: readonly StrategySummary[]): Row[] {
  const row = (label: string, pick: (s: StrategySummary) => number, format: Row['format'], better: Better = 'none', breakage = false): Row => ({ label, values: strategies.map(pick), format, better, breakage });
  const causes = BREAK_CAUSES.filter((cause) => strategies.some((s) => s.brokenByCause[cause] > 0));
  return [
    row('sessions', (s) => s.sessions.total, integer),
    row('  completed', (s) => s.sessions.completed, integer, 'higher'),
    row('  abandoned', (s) => s.sessions.abandoned, integer),
    row('  broken', (s) => s.sessions.broken, integer, 'lower', true),
    row('breakage rate', (s) => s.breakageRate, percent, 'lower', true),
    ...causes.map((cause) => row(`  ${cause}`, (s) => s.brokenByCause[cause], integer, 'lower', true)),
    row('failover loss: sessions', (s) => s.failoverLoss.sessions, integer, 'lower'),
    row('failover loss: carts', (s) => s.failoverLoss.carts, integer, 'lower'),
    // What the users who would have paid were going to pay (always present in a summary just built).
    row('failover loss: revenue', (s) => s.failoverLoss.revenueLost ?? NaN, money, 'lower'),
    row('revenue (completed orders)', (s) => s.revenue, money, 'higher'),
    row('skew: max/mean requests', (s) => s.skew.requestsMaxOverMean, ratio, 'lower'),
    row('skew: CV of requests', (s) => s.skew.requestsCv, ratio, 'lower'),
    row('latency mean', (s) => s.latencyMs.mean, ms, 'lower'),
    row('latency p50', (s) => s.latencyMs.p50, ms, 'lower'),
    row('latency p95', (s) => s.latencyMs.p95, ms, 'lower'),
    row('latency p99', (s) => s.latencyMs.p99, ms, 'lower'),
    row('latency max', (s) => s.latencyMs.max, ms, 'lower'),
    row('requests', (s) => s.requests.total, integer),
    row('  failed (5xx)', (s) => s.requests.failed, integer, 'lower'),
    row('  rejected (503)', (s) => s.requests.rejected, integer, 'lower'),
    row('upstream attempts', (s) => s.requests.attempts, integer),
    row('  sent to dead backend', (s) => s.requests.sentToDeadBackend, integer, 'lower'),
    ...(strategies.some((s) => (s.requests.lostUpdates ?? 0) + (s.requests.lockWaits ?? 0) + (s.requests.lockTimeouts ?? 0) > 0)
      ? [
          row('lost updates', (s) => s.requests.lostUpdates ?? 0, integer, 'lower'),
          row('lock waits', (s) => s.requests.lockWaits ?? 0, integer, 'lower'),
          row('  mean lock wait', (s) => ((s.requests.lockWaits ?? 0) > 0 ? (s.requests.lockWaitMs ?? 0) / s.requests.lockWaits! : 0), ms, 'lower'),
          row('  lock timeouts', (s) => s.requests.lockTimeouts ?? 0, integer, 'lower'),
        ]
      : []),
  ];
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
  const body = rows(strategies).map((row) => {
    const best = bestIndexes(row.values, row.better, row.format, row.breakage ? undefined : inRace);
    return [row.label, ...row.values.map((v, i) => `${row.format(v)}${best.has(i) ? ' *' : '  '}`)];
  });
  const header = ['', ...strategies.map((s) => `${s.name}  `)];
  const table = [header, ...body];
  const lines = alignColumns(table);
  const title = `lbsim — ${summary.scenario.name} (seed ${summary.seed})`;
  const warmup = warmupNote(summary.scenario.setup?.warmupMs);
  const verdictLines = verdict(strategies).flatMap((sentence) => wrap(sentence, 100));
  const rule = wrap(`* best of the strategies for that row. ${MARK_RULE}`, 100);
  return [title, ...(warmup ? [warmup] : []), '', ...verdictLines, '', ...lines, '', ...rule, ''].join('\n');
}
