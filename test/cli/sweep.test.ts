/**
 * `lbsim sweep` as a user meets it: a grid of values of scenario fields, each point an ordinary
 * run (the same figures as `lbsim run --set` at that point), intervals over replications, units
 * in values (and on the charts' axis), the terminal's figures chosen by what changes or by
 * `--metric`, a tidy sweep.csv, bad paths, names and points refused before anything runs or is
 * written, and the same bytes from one thread or two.
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

/** sweep.csv's rows (one per point and strategy) by column name (the values of these tests hold no commas or quotes). */
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

/** The chart configurations in a page's data block, by canvas id. */
function chartsOf(html: string): Map<string, { data: { labels?: string[]; datasets: { label: string; data: unknown[] }[] }; options: { scales: { x: { type: string } } } }> {
  const data = JSON.parse(/<script type="application\/json" id="lbsim-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { charts: { id: string; config: never }[] };
  return new Map(data.charts.map((c) => [c.id, c.config]));
}

/** The titles of the terminal's tables: the lines after a blank line, before the closing `wrote …`. */
const tableTitles = (stdout: string) => stdout.split('\n').filter((line, i, lines) => line !== '' && lines[i - 1] === '' && !line.startsWith('wrote '));

describe('lbsim sweep', () => {
  it('writes sweep.csv, sweep.html and sweep.json under reports/<slug>-sweep/ and prints the figures that change', async () => {
    const { code, stdout, stderr, written } = await sweep('scenarios/intro.yaml', '--set', 'stores.shared.roundTrip=1ms,5ms', '--sessions', '200');
    expect(code).toBe(0);
    expect(stderr()).toBe('');
    expect([...written.keys()].sort()).toEqual(['reports/intro-sweep/sweep.csv', 'reports/intro-sweep/sweep.html', 'reports/intro-sweep/sweep.json']);
    expect(stdout()).toMatch(/^lbsim sweep — intro: stores\.shared\.roundTrip \(2 values\); 2 strategies, 1 replication per point\nThe figures that change by 5% or more across the grid/);
    // The round trip slows the shared cache's requests and breaks nothing: one response-time table, no breakage.
    expect(tableTitles(stdout())).toEqual([expect.stringMatching(/^(mean|p95|p99) response time$/)]);
    expect(stdout()).toMatch(/\nstores\.shared\.roundTrip +round-robin +shared-cache\n1ms /);
    expect(stdout()).toContain('wrote reports/intro-sweep/sweep.csv, sweep.html and sweep.json');
  });

  it('prints skew, not all-zero breakage, for a sweep of the NAT share', async () => {
    const { code, stdout, written } = await sweep('scenarios/nat-skew.yaml', '--set', 'clients.nat.share=0,0.3,0.6', '--sessions', '300');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/nat-skew-sweep/sweep.json')!) as Sweep;
    expect(result.points.flatMap((p) => p.strategies.map((s) => s.metrics['breakageRate']!.mean))).toEqual(Array(9).fill(0));
    expect(tableTitles(stdout())).toEqual(['load skew: max / mean']);
    expect(stdout()).toMatch(/\nThe same at every point: breakage rate, broken sessions, failover loss, /);
    const ipHash = result.points.map((p) => p.strategies.find((s) => s.name === 'ip-hash')!.metrics['skew.requestsMaxOverMean']!.mean);
    expect(ipHash[2]).toBeGreaterThan(ipHash[0]! * 1.5);
  });

  it('prints the figures named with --metric, in that order', async () => {
    const { code, stdout } = await sweep('scenarios/nat-skew.yaml', '--set', 'clients.nat.share=0,0.6', '--sessions', '200', '--metric', 'skew.requestsCv', '--metric', 'breakageRate');
    expect(code).toBe(0);
    expect(tableTitles(stdout())).toEqual(['load skew: CV', 'breakage rate']);
    expect(stdout()).not.toContain('The figures that change');
  });

  it('plots 1ms, 2ms, 5ms and 10ms at 1, 2, 5 and 10 on a linear axis, and on a log axis with --log', async () => {
    const linear = await sweep('scenarios/intro.yaml', '--set', 'stores.shared.roundTrip=1ms,2ms,5ms,10ms', '--sessions', '100');
    expect(linear.code).toBe(0);
    const result = JSON.parse(linear.written.get('reports/intro-sweep/sweep.json')!) as Sweep;
    const p95 = result.metrics.findIndex((m) => m.id === 'latencyMs.p95');
    const chart = chartsOf(linear.written.get('reports/intro-sweep/sweep.html')!).get(`chart-sweep-${p95}-0`)!;
    expect(chart.options.scales.x.type).toBe('linear');
    expect(chart.data.labels).toBeUndefined();
    for (const line of chart.data.datasets) expect(line.data.map((point) => (point as { x: number }).x)).toEqual([1, 2, 5, 10]);
    const logged = await sweep('scenarios/intro.yaml', '--set', 'stores.shared.roundTrip=1ms,2ms,5ms,10ms', '--sessions', '100', '--log');
    expect(chartsOf(logged.written.get('reports/intro-sweep/sweep.html')!).get(`chart-sweep-${p95}-0`)!.options.scales.x.type).toBe('logarithmic');
  });

  it('takes values with units: twice the rate in a fixed window gives twice the sessions', async () => {
    const { code, written } = await sweep('window.yaml', '--set', 'arrivals.rate=20/s,2400/m', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/window-sweep/sweep.json')!) as Sweep;
    const completed = result.points.map((p) => p.strategies[0]!.metrics['sessions.completed']!.mean);
    expect(completed).toEqual([600, 1200]);
    expect(csvRows(written.get('reports/window-sweep/sweep.csv')!).map((r) => [r['arrivals.rate'], r['sessions.completed']])).toEqual([['20/s', '600'], ['2400/m', '1200']]);
  });

  it('runs the grid of two --set options, the first varying slowest', async () => {
    const { code, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0,0.4', '--set', 'arrivals.rate=10/s,20/s,40/s', '--sessions', '200', '--strategy', 'ip-hash');
    expect(code).toBe(0);
    const result = JSON.parse(written.get('reports/shop-basic-sweep/sweep.json')!) as Sweep;
    expect(result.points.map((p) => p.values.join(' '))).toEqual(['0 10/s', '0 20/s', '0 40/s', '0.4 10/s', '0.4 20/s', '0.4 40/s']);
    const rows = csvRows(written.get('reports/shop-basic-sweep/sweep.csv')!);
    expect(Object.keys(rows[0]!).slice(0, 6)).toEqual(['clients.nat.share', 'arrivals.rate', 'strategy', 'replications', 'breakageRate', 'breakageRate.ci95_low']);
    expect(rows.map((r) => `${r['clients.nat.share']} ${r['arrivals.rate']} ${r['strategy']}`)).toEqual(['0 10/s', '0 20/s', '0 40/s', '0.4 10/s', '0.4 20/s', '0.4 40/s'].map((point) => `${point} ip-hash`));
  });

  it('gives at each point the figures lbsim run --set gives there', async () => {
    const { code, written } = await sweep('scenarios/shop-basic.yaml', '--set', 'clients.nat.share=0,0.5', '--sessions', '300');
    expect(code).toBe(0);
    const rows = csvRows(written.get('reports/shop-basic-sweep/sweep.csv')!);
    const run = await runSummary('scenarios/shop-basic.yaml', '--sessions', '300', '--set', 'clients.nat.share=0.5');
    // One row per point and strategy: two points × the four strategies.
    expect(rows.map((r) => `${r['clients.nat.share']} ${r['strategy']}`)).toEqual(['0', '0.5'].flatMap((share) => run.strategies.map((s) => `${share} ${s.name}`)));
    const at = (strategy: string, metric: string) => Number(rows.find((r) => r['clients.nat.share'] === '0.5' && r['strategy'] === strategy)![metric]);
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
    const row = csvRows(written.get('reports/intro-sweep/sweep.csv')!).find((r) => r['stores.shared.roundTrip'] === '8ms' && r['strategy'] === 'shared-cache')!;
    expect(Number(row['latencyMs.p95'])).toBeCloseTo(expected.mean, 6);
    expect(Number(row['latencyMs.p95.ci95_low'])).toBeCloseTo(expected.ci95.low, 6);
    expect(Number(row['latencyMs.p95.ci95_high'])).toBeCloseTo(expected.ci95.high, 6);
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
    // One progress line for every point's runs, not one per strategy.
    expect(tty.stderr()).toMatch(/\r\u001b\[K\[#{24}\] 100%  4\/4 runs  0\.0 s, done\n$/);
    expect(tty.stderr().split('\n')).toHaveLength(3);
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

  it('refuses a --metric that names no figure, with the closest one, before running anything', async () => {
    const { code, stdout, stderr, written } = await sweep('scenarios/nat-skew.yaml', '--set', 'clients.nat.share=0,0.6', '--metric', 'skew.requestsMaxOverMean', '--metric', 'skew.requestCv');
    expect(code).toBe(2);
    expect(stderr()).toMatch(/^command line: --metric: no figure is named "skew\.requestCv" \(did you mean "skew\.requestsCv"\?\); the figures are "breakageRate", "sessions\.broken", .* and "storeStats\.opsPerSec"\n$/);
    expect(stdout()).toBe('');
    expect(written.size).toBe(0);
    const far = await sweep('scenarios/nat-skew.yaml', '--set', 'clients.nat.share=0,0.6', '--metric', 'throughput');
    expect(far.code).toBe(2);
    expect(far.stderr()).toMatch(/^command line: --metric: no figure is named "throughput"; the figures are /);
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
