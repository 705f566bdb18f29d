/**
 * HAProxy behaviour beyond the recorded first picks: bounded loads (`hash-balance-factor`),
 * `option redispatch`, cookie persistence when a server fails, and the map, ids and hash
 * functions by hand (lb_chash.c, lb_map.c, backend.c, hash.c of HAProxy 2.6).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStrategy, type PeerPicker, type Strategy } from '../../src/strategies/index.js';
import { crc32, djb2, fullHash, hashText, sdbm, wt6 } from '../../src/strategies/hash-functions.js';
import { HaproxyHeaderStrategy } from '../../src/strategies/haproxy/hash.js';
import { ServerMap } from '../../src/strategies/haproxy/map.js';
import { HaproxyServers, assignIds } from '../../src/strategies/haproxy/servers.js';
import { parseHaproxyHeaderKey } from '../../src/strategies/hash-keys.js';
import { RecordingHeaders, peer, request } from './helpers.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);

describe('the server map (recalc_server_map)', () => {
  it.each([
    [[1, 1, 1], 's1 s2 s3'],
    [[5, 1, 1], 's1 s1 s1 s2 s1 s1 s3'],
    [[3, 2, 1, 4], 's1 s2 s4 s1 s4 s2 s1 s4 s3 s4'],
    [[1, 2, 3, 1, 5], 's1 s2 s5 s3 s5 s2 s3 s5 s3 s5 s4 s5'],
    // T = 6; scores after adding weights, v = floor((score + 6) / 6), winner loses 6:
    //   slot 0: 1,2,3 -> v 1,1,1 -> s1;  slot 1: -4,4,6 -> v 0,1,2 -> s3;  slot 2: -3,6,3 -> s2;
    //   slot 3: -2,2,6 -> s3;  slot 4: -1,4,3 -> v 0,1,1 -> s2;  slot 5: 0,0,6 -> s3.
    [[1, 2, 3], 's1 s3 s2 s3 s2 s3'],
    [[2, 4, 6], 's1 s3 s2 s3 s2 s3'], // divided by the GCD 2: the map of 1,2,3
  ])('weights %j give %s (ALGORITHMS.md "The map")', (weights, expected) => {
    const servers = new HaproxyServers(weights.map((weight, i) => peer(`s${i + 1}`, { weight })));
    expect(Array.from(new ServerMap(servers).slots, (i) => servers.names[i]).join(' ')).toBe(expected);
  });

  it('hashed picks: 1.2.3.4 = 16909060, mod 3 = 1 -> s2; 2001:db8::1 -> 0x20010db9, mod 3 = 0 -> s1', () => {
    const s = createStrategy({ method: 'haproxy-source' }, undefined, names(3).map((n) => peer(n)));
    expect(s.open(request('1.2.3.4'), 0).pick(0)?.backend).toBe('s2');
    expect(s.open(request('2001:db8::1'), 0).pick(0)?.backend).toBe('s1');
  });
});

describe('server ids and hash functions', () => {
  it('automatic ids skip explicit ones: a, b id 1, c, d id 4, e get 2, 1, 5, 4, 7', () => {
    const specs = ['a', { id: 1 }, 'c', { id: 4 }, 'e'].map((x, i) => (typeof x === 'string' ? peer(x) : peer(`x${i}`, x)));
    expect(assignIds(specs)).toEqual([2, 1, 5, 4, 7]);
    expect(() => assignIds([peer('a', { id: 3 }), peer('b', { id: 3 })])).toThrow(/id 3/);
  });

  it('sdbm, djb2, wt6, crc32 and full_hash give the published values', () => {
    // sdbm("a") = 97; sdbm("ab") = 97 × 65599 + 98 = 6363201; djb2("a") = 5381 × 33 + 97 = 177670.
    expect(hashText(sdbm, 'a')).toBe(97);
    expect(hashText(sdbm, 'ab')).toBe(6_363_201);
    expect(hashText(djb2, 'a')).toBe(177_670);
    // CRC-32 check value of "123456789" (zlib): 0xCBF43926.
    expect(hashText(crc32, '123456789')).toBe(0xcbf43926);
    // Non-ASCII keys are hashed as UTF-8: "é" is the bytes C3 A9.
    expect(hashText(sdbm, 'é')).toBe((0xc3 * 65599 + 0xa9) >>> 0);
    expect(hashText(wt6, '')).toBe((0xa53c965a ^ 0x5ca6953a) >>> 0);
    expect(fullHash(0)).toBe(Math.imul(fullHashSteps(0), 3221225473) >>> 0);
  });
});

/** full_hash's six steps, written out again from ALGORITHMS.md for the check above. */
function fullHashSteps(value: number): number {
  let a = value;
  a = (a + 0x7ed55d16 + a * 4096) % 2 ** 32;
  a = ((a ^ 0xc761c23c) >>> 0 ^ Math.floor(a / 2 ** 19)) >>> 0;
  a = (a + 0x165667b1 + a * 32) % 2 ** 32;
  a = (((a + 0xd3a2646c) % 2 ** 32) ^ ((a * 512) % 2 ** 32)) >>> 0;
  a = (a + 0xfd7046c5 + a * 8) % 2 ** 32;
  return ((a ^ 0xb55a4f09) >>> 0 ^ Math.floor(a / 2 ** 16)) >>> 0;
}

