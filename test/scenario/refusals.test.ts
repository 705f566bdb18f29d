/**
 * Every scenario has an answer: a run, or a refusal that names the field and what was wrong.
 * Each block is one class of hostile input from issue 18, and each case is one the adversarial
 * pass found (a hang, an exit 1, or a run that silently did something else).
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, type Loaded } from '../../src/scenario/index.js';

/** Two backends, one strategy, 20 sessions; `extra` is YAML appended at the top level. */
function scenario(extra = '', fields: { backends?: string; strategy?: string; journey?: string } = {}): string {
  return [
    'name: hostile',
    'sessions: 20',
    'arrivals: { rate: 10/s }',
    `backends: ${fields.backends ?? '{ count: 2, name: "10.0.0.{n}:80" }'}`,
    ...(fields.journey === undefined ? [] : [`journey: ${fields.journey}`]),
    'strategies:',
    `  - ${fields.strategy ?? '{ name: rr, balancer: { method: round-robin }, store: local }'}`,
    extra,
  ].join('\n');
}

/** The errors as `path: message` lines (empty when the scenario loads). */
function errorsOf(loaded: Loaded): string[] {
  return loaded.ok ? [] : loaded.errors.map((e) => `${e.path}: ${e.message}`);
}
const errors = (text: string, file = 'hostile.yaml') => errorsOf(parseScenarioText(text, file));

describe('numbers that are not finite, or not sane, are refused where they are written', () => {
  it.each([
    ['1e999ms', 'which is not a finite number'],
    ['1e308ms', 'which is above 365d, the most lbsim takes'],
    ['1e-320ms', 'which is below 1us, the least lbsim takes (0 excepted)'],
  ])('a think time of %s', (text, why) => {
    expect(errors(scenario('', { journey: `{ thinkTime: "${text}" }` }))).toEqual([`journey.thinkTime: expected a duration such as "20ms", "2s", "5m" or "1h", got "${text}", ${why}`]);
  });

  it('a rate of 1e999/s', () => {
    expect(errors(scenario().replace('rate: 10/s', 'rate: 1e999/s'))).toEqual(['arrivals.rate: expected a rate such as "50/s" or "3000/m", got "1e999/s", which is not a finite number']);
  });

  it('a timeline time of 1e999s', () => {
    expect(errors(scenario('timeline: [{ at: 1e999s, backend: "10.0.0.1:80", mode: refused }]'))).toEqual([
      'timeline[0].at: expected a time such as "90s" or a share of the arrival window such as "50%", got "1e999s", which is not a finite number',
    ]);
  });

  it.each(['1e-320', '1e-9', '1e9'])('a speed factor of %s, on a backend and in a slow event', (speed) => {
    const message = 'expected a speed factor from 0.001 (a thousand times slower) to 1000';
    const got = `got ${Number(speed)}`;
    expect(errors(scenario('', { backends: `{ count: 2, name: "10.0.0.{n}:80", speed: ${speed} }` }))).toEqual([`backends.speed: ${message}, ${got}`]);
    expect(errors(scenario(`timeline: [{ at: 1s, event: slow, backend: "10.0.0.1:80", speed: ${speed} }]`))).toEqual([`timeline[0].speed: ${message}, ${got}`]);
  });

  it('an order value of 1e308', () => {
    const journey = '{ steps: [{ name: pay, service: 1ms, orderValue: 1e308 }] }';
    expect(errors(scenario('', { journey }))).toEqual(['journey.steps[0].orderValue: expected a number of at most 1000000000, got 1e+308']);
  });
});

