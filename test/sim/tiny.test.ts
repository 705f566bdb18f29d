/**
 * A hand-computed run: 2 backends, 3 sessions arriving exactly 100 ms apart, constant service
 * 10 ms and think time 150 ms, three steps (home writes; cart needs the session and writes; pay
 * needs it). Every number below is derived by hand in the comments.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/model/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = scenarioFrom(readFileSync('test/scenarios/tiny.yaml', 'utf8'));

function log(strategy: string): string[] {
  const lines: string[] = [];
  const names = scenario.backends.map((b) => b.name);
  const spec = scenario.strategies.find((s) => s.name === strategy)!;
  const result = runStrategy(scenario, spec, {
    observe: (_, e: SimEvent) => {
      if (e.type === 'request-end') lines.push(`${e.t} s${e.session + 1} step${e.step + 1} ${names[e.backend]} ${e.latencyMs}ms`);
      if (e.type === 'session-end') lines.push(`${e.t} s${e.session + 1} ${e.outcome}${e.cause ? ` ${e.cause}` : ''}`);
    },
  });
  lines.push(`requests ${result.load.backends.map((b) => b.requests).join('/')}`);
  return lines;
}

describe('hand-computed tiny scenario', () => {
  it('round robin with in-memory sessions: exact picks, breaks and causes', () => {
    // Arrivals at 100, 200, 300. Round robin alternates a, b over requests in the order sent:
    // 100 s1 home→a; 200 s2 home→b; 260 s1 cart→a (its state is on a: fine);
    // 300 s3 home→b; 360 s2 cart→a (state on b: missing); 420 s1 pay→b (state on a: missing);
    // 460 s3 cart→a (state on b: missing). Each request takes 10 ms.
    expect(log('round-robin')).toEqual([
      '110 s1 step1 a:80 10ms',
      '210 s2 step1 b:80 10ms',
      '270 s1 step2 a:80 10ms',
      '310 s3 step1 b:80 10ms',
      '370 s2 step2 a:80 10ms',
      '370 s2 broken state-missing',
      '430 s1 step3 b:80 10ms',
      '430 s1 broken state-missing',
      '470 s3 step2 a:80 10ms',
      '470 s3 broken state-missing',
      'requests 4/3',
    ]);
  });

  it('round robin with the shared cache: same picks, nothing breaks, each request pays its round trips', () => {
    // Every request reads the cache (1 ms) and writing steps also write it (1 ms more):
    // home 10+2, cart 10+2, pay 10+1. Picks alternate a, b in the order requests are sent:
    // 100 s1→a, 200 s2→b, 262 s1 cart→a, 300 s3→b, 362 s2 cart→a, 424 s1 pay→b, 462 s3 cart→a,
    // 524 s2 pay→b, 624 s3 pay→a.
    expect(log('shared-cache')).toEqual([
      '112 s1 step1 a:80 12ms',
      '212 s2 step1 b:80 12ms',
      '274 s1 step2 a:80 12ms',
      '312 s3 step1 b:80 12ms',
      '374 s2 step2 a:80 12ms',
      '435 s1 step3 b:80 11ms',
      '435 s1 completed',
      '474 s3 step2 a:80 12ms',
      '535 s2 step3 b:80 11ms',
      '535 s2 completed',
      '635 s3 step3 a:80 11ms',
      '635 s3 completed',
      'requests 5/4',
    ]);
  });
});
