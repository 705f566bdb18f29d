/**
 * nginx `random` and `random two least_conn` (ngx_http_upstream_get_random_peer / random2,
 * 1.22.1), with scripted draws: a draw u in [0, 1) is slot floor(u × total weight).
 */
import { describe, expect, it } from 'vitest';
import { createRandomStream, type RandomStream } from '../../src/engine/index.js';
import { createStrategy, type PeerSpec } from '../../src/strategies/index.js';
import { peer, request } from './helpers.js';

const A = 'a:80';
const B = 'b:80';
const C = 'c:80';

/** A stream that returns `values` in order, then repeats the last one; counts draws. */
function scripted(values: readonly number[]): RandomStream & { draws: number } {
  const stream = {
    label: 'scripted',
    draws: 0,
    next: () => values[Math.min(stream.draws++, values.length - 1)] as number,
    fork: () => stream,
  };
  return stream;
}

function strategy(method: 'random' | 'random-two-least-conn', peers: readonly PeerSpec[], rng: RandomStream) {
  return createStrategy({ method }, undefined, peers, { rng });
}

describe('random', () => {
  it('a draw lands on the slot of its weight range; down peers keep their slots and cost a redraw', () => {
    // Weights A 1, B 2 (down), C 1: slots A [0,1), B [1,3), C [3,4). Draws 0.3 -> slot 1 (B, down), 0.8 -> slot 3 (C).
    const rng = scripted([0.3, 0.8]);
    const s = strategy('random', [peer(A), peer(B, { weight: 2, down: true }), peer(C)], rng);
    expect(s.open(request('10.0.0.1'), 0).pick(0)).toMatchObject({ backend: C, via: 'balance' });
    expect(rng.draws).toBe(2);
  });

  it('after 21 unusable draws, round robin takes over for the rest of the request', () => {
    // Every draw lands on A (down): draws 1..21 fail (tries 1..21 > 20 ends it), then a round-robin pick.
    const rng = scripted([0]);
    const s = strategy('random', [peer(A, { down: true }), peer(B), peer(C)], rng);
    expect(s.open(request('10.0.0.1'), 0).pick(0)).toMatchObject({ backend: B, via: 'fallback' });
    expect(rng.draws).toBe(21);
  });

  it('shares follow the weights (seeded stream, 30,000 picks)', () => {
    const s = strategy('random', [peer(A), peer(B, { weight: 2 }), peer(C)], createRandomStream(11, 'balancer'));
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const backend = s.open(request('10.0.0.1'), 0).pick(0)!.backend;
      counts.set(backend, (counts.get(backend) ?? 0) + 1);
    }
    // Expected 7500 / 15000 / 7500; binomial sd about 75 and 87.
    expect(Math.abs(counts.get(A)! - 7500)).toBeLessThan(400);
    expect(Math.abs(counts.get(B)! - 15_000)).toBeLessThan(400);
  });

  it('the same stream gives the same picks; another seed gives others', () => {
    const picks = (seed: number) => {
      const s = strategy('random', [peer(A), peer(B), peer(C)], createRandomStream(seed, 'balancer'));
      return Array.from({ length: 40 }, () => s.open(request('10.0.0.1'), 0).pick(0)?.backend);
    };
    expect(picks(1)).toEqual(picks(1));
    expect(picks(1)).not.toEqual(picks(2));
  });
});

describe('random two least_conn', () => {
  it('of two distinct draws, the second wins unless it has strictly more in flight per weight', () => {
    // Slots A [0,1), B [1,2), C [2,3). Request 1 draws 0.9 (C), 0.1 (A): both idle -> A, the second.
    // Request 2 (A in flight) draws 0.9 (C), 0.1 (A): 1 × 1 > 0 × 1, A is busier -> C, the first.
    const s = strategy('random-two-least-conn', [peer(A), peer(B), peer(C)], scripted([0.9, 0.1, 0.9, 0.1]));
    expect(s.open(request('10.0.0.1'), 0).pick(0)?.backend).toBe(A);
    expect(s.open(request('10.0.0.1'), 0).pick(0)?.backend).toBe(C);
  });

  it('a repeated draw of the first peer is drawn again (and counts a try)', () => {
    const rng = scripted([0.1, 0.1, 0.5]);
    const s = strategy('random-two-least-conn', [peer(A), peer(B), peer(C)], rng);
    expect(s.open(request('10.0.0.1'), 0).pick(0)?.backend).toBe(B);
    expect(rng.draws).toBe(3);
  });

  it('a busy server loses every comparison against an idle one', () => {
    const s = strategy('random-two-least-conn', [peer(A), peer(B)], createRandomStream(3, 'balancer'));
    const busy = s.open(request('10.0.0.1'), 0).pick(0)!.backend; // stays in flight
    const idle = busy === A ? B : A;
    // Two servers: every choice compares A with B (a repeat is drawn again), so the idle one wins.
    for (let i = 0; i < 50; i++) {
      const picker = s.open(request('10.0.0.1'), 0);
      expect(picker.pick(0)?.backend).toBe(idle);
      picker.onSuccess?.(idle, 0, { setCookie: () => undefined });
    }
  });
});
