/**
 * Every file in test/scenarios/invalid/ is a realistic mistake. For each, the loader must name the
 * exact place (field path, and line when the text shows it), say what was expected and what was
 * found, and suggest the intended name when the mistake is a typo. One row per file; the file's
 * first comment says what the mistake is.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioErrors, parseScenarioText, type ScenarioError } from '../../src/scenario/index.js';

const DIR = join(import.meta.dirname, '..', 'scenarios', 'invalid');

interface Case {
  readonly file: string;
  /** The first error's field path. */
  readonly path: string;
  /** Words the message must contain. */
  readonly words: readonly string[];
  readonly suggestion?: string;
  readonly line?: number;
  /** How many errors in all (default 1: one mistake, one message). */
  readonly count?: number;
}

const CASES: readonly Case[] = [
  { file: 'misspelled-top-level-key.yaml', path: '', words: ['unknown key "sesions"'], suggestion: 'sessions', line: 3 },
  { file: 'misspelled-method.yaml', path: 'strategies[1].balancer.method', words: ['expected one of', '"round-robin"', '"ip-hash"', 'got "round-robn"'], suggestion: 'round-robin', line: 15 },
  { file: 'bad-duration-unit.yaml', path: 'journey.steps[0].service', words: ['expected a duration', '"20ms"', 'got "20 parsecs"'], line: 9 },
  { file: 'negative-rate.yaml', path: 'arrivals.rate', words: ['expected a rate', 'got "-20/s"', 'negative'], line: 5 },
  { file: 'probability-above-one.yaml', path: 'journey.steps[2].abandon', words: ['probability between 0 and 1', 'got 1.5'], line: 17 },
  // Missing top-level fields are reported against the file as a whole: there is no line to show.
  { file: 'missing-strategies.yaml', path: '', words: ['missing required field "strategies"'] },
  { file: 'no-end-of-arrivals.yaml', path: 'sessions', words: ['sessions', 'arrivals.window', 'end the arrivals'] },
  { file: 'duplicate-backend-name.yaml', path: 'backends[2].name', words: ['duplicate backend name "10.0.0.2:8080"'], line: 9 },
  { file: 'timeline-unknown-backend.yaml', path: 'timeline[0].backend', words: ['no backend named "10.0.0.3:8008"', '"10.0.0.1:8080"', '"10.0.0.4:8080"'], suggestion: '10.0.0.3:8080', line: 15 },
  { file: 'backend-without-port.yaml', path: 'backends[0].name', words: ['host:port', 'got "10.0.0.1"'], line: 7 },
  { file: 'absurd-session-count.yaml', path: 'sessions', words: ['at most 100,000,000 sessions', 'got 1000000000000'], line: 3 },
  { file: 'absurd-worker-count.yaml', path: 'backends.workers', words: ['at most 100,000 workers', 'got 1000000000'], line: 9 },
  { file: 'yaml-syntax-error.yaml', path: '', words: ['YAML syntax error', 'indented'], line: 12 },
  { file: 'duplicate-key.yaml', path: '', words: ['YAML syntax error', 'twice'], line: 6 },
  // The comma after the last strategy's closing brace: line 7, column 89.
  { file: 'trailing-comma.json', path: '', words: ['JSON syntax error', 'trailing comma before "]"'], line: 7 },
  { file: 'seed-as-list.yaml', path: 'seed', words: ['expected a number or a string', 'got a list'], line: 3 },
  // "redis" is no typo of "local" or "shared": no suggestion, but both kinds are listed.
  { file: 'unknown-store-kind.yaml', path: 'strategies[1].store', words: ['expected one of "local", "shared"', 'got "redis"'], line: 15 },
  { file: 'empty.yaml', path: '', words: ['empty', '"name"', '"arrivals"', '"backends"', '"strategies"'] },
  { file: 'misspelled-distribution.yaml', path: 'journey.thinkTime.dist', words: ['"constant"', '"exponential"', 'got "expo"'], suggestion: 'exponential', line: 7 },
  { file: 'misspelled-distribution-field.yaml', path: 'journey.thinkTime', words: ['unknown key "mea"'], suggestion: 'mean', line: 7 },
  { file: 'backend-group-typo.yaml', path: 'backends', words: ['unknown key "wieght"'], suggestion: 'weight', line: 9 },
  { file: 'yes-for-boolean.yaml', path: 'backends[1].down', words: ['expected true or false', 'got the string "yes"', 'YAML 1.2'], line: 9 },
  { file: 'alias-bomb.yaml', path: '', words: ['aliases', 'alias bomb'] },
];

function load(file: string) {
  return parseScenarioText(readFileSync(join(DIR, file), 'utf8'), file);
}

function errorsOf(file: string): readonly ScenarioError[] {
  const loaded = load(file);
  if (loaded.ok) throw new Error(`${file} loaded without errors`);
  return loaded.errors;
}

describe('invalid scenario files', () => {
  it('has a row for every file in the folder, and at least a dozen files', () => {
    const files = readdirSync(DIR).sort();
    expect(CASES.map((c) => c.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(CASES)('$file → $path', ({ file, path, words, suggestion, line, count = 1 }) => {
    const errors = errorsOf(file);
    expect(errors).toHaveLength(count);
    const [first] = errors;
    expect(first?.file).toBe(file);
    expect(first?.path).toBe(path);
    for (const word of words) expect(first?.message).toContain(word);
    expect(first?.suggestion).toBe(suggestion);
    expect(first?.line).toBe(line);
  });

  it.each(CASES.map((c) => c.file))('%s formats as single lines without stack traces', (file) => {
    const text = formatScenarioErrors(errorsOf(file));
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(errorsOf(file).length);
    for (const line of lines) {
      expect(line.startsWith(file)).toBe(true);
      expect(line).not.toMatch(/\bat .*\(.*:\d+:\d+\)|node_modules|Error:/);
    }
  });

  it('formats the typical typo the way the docs show it', () => {
    expect(formatScenarioErrors(errorsOf('misspelled-top-level-key.yaml'))).toBe(
      'misspelled-top-level-key.yaml:3:1: unknown key "sesions" (did you mean "sessions"?)\n',
    );
    expect(formatScenarioErrors(errorsOf('unknown-store-kind.yaml'))).toBe(
      'unknown-store-kind.yaml:15:12: strategies[1].store: expected one of "local", "shared", got "redis"\n',
    );
  });

  it('gives the column of a JSON syntax error', () => {
    expect(errorsOf('trailing-comma.json')[0]).toMatchObject({ line: 7, column: 89 });
  });
});
