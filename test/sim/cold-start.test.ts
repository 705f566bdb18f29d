/**
 * `backends[].coldStart`: a backend that comes back up serves its first requests slower, service
 * demand × a factor that falls linearly from `factor` to 1 over `duration`. Hand-computed on the
 * tiny scenario (test/scenarios/tiny.yaml: s1 at 100 ms, s2 at 200, s3 at 300; service 10 ms;
 * think 150 ms), with a refused from 0 to 50 ms: nothing is sent meanwhile, so the balancer never
 * counted a failure against it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/model/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const TINY = readFileSync('test/scenarios/tiny.yaml', 'utf8');

function log(yaml: string): string[] {
  const scenario = scenarioFrom(yaml);
  const names = scenario.backends.map((b) => b.name);
  const lines: string[] = [];
  runStrategy(scenario, scenario.strategies[0]!, {
    observe: (_, e: SimEvent) => {
      if (e.type === 'request-end') lines.push(`${e.t} s${e.session + 1} step${e.step + 1} ${names[e.backend]} ${e.latencyMs}ms`);
    },
  });
  return lines;
}

const cold = (coldStart: string, timeline = 'timeline: [{ at: 0ms, backend: "a:80", mode: refused, duration: 50ms }]\n') =>
  TINY.replace('  - { name: "a:80" }', `  - { name: "a:80", coldStart: ${coldStart} }`).replace('stores:', `${timeline}stores:`);

describe('coldStart', () => {
  it('multiplies the demand by a factor falling linearly to 1 over the duration, from the moment the backend is up', () => {
    // a is up again at 50 ms, cold until 450 (factor 3, 400 ms). s1 at 100: 350 ms of 400 left,
    // factor 1 + 2 × 350/400 = 2.75, so 27.5 ms. s1's step 2 leaves at 100 + 27.5 + 150 = 277.5,
    // round robin sends it to a again: 1 + 2 × 172.5/400 = 1.8625, 18.625 ms. Past 450 a is warm;
    // b, never down, is warm throughout.
    const lines = log(cold('{ factor: 3, duration: 400ms }'));
    expect(lines.filter((l) => l.includes(' s1 '))).toEqual(['127.5 s1 step1 a:80 27.5ms', '296.125 s1 step2 a:80 18.625ms', '456.125 s1 step3 b:80 10ms']);
    expect(lines.filter((l) => l.includes(' b:80 ')).every((l) => l.endsWith(' 10ms'))).toBe(true);
    expect(lines.filter((l) => l.includes(' a:80 ') && Number(l.split(' ')[0]) > 460).every((l) => l.endsWith(' 10ms'))).toBe(true);
  });

  it('is off by default, and a backend that never went down is never cold', () => {
    const warm = TINY.replace('stores:', 'timeline: [{ at: 0ms, backend: "a:80", mode: refused, duration: 50ms }]\nstores:');
    expect(log(warm).every((l) => l.endsWith(' 10ms'))).toBe(true);
    expect(log(cold('{ factor: 3, duration: 400ms }', '')).every((l) => l.endsWith(' 10ms'))).toBe(true);
  });

  it('a rolling deploy restarts every backend cold', () => {
    // Each backend down for 20 ms in turn from 0: a up at 20, b at 40; b warm, a cold (factor 5 over 1 s).
    const lines = log(cold('{ factor: 5, duration: 1s }', 'timeline: [{ at: 0ms, event: rolling-deploy, downtime: 20ms }]\n'));
    // s1 at 100 to a: 1 + 4 × 920/1000 = 4.68, so 46.8 ms (to rounding).
    const [at, session, step, backend, latency] = lines[0]!.split(' ');
    expect([session, step, backend]).toEqual(['s1', 'step1', 'a:80']);
    expect(Number(at)).toBeCloseTo(146.8, 9);
    expect(Number(latency!.replace('ms', ''))).toBeCloseTo(46.8, 9);
  });

  it('refuses a factor below 1 or a duration of 0, naming the field', () => {
    const refused = (coldStart: string) => {
      const loaded = parseScenarioText(cold(coldStart), 't.yaml');
      return loaded.ok ? [] : loaded.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(refused('{ factor: 0.5, duration: 1s }')).toEqual(['backends[0].coldStart.factor: expected a factor from 1 to 1000, got 0.5']);
    expect(refused('{ factor: 2, duration: 0s }')).toEqual(['backends[0].coldStart.duration: expected a duration above 0 (leave coldStart out for none)']);
  });
});