describe('durations carry their unit', () => {
  it.each([
    ['backends', '{ count: 2, name: "10.0.0.{n}:80", failTimeout: 10 }', 'backends.failTimeout', '10'],
    ['journey', '{ thinkTime: 1500 }', 'journey.thinkTime', '1500'],
  ] as const)('a bare number in %s is refused, with both readings offered', (section, value, path, number) => {
    expect(errors(scenario('', { [section]: value }))).toEqual([
      `${path}: expected a duration with its unit, got the bare number ${number}: write "${number}s" for seconds or "${number}ms" for milliseconds (only 0 needs no unit)`,
    ]);
  });

  it('a bare 0 is a duration', () => {
    expect(errors(scenario('', { backends: '{ count: 2, name: "10.0.0.{n}:80", failTimeout: 0 }' }))).toEqual([]);
  });

  it('a bare number in a timeline time is refused too', () => {
    expect(errors(scenario('timeline: [{ at: 90, backend: "10.0.0.1:80", mode: refused }]'))).toEqual([
      'timeline[0].at: expected a duration with its unit, got the bare number 90: write "90s" for seconds or "90ms" for milliseconds (only 0 needs no unit)',
    ]);
  });
});

describe('work that would never end is refused before the run', () => {
  const withHealthCheck = (healthCheck: string) => `{ name: rr, balancer: { method: round-robin }, store: local, healthCheck: ${healthCheck} }`;

  it('health checks every 0ms: an interval above 0', () => {
    expect(errors(scenario('', { strategy: withHealthCheck('{ interval: 0ms }') }))).toEqual(['strategies[0].healthCheck.interval: expected a duration above 0']);
  });

  it('health checks every 1us over an hour: more probes than the limit', () => {
    // The run: 36,000 sessions at 10/s arrive over 3,600 s, and the last one lives about 25.33 s
    // more (five 5 s think times, and six lognormal services, sigma 0.5, medians summing to 290 ms:
    // 290 × e^0.125 = 328.6 ms). 3,625.33 s / 1 µs, times 2 backends: 7,250,657,226 probes.
    const text = scenario('', { strategy: withHealthCheck('{ interval: 1us }') }).replace('sessions: 20', 'sessions: 36000');
    expect(errors(text)).toEqual([
      'strategies[0].healthCheck.interval: every 1us over the run (about 3,625 s), 2 backends make about 7,250,657,226 probes; at most 100,000,000 health-check probes in a run',
    ]);
  });

  it('Envoy least request comparing a billion backends: choiceCount within its limit', () => {
    const strategy = '{ name: lr, balancer: { method: envoy-least-request, options: { choiceCount: 1000000000 } }, store: local }';
    expect(errors(scenario('', { strategy }))).toEqual(['strategies[0].balancer.options.choiceCount: at most 100 backends compared per pick, got 1000000000']);
  });
});

