/**
 * The plain-language sentences under each chart, written from the numbers of the run, so a
 * workshop audience can read what a chart shows ("ip-hash sent 41% of requests to app3, against an
 * even share of 12.5%"). Which sentences appear, and what they say, depends on the data: a
 * strategy that broke nothing is named as such, a cause is explained only when it occurred.
 * Sentences are plain text; the page escapes them.
 */
import type { BreakCause } from '../../model/index.js';
import { duration, integer, listing, money, ms, percent, seconds, share } from '../format.js';
import type { StrategySummary } from '../summary.js';
import { evenShares, presentCauses, requestShares } from './charts.js';
import type { Column, Comparison, Run } from './columns.js';
import { timelineColumns } from './timeline.js';
import { verdict } from '../verdict.js';

/** What each cause means for the user, the README's table in a sentence each. */
const CAUSE_MEANING: Readonly<Record<BreakCause, string>> = {
  'state-missing': 'a later step landed on a backend that holds no state for the session',
  'state-stale': 'a step read an older copy of the session than its last write',
  expired: 'the session sat idle longer than the store’s time-to-live',
  evicted: 'the shared cache evicted the session to make room',
  'not-serializable': 'framework state did not survive the shared cache',
  'coupled-moved': 'a step bound to one server’s in-flight transaction ran on another backend',
  'store-down': 'the shared cache was unreachable',
  'backend-failed': 'the backend holding the session died',
  remapped: 'a change of the pool moved the user to another backend',
  failback: 'a recovered backend took its users back, away from their state',
  'ip-changed': 'the client’s address changed and address-based placement moved it',
  'request-failed': 'the user got an error page (502, 503 or 504) for a step',
  'lost-update': 'a concurrent request of the same session overwrote a change a later step needed',
};

/**
 * The columns with the lowest and the highest value of a figure, as printed with `format`:
 * values that print the same are ties, and `same` says every column prints the same.
 */
function extremes(columns: readonly Column[], value: (s: StrategySummary) => number, format: (v: number) => string) {
  const values = columns.map((c) => value(c.strategy));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const labels = (target: number) => listing(columns.filter((_, i) => format(values[i]!) === format(target)).map((c) => c.label));
  return { low, high, lowLabels: labels(low), highLabels: labels(high), same: format(low) === format(high) };
}

/**
 * Above the headline table: the verdict of each run (which strategies keep sessions and at what
 * cost, which break them), then what failover cost, where it cost anything.
 */
export function explainHeadline({ runs, columns }: Comparison): string[] {
  return runs.flatMap((run) => {
    const sentences = verdict(run.summary.strategies).map((s, i) => (runs.length > 1 && i === 0 ? `${run.title}: ${s}` : s));
    const failover = failoverSentence(columns.filter((c) => c.run === run));
    return failover === undefined ? sentences : [...sentences, failover];
  });
}

/** What failover cost within one run, in orders the users would have paid; none for older summaries, which lack the figure. */
function failoverSentence(columns: readonly Column[]): string | undefined {
  const lostOf = (s: StrategySummary) => s.failoverLoss.revenueLost ?? NaN;
  const withLoss = columns.filter((c) => Number.isFinite(lostOf(c.strategy)));
  if (withLoss.length < 2) return undefined;
  const lost = extremes(withLoss, lostOf, money);
  if (lost.same) return undefined;
  const worst = withLoss.find((c) => lostOf(c.strategy) === lost.high)!.strategy.failoverLoss;
  return `When backends failed, ${lost.highLabels} lost ${integer(worst.sessions)} sessions, ${integer(worst.carts)} of them with a filled cart, and ${money(lost.high)} of orders their users would have paid, against ${money(lost.low)} for ${lost.lowLabels}.`;
}

/** Under the breakage chart: how much each strategy broke, and the cause that dominated. */
export function explainBreakage({ columns }: Comparison): string[] {
  const causes = presentCauses(columns);
  if (causes.length === 0) return ['No strategy broke a session: every session either completed or was left by its user.'];
  const sentences = columns.filter((c) => c.strategy.sessions.broken > 0).map((c) => {
    const { broken, total } = c.strategy.sessions;
    const main = causes.reduce((a, b) => (c.strategy.brokenByCause[b] > c.strategy.brokenByCause[a] ? b : a));
    const part = c.strategy.brokenByCause[main] / broken;
    const why = part === 1 ? `all of them ${main}` : `${share(part)} of them ${main}`;
    return `${c.label} broke ${integer(broken)} of ${integer(total)} sessions (${percent(broken / total)}), ${why}: ${CAUSE_MEANING[main]}.`;
  });
  const clean = columns.filter((c) => c.strategy.sessions.broken === 0).map((c) => c.label);
  if (clean.length > 0) sentences.push(`${listing(clean)} broke none.`);
  return sentences;
}

