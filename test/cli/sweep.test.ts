/**
 * `lbsim sweep` as a user meets it: a grid of values of scenario fields, each point an ordinary
 * run (the same figures as `lbsim run --set` at that point), intervals over replications, units
 * in values, bad paths and bad points refused before anything runs or is written, and the same
 * bytes from one thread or two.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { meanInterval, type Summary, type Sweep } from '../../src/report/index.js';
import { fakeIo } from '../helpers/fake-io.js';

async function sweep(...argv: string[]) {
  const run = fakeIo({ files: { 'window.yaml': WINDOW } });
  const code = await main(['sweep', ...argv, '--threads', '1'], run.io);
  return { ...run, code };
}

async function runSummary(...argv: string[]): Promise<Summary> {
  const { io, stdout } = fakeIo();
  expect(await main(['run', ...argv, '--json', '--threads', '1', '--out', 'elsewhere'], io)).toBe(0);
  return JSON.parse(stdout()) as Summary;
}

/** sweep.csv's rows by column name (the values of these tests hold no commas or quotes). */
function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n').map((line) => line.split(','));
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}

/** One page per session, nothing lost and nothing abandoned: every session that arrives completes. Arrivals stop after 30 s. */
const WINDOW = `
name: window
seed: 5
arrivals: { rate: 20/s, window: 30s, spacing: even }
journey:
  steps:
    - { name: page, service: 10ms }
backends:
  - { name: "10.0.0.1:80" }
  - { name: "10.0.0.2:80" }
strategies:
  - { name: rr, balancer: { method: round-robin }, store: local }
`;