describe('input errors are refusals, never crashes', () => {
  it('locking that polls every 0ms: a poll above 0 (it was "cannot schedule at NaN")', () => {
    const strategy = '{ name: locked, balancer: { method: round-robin }, store: shared, locking: { poll: 0ms } }';
    expect(errors(scenario('', { strategy }))).toEqual(['strategies[0].locking.poll: expected a duration above 0']);
  });

  it('a YAML alias inside its own anchor', () => {
    expect(errors(scenario().replace('name: hostile', 'name: &a [*a]'))).toEqual(['name[0]: YAML aliases refer to themselves (an anchor used inside its own value); data must be a tree']);
  });

  it.each([
    ['hostile.json', `{"name": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['hostile.yaml', `name: ${'['.repeat(100)}${']'.repeat(100)}`],
  ])('lists nested thousands deep (%s)', (file, text) => {
    expect(errors(text, file)).toEqual(['name: lists and objects are nested more than 64 deep; at most 64']);
  });

  it('an nginx block nested thousands deep', () => {
    const nginx = `${'http { '.repeat(5000)}${'} '.repeat(5000)}`;
    const strategy = `{ name: n, store: local, balancer: { nginx: ${JSON.stringify(nginx)} } }`;
    expect(errors(scenario('', { strategy }))).toEqual(['strategies[0].balancer.nginx: line 1: blocks are nested more than 64 deep; at most 64']);
  });

  it('two HAProxy servers with one id', () => {
    const haproxy = 'backend app\n  balance source\n  server a 10.0.0.1:80 id 1\n  server b 10.0.0.2:80 id 1\n';
    const strategy = `{ name: h, store: local, balancer: { haproxy: ${JSON.stringify(haproxy)} } }`;
    expect(errors(scenario('', { strategy }))).toEqual(['strategies[0].balancer.haproxy: line 4: server b has id 1, as server a on line 3 has; ids are unique in a backend']);
  });

  it('every backend a backup: nginx refuses an upstream without a primary server', () => {
    expect(errors(scenario('', { backends: '{ count: 2, name: "10.0.0.{n}:80", backup: true }' }))).toEqual([
      'strategies[0].balancer.method: round-robin cannot balance these backends: every server is backup, and nginx refuses an upstream without a primary server ("no servers in upstream")',
    ]);
  });
});

describe('what is written is what runs, or it is refused', () => {
  const step = (parallel: string) => `{ steps: [{ name: page, service: 10ms, parallel: ${parallel} }] }`;

  it.each([
    ['51', 'journey.steps[0].parallel.requests: at most 50 requests (a larger value would exhaust memory), got 51'],
    ['0', 'journey.steps[0].parallel.requests: expected at least one request, got 0'],
  ])('parallel.requests: %s is a count out of range, not a distribution clamped to another', (requests, message) => {
    expect(errors(scenario('', { journey: step(`{ requests: ${requests} }`) }))).toEqual([message]);
  });

  it('parallel.requests as a distribution is still drawn', () => {
    expect(errors(scenario('', { journey: step('{ requests: { dist: uniform, min: 1, max: 6 } }') }))).toEqual([]);
  });

  it('proxy_next_upstream inside a balancer block: the proxy section says it, for every strategy', () => {
    const nginx = 'upstream b {\n  server 10.0.0.1:80;\n  server 10.0.0.2:80;\n}\nproxy_next_upstream off;\n';
    const strategy = `{ name: n, store: local, balancer: { nginx: ${JSON.stringify(nginx)} } }`;
    expect(errors(scenario('', { strategy }))).toEqual([
      'strategies[0].balancer.nginx: line 5: proxy_next_upstream applies to every strategy of a scenario: set it in the proxy section (proxy.nextUpstream), not in a balancer block',
    ]);
  });

  it('an arrival window of 0s, which would run no session', () => {
    expect(errors(scenario().replace('sessions: 20\n', '').replace('rate: 10/s', 'rate: 10/s, window: 0s'))).toEqual(['arrivals.window: expected a duration above 0']);
  });

  it('add-backend of a backend already in the pool', () => {
    expect(errors(scenario('timeline: [{ at: 1s, event: add-backend, backend: "10.0.0.1:80" }]'))).toEqual([
      'timeline[0].backend: 10.0.0.1:80 is in the pool at 1 s already, so adding it would change nothing: declare it standby: true, or remove or drain it first',
    ]);
  });

  it('add-backend after the backend left the pool, or of one on standby, is a scale-out', () => {
    const leaves = 'timeline: [{ at: 1s, event: remove-backend, backend: "10.0.0.1:80" }, { at: 2s, event: add-backend, backend: "10.0.0.1:80" }]';
    expect(errors(scenario(leaves))).toEqual([]);
    const standby = scenario('timeline: [{ at: 1s, event: add-backend, backend: "10.0.0.3:80" }]', { backends: '[{ name: "10.0.0.1:80" }, { name: "10.0.0.3:80", standby: true }]' });
    expect(errors(standby)).toEqual([]);
  });

  it('a key twice in one JSON object, as YAML already refuses', () => {
    const json = JSON.stringify({ name: 'dup', sessions: 20, arrivals: { rate: '10/s' }, backends: { count: 2, name: '10.0.0.{n}:80' }, strategies: [{ name: 'rr', balancer: { method: 'round-robin' }, store: 'local' }] }).replace('"sessions":20', '"sessions":20,"sessions":30');
    expect(parseScenarioText(json, 'dup.json')).toMatchObject({ ok: false, errors: [{ line: 1, message: 'JSON: the key "sessions" appears twice in the same object' }] });
  });

  it('a weight above the limit in a balancer block, as in backends', () => {
    const nginx = 'upstream b {\n  server 10.0.0.1:80 weight=1000000;\n  server 10.0.0.2:80;\n}\n';
    const strategy = `{ name: n, store: local, balancer: { nginx: ${JSON.stringify(nginx)} } }`;
    expect(errors(scenario('', { strategy }))).toEqual(['strategies[0].balancer.nginx: line 2: invalid parameter "weight=1000000": weight must be a whole number from 1 to 1000']);
  });

  it.each(['"10.0.0.{n}:99999"', '"10.0.0.{n}:0"'])('a port outside 1 to 65535 in a backend name (%s)', (name) => {
    expect(errors(scenario('', { backends: `{ count: 2, name: ${name} }` }))).toEqual([
      expect.stringMatching(/^backends\.name: expected a host:port template with \{n\}, e\.g\. "10\.0\.0\.\{n\}:8080", got .*; a port is 1 to 65535$/),
    ]);
  });
});

describe('counts a scenario implies are within their limits', () => {
  it('a window-limited arrival that would let in more sessions than the limit', () => {
    // 100,000/s for 100 days: 8.64e11 sessions, against 100,000,000. (No think time: the sessions
    // alive at once, 100,000/s × 0.33 s, stay within their own limit.)
    const text = scenario('', { journey: '{ thinkTime: 0s }' }).replace('sessions: 20\n', '').replace('rate: 10/s', 'rate: 100000/s, window: 100d');
    expect(errors(text)).toEqual(['arrivals.window: about 864,000,000,000 sessions would arrive in 8,640,000 s at these rates; at most 100,000,000 sessions (give `sessions` to stop them sooner)']);
  });

  it('more backends × strategies than the limit', () => {
    const strategies = Array.from({ length: 21 }, (_, i) => `  - { name: s${i}, balancer: { method: round-robin }, store: local }`).join('\n');
    const text = scenario('', { backends: '{ count: 10000, name: "10.{n}.0.1:80" }' }).replace(/strategies:\n.*\n/, `strategies:\n${strategies}\n`);
    expect(errors(text)).toEqual(['strategies: 21 strategies over 10,000 backends are 210,000 backend runs; at most 200,000 (backends × strategies)']);
  });
});

describe('sessions alive at once are within their limit', () => {
  it('a million sessions arriving in 10 s that each think for an hour', () => {
    // Little's law: 100,000/s × about 18,000 s (five think times of 1 h, and 0.33 s of service) is
    // 1.8e9, more than the 1,000,000 sessions there are: all of them would be alive at once.
    const text = scenario('', { journey: '{ thinkTime: 1h }' }).replace('sessions: 20', 'sessions: 1000000').replace('rate: 10/s', 'rate: 100000/s');
    expect(errors(text)).toEqual(['journey: about 1,000,000 sessions would be alive at once (100,000 arriving per second, each lasting about 18,000 s); at most 400,000 sessions in flight']);
  });

  it('the same sessions arriving at 10,000/s and thinking for 3 s fit (about 150,000 at once)', () => {
    expect(errors(scenario('', { journey: '{ thinkTime: 3s }' }).replace('sessions: 20', 'sessions: 1000000').replace('rate: 10/s', 'rate: 10000/s'))).toEqual([]);
  });
});

describe('an address file within its limits', () => {
  const withAddressFile = scenario('clients: { addressFile: many.txt }');
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${(i >>> 8) & 255}.${i & 255}`).join('\n');

  it('more addresses than the limit: sample the file first', () => {
    const loaded = parseScenarioText(withAddressFile, 'hostile.yaml', {}, () => lines(250_001));
    expect(errorsOf(loaded)).toEqual([': more than 250,000 addresses, the most lbsim reads from an address file: sample the file first']);
  });

  it('the reader is asked for 32 MB at most', () => {
    let asked = 0;
    parseScenarioText(withAddressFile, 'hostile.yaml', {}, (_, maxBytes) => ((asked = maxBytes), '198.51.100.1'));
    expect(asked).toBe(32 * 1024 * 1024);
  });
});
