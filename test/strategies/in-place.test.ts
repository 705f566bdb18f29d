/**
 * Pool changes in place (`Strategy.setTakenOut`): a server the run takes out (health checks, a
 * drain) or puts back changes the method's state where it is, as nginx's shared-zone peers,
 * HAProxy's `set_server_status_down` / `_up` and Envoy's host-set updates do, so what the method
 * was in the middle of goes on. Each case is derived by hand, and shown to differ from what a
 * rebuild (a fresh `createStrategy` over the same marks, as a reload does) would pick.
 */
import { describe, expect, it } from 'vitest';
import { METHODS, METHOD_NAMES, createStrategy, type BalancerSpec, type PeerSpec, type Strategy } from '../../src/strategies/index.js';
import { RecordingHeaders, peer, request } from './helpers.js';

/** One request at `nowMs` from `client`: its first pick, answered; the backend or undefined. */
function served(strategy: Strategy, nowMs = 0, client = request('10.0.0.1')): string | undefined {
  const picker = strategy.open(client, nowMs);
  const backend = picker.pick(nowMs)?.backend;
  if (backend !== undefined) picker.onSuccess?.(backend, nowMs, new RecordingHeaders());
  picker.close?.();
  return backend;
}

/** `count` requests at `nowMs`. */
function picks(strategy: Strategy, count: number, nowMs = 0, client?: ReturnType<typeof request>): (string | undefined)[] {
  return Array.from({ length: count }, () => served(strategy, nowMs, client));
}

/** A reload over the same servers with `out` taken out: what a rebuild would start from. */
function rebuilt(spec: BalancerSpec, peers: readonly PeerSpec[], out: readonly string[]): Strategy {
  return createStrategy(spec, undefined, peers, { markedDown: new Set(out) });
}

describe('nginx', () => {
  const [A, B, C] = ['a:80', 'b:80', 'c:80'];
  const RR: BalancerSpec = { method: 'round-robin' };

  it('smooth weighted round robin goes on across a drain of another server (weights 5, 1, 1)', () => {
    // Current weights [A, B, C] -> after adding the effective weights -> winner -> after it loses the total:
    //   [ 0, 0, 0] -> [5, 1, 1] -> A -> [-2, 1, 1]
    //   [-2, 1, 1] -> [3, 2, 2] -> A -> [-4, 2, 2]
    //   [-4, 2, 2] -> [1, 3, 3] -> B -> [ 1,-4, 3]
    // C taken out keeps its 3; steps over A and B, total 6:
    //   [ 1,-4] -> [6,-3] -> A -> [ 0,-3];   [ 0,-3] -> [5,-2] -> A -> [-1,-2];   [-1,-2] -> [4,-1] -> A -> [-2,-1]
    //   [-2,-1] -> [3, 0] -> A -> [-3, 0];   [-3, 0] -> [2, 1] -> A -> [-4, 1];   [-4, 1] -> [1, 2] -> B -> [ 1,-4]
    // C back with its 3; total 7:
    //   [ 1,-4, 3] -> [6,-3, 4] -> A -> [-1,-3, 4];   [-1,-3, 4] -> [4,-2, 5] -> C -> [ 4,-2,-2]
    //   [ 4,-2,-2] -> [9,-1,-1] -> A -> [ 2,-1,-1];   [ 2,-1,-1] -> [7, 0, 0] -> A -> [ 0, 0, 0]
    const peers = [peer(A, { weight: 5 }), peer(B), peer(C)];
    const strategy = createStrategy(RR, undefined, peers);
    const before = picks(strategy, 3);
    strategy.setTakenOut(C, true);
    const drained = picks(strategy, 6);
    strategy.setTakenOut(C, false);
    const back = picks(strategy, 4);
    expect([before, drained, back]).toEqual([[A, A, B], [A, A, A, A, A, B], [A, C, A, A]]);
    // A rebuild starts each phase from zero: 5,1 gives A A A B A A (a tie at [3, 3] goes to A), then A A B A.
    expect([picks(rebuilt(RR, peers, [C]), 6), picks(rebuilt(RR, peers, []), 4)]).toEqual([[A, A, A, B, A, A], [A, A, B, A]]);
  });

  it("a failed peer stays out for fail_timeout while another peer is taken out and put back (RULES.md §4)", () => {
    // max_fails 1, fail_timeout 10 s. Second 1: A, then B fails: B out through second 11 (1 + 10),
    // effective weight 0; current weights [-1, -1, 2].
    const peers = [peer(A), peer(B), peer(C)];
    const strategy = createStrategy(RR, undefined, peers);
    expect(served(strategy, 1000)).toBe(A);
    const failing = strategy.open(request('10.0.0.1'), 1000);
    expect(failing.pick(1000)?.backend).toBe(B);
    failing.onFailure?.(B, 'error', 1000);
    failing.close?.();
    strategy.setTakenOut(C, true);
    strategy.setTakenOut(C, false);
    // Seconds 3-11, steps over A and C (total 2): [-1, 2] -> [0, 3] -> C -> [0, 1]; [1, 2] -> C -> [1, 0];
    // [2, 1] -> A -> [0, 1]; then A and C alternate. Second 12, B is back at effective weight 0
    // (regaining 1 per step): [0,-1,1] -> [1,-1,2] -> C (total 2) -> [1,-1,0]; [2,0,1] -> A -> [-1,0,1];
    // [0,1,2] -> C -> [0,1,-1]; second 15: [1,2,0] -> B, its probe.
    const seconds = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    expect(seconds.map((s) => served(strategy, s * 1000))).toEqual([C, C, A, C, A, C, A, C, A, C, A, C, B]);
    // A rebuild forgets the failure: B takes the second request.
    expect(picks(rebuilt(RR, peers, []), 3, 3000)).toEqual([A, B, C]);
  });

  it('a recycled picker takes the tries of the upstream as it is when the request opens', () => {
    const strategy = createStrategy(RR, undefined, [peer(A), peer(B), peer(C)]);
    strategy.open(request('10.0.0.1'), 0).close?.();
    strategy.setTakenOut(B, true);
    expect(strategy.open(request('10.0.0.1'), 0).tries).toBe(2);
  });
});

