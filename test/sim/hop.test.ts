/**
 * `proxy.hop`, the time between balancer and backend, there and back, hand-computed on the tiny
 * scenario (test/scenarios/tiny.yaml: sessions at 100, 200, 300 ms; service 10 ms; think 150 ms).
 * An attempt that reaches the backend pays half the hop each way; a refused connection pays half.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/model/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const TINY = readFileSync('test/scenarios/tiny.yaml', 'utf8');

function log(yaml: string, strategy = 'round-robin'): string[] {
  const scenario = scenarioFrom(yaml);
  const names = scenario.backends.map((b) => b.name);
  const lines: string[] = [];
  runStrategy(scenario, scenario.strategies.find((s) => s.name === strategy)!, {
    observe: (_, e: SimEvent) => {
      if (e.type === 'attempt-end') lines.push(`${e.t} attempt ${names[e.backend]} ${e.ok ? 'ok' : 'failed'}`);
      if (e.type === 'request-end') lines.push(`${e.t} s${e.session + 1} step${e.step + 1} ${e.latencyMs}ms`);
    },
  });
  return lines;
}

const withHop = (hop: string, extra = '') => TINY.replace('stores:', `proxy: { hop: ${hop} }\n${extra}stores:`);

describe('proxy.hop', () => {
  it('is 0 by default, and 0 written out changes nothing', () => {
    expect(log(withHop('0ms'))).toEqual(log(TINY));
  });

  it('adds the whole hop to every answered request: half to reach the backend, half for the answer', () => {
    // Hop 4 ms: a request sent at 100 reaches a at 102, is served until 112, and is answered at 114.
    // The session thinks 150 ms from the answer: its next step leaves at 264, reaches a at 266, …
    const lines = log(withHop('4ms'));
    expect(lines.slice(0, 4)).toEqual(['114 attempt a:80 ok', '114 s1 step1 14ms', '214 attempt b:80 ok', '214 s2 step1 14ms']);
    expect(lines.filter((l) => l.includes('step')).every((l) => l.endsWith(' 14ms'))).toBe(true);
  });

  it('costs half the hop for a refused connection, then the retry pays its own', () => {
    // a refuses from the start. s1 at 100: round robin picks a; the refusal is known at 102; the
    // retry goes to b, reaches it at 104, is served until 114 and answered at 116: 16 ms.
    const lines = log(withHop('4ms', 'timeline: [{ at: 0ms, backend: "a:80", mode: refused }]\n'));
    expect(lines.slice(0, 3)).toEqual(['102 attempt a:80 failed', '116 attempt b:80 ok', '116 s1 step1 16ms']);
  });

  it('a request that reaches a backend that crashes meanwhile learns it half a hop later', () => {
    // a crashes at 105, while s1's first request (sent at 100, at a from 102) is in service: the
    // balancer learns it at 107, retries on b: there at 109, served until 119, answered at 121.
    const lines = log(withHop('4ms', 'timeline: [{ at: 105ms, backend: "a:80", mode: crash }]\n'));
    expect(lines.slice(0, 3)).toEqual(['107 attempt a:80 failed', '121 attempt b:80 ok', '121 s1 step1 21ms']);
  });
});