/** How far above its even share a backend's share is: `61% above it`, or `3.3 times as much` from twice on. */
function overShare(actual: number, even: number): string {
  if (even <= 0) return 'though it should get none';
  const times = actual / even;
  return times >= 2 ? `${times.toFixed(1)} times as much` : `${Math.round((times - 1) * 100)}% above it`;
}

/**
 * Under a load chart: each strategy's busiest backend against its even share, the backends the
 * timeline took down, and why client addresses pile up.
 */
export function explainLoad(group: readonly Column[]): string[] {
  const sentences = group.map((c) => {
    const shares = requestShares(c);
    const even = evenShares(c);
    const busiest = shares.reduce((best, s, i) => (s - even[i]! > shares[best]! - even[best]! ? i : best), 0);
    if (shares[busiest]! <= even[busiest]! * 1.1) return `${c.label} kept every backend within 10% of its even share (busiest: ${share(shares[busiest]!)} against ${share(even[busiest]!)}).`;
    return `${c.label} sent ${share(shares[busiest]!)} of its requests to ${c.strategy.backends[busiest]!.name}, against an even share of ${share(even[busiest]!)} (${overShare(shares[busiest]!, even[busiest]!)}).`;
  });
  const run = group[0]!.run;
  const events = run.summary.scenario.setup?.events ?? [];
  for (const name of [...new Set(events.filter((e) => e.mode !== 'up').map((e) => e.backend))]) {
    const index = group[0]!.strategy.backends.findIndex((b) => b.name === name);
    if (index < 0) continue;
    const first = events.find((e) => e.backend === name && e.mode !== 'up')!;
    const got = group.map((c) => ({ label: c.label, share: requestShares(c)[index]! }));
    const low = got.reduce((a, b) => (b.share < a.share ? b : a));
    const high = got.reduce((a, b) => (b.share > a.share ? b : a));
    const range = low.share === high.share ? `it got ${share(low.share)} of the requests` : `its share ranged from ${share(low.share)} (${low.label}) to ${share(high.share)} (${high.label})`;
    sentences.push(`${name} went ${first.mode} at ${seconds(first.atMs)}${first.durationMs === null ? '' : ` for ${duration(first.durationMs)}`}; ${range}.`);
  }
  const nat = run.summary.scenario.setup?.clients.nat;
  if (nat && nat.share > 0 && group.some((c) => c.strategy.skew.requestsMaxOverMean >= 1.5)) {
    sentences.push(`${share(nat.share)} of users sit behind ${integer(nat.addresses)} NAT address${nat.addresses === 1 ? '' : 'es'}: any placement by client address sends each of those crowds to a single backend.`);
  }
  return sentences;
}

/** Under the latency chart: the spread of the median and the tail, and what the shared store costs. */
export function explainLatency({ columns }: Comparison): string[] {
  const sentences: string[] = [];
  const p50 = extremes(columns, (s) => s.latencyMs.p50, ms);
  const p99 = extremes(columns, (s) => s.latencyMs.p99, ms);
  sentences.push(p50.same ? `Every strategy had a median of ${ms(p50.low)}.` : `The median response ranged from ${ms(p50.low)} (${p50.lowLabels}) to ${ms(p50.high)} (${p50.highLabels}).`);
  if (!p99.same) sentences.push(`The slowest 1% of requests took ${ms(p99.low)} or more under ${p99.lowLabels}, and ${ms(p99.high)} or more under ${p99.highLabels}.`);
  const fastest = columns.find((c) => c.strategy.latencyMs.p50 === p50.low)!;
  const worstBreakage = Math.max(...columns.map((c) => c.strategy.breakageRate));
  if (!p50.same && fastest.strategy.breakageRate === worstBreakage && worstBreakage >= 0.1) {
    sentences.push(`${fastest.label} is fast partly because it broke ${percent(worstBreakage)} of its sessions: broken sessions never reach the slower steps at the end of the journey.`);
  }
  for (const c of columns.filter((x) => x.strategy.store === 'shared' && x.strategy.storeStats.reads > 0)) {
    // The fairest local-memory yardstick is the one whose request mix is closest: the fewest broken sessions.
    const peers = columns.filter((l) => l.run === c.run && l.strategy.store === 'local');
    if (peers.length === 0) continue;
    const peer = peers.reduce((a, b) => (b.strategy.breakageRate < a.strategy.breakageRate ? b : a));
    const gap = c.strategy.latencyMs.p50 - peer.strategy.latencyMs.p50;
    const roundTrip = c.run.summary.scenario.setup?.stores.shared.roundTripMs;
    const perAccess = roundTrip === undefined ? '' : ` of ${duration(roundTrip)} each`;
    sentences.push(`${c.label}'s median is ${ms(Math.abs(gap))} ${gap >= 0 ? 'above' : 'below'} that of ${peer.label}, which keeps sessions in backend memory: it made ${integer(c.strategy.storeStats.reads + c.strategy.storeStats.writes)} cache round trips${perAccess} (hit ratio ${percent(c.strategy.storeStats.hitRatio)}).`);
  }
  return sentences;
}