describe('bounded loads (hash-balance-factor)', () => {
  /**
   * HAProxy's rule (chash_server_is_eligible): with S requests in flight, the backend has
   * T = ceil((S + 1) × F / 100) slots, shared by weight; a server takes a request while it
   * serves fewer than its share. Equal weights: each share is floor or ceil of T / n, so after a
   * pick the chosen server serves at most ceil(T / n) = ceil((S + 1) × F / (100 n)): the ceiling
   * of the new average load times F / 100.
   */
  const bound = (inFlightAfter: number, factor: number, n: number) => Math.ceil((inFlightAfter * factor) / (100 * n));

  it.each([125, 150, 200])('factor %i: every pick leaves the chosen server at most ceil(average × factor / 100)', (factor) => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), finish: fc.nat(20) }), { minLength: 1, maxLength: 200 }), (steps) => {
        const n = 5;
        const strategy = createStrategy({ method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent', hashBalanceFactor: factor } }, undefined, names(n).map((s) => peer(s)));
        const load = new Map<string, number>();
        const open: { picker: PeerPicker; backend: string }[] = [];
        for (const { key, finish } of steps) {
          // Few keys, so hot keys pile up and the bound has to act.
          const picker = strategy.open(request('10.0.0.1', { sessionId: `k${key}` }), 0);
          const backend = picker.pick(0)!.backend;
          load.set(backend, (load.get(backend) ?? 0) + 1);
          open.push({ picker, backend });
          expect(load.get(backend)).toBeLessThanOrEqual(bound(open.length, factor, n));
          const done = open.splice(finish % open.length, finish % 3 === 0 ? 1 : 0)[0];
          if (done !== undefined) {
            done.picker.onSuccess?.(done.backend, 0, new RecordingHeaders());
            load.set(done.backend, load.get(done.backend)! - 1);
          }
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('one hot key spreads over the ring: with factor 150 and 3 servers, no server holds more than ceil(2 × 1.5) = 3 of 6', () => {
    // Equal weights, 16 points each, cumulative 0, 16, 32 of 48. Before each pick S = 0..5 in flight:
    //   T = ceil((S+1) × 1.5) = 2, 3, 5, 6, 8, 9; shares (s1, s2, s3) = (1,1,1), (1,1,1), (1,2,2),
    //   (2,2,2), (2,3,3), (3,3,3). The second request finds its home full (1 of 1): it walks on.
    const spec = { method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent' } } as const;
    const home = createStrategy(spec, undefined, names(3).map((s) => peer(s))).open(request('10.0.0.1', { sessionId: 'hot' }), 0).pick(0)!.backend;
    const bounded = createStrategy({ ...spec, options: { ...spec.options, hashBalanceFactor: 150 } }, undefined, names(3).map((s) => peer(s)));
    const picks = Array.from({ length: 6 }, () => bounded.open(request('10.0.0.1', { sessionId: 'hot' }), 0).pick(0)!.backend);
    expect(picks[0]).toBe(home);
    expect(picks[1]).not.toBe(home);
    expect(Math.max(...names(3).map((s) => picks.filter((p) => p === s).length))).toBeLessThanOrEqual(3);
    // Without the factor they all go home.
    const plain = createStrategy(spec, undefined, names(3).map((s) => peer(s)));
    expect(Array.from({ length: 6 }, () => plain.open(request('10.0.0.1', { sessionId: 'hot' }), 0).pick(0)!.backend)).toEqual(Array(6).fill(home));
  });
});

/** Picks for one request where `dead` servers fail; returns the attempts. */
function attempts(strategy: Strategy, dead: readonly string[], options: { sessionId?: string; cookies?: Map<string, string>; headers?: RecordingHeaders } = {}): string[] {
  const picker = strategy.open(request('10.0.0.1', options), 0);
  const tried: string[] = [];
  for (let i = 0; i < picker.tries; i++) {
    const pick = picker.pick(0);
    if (pick === undefined) break;
    tried.push(pick.backend);
    if (!dead.includes(pick.backend)) {
      picker.onSuccess?.(pick.backend, 0, options.headers ?? new RecordingHeaders());
      break;
    }
    picker.onFailure?.(pick.backend, 'error', 0);
  }
  return tried;
}

describe('option redispatch', () => {
  const three = names(3).map((s) => peer(s));

  it('without it a request makes one attempt; a failed server keeps its share (no health checks)', () => {
    const rr = createStrategy({ method: 'haproxy-roundrobin' }, undefined, three);
    expect([1, 2, 3, 4, 5, 6].map(() => attempts(rr, ['s2']))).toEqual([['s1'], ['s2'], ['s3'], ['s1'], ['s2'], ['s3']]);
    expect(rr.usable('s2', 0)).toBe(true);
  });

  it('round robin: the retry goes to the next server, avoiding the failed one', () => {
    const rr = createStrategy({ method: 'haproxy-roundrobin', options: { redispatch: true } }, undefined, three);
    expect([1, 2, 3].map(() => attempts(rr, ['s2']))).toEqual([['s1'], ['s2', 's3'], ['s1']]);
  });

  it('consistent hashing: the retry takes the next point of the ring; map-based hashing cannot move it', () => {
    const ring = createStrategy({ method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent', redispatch: true } }, undefined, three);
    const home = attempts(ring, [], { sessionId: 'u1' })[0]!;
    const retried = attempts(ring, [home], { sessionId: 'u1' });
    expect(retried).toHaveLength(2);
    expect(retried[1]).not.toBe(home);
    const map = createStrategy({ method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { redispatch: true } }, undefined, three);
    const mapHome = attempts(map, [], { sessionId: 'u1' })[0]!;
    expect(attempts(map, [mapHome], { sessionId: 'u1' })).toEqual([mapHome]);
  });

  it('a request without the header is balanced round robin, and can be redispatched', () => {
    const map = createStrategy({ method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { redispatch: true } }, undefined, three);
    expect(attempts(map, ['s1'], { sessionId: '' })).toEqual(['s1', 's2']);
  });
});

describe('cookie insert indirect nocache when a server fails', () => {
  const three = names(3).map((s) => peer(s));

  it('with redispatch the user moves and gets a new cookie; without it the request fails with its server', () => {
    const headers = new RecordingHeaders();
    const withRedispatch = createStrategy({ method: 'haproxy-cookie', options: { cookie: 'SRV', redispatch: true } }, undefined, three);
    expect(attempts(withRedispatch, ['s2'], { cookies: new Map([['SRV', 's2']]), headers })).toEqual(['s2', 's1']);
    expect(headers.cookies).toEqual([{ name: 'SRV', value: 's1', maxAgeMs: undefined }]);
    const without = createStrategy({ method: 'haproxy-cookie', options: { cookie: 'SRV' } }, undefined, three);
    expect(attempts(without, ['s2'], { cookies: new Map([['SRV', 's2']]) })).toEqual(['s2']);
  });

  it('a direct request does not advance the round robin; a server without a cookie value deletes the cookie', () => {
    const strategy = createStrategy({ method: 'haproxy-cookie' }, undefined, [peer('s1'), peer('s2', { cookie: '' })]);
    const headers = new RecordingHeaders();
    expect(attempts(strategy, [], { headers })).toEqual(['s1']);
    expect(attempts(strategy, [], { cookies: new Map([['SERVERID', 's1']]) })).toEqual(['s1']);
    expect(attempts(strategy, [], { headers })).toEqual(['s2']);
    expect(headers.cookies).toEqual([
      { name: 'SERVERID', value: 's1', maxAgeMs: undefined },
      { name: 'SERVERID', value: '', maxAgeMs: 0 },
    ]);
  });
});

describe('one running server', () => {
  it('takes every request without reading the header (no fallback state moves)', () => {
    const key = parseHaproxyHeaderKey('hdr(x-session-id)');
    if (!key.ok) throw new Error(key.message);
    const s = new HaproxyHeaderStrategy([peer('s1', { down: true }), peer('s2')], { type: 'map-based', balanceFactor: 0, redispatch: true }, key.key);
    expect(s.open(request('10.0.0.1', { sessionId: '' }), 0).pick(0)).toMatchObject({ backend: 's2', via: 'hash' });
    expect(s.open(request('10.0.0.1', { sessionId: '' }), 0).tries).toBe(1);
  });
});