describe('HAProxy', () => {
  const [s1, s2, s3, s4] = ['s1', 's2', 's3', 's4'];

  it('roundrobin (FWRR): the others keep their positions while s2 is down and after it is back (weights 1, 1, 1)', () => {
    // e = 16 each, W = 48: a pick moves a server W / e = 3 positions on. Start: position 48, all in "init".
    //   s1 (npos 48 + 3 = 51), s2 (49 + 3 = 52), s3 (50 + 3 = 53), s1 (51 <= 51: 54); position 52.
    // s2 down: it leaves "current"; positions now step by the running weight 32 (2 each):
    //   s3 (53 > 52, but "init" is empty: taken anyway, 55), s1 (56), s3 (57), s1 (58); position 56.
    // s2 up: npos = 56 + (48 + 48 - 56) / 16 = 58, queued after s1 (also 58):
    //   s3 (57, 60), s1 (58, 61), s2 (58 <= 58, 61), s3 (60, 63).
    const spec: BalancerSpec = { method: 'haproxy-roundrobin' };
    const peers = [peer(s1), peer(s2), peer(s3)];
    const strategy = createStrategy(spec, undefined, peers);
    const before = picks(strategy, 4);
    strategy.setTakenOut(s2, true);
    const down = picks(strategy, 4);
    strategy.setTakenOut(s2, false);
    const back = picks(strategy, 4);
    expect([before, down, back]).toEqual([[s1, s2, s3, s1], [s3, s1, s3, s1], [s3, s1, s2, s3]]);
    // A rebuild starts over from "init", in declaration order.
    expect([picks(rebuilt(spec, peers, [s2]), 4), picks(rebuilt(spec, peers, []), 4)]).toEqual([[s1, s3, s1, s3], [s1, s2, s3, s1]]);
  });

  it('static-rr: the map is rebuilt, and the walk goes on from its index', () => {
    // Map s1 s2 s3 s4; two picks leave the index at 2. s4 down: map s1 s2 s3, index 2 -> s3, then s1.
    // s4 back: map s1 s2 s3 s4, index 1 -> s2 s3 s4.
    const spec: BalancerSpec = { method: 'haproxy-static-rr' };
    const peers = [peer(s1), peer(s2), peer(s3), peer(s4)];
    const strategy = createStrategy(spec, undefined, peers);
    const before = picks(strategy, 2);
    strategy.setTakenOut(s4, true);
    const down = picks(strategy, 2);
    strategy.setTakenOut(s4, false);
    expect([before, down, picks(strategy, 3)]).toEqual([[s1, s2], [s3, s1], [s2, s3, s4]]);
    expect([picks(rebuilt(spec, peers, [s4]), 2), picks(rebuilt(spec, peers, []), 3)]).toEqual([[s1, s2], [s1, s2, s3]]);
  });

  it("hash-type consistent: a server's points leave and come back; the walk of requests without the header goes on", () => {
    // Without X-Session-Id, each request takes the next point of the ring; the oracle is one lap
    // of a fresh ring, read with the server taken out skipped.
    const spec: BalancerSpec = { method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent' } };
    const peers = [peer(s1), peer(s2), peer(s3)];
    const noHeader = request('10.0.0.1', { sessionId: '' });
    const lap = picks(createStrategy(spec, undefined, peers), 48, 0, noHeader);
    const strategy = createStrategy(spec, undefined, peers);
    expect(picks(strategy, 5, 0, noHeader)).toEqual(lap.slice(0, 5));
    const out = lap[4] === s1 ? s2 : s1;
    strategy.setTakenOut(out, true);
    const expected: (string | undefined)[] = [];
    let point = 4;
    while (expected.length < 10) if (lap[++point % 48] !== out) expected.push(lap[point % 48]);
    const down = picks(strategy, 10, 0, noHeader);
    expect(down).toEqual(expected);
    strategy.setTakenOut(out, false);
    expect(picks(strategy, 10, 0, noHeader)).toEqual(Array.from({ length: 10 }, (_, k) => lap[(point + 1 + k) % 48]));
    // A rebuild starts its walk at the smallest point.
    expect(picks(rebuilt(spec, peers, [out]), 10, 0, noHeader)).not.toEqual(down);
  });
});

describe('Envoy', () => {
  it('least request: requests in flight survive a health transition (weights 2, 1, 1: the EDF schedule)', () => {
    // Deadline = now + 1 / (weight / (in flight + 1)); the earliest wins, the earlier entry on a tie.
    // Start: a 0.5, b 1, c 1. a (kept in flight; back at 0.5 + 0.5 = 1), b (1, answered), c (1,
    // answered), a (1, kept in flight). c out and back: the schedule is rebuilt from the hosts'
    // loads: a 2 / (2 + 1) -> 1.5, b 1, c 1 -> b.
    const spec: BalancerSpec = { method: 'envoy-least-request' };
    const peers = [peer('a:80', { weight: 2 }), peer('b:80'), peer('c:80')];
    const strategy = createStrategy(spec, undefined, peers);
    const inFlight = (): string | undefined => strategy.open(request('10.0.0.1'), 0).pick(0)?.backend;
    expect([inFlight(), served(strategy), served(strategy), inFlight()]).toEqual(['a:80', 'b:80', 'c:80', 'a:80']);
    strategy.setTakenOut('c:80', true);
    strategy.setTakenOut('c:80', false);
    expect(served(strategy)).toBe('b:80');
    // A rebuild sees nothing in flight: a (0.5) first.
    expect(served(rebuilt(spec, peers, []))).toBe('a:80');
  });
});

describe('every method', () => {
  const sticky = { cookie: { name: 'srv' } };
  const [A, B] = ['10.0.0.1:80', '10.0.0.2:80'];

  it('a drain that starts after the strategy was built keeps users whose cookie names the server, and places nobody new there', () => {
    const draining = new Set<string>();
    const strategy = createStrategy({ method: 'round-robin' }, sticky, [peer(A), peer(B)], { draining, markedDown: new Set() });
    const withCookie = request('10.0.0.9', { cookies: new Map([['srv', B]]) });
    draining.add(B);
    strategy.setTakenOut(B, true);
    expect(strategy.open(withCookie, 0).pick(0)).toMatchObject({ backend: B, via: 'cookie' });
    expect(picks(strategy, 3)).toEqual([A, A, A]);
    draining.delete(B);
    strategy.setTakenOut(B, false);
    expect(picks(strategy, 4)).toContain(B);
  });

  const KEYS = { nginx: '$remote_addr', 'haproxy-hdr': 'hdr(x-session-id)', envoy: 'source_ip' } as const;

  it.each(METHOD_NAMES.map((method) => [method]))('%s: a server configured down stays down when put back', (method) => {
    const syntax = METHODS[method].key;
    const spec: BalancerSpec = syntax === undefined ? { method } : { method, key: KEYS[syntax] };
    const strategy = createStrategy(spec, undefined, [peer(A), peer(B, { down: true })]);
    strategy.setTakenOut(B, true);
    strategy.setTakenOut(B, false);
    expect(strategy.usable(B, 0)).toBe(false);
    expect(strategy.usable(A, 0)).toBe(true);
  });
});