/** Under the per-step latency chart: the slowest step and its spread over the strategies. */
export function explainLatencyBySteps({ columns }: Comparison): string[] {
  const p95 = new Map<string, number[]>();
  for (const c of columns) for (const s of c.strategy.latencyByStepMs) if (s.count > 0) p95.set(s.step, [...(p95.get(s.step) ?? []), s.p95]);
  if (p95.size === 0) return ['No request completed, so there is no latency to show.'];
  const [step, values] = [...p95].reduce((a, b) => (Math.max(...b[1]) > Math.max(...a[1]) ? b : a));
  const low = Math.min(...values);
  const high = Math.max(...values);
  return [`The slowest step is ${step}: 95% of its requests were answered within ${low === high ? ms(low) : `${ms(low)} to ${ms(high)}, depending on the strategy`}.`];
}

/** Under the funnel: how many sessions each strategy took to the last step, and where the worst lost most. */
export function explainFunnel({ columns }: Comparison): string[] {
  const last = (c: Column) => c.strategy.funnel.at(-1);
  const withSteps = columns.filter((c) => last(c) !== undefined && c.strategy.sessions.total > 0);
  if (withSteps.length === 0) return [];
  const reached = withSteps.map((c) => `${c.label} ${integer(last(c)!.sessions)} (${percent(last(c)!.sessions / c.strategy.sessions.total)})`);
  const sentences = [`Sessions that reached the last step (${listing([...new Set(withSteps.map((c) => last(c)!.step))])}): ${listing(reached)}.`];
  const worst = withSteps.reduce((a, b) => (last(b)!.sessions / b.strategy.sessions.total < last(a)!.sessions / a.strategy.sessions.total ? b : a));
  const drops = worst.strategy.funnel.slice(1).map((f, i) => ({ from: worst.strategy.funnel[i]!, to: f, lost: worst.strategy.funnel[i]!.sessions - f.sessions }));
  const steepest = drops.reduce<(typeof drops)[number] | undefined>((a, b) => (a === undefined || b.lost > a.lost ? b : a), undefined);
  if (steepest && steepest.lost > 0) sentences.push(`${worst.label} lost the most between ${steepest.from.step} and ${steepest.to.step}: ${integer(steepest.from.sessions)} sessions completed ${steepest.from.step}, ${integer(steepest.to.sessions)} completed ${steepest.to.step}.`);
  const clean = withSteps.filter((c) => c.strategy.breakageRate === 0).map((c) => c.label);
  if (clean.length > 0 && clean.length < withSteps.length) sentences.push(`${listing(clean)} broke no session, so ${clean.length === 1 ? 'its curve is' : 'their curves are'} the users' own abandonment; the gap below is what routing broke.`);
  return sentences;
}

/** Under the breakages-over-time chart: each strategy's worst window and the event just before it. */
export function explainTimeline({ columns }: Comparison): string[] {
  return timelineColumns(columns).flatMap((c) => {
    const timeline = c.strategy.timeline!;
    const peak = timeline.windows.reduce((a, b) => (b.breaks > a.breaks ? b : a));
    if (peak.breaks === 0) return [`${c.label} broke no session in any window.`];
    const before = timeline.events.filter((e) => e.atMs <= peak.startMs + timeline.windowMs).at(-1);
    const cause = before ? `, after “${before.label}” at ${(before.atMs / 1000).toFixed(1)} s` : '';
    return [`${c.label} broke the most sessions (${integer(peak.breaks)}) in the window from ${(peak.startMs / 1000).toFixed(1)} s${cause}.`];
  });
}

/** The client mix of a run in a sentence, when the summary records it. */
export function explainClients(run: Run): string | undefined {
  const clients = run.summary.scenario.setup?.clients;
  if (!clients) return undefined;
  const parts = [`Users come from ${integer(clients.networks)} /24 networks${clients.ipv6Share > 0 ? `, ${share(clients.ipv6Share)} of them over IPv6` : ''}`];
  if (clients.nat) parts.push(`${share(clients.nat.share)} sit behind ${integer(clients.nat.addresses)} NAT address${clients.nat.addresses === 1 ? '' : 'es'}`);
  if (clients.proxy) parts.push(`${share(clients.proxy.share)} come through one proxy (${clients.proxy.address})`);
  return `${parts.join('; ')}.`;
}
