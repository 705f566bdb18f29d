/**
 * The cloud models (documented behaviour, not recorded picks): ALB's duration-based and
 * application-based stickiness cookies and Kubernetes' ClientIP affinity with its idle timeout.
 */
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '../../src/engine/index.js';
import { createStrategy, type Strategy } from '../../src/strategies/index.js';
import { RecordingHeaders, peer, request } from './helpers.js';

const PEERS = [peer('10.0.0.1:80'), peer('10.0.0.2:80'), peer('10.0.0.3:80')];
const rng = () => ({ rng: createRandomStream(4, 'cloud') });

/** One successful request: the backend and the cookies the response set. */
function visit(s: Strategy, cookies: Map<string, string>, now: number, ip = '192.0.2.1', sessionId = 's1') {
  const picker = s.open(request(ip, { cookies: new Map(cookies), sessionId }), now);
  const backend = picker.pick(now)?.backend as string;
  const headers = new RecordingHeaders();
  picker.onSuccess?.(backend, now, headers);
  for (const c of headers.cookies) cookies.set(c.name, c.value);
  return { backend, set: headers.cookies.map((c) => c.name) };
}

describe('ALB duration-based stickiness (AWSALB)', () => {
  it('every response refreshes the cookie; the duration runs from the last response', () => {
    const s = createStrategy({ method: 'alb-duration-cookie', options: { duration: 60_000 } }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const first = visit(s, jar, 0);
    expect(first.set).toEqual(['AWSALB']);
    expect(jar.get('AWSALB')).toBe(`${first.backend}|60000`);
    // 50 s later, then 50 s later again: still within 60 s of the last response.
    expect(visit(s, jar, 50_000)).toEqual({ backend: first.backend, set: ['AWSALB'] });
    expect(visit(s, jar, 100_000).backend).toBe(first.backend);
    expect(jar.get('AWSALB')).toBe(`${first.backend}|160000`);
  });

  it('an expired cookie is balanced again', () => {
    const s = createStrategy({ method: 'alb-duration-cookie', options: { duration: 1000 } }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    visit(s, jar, 0);
    const picker = s.open(request('192.0.2.1', { cookies: jar }), 5000);
    expect(picker.pick(5000)?.via).toBe('balance');
  });

  it('a target that turned unhealthy: the user moves, and stays after it returns', () => {
    const s = createStrategy({ method: 'alb-duration-cookie' }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const { backend } = visit(s, jar, 0);
    const failing = s.open(request('192.0.2.1', { cookies: new Map(jar) }), 1000);
    expect(failing.tries).toBe(1);
    expect(failing.pick(1000)?.backend).toBe(backend);
    failing.onFailure?.(backend, 'error', 1000);
    const moved = visit(s, jar, 2000).backend;
    expect(moved).not.toBe(backend);
    expect(visit(s, jar, 60_000).backend).toBe(moved);
  });
});

describe('ALB application-based stickiness (AWSALBAPP)', () => {
  it('AWSALBAPP is issued with the application cookie, not refreshed by later responses', () => {
    const s = createStrategy({ method: 'alb-app-cookie', options: { appCookie: 'JSESSIONID', duration: 60_000 } }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const first = visit(s, jar, 0, '192.0.2.1', 'session-9');
    expect(first.set).toEqual(['JSESSIONID', 'AWSALBAPP']);
    expect(jar.get('JSESSIONID')).toBe('session-9');
    expect(visit(s, jar, 30_000)).toEqual({ backend: first.backend, set: [] });
    // 60 s after the application last set its cookie, stickiness ends.
    const picker = s.open(request('192.0.2.1', { cookies: jar }), 61_000);
    expect(picker.pick(61_000)?.via).toBe('balance');
  });
});

describe('Kubernetes sessionAffinity: ClientIP', () => {
  it('a client address stays on its endpoint while it returns within the timeout', () => {
    const s = createStrategy({ method: 'k8s-client-ip', options: { timeout: 10_000 } }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const first = visit(s, jar, 0).backend;
    // Idle 9 s each time: the timeout restarts with every connection.
    for (let t = 9000; t < 90_000; t += 9000) expect(visit(s, jar, t).backend).toBe(first);
  });

  it('after the idle timeout the endpoint is drawn again', () => {
    const s = createStrategy({ method: 'k8s-client-ip', options: { timeout: 10_000 } }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const picks = Array.from({ length: 30 }, (_, k) => visit(s, jar, k * 11_000, `198.51.100.${k % 3}`).backend);
    expect(new Set(picks).size).toBeGreaterThan(1);
  });

  it('the default timeout is 10800 s', () => {
    const s = createStrategy({ method: 'k8s-client-ip' }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const first = visit(s, jar, 0).backend;
    expect(visit(s, jar, 10_800_000).backend).toBe(first);
  });

  it('an endpoint that is not ready: its clients move and stay there after it returns', () => {
    const s = createStrategy({ method: 'k8s-client-ip' }, undefined, PEERS, rng());
    const jar = new Map<string, string>();
    const first = visit(s, jar, 0).backend;
    const picker = s.open(request('192.0.2.1'), 1000);
    expect(picker.pick(1000)?.backend).toBe(first);
    picker.onFailure?.(first, 'error', 1000);
    const moved = visit(s, jar, 2000).backend;
    expect(moved).not.toBe(first);
    expect(visit(s, jar, 60_000).backend).toBe(moved);
  });
});
