/**
 * How errors read: the one-line format, field paths, how found values are described, which
 * alternative of a union speaks for the input, and the syntax errors of YAML and JSON. Each case
 * is a small inline file; test/scenario/invalid-files.test.ts covers whole realistic files.
 */
import { describe, expect, it } from 'vitest';
import { formatPath, formatScenarioError, MAX_REPORTED_ERRORS, parseScenarioText, type ScenarioError } from '../../src/scenario/index.js';
import { describeKind } from '../../src/scenario/errors.js';
import { findJsonSyntaxError, lineAndColumn } from '../../src/scenario/json-syntax.js';

const VALID = {
  name: 'inline',
  sessions: 10,
  arrivals: { rate: '5/s' },
  backends: [{ name: '10.0.0.1:8080' }],
  strategies: [{ name: 'rr', balancer: { method: 'round-robin' }, store: 'local' }],
};

/** Errors for VALID with some fields replaced, validated as JSON (so no line numbers). */
function errorsWith(changes: Record<string, unknown>): readonly ScenarioError[] {
  const loaded = parseScenarioText(JSON.stringify({ ...VALID, ...changes }), 'inline.json');
  if (loaded.ok) throw new Error('expected errors');
  return loaded.errors.map(({ line: _line, column: _column, ...rest }) => rest);
}
function errorsOf(text: string, file = 'inline.yaml'): readonly ScenarioError[] {
  const loaded = parseScenarioText(text, file);
  if (loaded.ok) throw new Error('expected errors');
  return loaded.errors;
}

describe('format', () => {
  it('is file:line:column: path: message (did you mean …?)', () => {
    const error = { file: 'intro.yaml', path: 'strategies[1].balancer.method', message: 'expected one of "round-robin", "ip-hash", got "round-robn"', suggestion: 'round-robin', line: 14, column: 15 };
    expect(formatScenarioError(error)).toBe('intro.yaml:14:15: strategies[1].balancer.method: expected one of "round-robin", "ip-hash", got "round-robn" (did you mean "round-robin"?)');
  });

  it('leaves out what is not known', () => {
    expect(formatScenarioError({ file: 'a.yaml', path: '', message: 'missing required field "strategies"' })).toBe('a.yaml: missing required field "strategies"');
  });

  it('keeps every error on one line', () => {
    expect(formatScenarioError({ file: 'a.yaml', path: 'x', message: 'first\n  second' })).toBe('a.yaml: x: first second');
  });

  it('writes paths as a JavaScript reader would', () => {
    expect(formatPath(['strategies', 1, 'balancer', 'method'])).toBe('strategies[1].balancer.method');
    expect(formatPath([])).toBe('');
    expect(formatPath(['odd key', 0])).toBe('["odd key"][0]');
  });

  it('describes found values by kind', () => {
    expect(describeKind('abc')).toBe('the string "abc"');
    expect(describeKind(3)).toBe('the number 3');
    expect(describeKind(true)).toBe('the boolean true');
    expect(describeKind(null)).toBe('an empty value');
    expect(describeKind([1])).toBe('a list ([1])');
    expect(describeKind([])).toBe('an empty list');
    expect(describeKind({ a: 1 })).toBe('an object');
    expect(describeKind('x'.repeat(100))).toMatch(/^the string "x{40}…"$/);
  });
});

describe('type mismatches', () => {
  it('say what type was expected and what was given', () => {
    expect(errorsWith({ name: 42 })).toEqual([{ file: 'inline.json', path: 'name', message: 'expected a string, got the number 42' }]);
    expect(errorsWith({ sessions: 'abc' })).toEqual([{ file: 'inline.json', path: 'sessions', message: 'expected a whole number of sessions, got the string "abc"' }]);
  });

  it('take an empty YAML value for what it is', () => {
    expect(errorsOf('name: x\nsessions: 10\narrivals: { rate: 5/s }\nbackends:\nstrategies: []\n')[0]?.message).toMatch(/got an empty value$/);
  });
});

describe('unions answer with the alternative the input was aiming at', () => {
  it('a backend group with a typo speaks as a group, not as "expected a list"', () => {
    expect(errorsWith({ backends: { count: 2, name: '10.0.0.{n}:80', workrs: 4 } })).toEqual([
      { file: 'inline.json', path: 'backends', message: 'unknown key "workrs"', suggestion: 'workers' },
    ]);
  });

  it('a backend list speaks as a list', () => {
    expect(errorsWith({ backends: [{ name: '10.0.0.1:80' }, { name: 'db' }] })[0]).toMatchObject({ path: 'backends[1].name', message: expect.stringContaining('host:port') });
  });

  it('neither shape: the union says what it accepts', () => {
    expect(errorsWith({ backends: 'web1:80' })[0]?.message).toBe(
      'expected a list of backends ({ name: "host:port", … }) or a group ({ count, name: "10.0.0.{n}:8080", … }), got the string "web1:80"',
    );
  });

  it('a distribution written as a duration speaks as a duration', () => {
    const steps = (service: unknown) => ({ journey: { steps: [{ name: 'home', service }] } });
    expect(errorsWith(steps('fast'))[0]?.message).toMatch(/^expected a duration such as "20ms".*got "fast"$/);
    expect(errorsWith(steps(true))[0]?.message).toMatch(/^expected a duration .*, or a distribution such as \{ dist: exponential, mean: … \}, got the boolean true$/);
  });

  it('a distribution written as an object speaks as that distribution', () => {
    const think = (thinkTime: unknown) => errorsWith({ journey: { thinkTime } });
    expect(think({ dist: 'lognormal', median: '20ms' })).toEqual([{ file: 'inline.json', path: 'journey.thinkTime', message: 'missing required field "sigma"' }]);
    expect(think({ dist: 'lognormal', median: '20ms', sigma: 9 })[0]).toMatchObject({ path: 'journey.thinkTime.sigma', message: 'expected at most 5, got 9' });
    expect(think({ mean: '5s' })[0]).toMatchObject({ message: 'missing required field "dist"' });
  });
});

