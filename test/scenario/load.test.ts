/**
 * Loading a valid scenario: what the simulator receives once defaults are filled in and every
 * quantity is in base units (ms, per second), how times given as a percentage of the arrival
 * window are resolved, which syntaxes are read, and how the CLI's overrides apply.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS, MAX_SCENARIO_TEXT, parseScenarioText, type Loaded, type Scenario } from '../../src/scenario/index.js';

/** The smallest complete scenario: 10 sessions at 5/s over two backends, one strategy. */
const MINIMAL = `
name: minimal
sessions: 10
arrivals:
  rate: 5/s
backends:
  - name: 10.0.0.1:8080
  - name: 10.0.0.2:8080
strategies:
  - name: round-robin
    balancer: { method: round-robin }
    store: local
`;

function scenarioOf(loaded: Loaded): Scenario {
  if (!loaded.ok) throw new Error(`unexpected errors:\n${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return loaded.scenario;
}
const load = (text: string, file = 'test.yaml') => scenarioOf(parseScenarioText(text, file));

describe('the step that fills the cart', () => {
  const withSteps = (steps: string) => load(MINIMAL.replace('backends:', `journey:\n  steps:\n${steps}\nbackends:`));
  const cartOf = (s: Scenario) => s.journey.steps.findIndex((x) => x.fillsCart);

  it('is the one that says so', () => {
    expect(cartOf(withSteps('    - { name: a, service: 1ms, writes: true }\n    - { name: b, service: 1ms, fillsCart: true }\n    - { name: basket, service: 1ms }'))).toBe(1);
  });

  it('is none when steps say so only with false', () => {
    expect(cartOf(withSteps('    - { name: a, service: 1ms }\n    - { name: cart, service: 1ms, fillsCart: false }'))).toBe(-1);
  });

  it('by default, is the first named like a cart, else the first writing step after the first', () => {
    expect(cartOf(withSteps('    - { name: a, service: 1ms, writes: true }\n    - { name: b, service: 1ms, writes: true }\n    - { name: Cart, service: 1ms }'))).toBe(2);
    expect(cartOf(withSteps('    - { name: a, service: 1ms, writes: true }\n    - { name: b, service: 1ms }\n    - { name: c, service: 1ms, writes: true }'))).toBe(2);
  });

  it('is one step at most', () => {
    const loaded = parseScenarioText(MINIMAL.replace('backends:', 'journey:\n  steps:\n    - { name: a, service: 1ms, fillsCart: true }\n    - { name: b, service: 1ms, fillsCart: true }\nbackends:'), 'x.yaml');
    expect(loaded.ok ? [] : loaded.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['journey.steps[1].fillsCart: only one step fills the cart; a already does']);
  });
});

describe('defaults', () => {
  const scenario = load(MINIMAL);

  it('fills in the six-step shopping journey of the seed article', () => {
    expect(scenario.journey.steps.map((s) => s.name)).toEqual(['home', 'search', 'product', 'add-to-cart', 'checkout', 'pay']);
    expect(scenario.journey.steps).toHaveLength(DEFAULT_STEPS.length);
    const [home, search, , addToCart, , pay] = scenario.journey.steps;
    // home writes the session (creates it); every later step needs it.
    expect(home).toMatchObject({ method: 'GET', writes: true, needsSession: false, abandon: 0.05, fillsCart: false });
    // Service times are lognormal (median 20 ms, sigma 0.5): mostly near the median, with a tail.
    expect(home?.service).toEqual({ kind: 'lognormal', median: 20, sigma: 0.5 });
    expect(search).toMatchObject({ needsSession: true, abandon: 0.1 });
    expect(search?.service).toEqual({ kind: 'lognormal', median: 40, sigma: 0.5 });
    // A POST: nginx will not retry it on another backend once sent. Completing it fills the cart.
    expect(addToCart).toMatchObject({ method: 'POST', writes: true, fillsCart: true });
    expect(pay?.orderValue).toEqual({ kind: 'lognormal', median: 60, sigma: 0.7 });
  });

  it('fills in think time, clients, stores and proxy settings', () => {
    expect(scenario.journey.thinkTime).toEqual({ kind: 'exponential', mean: 5000 });
    expect(scenario.clients).toMatchObject({ networks: 1000, ipv6Share: 0 });
    expect(scenario.stores.local.ttl).toBe(1_800_000); // 30 min
    expect(scenario.stores.shared).toMatchObject({ roundTrip: 1, ttl: 1_800_000, notSerializable: 0 });
    expect(scenario.proxy).toEqual({
      nextUpstream: { error: true, timeout: true, nonIdempotent: false }, // nginx's proxy_next_upstream default
      tries: 0,
      connectTimeoutMs: 60_000,
      readTimeoutMs: 60_000,
    });
  });

  it('fills in backend settings and the seed', () => {
    expect(scenario.backends[0]).toEqual({ name: '10.0.0.1:8080', weight: 1, workers: 16, queueLimit: 1000, speed: 1, down: false, backup: false, maxConns: 0, standby: false, maxFails: 1, failTimeoutMs: 10_000 });
    expect(scenario.seed).toBe('1');
    expect(scenario.timeline).toEqual([]);
  });

  it('expands a backend group, numbering from 1', () => {
    const grouped = load(MINIMAL.replace(/backends:\n(  - .*\n)+/, 'backends:\n  count: 3\n  name: "10.0.0.{n}:8080"\n  workers: 4\n'));
    expect(grouped.backends.map((b) => b.name)).toEqual(['10.0.0.1:8080', '10.0.0.2:8080', '10.0.0.3:8080']);
    expect(grouped.backends.every((b) => b.workers === 4)).toBe(true);
  });
});

describe('units in a file', () => {
  it('converts every quantity to ms and per second', () => {
    const scenario = load(`${MINIMAL}
journey:
  thinkTime: 2s
  steps:
    - name: browse
      service: { dist: uniform, min: 30ms, max: 10ms }
stores:
  shared: { roundTrip: 2ms, ttl: 15m }
`.replace('rate: 5/s', 'rate: 3000/m'));
    expect(scenario.arrivals.ratePerSec).toBe(50); // 3000 per minute
    expect(scenario.journey.thinkTime).toEqual({ kind: 'constant', value: 2000 });
    expect(scenario.journey.steps[0]?.service).toEqual({ kind: 'uniform', min: 10, max: 30 }); // bounds put in order
    expect(scenario.stores.shared).toMatchObject({ roundTrip: 2, ttl: 900_000 });
  });
});

describe('times as a percentage of the arrival window', () => {
  const crashAt = (at: string) => `timeline:\n  - { at: "${at}", backend: 10.0.0.1:8080, mode: crash }\n`;

  it('uses arrivals.window when it is given', () => {
    const scenario = load(`${MINIMAL.replace('  rate: 5/s', '  rate: 5/s\n  window: 10m')}${crashAt('50%')}`);
    expect(scenario.arrivals.windowMs).toBe(600_000);
    expect(scenario.arrivals.referenceWindowMs).toBe(600_000);
    expect(scenario.timeline[0]?.atMs).toBe(300_000); // 50% of 10 min
  });

  it('otherwise uses the expected time for all sessions to arrive: sessions / rate', () => {
    // 2000 sessions at 20/s arrive in 100 s on average; 25% of that is 25 s.
    const scenario = load(`${MINIMAL.replace('sessions: 10', 'sessions: 2000').replace('5/s', '20/s')}${crashAt('25%')}`);
    expect(scenario.arrivals.windowMs).toBeUndefined();
    expect(scenario.arrivals.referenceWindowMs).toBe(100_000);
    expect(scenario.timeline[0]?.atMs).toBe(25_000);
  });

  it('integrates a rate profile to find that time', () => {
    // 10/s for 50 s brings 500 sessions; the other 500 at 30/s take 16.67 s more: 66.67 s in all.
    const text = MINIMAL.replace('sessions: 10', 'sessions: 1000').replace('rate: 5/s', 'rate: 10/s\n  profile:\n    - { from: 50s, rate: 30/s }');
    const scenario = load(`${text}${crashAt('60%')}`);
    expect(scenario.arrivals.profile).toEqual([
      { fromMs: 0, ratePerSec: 10 },
      { fromMs: 50_000, ratePerSec: 30 },
    ]);
    expect(scenario.arrivals.referenceWindowMs).toBeCloseTo(66_666.667, 2);
    expect(scenario.timeline[0]?.atMs).toBeCloseTo(40_000, 6); // 60% of 66.67 s
  });

  it('keeps absolute times as they are, and sorts the timeline', () => {
    const scenario = load(`${MINIMAL}timeline:\n  - { at: 90s, backend: 10.0.0.2:8080, mode: up }\n  - { at: 30s, backend: 10.0.0.2:8080, mode: crash, duration: 1m }\n`);
    expect(scenario.timeline).toEqual([
      { kind: 'mode', atMs: 30_000, backend: '10.0.0.2:8080', mode: 'crash', durationMs: 60_000 },
      { kind: 'mode', atMs: 90_000, backend: '10.0.0.2:8080', mode: 'up', durationMs: undefined },
    ]);
  });
});

describe('file formats', () => {
  const json = JSON.stringify({
    $schema: './scenario.schema.json',
    name: 'json',
    sessions: 10,
    arrivals: { rate: '5/s' },
    backends: [{ name: '10.0.0.1:8080' }],
    strategies: [{ name: 'rr', balancer: { method: 'round-robin' }, store: 'local' }],
  });

  it('reads strict JSON from .json files, with a top-level $schema', () => {
    expect(load(json, 'scenario.json').name).toBe('json');
  });

  it('reads YAML from .yaml, .yml and any other name (JSON is YAML too)', () => {
    expect(load(MINIMAL, 'a.yml').name).toBe('minimal');
    expect(load(MINIMAL, 'a.YAML').name).toBe('minimal');
    expect(load(json, 'from-stdin').name).toBe('json');
  });

  it('refuses a text over 10 MB before parsing it', () => {
    const huge = `# ${'x'.repeat(MAX_SCENARIO_TEXT)}\n${MINIMAL}`;
    const loaded = parseScenarioText(huge, 'huge.yaml');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]?.message).toMatch(/limited to 10 MB/);
  });

  it('accepts description and $schema as documentation anywhere', () => {
    const text = MINIMAL.replace('    store: local', '    store: local\n    description: the baseline');
    expect(load(`$schema: ./x.json\ndescription: a test\n${text}`).description).toBe('a test');
  });
});

