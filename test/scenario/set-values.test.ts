/**
 * `--set PATH=VALUE`: a field of the scenario file replaced by its path, with the value read as
 * YAML so units apply; unknown paths listed and corrected, values checked by the schema as if
 * they were in the file, but reported against the option.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE, formatScenarioErrors, parseScenarioText, parseSetOptions, setValues, splitSetOption, type Scenario, type SetValue } from '../../src/scenario/index.js';

const FILE = `
name: set-test
seed: 3
sessions: 100
arrivals: { rate: 10/s }
clients:
  networks: 200
backends:
  - { name: "10.0.0.1:80" }
  - { name: "10.0.0.2:80" }
  - { name: "10.0.0.3:80" }
stores:
  shared: { roundTrip: 2ms }
strategies:
  - { name: rr, balancer: { method: round-robin }, store: local }
  - { name: cache, balancer: { method: round-robin }, store: shared }
`;

function load(set: readonly SetValue[]) {
  return parseScenarioText(FILE, 'set-test.yaml', { set });
}

function loaded(...set: [string, string][]): Scenario {
  const result = load(set.map(([path, value]) => ({ path, value })));
  if (!result.ok) throw new Error(formatScenarioErrors(result.errors));
  return result.scenario;
}

function errors(...set: [string, string][]) {
  const result = load(set.map(([path, value]) => ({ path, value })));
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('--set: writing a value at its path', () => {
  it('accepts dotted indexes and brackets alike', () => {
    expect(loaded(['backends.2.weight', '5']).backends.map((b) => b.weight)).toEqual([1, 1, 5]);
    expect(loaded(['backends[2].weight', '5']).backends.map((b) => b.weight)).toEqual([1, 1, 5]);
    expect(loaded(['strategies[1].balancer.method', 'ip-hash']).strategies.map((s) => s.balancer.method)).toEqual(['round-robin', 'ip-hash']);
    expect(loaded(['strategies.1.balancer.method', 'least-conn']).strategies[1]!.balancer.method).toBe('least-conn');
  });

  it('creates the objects on the way that the file leaves out', () => {
    const scenario = loaded(['clients.nat.share', '0.3'], ['clients.nat.addresses', '4']);
    expect(scenario.clients.nat).toEqual({ share: 0.3, addresses: 4 });
    expect(scenario.clients.networks).toBe(200);
  });

  it('reads values as YAML, so a quantity keeps its unit and a flow list or map is a list or map', () => {
    expect(loaded(['arrivals.rate', '3000/m']).arrivals.ratePerSec).toBe(50);
    expect(loaded(['stores.shared.roundTrip', '5ms']).stores.shared.roundTrip).toBe(5);
    expect(loaded(['seed', 'abc']).seed).toBe('abc');
    expect(loaded(['backends.0.down', 'true']).backends[0]!.down).toBe(true);
    expect(loaded(['proxy.nextUpstream', '[error, non_idempotent]']).proxy.nextUpstream).toEqual({ error: true, timeout: false, nonIdempotent: true });
    expect(loaded(['journey.thinkTime', '{dist: constant, value: 2s}']).journey.thinkTime).toEqual({ kind: 'constant', value: 2000 });
  });

  it('leaves the decoded document as it was', () => {
    const document = { name: 'x', clients: { networks: 5 } };
    const { document: written, errors: problems } = setValues(document, [{ path: 'clients.nat.share', value: '0.5' }]);
    expect(problems).toEqual([]);
    expect(written).toEqual({ name: 'x', clients: { networks: 5, nat: { share: 0.5 } } });
    expect(document).toEqual({ name: 'x', clients: { networks: 5 } });
  });
});

describe('--set: mistakes', () => {
  it('names an unknown field, lists the fields there and suggests the closest', () => {
    const [error] = errors(['clients.nat.shar', '0.1']);
    expect(error).toEqual({
      file: COMMAND_LINE,
      path: '--set',
      message: 'clients.nat.shar: clients.nat has no field "shar"; its fields are "share" and "addresses"',
      suggestion: 'share',
    });
    const [top] = errors(['client.nat.share', '0.1']);
    expect(top!.suggestion).toBe('clients');
    expect(top!.message).toMatch(/^client\.nat\.share: the scenario has no field "client"; its fields are "name", "seed", "sessions", "arrivals",/);
  });

  it('explains a path that treats a list as an object, an object as a list, or a value as an object', () => {
    expect(errors(['strategies.balancer', 'x'])[0]!.message).toBe('strategies.balancer: strategies is a list: give an entry\'s index, as in strategies[0]');
    expect(errors(['clients.0', 'x'])[0]!.message).toMatch(/^clients\.0: clients is an object, not a list, so it has no entry 0; its fields are "networks", /);
    expect(errors(['sessions.max', '1'])[0]!.message).toBe('sessions.max: sessions is a single value, with no field "max"');
    expect(errors(['clients..nat', '1'])[0]!.message).toMatch(/expected a field path such as clients\.nat\.share/);
  });

  it('refuses an index past the end of the file’s list', () => {
    expect(errors(['backends.3.weight', '2'])[0]).toEqual({ file: COMMAND_LINE, path: '--set', message: 'backends.3.weight: backends has 3 entries, numbered from 0 to 2' });
  });

  it('reports a value the schema refuses against the option, without a line of the file', () => {
    expect(errors(['clients.networks', '0'])).toEqual([{ file: COMMAND_LINE, path: '--set clients.networks', message: 'expected at least one network, got 0' }]);
    expect(errors(['arrivals.rate', '20/x'])).toEqual([{ file: COMMAND_LINE, path: '--set arrivals.rate', message: 'expected a rate such as "50/s" or "3000/m", got "20/x"' }]);
  });

  it('says so when it created an object the schema finds incomplete', () => {
    expect(errors(['clients.nat.share', '0.3'])).toEqual([
      { file: COMMAND_LINE, path: '--set clients.nat', message: 'missing required field "addresses" (the file has no clients.nat: --set clients.nat.share created it)' },
    ]);
  });

  it('refuses a value that is not YAML', () => {
    expect(errors(['backends', '[{name: a'])[0]!.path).toBe('--set backends');
    expect(errors(['backends', '[{name: a'])[0]!.message).toMatch(/^"\[\{name: a" is not a value: YAML syntax error/);
  });
});

describe('--set options on the command line', () => {
  it('splits values at commas outside brackets, braces and quotes', () => {
    expect(splitSetOption('arrivals.rate=20/s,50/s')).toEqual({ path: 'arrivals.rate', values: ['20/s', '50/s'] });
    expect(splitSetOption('proxy.nextUpstream=[error, timeout], [error],off')).toEqual({ path: 'proxy.nextUpstream', values: ['[error, timeout]', '[error]', 'off'] });
    expect(splitSetOption('journey.thinkTime={dist: exponential, mean: 2s},"5s, or so"')).toEqual({ path: 'journey.thinkTime', values: ['{dist: exponential, mean: 2s}', '"5s, or so"'] });
  });

  it('refuses an option without "=", an empty value and a value given twice', () => {
    expect(splitSetOption('clients.nat.share')).toMatchObject({ path: '--set', message: expect.stringContaining('expected PATH=VALUE') });
    expect(splitSetOption('clients.nat.share=0,,0.2')).toMatchObject({ path: '--set clients.nat.share', message: expect.stringContaining('expected a value') });
    expect(splitSetOption('clients.nat.share=0.1,0.1')).toMatchObject({ message: 'the value "0.1" is given twice' });
  });

  it('checks every path and refuses the same field set twice, however it is written', () => {
    expect(parseSetOptions(['backends.2.weight=1,2', 'arrivals.rate=5/s'])).toEqual({ ok: true, sets: [{ path: 'backends.2.weight', values: ['1', '2'] }, { path: 'arrivals.rate', values: ['5/s'] }] });
    const twice = parseSetOptions(['backends.2.weight=1', 'backends[2].weight=2', 'arivals.rate=5/s']);
    expect(twice.ok).toBe(false);
    expect(!twice.ok && twice.errors.map((e) => [e.message.split(';')[0], e.suggestion])).toEqual([
      ['backends[2].weight: the field is already set (as backends.2.weight)', undefined],
      ['arivals.rate: the scenario has no field "arivals"', 'arrivals'],
    ]);
  });
});
