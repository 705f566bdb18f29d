/**
 * nginx smooth weighted round robin (ngx_http_upstream_get_peer), derived by hand.
 */
import { describe, expect, it } from 'vitest';
import { RoundRobinStrategy } from '../../src/strategies/nginx/round-robin.js';
import { peer, request } from './helpers.js';

const A = 'a:80';
const B = 'b:80';
const C = 'c:80';
const D = 'd:80';

/** `count` requests, one pick each, all succeeding at time `now` (ms). */
function picks(strategy: RoundRobinStrategy, count: number, now = 0): (string | undefined)[] {
  return Array.from({ length: count }, () => strategy.open(request('10.0.0.1'), now).pick(now)?.backend);
}

describe('smooth weighted round robin', () => {
  it('weights 5,1,1 give A A B A C A A, then repeat', () => {
    // current_weight before the step -> after adding weights -> winner -> after subtracting 7:
    //   [ 0, 0, 0] -> [5, 1, 1] -> A -> [-2, 1, 1]
    //   [-2, 1, 1] -> [3, 2, 2] -> A -> [-4, 2, 2]
    //   [-4, 2, 2] -> [1, 3, 3] -> B (tie with C: the earlier wins) -> [1, -4, 3]
    //   [ 1,-4, 3] -> [6,-3, 4] -> A -> [-1, -3, 4]
    //   [-1,-3, 4] -> [4,-2, 5] -> C -> [4, -2, -2]
    //   [ 4,-2,-2] -> [9,-1,-1] -> A -> [2, -1, -1]
    //   [ 2,-1,-1] -> [7, 0, 0] -> A -> [0, 0, 0]   (back to the start)
    const strategy = new RoundRobinStrategy([peer(A, { weight: 5 }), peer(B), peer(C)]);
    expect(picks(strategy, 14)).toEqual([A, A, B, A, C, A, A, A, A, B, A, C, A, A]);
  });

  it('skips down peers entirely; they keep no current weight', () => {
    // B is down: A and C alternate as if B did not exist.
    const strategy = new RoundRobinStrategy([peer(A), peer(B, { down: true }), peer(C)]);
    expect(picks(strategy, 4)).toEqual([A, C, A, C]);
    expect(strategy.peers.currentWeight[1]).toBe(0);
  });

  it('tries = servers not marked down (primary and backup)', () => {
    const strategy = new RoundRobinStrategy([peer(A), peer(B, { down: true }), peer(C), peer(D, { backup: true })]);
    expect(strategy.open(request('10.0.0.1'), 0).tries).toBe(3);
  });

  it('a retry is a full step over the servers not yet tried', () => {
    // Step 1 over A,B,C: [1,1,1] -> A -> [-2,1,1]. A fails. Step 2 over B,C: [-2,2,2] -> B -> [-2,0,2].
    const strategy = new RoundRobinStrategy([peer(A), peer(B), peer(C)]);
    const picker = strategy.open(request('10.0.0.1'), 0);
    expect(picker.pick(0)?.backend).toBe(A);
    picker.onFailure?.(A, 'error', 0);
    expect(picker.pick(0)?.backend).toBe(B);
    expect(Array.from(strategy.peers.currentWeight)).toEqual([-2, 0, 2]);
  });

  it('returns undefined ("no live upstreams") once every server is tried', () => {
    const strategy = new RoundRobinStrategy([peer(A), peer(B)]);
    const picker = strategy.open(request('10.0.0.1'), 0);
    expect([picker.pick(0)?.backend, picker.pick(0)?.backend, picker.pick(0)]).toEqual([A, B, undefined]);
  });
});

describe('backup servers', () => {
  it('are used only when no primary is eligible, then for the rest of the request', () => {
    const strategy = new RoundRobinStrategy([peer(A), peer(C, { backup: true }), peer(B), peer(D, { backup: true })]);
    // Primaries come first in nginx's lists whatever the line order: A, B; backups C, D.
    expect(strategy.peers.names).toEqual([A, B, C, D]);
    const picker = strategy.open(request('10.0.0.1'), 0);
    expect(picker.pick(0)?.backend).toBe(A);
    picker.onFailure?.(A, 'error', 0);
    expect(picker.pick(0)?.backend).toBe(B);
    picker.onFailure?.(B, 'error', 0);
    expect(picker.pick(0)?.backend).toBe(C);
    picker.onFailure?.(C, 'error', 0);
    expect(picker.pick(0)?.backend).toBe(D);
    // A, B and C are unavailable now (max_fails=1): the next request goes straight to D.
    expect(strategy.open(request('10.0.0.1'), 0).pick(0)?.backend).toBe(D);
  });
});

describe('slow start after a failure (RULES.md §6)', () => {
  it('drops the effective weight by weight/max_fails and regains one per step taken part in', () => {
    const strategy = new RoundRobinStrategy([peer(A, { weight: 3, maxFails: 1, failTimeoutMs: 1000 }), peer(B)]);
    const ew = strategy.peers.effectiveWeight;
    const picker = strategy.open(request('10.0.0.1'), 0);
    expect(picker.pick(0)?.backend).toBe(A); // [3,1] -> A
    picker.onFailure?.(A, 'error', 0); // 3 - 3/1 = 0
    expect(ew[0]).toBe(0);
    // Unavailable through second 0 + 1; eligible from second 2, at effective weight 0 -> 1 -> 2 -> 3.
    picks(strategy, 1, 1500);
    expect(ew[0]).toBe(0);
    picks(strategy, 3, 2000);
    expect(ew[0]).toBe(3);
  });

  it('with weight 1 and max_fails 2 the effective weight never changes (1/2 = 0)', () => {
    const strategy = new RoundRobinStrategy([peer(A, { maxFails: 2 }), peer(B)]);
    const picker = strategy.open(request('10.0.0.1'), 0);
    picker.pick(0);
    picker.onFailure?.(A, 'error', 0);
    expect(strategy.peers.effectiveWeight[0]).toBe(1);
  });
});

describe('recycled pickers', () => {
  it('a closed picker is handed to the next request with nothing of the last one: no tried peers, no backup switch', () => {
    const strategy = new RoundRobinStrategy([peer(A), peer(B)]);
    const first = strategy.open(request('10.0.0.1'), 0);
    // A fails, so this request has tried A and goes on to B.
    expect(first.pick(0)?.backend).toBe(A);
    first.onFailure?.(A, 'error', 0);
    expect(first.pick(0)?.backend).toBe(B);
    first.onSuccess?.(B, 0, { setCookie: () => undefined });
    first.close?.();
    const second = strategy.open(request('10.0.0.2'), 20_000);
    expect(second).toBe(first);
    // Smooth weights give B next. B fails; A's fail_timeout (10 s) is over, and A counts as
    // untried in this request although the last request (on this same picker) tried it.
    expect(second.pick(20_000)?.backend).toBe(B);
    second.onFailure?.(B, 'error', 20_000);
    expect(second.pick(20_000)?.backend).toBe(A);
    expect(strategy.peers.conns).toEqual(new Int32Array([1, 0]));
  });

  it('a picker still in use is never handed out twice', () => {
    const strategy = new RoundRobinStrategy([peer(A), peer(B)]);
    const open = [strategy.open(request('10.0.0.1'), 0), strategy.open(request('10.0.0.2'), 0)];
    expect(open[0]).not.toBe(open[1]);
  });
});