describe('lbsim sweep', () => {
  it('writes sweep.csv, sweep.html and sweep.json under reports/<slug>-sweep/ and prints the breakage at every point', async () => {
    const { code, stdout, stderr, written } = await sweep('scenarios/intro.yaml', '--set', 'stores.shared.roundTrip=1ms,5ms', '--sessions', '200');
    expect(code).toBe(0);
    expect(stderr()).toBe('');
    expect([...written.keys()].sort()).toEqual(['reports/intro-sweep/sweep.csv', 'reports/intro-sweep/sweep.html', 'reports/intro-sweep/sweep.json']);
    expect(stdout()).toMatch(/^lbsim sweep — intro: stores\.shared\.roundTrip \(2 values\); 2 strategies, 1 replication per point\n\nbreakage rate\nstores\.shared\.roundTrip +round-robin +shared-cache\n1ms /);
    expect(stdout()).toContain('wrote reports/intro-sweep/sweep.csv, sweep.html and sweep.json');
  });

  it('takes values with units: twice the rate in a fixed window gives twice the sessions', async () => {
    const { code, written } = await sweep('window.yaml', '--set', 'arrivals.rate=20/s,2400/m', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/window-sweep/sweep.json')!) as Sweep;
    const completed = result.points.map((p) => p.strategies[0]!.metrics['sessions.completed']!.mean);
    expect(completed).toEqual([600, 1200]);
    expect(csvRows(written.get('reports/window-sweep/sweep.csv')!).filter((r) => r['metric'] === 'sessions.completed').map((r) => [r['arrivals.rate'], r['mean']])).toEqual([['20/s', '600'], ['2400/m', '1200']]);
  });

  it('runs the grid of two --set options, the first varying slowest', async () => {
    const { code, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0,0.4', '--set', 'arrivals.rate=10/s,20/s,40/s', '--sessions', '200', '--strategy', 'ip-hash');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/shop-basic-sweep/sweep.json')!) as Sweep;
    expect(result.points.map((p) => p.values.join(' '))).toEqual(['0 10/s', '0 20/s', '0 40/s', '0.4 10/s', '0.4 20/s', '0.4 40/s']);
    const rows = csvRows(written.get('reports/shop-basic-sweep/sweep.csv')!);
    expect(rows).toHaveLength(6 * result.metrics.length);
    expect(Object.keys(rows[0]!)).toEqual(['clients.nat.share', 'arrivals.rate', 'strategy', 'metric', 'unit', 'mean', 'ci95_low', 'ci95_high', 'replications']);
    expect(rows.map((r) => `${r['clients.nat.share']} ${r['arrivals.rate']}`).filter((v, i, all) => all.indexOf(v) === i)).toEqual(['0 10/s', '0 20/s', '0 40/s', '0.4 10/s', '0.4 20/s', '0.4 40/s']);
  });

  it('gives at each point the figures lbsim run --set gives there', async () => {
    const { code, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0,0.5', '--sessions', '300');
    expect(code).toBe(0);
    const rows = csvRows(written.get('reports/shop-basic-sweep/sweep.csv')!);
    const run = await runSummary('scenarios/shop-basic.yaml', '--sessions', '300', '--set', 'clients.nat.share=0.5');
    const at = (strategy: string, metric: string) => Number(rows.find((r) => r['clients.nat.share'] === '0.5' && r['strategy'] === strategy && r['metric'] === metric)!['mean']);
    const ipHash = run.strategies.find((s) => s.name === 'ip-hash')!;
    expect(at('ip-hash', 'sessions.broken')).toBe(ipHash.sessions.broken);
    expect(at('ip-hash', 'skew.requestsCv')).toBe(ipHash.skew.requestsCv);
    expect(at('ip-hash', 'latencyMs.p95')).toBe(ipHash.latencyMs.p95);
    expect(at('ip-hash', 'revenue')).toBe(ipHash.revenue);
    expect(at('ip-hash', 'breakageRate')).toBeCloseTo(ipHash.breakageRate * 100, 9);
    const cache = run.strategies.find((s) => s.name === 'shared-cache')!;
    expect(at('shared-cache', 'storeStats.opsPerSec')).toBe(cache.storeStats.opsPerSec);
  });

  it('runs replications with the seeds <seed>/rep/<i>, and the interval is meanInterval of their values', async () => {
    const { code, written } = await sweep('scenarios/intro.yaml', '--set', 'stores.shared.roundTrip=2ms,8ms', '--sessions', '200', '--replications', '3');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/intro-sweep/sweep.json')!) as Sweep;
    expect(result.points[1]!.seeds).toEqual(['42/rep/0', '42/rep/1', '42/rep/2']);
    const p95 = result.points[1]!.strategies.find((s) => s.name === 'shared-cache')!.metrics['latencyMs.p95']!;
    const rep1 = await runSummary('scenarios/intro.yaml', '--sessions', '200', '--seed', '42/rep/1', '--set', 'stores.shared.roundTrip=8ms');
    expect(p95.values[1]).toBe(rep1.strategies[1]!.latencyMs.p95);
    const expected = meanInterval(p95.values);
    const row = csvRows(written.get('reports/intro-sweep/sweep.csv')!).find((r) => r['stores.shared.roundTrip'] === '8ms' && r['strategy'] === 'shared-cache' && r['metric'] === 'latencyMs.p95')!;
    expect(Number(row['mean'])).toBeCloseTo(expected.mean, 6);
    expect(Number(row['ci95_low'])).toBeCloseTo(expected.ci95.low, 6);
    expect(Number(row['ci95_high'])).toBeCloseTo(expected.ci95.high, 6);
    expect(row['replications']).toBe('3');
    expect(expected.ci95.halfWidth).toBeGreaterThan(0);
  });

  it('--json prints only the sweep JSON; progress goes to a terminal’s stderr, never with --json', async () => {
    const quiet = fakeIo({ isTTY: true });
    expect(await main(['sweep', 'scenarios/intro.yaml', '--set', 'seed=1,2', '--sessions', '100', '--json', '--out', 'there', '--threads', '1'], quiet.io)).toBe(0);
    expect(JSON.parse(quiet.stdout()).kind).toBe('sweep');
    expect(quiet.stderr()).toBe('');
    expect([...quiet.written.keys()].sort()).toEqual(['there/sweep.csv', 'there/sweep.html', 'there/sweep.json']);
    const tty = fakeIo({ isTTY: true });
    expect(await main(['sweep', 'scenarios/intro.yaml', '--set', 'seed=1,2', '--sessions', '100', '--threads', '1'], tty.io)).toBe(0);
    expect(tty.stderr()).toContain('lbsim: sweeping intro: 2 points × 1 replication, 4 strategy runs…');
    // Each finished run is named by its point: the last is seed=2's shared cache.
    expect(tty.stderr()).toContain('seed=1 round-robin done (1/4');
    expect(tty.stderr()).toContain('seed=2 shared-cache done (4/4');
  });
});

describe('lbsim sweep: bad input (exit 2, a clear message, nothing written)', () => {
  it('names an unknown field and suggests the closest', async () => {
    const { code, stderr, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.shar=0,0.1');
    expect(code).toBe(2);
    expect(stderr()).toBe('command line: --set: clients.nat.shar: clients.nat has no field "shar"; its fields are "share" and "addresses" (did you mean "share"?)\n');
    expect(written.size).toBe(0);
  });

  it('validates every point before running any, and names the points that fail', async () => {
    const { code, stderr, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0.5,1.5', '--sessions', '100');
    expect(code).toBe(2);
    expect(stderr()).toContain('at clients.nat.share=1.5: command line: --set clients.nat.share: expected a probability between 0 and 1, got 1.5\n');
    expect(stderr()).not.toContain('clients.nat.share=0.5:');
    expect(stderr()).not.toMatch(/\n\s+at /);
    expect(written.size).toBe(0);
  });

  it('asks for a field to sweep, and refuses a bad value list or count', async () => {
    const none = await sweep('scenarios/intro.yaml');
    expect(none.code).toBe(2);
    expect(none.stderr()).toContain('--set: name a field to sweep and its values');
    const empty = await sweep('scenarios/intro.yaml', '--set', 'seed=1,,2');
    expect(empty.stderr()).toContain('command line: --set seed: expected a value after "=" and between commas');
    const reps = await sweep('scenarios/intro.yaml', '--set', 'seed=1,2', '--replications', '0');
    expect(reps.code).toBe(2);
    expect(reps.stderr()).toContain('--replications: expected a whole number from 1 to 1000, got 0');
    for (const run of [none, empty, reps]) expect(run.written.size).toBe(0);
  });
});

describe('lbsim run --set', () => {
  it('replaces a field of the scenario for one run', async () => {
    const run = await runSummary('scenarios/intro.yaml', '--sessions', '100', '--set', 'strategies[1].balancer.method=ip-hash', '--set', 'stores.shared.roundTrip=9ms');
    expect(run.strategies[1]!.method).toBe('ip-hash');
    expect(run.scenario.setup!.stores.shared.roundTripMs).toBe(9);
  });

  it('takes one value per field', async () => {
    const { io, stderr, written } = fakeIo();
    expect(await main(['run', 'scenarios/intro.yaml', '--set', 'seed=1,2'], io)).toBe(2);
    expect(stderr()).toBe('command line: --set seed: lbsim run takes one value per field, got 2 ("1" and "2"); lbsim sweep runs each of them\n');
    expect(written.size).toBe(0);
  });
});

describe('lbsim sweep --threads (built CLI)', () => {
  const BIN = 'dist/lbsim.js';
  function files(threads: number): { json: Record<string, unknown>; csv: string } {
    const out = mkdtempSync(join(tmpdir(), 'lbsim-sweep-threads-'));
    execFileSync('node', [BIN, 'sweep', 'scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0,0.3', '--sessions', '1500', '--replications', '2', '--threads', String(threads), '--json', '--out', out], { encoding: 'utf8' });
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as Record<string, unknown>;
    delete json['generatedAt'];
    delete json['runTimeMs'];
    return { json, csv: readFileSync(join(out, 'sweep.csv'), 'utf8') };
  }

  it('needs the built CLI', () => {
    expect(existsSync(BIN), `${BIN} is missing: run "npm run build" (npm test does)`).toBe(true);
  });

  it('gives byte-identical results with 1 and 2 threads (every point and replication in one pool)', () => {
    const sequential = files(1);
    const parallel = files(2);
    expect(parallel.csv).toBe(sequential.csv);
    expect(JSON.stringify(parallel.json)).toBe(JSON.stringify(sequential.json));
  });
});
