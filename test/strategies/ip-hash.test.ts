/**
 * nginx ip_hash (ngx_http_upstream_get_ip_hash_peer), derived by hand.
 *
 * Client 1.2.3.4 hashes its first three bytes from 89 with h = (h * 113 + byte) % 6271:
 *   89 -> (89*113 + 1) % 6271 = 3787 -> (3787*113 + 2) % 6271 = 1505 -> (1505*113 + 3) % 6271 = 751.
 * Later attempts feed the same bytes again: 751 -> 6116 -> 365 -> 468 -> 2430 -> ...
 * With three servers of weight 1 the slots (h % 3) are B, C, C, A, A, ...
 *
 * Client 0.52.189.x is a fixed point: its three bytes take 89 back to 89, so every attempt
 * lands on slot 89 % 3 = 2 (C); with C unavailable it falls back to round robin after 21.
 */
import { describe, expect, it } from 'vitest';
import { IpHashStrategy } from '../../src/strategies/nginx/ip-hash.js';
import { peer, request } from './helpers.js';

const A = 'a:80';
const B = 'b:80';
const C = 'c:80';
const three = (): IpHashStrategy => new IpHashStrategy([peer(A), peer(B), peer(C)]);

describe('ip_hash', () => {
  it('hashes the first three bytes of IPv4: a /24 is one client', () => {
    const strategy = three();
    for (const ip of ['1.2.3.4', '1.2.3.200']) {
      expect(strategy.open(request(ip), 0).pick(0)).toMatchObject({ backend: B, via: 'hash' });
    }
  });

  it('hashes all sixteen bytes of IPv6; an IPv4-mapped address is not unmapped', () => {
    // ::ffff:1.2.3.4 = 0 x10, 255, 255, 1, 2, 3, 4. From 89: 3786 -> 1390 -> 295 -> 1980 -> 4255
    // -> 4219 -> 151 -> 4521 -> 2922 -> 4094 -> 5094 -> 5216 -> 6206 -> 5199 -> 4287 -> 1568;
    // 1568 % 3 = 2 -> C, while 1.2.3.4 itself goes to B (751 % 3 = 1).
    // 2001:db8::1 folds to 2600; 2600 % 3 = 2 -> C.
    const strategy = three();
    expect(strategy.open(request('::ffff:1.2.3.4'), 0).pick(0)).toMatchObject({ backend: C, via: 'hash' });
    expect(strategy.open(request('2001:db8::1'), 0).pick(0)).toMatchObject({ backend: C, via: 'hash' });
  });

  it('a retry continues the chain from the failed server: B fails -> C (6116 % 3 = 2)', () => {
    const picker = three().open(request('1.2.3.4'), 0);
    expect(picker.pick(0)?.backend).toBe(B);
    picker.onFailure?.(B, 'error', 0);
    expect(picker.pick(0)).toMatchObject({ backend: C, via: 'hash' });
    // C fails too: 365 -> C again (tried, skipped), 468 -> A.
    picker.onFailure?.(C, 'error', 0);
    expect(picker.pick(0)).toMatchObject({ backend: A, via: 'hash' });
  });

  it("while B is unavailable its client goes to the chain's next usable slot, not round robin", () => {
    const strategy = three();
    const picker = strategy.open(request('1.2.3.4'), 0);
    picker.pick(0);
    picker.onFailure?.(B, 'error', 0);
    for (let k = 0; k < 3; k++) expect(strategy.open(request('1.2.3.4'), 1000).pick(1000)?.backend).toBe(C);
  });

  it('a down peer keeps its slots, so only its own clients move', () => {
    const strategy = new IpHashStrategy([peer(A), peer(B, { down: true }), peer(C)]);
    // 1.2.3.4: slot 1 (B, down) -> next attempt 6116 % 3 = 2 -> C.
    expect(strategy.open(request('1.2.3.4'), 0).pick(0)).toMatchObject({ backend: C, via: 'hash' });
  });

  it('after 21 unusable slots it falls back to round robin, sharing the round-robin state', () => {
    const strategy = new IpHashStrategy([peer(A), peer(B), peer(C, { down: true })]);
    // 0.52.189.x always hashes to 89 -> slot 2 (C, down): 21 attempts, then smooth RR over A, B.
    const fallbacks = [0, 1, 2].map(() => strategy.open(request('0.52.189.7'), 0).pick(0));
    expect(fallbacks).toMatchObject([
      { backend: A, via: 'fallback' },
      { backend: B, via: 'fallback' },
      { backend: A, via: 'fallback' },
    ]);
    expect(Array.from(strategy.peers.currentWeight)).toEqual([-1, 1, 0]);
  });

  it('with a single server it skips hashing', () => {
    const strategy = new IpHashStrategy([peer(A)]);
    expect(strategy.open(request('1.2.3.4'), 0).pick(0)).toMatchObject({ backend: A, via: 'balance' });
  });

  it('refuses backup servers, as nginx does', () => {
    expect(() => new IpHashStrategy([peer(A), peer(B, { backup: true })])).toThrow(/backup/);
  });
});
