/**
 * The sentences under the charts are written from the numbers: each test states the numbers,
 * works out the sentence by hand, and checks that other numbers give another sentence.
 */
import { describe, expect, it } from 'vitest';
import { NO_ASSETS, renderHtml } from '../../src/report/index.js';
import { compare } from '../../src/report/html/columns.js';
import { explainBreakage, explainClients, explainFunnel, explainHeadline, explainLatency, explainLoad, explainTimeline } from '../../src/report/html/explain.js';
import { listing } from '../../src/report/format.js';
import { BACKENDS, requestsFromShares, setup, strategy, summary } from './fixtures.js';

/** Shares with `first` on app1 and the rest spread evenly over the other seven backends. */
const skewed = (first: number) => requestsFromShares([first, ...Array.from({ length: 7 }, () => (1 - first) / 7)]);

describe('explanations', () => {
  it('load: names the busiest backend against its even share, from the counts', () => {
    // 8 equal backends: even share 1/8 = 12.5%. app1 got 4,100 of 10,000 attempts = 41%; 41 / 12.5 = 3.28.
    const ipHash = strategy('ip-hash', { backends: skewed(0.41), skew: { requestsMaxOverMean: 3.28, requestsCv: 0.9 } });
    const columns = compare([summary([strategy('round-robin'), ipHash])]).columns;
    const sentences = explainLoad(columns);
    expect(sentences).toContain('ip-hash sent 41% of its requests to app1:80, against an even share of 12.5% (3.3 times as much).');
    expect(sentences).toContain('round-robin kept every backend within 10% of its even share (busiest: 12.5% against 12.5%).');
    // The scenario puts 30% of users behind 3 NAT addresses, and a strategy piles load (max/mean ≥ 1.5).
    expect(sentences).toContain('30% of users sit behind 3 NAT addresses: any placement by client address sends each of those crowds to a single backend.');
    // The timeline refused app4 at 50 s: its share, 5,900 / 7 ≈ 843 of 10,000 under ip-hash, 1,250 under round-robin.
    expect(sentences).toContain('app4:80 went refused at 50 s; its share ranged from 8.4% (ip-hash) to 12.5% (round-robin).');
    // Other numbers, other sentences: 30% on app1 is 2.4 times 12.5%, app4 then gets 70% / 7 = 10%; no pile-up, no NAT sentence.
    const milder = explainLoad(compare([summary([strategy('ip-hash', { backends: skewed(0.3), skew: { requestsMaxOverMean: 1.3, requestsCv: 0.3 } })])]).columns);
    expect(milder).toEqual(['ip-hash sent 30% of its requests to app1:80, against an even share of 12.5% (2.4 times as much).', 'app4:80 went refused at 50 s; it got 10% of the requests.']);
    // Under twice the even share the excess is a percentage: 15% against 12.5% is 20% above it.
    expect(explainLoad(compare([summary([strategy('cookie', { backends: skewed(0.15) })])]).columns)[0]).toBe('cookie sent 15% of its requests to app1:80, against an even share of 12.5% (20% above it).');
  });

  it('load: the even share follows the weights', () => {
    // app1 has weight 3, the seven others 1: app1's even share is 3/10 = 30%, the others' 10%. 30% on app1 is even.
    const weighted = setup({ backends: setup().backends.map((b, i) => ({ ...b, weight: i === 0 ? 3 : 1 })) });
    const s = summary([strategy('round-robin', { backends: requestsFromShares([0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]) })]);
    const columns = compare([{ ...s, scenario: { ...s.scenario, setup: weighted } }]).columns;
    expect(explainLoad(columns)).toEqual(['round-robin kept every backend within 10% of its even share (busiest: 30% against 30%).', 'app4:80 went refused at 50 s; it got 10% of the requests.']);
  });

  it('breakage: the amount, the dominant cause and what it means; strategies that broke nothing', () => {
    // 80 state-missing + 20 backend-failed = 100 of 1,000 sessions = 10.0%; 80 / 100 = 80% state-missing.
    const cmp = compare([summary([strategy('round-robin', { broken: { 'state-missing': 80, 'backend-failed': 20 } }), strategy('shared-cache'), strategy('cookie', { broken: { 'backend-failed': 5 } })])]);
    expect(explainBreakage(cmp)).toEqual([
      'round-robin broke 100 of 1,000 sessions (10.0%), 80% of them state-missing: a later step landed on a backend that holds no state for the session.',
      'cookie broke 5 of 1,000 sessions (0.5%), all of them backend-failed: the backend holding the session died.',
      'shared-cache broke none.',
    ]);
  });

  it('headline: the verdict, then the revenue failover cost the users who would have paid', () => {
    // cookie: 20 backend-failed sessions → failover loss 20 sessions, 10 carts, 120.00 lost (fixtures: 6 per session).
    // Medians 40 and 30 ms: shared-cache adds 10 ms. Busiest backends 1.05 and 1.1 × the mean: too even to name.
    const cmp = compare([summary([strategy('shared-cache', { p50: 40 }), strategy('cookie', { broken: { 'backend-failed': 20 }, p50: 30, skew: { requestsMaxOverMean: 1.1, requestsCv: 0.08 } })])]);
    expect(explainHeadline(cmp)).toEqual([
      'shared-cache keeps all sessions but adds 10.0 ms to the median latency; cookie keeps 98.0% of sessions.',
      'When backends failed, cookie lost 20 sessions, 10 of them with a filled cart, and 120.00 of orders their users would have paid, against 0.00 for shared-cache.',
    ]);
  });

  it('headline: a summary written before revenueLost existed says nothing of failover revenue', () => {
    const old = (s: ReturnType<typeof strategy>) => ({ ...s, failoverLoss: { sessions: s.failoverLoss.sessions, carts: s.failoverLoss.carts, revenue: s.failoverLoss.revenue } });
    const cmp = compare([summary([old(strategy('shared-cache')), old(strategy('cookie', { broken: { 'backend-failed': 20 } }))])]);
    expect(explainHeadline(cmp).join(' ')).not.toContain('When backends failed');
  });

  it('latency: what the shared cache costs against the local store with the most similar traffic', () => {
    // shared-cache p50 40 ms; local strategies: round-robin (p50 20, broke 50%) and cookie (p50 30, broke 0).
    // The yardstick is cookie (fewest broken): 40 − 30 = 10 ms. Round-trip 2 ms; 4,000 reads + 3,000 writes.
    const shared = strategy('shared-cache', { store: 'shared', p50: 40 });
    const cmp = compare([summary([strategy('round-robin', { broken: { 'state-missing': 500 }, p50: 20 }), shared, strategy('cookie', { p50: 30 })])]);
    expect(explainLatency(cmp)).toEqual([
      'The median response ranged from 20.0 ms (round-robin) to 40.0 ms (shared-cache).',
      'The slowest 1% of requests took 100.0 ms or more under round-robin, and 200.0 ms or more under shared-cache.',
      'round-robin is fast partly because it broke 50.0% of its sessions: broken sessions never reach the slower steps at the end of the journey.',
      "shared-cache's median is 10.0 ms above that of cookie, which keeps sessions in backend memory: it made 7,000 cache round trips of 2 ms each (hit ratio 100.0%).",
    ]);
  });

  it('funnel: who reached the last step, and where the worst lost most', () => {
    const worst = strategy('round-robin', { funnel: [{ step: 'home', sessions: 1000 }, { step: 'search', sessions: 200 }, { step: 'pay', sessions: 150 }], breakageRate: 0.8 });
    const cmp = compare([summary([worst, strategy('shared-cache', { breakageRate: 0 })])]);
    expect(explainFunnel(cmp)).toEqual([
      'Sessions that reached the last step (pay): round-robin 150 (15.0%) and shared-cache 500 (50.0%).',
      'round-robin lost the most between home and search: 1,000 sessions completed home, 200 completed search.',
      "shared-cache broke no session, so its curve is the users' own abandonment; the gap below is what routing broke.",
    ]);
  });

  it('timeline: the worst window and the event just before it', () => {
    const windows = [0, 1, 2, 3].map((w) => ({ startMs: w * 10_000, requestsPerBackend: BACKENDS.map(() => 1), breaks: w === 2 ? 9 : 1 }));
    const cmp = compare([summary([strategy('ip-hash', { timeline: { windowMs: 10_000, windows, events: [{ atMs: 5_000, label: 'warm-up' }, { atMs: 15_000, label: 'app4:80 refused' }] } })])]);
    expect(explainTimeline(cmp)).toEqual(['ip-hash broke the most sessions (9) in the window from 20.0 s, after “app4:80 refused” at 15.0 s.']);
  });

  it('clients, and the page prints the sentences escaped', () => {
    const s = summary([strategy('a'), strategy('b')]);
    expect(explainClients(compare([s]).runs[0]!)).toBe('Users come from 500 /24 networks; 30% sit behind 3 NAT addresses.');
    expect(listing(['a', 'b', 'c'])).toBe('a, b and c');
    const html = renderHtml([summary([strategy('<a>', { broken: { expired: 3 } }), strategy('b')])], NO_ASSETS);
    expect(html).toContain('<p>&lt;a&gt; broke 3 of 1,000 sessions (0.3%), all of them expired: the session sat idle longer than the store’s time-to-live.</p>');
  });
});