describe('unknown and missing keys', () => {
  it('list the allowed keys when no key is close', () => {
    const [error] = errorsWith({ arrivals: { rate: '5/s', burst: 3 } });
    expect(error?.message).toMatch(/^unknown key "burst"; allowed here: "rate", .*"window", .*"profile", "description", "\$schema"$/);
    expect(error?.suggestion).toBeUndefined();
  });

  it('never suggest a key that is already there', () => {
    expect(errorsWith({ seed: 1, sed: 2 })[0]?.suggestion).toBeUndefined();
  });

  it('say what replaced a retired key: `idempotent` on a step, which nginx decides by the method', () => {
    const steps = [{ name: 'pay', method: 'POST', service: '10ms', idempotent: true }];
    const [error] = errorsWith({ journey: { steps } });
    expect(error).toMatchObject({ path: 'journey.steps[0]', message: '"idempotent" is no longer read: nginx decides whether to resend a request by its method alone (POST, PATCH and LOCK are not resent once sent): give the step\'s `method` instead' });
    expect(error?.suggestion).toBeUndefined();
    // Elsewhere it is an unknown key like any other.
    expect(errorsWith({ arrivals: { rate: '5/s', idempotent: true } })[0]?.message).toMatch(/^unknown key "idempotent"; allowed here/);
  });

  it('point at the unknown key itself', () => {
    expect(errorsOf('name: x\nsessions: 10\narrivals:\n  rate: 5/s\n  windw: 1m\n').find((e) => e.path === 'arrivals')).toMatchObject({ path: 'arrivals', line: 5, column: 3, suggestion: 'window' });
  });
});

describe('many errors', () => {
  it('lists the first 50 and counts the rest', () => {
    // 60 backends with the same typo: 60 errors, of which 50 are shown and 10 counted.
    const backends = Array.from({ length: 60 }, (_, i) => ({ name: `10.0.0.${i + 1}:80`, wieght: 2 }));
    const errors = errorsWith({ backends });
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(errors[0]).toEqual({ file: 'inline.json', path: 'backends[0]', message: 'unknown key "wieght"', suggestion: 'weight' });
    expect(errors.at(-1)).toEqual({ file: 'inline.json', path: '', message: '… and 10 more errors like these' });
  });
});

describe('syntax errors', () => {
  it('YAML: tabs, several documents, unknown aliases', () => {
    expect(errorsOf('name: x\n\tsessions: 1\n')[0]).toMatchObject({ line: 2, message: expect.stringContaining('tabs') });
    expect(errorsOf('name: a\n---\nname: b\n')[0]?.message).toMatch(/several YAML documents/);
    expect(errorsOf('name: *nowhere\n')[0]?.message).toMatch(/^YAML error: unresolved alias/);
  });

  it('a document that is not an object says what a scenario is', () => {
    expect(errorsOf('- name: x\n')[0]?.message).toBe('expected a scenario (an object with "name", "arrivals", "backends" and "strategies", …), got a list ([{"name":"x"}])');
  });

  it.each([
    ['{"a": 1,}', 7, 'trailing comma before "}"'],
    ['[1, 2,\n]', 5, 'trailing comma before "]"'],
    ["{'a': 1}", 1, 'single quotes'],
    ['{a: 1}', 1, 'keys in JSON need double quotes'],
    ['{"a": 1 "b": 2}', 8, 'expected "," or "}"'],
    ['{"a": 1} // note', 9, 'comments are not allowed'],
    ['{"a": "x\n"}', 6, 'unterminated string'],
    ['{"a": [1, 2', 11, 'expected "," or "]" after a value, found the end of the file'],
    ['{"a": yes}', 6, 'unexpected "yes"'],
  ])('JSON %j: offset %d, %s', (text, offset, words) => {
    const found = findJsonSyntaxError(text);
    expect(found?.offset).toBe(offset);
    expect(found?.message).toContain(words);
  });

  it('JSON: valid text has no error, and offsets become 1-based lines and columns', () => {
    expect(findJsonSyntaxError('{"a": [1, 2.5e3, true, null, "\\"x\\""]}')).toBeUndefined();
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
  });
});
