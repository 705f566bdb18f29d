/**
 * HAProxy's retries and redispatch, timed as HAProxy 2.6.12 was measured doing them: before each
 * retry on the same server it waits min(`timeout connect`, 1 s) after a refused connection, and
 * with `option redispatch` the last retry goes to another server at once. Hand-computed on the
 * tiny scenario (test/scenarios/tiny.yaml: s1 at 100 ms; service 10 ms); a refuses from the start
 * and HAProxy's round robin sends s1's first request to a.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/model/index.js';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const TINY = readFileSync('test/scenarios/tiny.yaml', 'utf8');

/** s1's first request: its attempts and its end, with `balancer` as the only strategy. */
function firstRequest(balancer: string, connectTimeout: string, mode = 'refused'): string[] {
  const yaml = TINY.replace(/strategies:[\s\S]*$/, `strategies:\n  - { name: haproxy, balancer: ${balancer}, store: local }\n`).replace(
    'stores:',
    `proxy: { connectTimeout: ${connectTimeout} }\ntimeline: [{ at: 0ms, backend: "a:80", mode: ${mode} }]\nstores:`,
  );
  const scenario = scenarioFrom(yaml);
  const names = scenario.backends.map((b) => b.name);
  const lines: string[] = [];
  let request = -1;
  runStrategy(scenario, scenario.strategies[0]!, {
    observe: (_, e: SimEvent) => {
      if (e.type === 'request-start' && e.session === 0 && e.step === 0) request = e.req;
      if (e.type === 'attempt-end' && e.req === request) lines.push(`${e.t} attempt ${names[e.backend]} ${e.ok ? 'ok' : 'failed'}`);
      if (e.type === 'request-end' && e.req === request) lines.push(`${e.t} s1 ${e.status} ${e.latencyMs}ms`);
    },
  });
  return lines;
}

const rr = (options: string) => `{ method: haproxy-roundrobin, options: { ${options} } }`;

describe('HAProxy retries, timed', () => {
  it('retries 3 with redispatch: two waits of min(timeout connect, 1 s), then another server at once', () => {
    // Refused at 100; retries at 400 and 700 (300 ms waits) refused too; the third goes to b at
    // 700, served until 710: 610 ms.
    expect(firstRequest(rr('retries: 3, redispatch: true'), '300ms')).toEqual(['700 attempt a:80 failed', '710 attempt b:80 ok', '710 s1 200 610ms']);
    // With a 5 s connect timeout the wait is 1 s: retries at 1100 and 2100, b at 2100: 2010 ms.
    expect(firstRequest(rr('retries: 3, redispatch: true'), '5s')).toEqual(['2100 attempt a:80 failed', '2110 attempt b:80 ok', '2110 s1 200 2010ms']);
  });

  it('retries 1 with redispatch: the only retry is the redispatch, at once', () => {
    for (const timeout of ['300ms', '5s']) {
      expect(firstRequest(rr('retries: 1, redispatch: true'), timeout)).toEqual(['100 attempt a:80 failed', '110 attempt b:80 ok', '110 s1 200 10ms']);
    }
  });

  it('without redispatch every retry waits and goes back to the dead server; the client gets the error', () => {
    // retries 3, 300 ms: retries at 400, 700 and 1000, all refused: the error at 1000.
    expect(firstRequest(rr('retries: 3'), '300ms')).toEqual(['1000 attempt a:80 failed', '1000 s1 502 900ms']);
    // retries 1, 5 s: one retry after 1 s.
    expect(firstRequest(rr('retries: 1'), '5s')).toEqual(['1100 attempt a:80 failed', '1100 s1 502 1000ms']);
    expect(firstRequest(rr('retries: 0, redispatch: true'), '5s')).toEqual(['100 attempt a:80 failed', '100 s1 502 0ms']);
  });

  it('a connect timeout is retried without the turn-around: it has waited already', () => {
    // Blackholed, 300 ms: the connection times out at 400, the retries at 700 and 1000; b at 1000.
    expect(firstRequest(rr('retries: 3, redispatch: true'), '300ms', 'blackhole')).toEqual(['1000 attempt a:80 failed', '1010 attempt b:80 ok', '1010 s1 200 910ms']);
  });

  it("HAProxy's default is retries 3", () => {
    expect(firstRequest(rr('redispatch: true'), '300ms')).toEqual(firstRequest(rr('retries: 3, redispatch: true'), '300ms'));
  });

  it('holds for every HAProxy method, and for cookie persistence', () => {
    const expected = ['700 attempt a:80 failed', '710 attempt b:80 ok', '710 s1 200 610ms'];
    expect(firstRequest(rr('retries: 3, redispatch: true'), '300ms')).toEqual(expected);
    expect(firstRequest('{ method: haproxy-static-rr, options: { retries: 3, redispatch: true } }', '300ms')).toEqual(expected);
    expect(firstRequest('{ method: haproxy-cookie, options: { retries: 3, redispatch: true } }', '300ms')).toEqual(expected);
  });
});
