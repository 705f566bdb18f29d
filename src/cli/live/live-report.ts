/**
 * The live comparison in words: a table per strategy of predicted against measured figures
 * (terminal and live.md), and in live.md the sessions that differ with both stories.
 */
import { LIVE_REPLICATIONS, type StrategyComparison } from './compare.js';

export interface LiveResult {
  readonly scenario: string;
  readonly seed: string;
  readonly timeScale: number;
  readonly backends: readonly { readonly scenario: string; readonly live: string }[];
  readonly strategies: readonly StrategyComparison[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function rows(c: StrategyComparison): [string, string, string][] {
  const p = c.predicted;
  const m = c.measured;
  const causes = (byCause: Readonly<Record<string, number>>) =>
    Object.entries(byCause)
      .filter(([, n]) => n > 0)
      .map(([cause, n]) => `${cause} ${n}`)
      .join(', ') || '-';
  return [
    ['sessions completed', String(p.sessions.completed), String(m.sessions.completed)],
    ['sessions abandoned', String(p.sessions.abandoned), String(m.sessions.abandoned)],
    ['sessions broken', String(p.sessions.broken), String(m.sessions.broken)],
    ['broken by cause', causes(p.brokenByCause), causes(m.brokenByCause)],
    ['requests', String(p.requests.total), String(m.requests.total)],
    ['attempts to dead backends', String(p.requests.sentToDeadBackend), String(m.requests.sentToDeadBackend)],
    ['retries', String(p.retries), String(m.retries)],
    ['requests per backend', p.backends.map((b) => b.requests).join(' '), m.backends.map((b) => b.requests).join(' ')],
    ['latency inside backends, mean ms', p.backendMs.toFixed(2), m.backendMs.toFixed(2)],
    ['latency p95 ms (live: with the hop)', p.latencyMs.p95.toFixed(2), m.latencyMs.p95.toFixed(2)],
  ];
}

function headline(c: StrategyComparison): string {
  const by = c.comparedBy === 'counts' ? ' (timing-dependent picks: compare the counts)' : '';
  const validity = c.valid ? '' : `\n  INVALID: ${c.invalidReason}`;
  return `${c.name} (${c.balancer})${by}: ${c.sessionsDiffering} sessions differ, route agreement ${pct(c.routeAgreement)} of ${c.routesCompared} requests, hop ${c.hopMs.toFixed(2)} ms, sent late by ${c.meanLateMs.toFixed(2)} ms (arrivals) and ${c.meanStepLateMs.toFixed(2)} ms (later steps) on average${validity}`;
}

/** Where the live run put the timeline's moments, against the scenario's times. */
function momentsLine(c: StrategyComparison): string | undefined {
  const moments = c.moments ?? [];
  if (moments.length === 0) return undefined;
  const one = (m: (typeof moments)[number]) => `${m.backend} ${m.change} at ${m.liveMs} ms${m.liveMs === m.scenarioMs ? '' : ` (scenario: ${m.scenarioMs})`}${m.quiet ? '' : ' NOT QUIET: it may race a request'}`;
  return `timeline, each moment placed where no request races it: ${moments.map(one).join('; ')}`;
}

/** The counts of a timing-dependent method against lbsim's replication spread, as table rows. */
function countRows(c: StrategyComparison): [string, string, string, string, string][] {
  return (c.counts ?? []).map((k) => [k.count, String(k.predicted), `${k.low}–${k.high}`, String(k.measured), k.within ? 'within' : 'OUTSIDE']);
}

const COUNTS_TITLE = `counts against lbsim's spread (this seed and ${LIVE_REPLICATIONS} replications)`;

function aligned(table: readonly (readonly string[])[]): string[] {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`);
}

export function renderLiveTable(live: LiveResult): string {
  const lines = [`${live.scenario}, seed ${live.seed}, time scale ${live.timeScale}: live against predicted`];
  for (const c of live.strategies) {
    lines.push('', headline(c));
    const moments = momentsLine(c);
    if (moments !== undefined) lines.push(`  ${moments}`);
    lines.push(...aligned([['', 'predicted', 'measured'], ...rows(c)]));
    if (c.counts !== undefined) lines.push('', `  ${COUNTS_TITLE}:`, ...aligned([['', 'this seed', 'spread', 'measured', ''], ...countRows(c)]));
  }
  return `${lines.join('\n')}\n`;
}

export function renderLiveReport(live: LiveResult): string {
  const lines = [`# lbsim live: ${live.scenario}`, '', `Seed ${live.seed}, time scale ${live.timeScale}. Backends: ${live.backends.map((b) => `${b.scenario} → ${b.live}`).join(', ')}.`];
  for (const c of live.strategies) {
    lines.push('', `## ${c.name}`, '', headline(c));
    const moments = momentsLine(c);
    if (moments !== undefined) lines.push('', `${moments[0]!.toUpperCase()}${moments.slice(1)}.`);
    lines.push('', '| | predicted | measured |', '|---|---:|---:|');
    for (const [what, p, m] of rows(c)) lines.push(`| ${what} | ${p} | ${m} |`);
    if (c.counts !== undefined) {
      lines.push('', `${COUNTS_TITLE[0]!.toUpperCase()}${COUNTS_TITLE.slice(1)}:`, '', '| count | this seed | spread | measured | |', '|---|---:|---:|---:|---|');
      for (const r of countRows(c)) lines.push(`| ${r.join(' | ')} |`);
    }
    if (c.differing.length > 0) {
      lines.push('', '### Sessions that differ', '', '| session | predicted | measured | requests: lbsim’s picks → logged upstreams |', '|---:|---|---|---|');
      for (const d of c.differing.slice(0, 50)) {
        const fate = (f: typeof d.predicted) => `${f.outcome}${f.cause ? ` (${f.cause})` : ''}, ${f.stepsCompleted} steps`;
        const story = d.story.map((s) => `${s.request}: ${s.predicted.join(',') || '-'} → ${s.measured.join(',') || '-'}`).join('; ');
        lines.push(`| ${d.session + 1} | ${fate(d.predicted)} | ${fate(d.measured)} | ${story} |`);
      }
      if (c.differing.length > 50) lines.push('', `…and ${c.differing.length - 50} more in live.json.`);
    }
  }
  return `${lines.join('\n')}\n`;
}
