/**
 * A replicated run says so wherever its figures are shown, with each figure's 95% interval, and
 * judges "best" on paired differences (the strategies ran on the same seeds); a single run says
 * it is one run. Pages comparing several runs say per run what its figures are.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderTerminal, type StrategySummary, type Summary } from '../../src/report/index.js';
import { compare } from '../../src/report/html/columns.js';
import { renderHeadline } from '../../src/report/html/headline.js';
import { rerunCommand } from '../../src/report/html/scenario.js';
import { labelRows } from '../../src/report/html/label-rows.js';
import { markedBest, pairedTie } from '../../src/report/marks.js';
import { renderHtml, NO_ASSETS } from '../../src/report/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { setup, strategy, summary } from './fixtures.js';

async function replicated(n: number): Promise<Summary> {
  const { io, stdout } = fakeIo();
  expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '300', '--replications', String(n), '--json', '--threads', '1'], io)).toBe(0);
  return JSON.parse(stdout()) as Summary;
}

describe('paired differences', () => {
  it('a difference the same in every replication is real, however small', () => {
    expect(pairedTie([1, 2, 3], [1.1, 2.1, 3.1])).toBe(false);
  });

  it('a difference whose 95% interval holds 0 is a tie', () => {
    // Differences −0.5, +0.5, −0.2: mean −0.067, well inside ± t(2)·s/√3.
    expect(pairedTie([1, 2, 3], [1.5, 1.5, 3.2])).toBe(true);
  });

  it('marks the best and whoever ties with it; nobody when every strategy ties', () => {
    const withReplicates = (name: string, p50: number[]): StrategySummary => ({ ...strategy(name, { p50: p50.reduce((a, b) => a + b) / p50.length }), replicates: { 'latencyMs.p50': p50 } });
    const a = withReplicates('a', [10, 11, 12]);
    const b = withReplicates('b', [10.5, 10.5, 12.2]); // ties with a
    const c = withReplicates('c', [20, 21, 22]); // always 10 ms slower
    const values = [a, b, c].map((s) => s.latencyMs.p50);
    expect([...markedBest([a, b, c], 'latencyMs.p50', values, 'lower', String)]).toEqual([0, 1]);
    expect([...markedBest([a, b], 'latencyMs.p50', values.slice(0, 2), 'lower', String)]).toEqual([]);
  });
});

describe('a replicated run', async () => {
  const s = await replicated(3);

  it('says in the terminal that figures are means of 3 runs, each with ± its interval', () => {
    const text = renderTerminal(s);
    expect(text).toContain('Mean of 3 runs (seeds 42/rep/0 … /rep/2)');
    const half = (s.strategies[0]!.latencyMs as unknown as { ci95: { p50: { halfWidth: number } } }).ci95.p50.halfWidth;
    expect(text).toMatch(new RegExp(`latency p50 +[0-9.]+ ms ±${half.toFixed(1)} ms`));
  });

  it("carries each headline figure's interval in data-* attributes equal to summary.json's ci95", () => {
    const html = renderHeadline(compare([s]));
    const cells = [...html.matchAll(/data-metric="latencyMs\.p95" data-run="0" data-strategy="([^"]+)" data-value="[^"]+" data-ci-low="([^"]+)" data-ci-high="([^"]+)" data-ci-half-width="([^"]+)"/g)];
    expect(cells).toHaveLength(s.strategies.length);
    for (const [, name, low, high, half] of cells) {
      const ci = (s.strategies.find((x) => x.name === name)!.latencyMs as unknown as { ci95: { p95: { low: number; high: number; halfWidth: number } } }).ci95.p95;
      expect([Number(low), Number(high), Number(half)]).toEqual([ci.low, ci.high, ci.halfWidth]);
    }
  });

  it('gives a rerun command with its replications, and the page says "mean of 3 runs"', () => {
    expect(rerunCommand(compare([s]).runs[0]!)).toBe('lbsim run FILE --seed 42 --sessions 300 --replications 3');
    expect(renderHtml([s], NO_ASSETS).toLowerCase()).toContain('mean of 3 runs');
  });
});

describe('a single run', () => {
  it('states that it is one run', () => {
    const one = summary([strategy('a'), strategy('b')]);
    expect(renderTerminal(one)).toContain('One run (seed 7): no intervals.');
    expect(renderHtml([one], NO_ASSETS)).toContain('One run (seed 7): no intervals.');
  });
});

describe('a page of several runs', () => {
  it('names each run with its warm-up', () => {
    const run = (name: string, warmupMs: number) => summary([strategy('a'), strategy('b')], { name, scenario: { name, description: null, setup: setup({ warmupMs }) } });
    const html = renderHtml([run('x', 0), run('y', 60_000), run('z', 30_000)], NO_ASSETS);
    expect(html).toContain('x, seed 7: one run, no warm-up;');
    expect(html).toContain('y, seed 7: one run, a warm-up of 60 s;');
    expect(html).toContain('z, seed 7: one run, a warm-up of 30 s;');
  });

  it('lays event labels in rows where none overlaps another', () => {
    // Pixel spans as the page measures them: three labels that overlap in turn, and one clear of them.
    const spans = [
      { left: 300, width: 220 },
      { left: 310, width: 220 },
      { left: 505, width: 200 },
      { left: 720, width: 60 },
    ];
    const rows = labelRows(spans);
    expect(rows.slice(0, 3)).toEqual([0, 1, 2]);
    expect(rows[3]).toBe(0);
  });
});
