/**
 * The live comparison in words: a table per strategy of predicted against measured figures
 * (terminal and live.md), and in live.md the sessions that differ with both stories.
 */
import type { StrategyComparison } from './compare.js';

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
    ['retries', String(p.retries), String(m.requests.retries)],
    ['requests per backend', p.backends.map((b) => b.requests).join(' '), m.backends.map((b) => b.requests).join(' ')],
    ['latency inside backends, mean ms', p.backendMs.toFixed(2), m.backendMs.toFixed(2)],
    ['latency p95 ms (live: with the hop)', p.latencyMs.p95.toFixed(2), m.latencyMs.p95.toFixed(2)],
  ];
}

function headline(c: StrategyComparison): string {
  const by = c.comparedBy === 'counts' ? ' (timing-dependent picks: compare the counts)' : '';
  const validity = c.valid ? '' : `\n  INVALID: ${c.invalidReason}`;
  return `${c.name} (${c.balancer})${by}: ${c.sessionsDiffering} sessions differ, route agreement ${pct(c.routeAgreement)} of ${c.routesCompared} requests, hop ${c.hopMs.toFixed(2)} ms, arrivals ${c.meanLateMs.toFixed(2)} ms late on average${validity}`;
}

export function renderLiveTable(live: LiveResult): string {
  const lines = [`${live.scenario}, seed ${live.seed}, time scale ${live.timeScale}: live against predicted`];
  for (const c of live.strategies) {
    lines.push('', headline(c));
    const table = [['', 'predicted', 'measured'], ...rows(c)];
    const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table) lines.push(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderLiveReport(live: LiveResult): string {
  const lines = [`# lbsim live: ${live.scenario}`, '', `Seed ${live.seed}, time scale ${live.timeScale}. Backends: ${live.backends.map((b) => `${b.scenario} → ${b.live}`).join(', ')}.`];
  for (const c of live.strategies) {
    lines.push('', `## ${c.name}`, '', headline(c), '', '| | predicted | measured |', '|---|---:|---:|');
    for (const [what, p, m] of rows(c)) lines.push(`| ${what} | ${p} | ${m} |`);
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
