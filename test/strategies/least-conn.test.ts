/**
 * nginx `least_conn`, `max_conns` and `backup`, by hand (ngx_http_upstream_get_least_conn_peer,
 * 1.22.1). Servers A, B, C, weight 1 unless said; requests stay in flight until reported.
 */
import { describe, expect, it } from 'vitest';
import { createStrategy, type PeerPicker, type Strategy } from '../../src/strategies/index.js';
import { LeastConnStrategy } from '../../src/strategies/nginx/least-conn.js';
import { RecordingHeaders, peer, request } from './helpers.js';

const A = 'a:80';
const B = 'b:80';
const C = 'c:80';
const D = 'd:80';

/** Opens a request and makes its first pick; the attempt stays in flight. */
function start(strategy: Strategy, now = 0): { picker: PeerPicker; backend: string | undefined } {
  const picker = strategy.open(request('10.0.0.1'), now);
  return { picker, backend: picker.pick(now)?.backend };
}

const done = (s: { picker: PeerPicker; backend: string | undefined }) => s.picker.onSuccess?.(s.backend!, 0, new RecordingHeaders());

describe('least_conn', () => {
  it('takes the fewest in flight; ties go to a round-robin step among the tied peers', () => {
    const strategy = new LeastConnStrategy([peer(A), peer(B), peer(C)]);
    // conns 0,0,0: all tie -> round-robin step over A,B,C: cw 1,1,1 -> A wins, cw -2,1,1.
    const r1 = start(strategy);
    expect(r1.backend).toBe(A);
    // conns 1,0,0: B is the first minimum, C ties -> step over B,C: cw 2,2 -> B (earliest on a tie), cw -2,0,2.
    const r2 = start(strategy);
    expect(r2.backend).toBe(B);
    // conns 1,1,0: C alone -> C; no tie, so no current weight moves.
    const r3 = start(strategy);
    expect(r3.backend).toBe(C);
    expect(Array.from(strategy.peers.conns)).toEqual([1, 1, 1]);
    done(r1);
    // conns 0,1,1: A alone.
    expect(start(strategy).backend).toBe(A);
  });

  it('compares conns per unit of weight: a weight-2 server takes two for every one of a weight-1 server', () => {
    const strategy = new LeastConnStrategy([peer(A, { weight: 2 }), peer(B)]);
    // conns 0,0: tie -> step: A (cw 2 > 1). 1,0: B (0×2 < 1×1). 1,1: B would need 1×2 < 1×1: A stays.
    const picks = [start(strategy), start(strategy), start(strategy)].map((r) => r.backend);
    expect(picks).toEqual([A, B, A]);
  });

  it('a failed attempt is released too, and the retry goes to the next least loaded', () => {
    const strategy = new LeastConnStrategy([peer(A), peer(B), peer(C)]);
    const busy = start(strategy); // A
    const r = start(strategy); // B
    r.picker.onFailure?.(r.backend!, 'error', 0);
    expect(Array.from(strategy.peers.conns)).toEqual([1, 0, 0]);
    // B failed (max_fails 1: out for 10 s) and is tried; C has 0 in flight.
    expect(r.picker.pick(0)?.backend).toBe(C);
    done(busy);
  });

  it('max_conns: a full server is skipped; when all are full, backups take over, then nothing', () => {
    const strategy = new LeastConnStrategy([peer(A, { maxConns: 1 }), peer(B, { maxConns: 1 }), peer(D, { backup: true, maxConns: 1 })]);
    expect([start(strategy), start(strategy)].map((r) => r.backend)).toEqual([A, B]);
    expect(strategy.usable(A, 0)).toBe(false);
    expect(start(strategy).backend).toBe(D);
    expect(start(strategy).backend).toBeUndefined();
  });

  it('primaries down: the backups are balanced by least_conn', () => {
    const strategy = new LeastConnStrategy([peer(A, { down: true }), peer(C, { backup: true }), peer(D, { backup: true })]);
    expect([start(strategy), start(strategy)].map((r) => r.backend)).toEqual([C, D]);
  });

  it('a request routed by the sticky cookie is not counted (the decorator chooses, nginx counts its own picks)', () => {
    const strategy = createStrategy({ method: 'least-conn' }, { cookie: { name: 'srv' } }, [peer(A), peer(B)]);
    const picker = strategy.open(request('10.0.0.1', { cookies: new Map([['srv', B]]) }), 0);
    expect(picker.pick(0)).toMatchObject({ backend: B, via: 'cookie' });
    // B has one request in flight that least_conn does not see: a new request ties 0,0 -> A.
    expect(start(strategy).backend).toBe(A);
    picker.onSuccess?.(B, 0, new RecordingHeaders());
  });
});

describe('max_conns in the other nginx methods', () => {
  it('round robin skips a full server; a full single server is "no live upstreams"', () => {
    const rr = createStrategy({ method: 'round-robin' }, undefined, [peer(A, { maxConns: 1 }), peer(B)]);
    expect([start(rr), start(rr), start(rr)].map((r) => r.backend)).toEqual([A, B, B]);
    const single = createStrategy({ method: 'round-robin' }, undefined, [peer(A, { maxConns: 1 })]);
    expect([start(single), start(single)].map((r) => r.backend)).toEqual([A, undefined]);
  });

  it('hash rehashes past a full server as past a down one', () => {
    const spec = { method: 'hash', key: '$session_id' } as const;
    const free = createStrategy(spec, undefined, [peer(A), peer(B), peer(C)]);
    const home = start(free).backend!;
    const limited = createStrategy(spec, undefined, [A, B, C].map((n) => peer(n, { maxConns: 1 })));
    expect(start(limited).backend).toBe(home);
    const next = start(limited);
    expect(next.backend).not.toBe(home);
    expect(next.backend).toBeDefined();
  });
});