describe('command-line overrides', () => {
  it('--seed replaces the seed', () => {
    expect(scenarioOf(parseScenarioText(MINIMAL, 'a.yaml', { seed: 'abc' })).seed).toBe('abc');
  });

  it('--sessions replaces the count and moves percentages with the window', () => {
    // 1000 sessions at 5/s: the window is 200 s, so 50% is 100 s (the file's 10 sessions would give 1 s).
    const text = `${MINIMAL}timeline:\n  - { at: 50%, backend: 10.0.0.1:8080, mode: crash }\n`;
    const scenario = scenarioOf(parseScenarioText(text, 'a.yaml', { sessions: 1000 }));
    expect(scenario.sessions).toBe(1000);
    expect(scenario.timeline[0]?.atMs).toBe(100_000);
  });

  it('--sessions out of range is an error about the option', () => {
    const loaded = parseScenarioText(MINIMAL, 'a.yaml', { sessions: 0 });
    expect(loaded).toEqual({ ok: false, errors: [{ file: 'command line', path: '--sessions', message: 'expected at least one session, got 0' }] });
  });

  it('--strategy keeps only that strategy', () => {
    const text = `${MINIMAL}  - name: shared-cache\n    balancer: { method: round-robin }\n    store: shared\n`;
    const scenario = scenarioOf(parseScenarioText(text, 'a.yaml', { strategy: 'shared-cache' }));
    expect(scenario.strategies.map((s) => s.name)).toEqual(['shared-cache']);
  });

  it('--strategy with an unknown name lists the names and suggests the closest', () => {
    const text = `${MINIMAL}  - name: shared-cache\n    balancer: { method: round-robin }\n    store: shared\n`;
    const loaded = parseScenarioText(text, 'a.yaml', { strategy: 'shared-cahce' });
    expect(loaded).toEqual({
      ok: false,
      errors: [{ file: 'command line', path: '--strategy', message: 'no strategy named "shared-cahce"; this scenario has "round-robin" and "shared-cache"', suggestion: 'shared-cache' }],
    });
  });
});
