/**
 * nginx's passive health rules (RULES.md §1-§4, ngx_http_upstream_free_round_robin_peer),
 * on the shared peer list. Times are ms; nginx's clock is whole seconds, floor(ms / 1000).
 */
import { describe, expect, it } from 'vitest';
import { NginxPeers, TriedPeers } from '../../src/strategies/nginx/peers.js';
import { peer } from './helpers.js';

const A = 'a:80';
const B = 'b:80';

/** A checking pick of peer `i` at `nowMs`, as get() does it. */
function picked(peers: NginxPeers, i: number, nowMs: number): void {
  peers.openCheck(i, Math.floor(nowMs / 1000));
}

describe('availability window', () => {
  it('a failure in second F keeps the server out through F + fail_timeout, back from F + fail_timeout + 1', () => {
    // rr3_refused_to_end: failure at 5.025 with fail_timeout=10s -> skipped through 15.999, eligible at 16.000.
    const peers = new NginxPeers([peer(A), peer(B)]);
    peers.recordFailure(1, 5025);
    expect(peers.usable(B, 5025)).toBe(false);
    expect(peers.usable(B, 15_999)).toBe(false);
    expect(peers.usable(B, 16_000)).toBe(true);
  });

  it('fails never decays with time: one more failure after the window marks the server again at once', () => {
    const peers = new NginxPeers([peer(A), peer(B, { maxFails: 3, failTimeoutMs: 5000 })]);
    for (const t of [5025, 5175, 5325]) peers.recordFailure(1, t);
    expect(peers.usable(B, 5400)).toBe(false);
    expect(peers.usable(B, 11_000)).toBe(true); // 11 - 5 > 5
    picked(peers, 1, 11_125); // the probe opens a new check...
    peers.recordFailure(1, 11_125); // ...and fails: fails = 4 >= 3
    expect(peers.usable(B, 11_200)).toBe(false);
  });

  it('max_fails=0 turns failure accounting off', () => {
    const peers = new NginxPeers([peer(A), peer(B, { maxFails: 0 })]);
    peers.recordFailure(1, 0);
    peers.recordFailure(1, 0);
    expect(peers.usable(B, 0)).toBe(true);
    expect(peers.effectiveWeight[1]).toBe(1);
  });

  it('a one-server upstream never counts failures', () => {
    const peers = new NginxPeers([peer(A)]);
    peers.recordFailure(0, 0);
    expect(peers.fails[0]).toBe(0);
    expect(peers.usable(A, 0)).toBe(true);
  });
});

describe('reset of fails (RULES.md §4)', () => {
  // iphash3_flaky_maxfails2: max_fails=2 fail_timeout=5s.
  it('successes within fail_timeout of the last check do not reset the count', () => {
    const peers = new NginxPeers([peer(A), peer(B, { maxFails: 2, failTimeoutMs: 5000 })]);
    picked(peers, 1, 5025);
    peers.recordFailure(1, 5025); // fails 1, checked = accessed = 5
    picked(peers, 1, 10_000); // 10 - 5 = 5, not > 5: no new check
    peers.recordSuccess(1); // accessed 5 is not < checked 5
    expect(peers.fails[1]).toBe(1);
    picked(peers, 1, 11_025); // 11 - 5 > 5: checked = 11
    peers.recordFailure(1, 11_025); // the pick at 11.025 was the new check, and it failed: fails 2
    expect(peers.usable(B, 11_100)).toBe(false);
  });

  it('a success on a checking pick resets the count', () => {
    const peers = new NginxPeers([peer(A), peer(B, { maxFails: 2, failTimeoutMs: 5000 })]);
    peers.recordFailure(1, 19_025); // fails 1, checked = accessed = 19
    picked(peers, 1, 25_025); // 25 - 19 > 5: checked = 25
    peers.recordSuccess(1); // accessed 19 < checked 25: fails = 0
    expect(peers.fails[1]).toBe(0);
  });
});

describe('slot walk and tried set', () => {
  it('walks weights in configuration order, down peers included', () => {
    // Weights 2 (A), 3 (B, down), 1: slots 0-1 -> A, 2-4 -> B, 5 -> C.
    const peers = new NginxPeers([peer(A, { weight: 2 }), peer(B, { weight: 3, down: true }), peer('c:80')]);
    expect(peers.totalWeight).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((w) => peers.slotOwner(w))).toEqual([0, 0, 1, 1, 1, 2]);
  });

  it('keeps a bitmap that also works past 32 peers', () => {
    const tried = new TriedPeers(70);
    for (const i of [0, 31, 32, 63, 64, 69]) tried.markTried(i);
    expect([0, 1, 31, 32, 33, 63, 64, 65, 69].map((i) => tried.hasTried(i))).toEqual([true, false, true, true, false, true, true, false, true]);
  });
});

describe('the first pick of a healthy upstream', () => {
  /** The smooth weighted step written out from ALGORITHMS.md over the peers `eligible` accepts: the reference. */
  function referenceStep(peers: NginxPeers, cw: number[], ew: number[], eligible: (i: number) => boolean): number {
    let best = -1;
    let total = 0;
    for (let i = 0; i < peers.count; i++) {
      if (!eligible(i)) continue;
      cw[i]! += ew[i]!;
      total += ew[i]!;
      if (ew[i]! < peers.weight[i]!) ew[i]!++;
      if (best < 0 || cw[i]! > cw[best]!) best = i;
    }
    if (best >= 0) cw[best]! -= total;
    return best;
  }

  it('skips the per-peer checks only while no peer is down, limited or failing, and picks as the full walk does', () => {
    // Weights 5, 3, 1 with max_fails 2: failures take B out for fail_timeout, and lower its effective weight.
    const specs = [peer(A, { weight: 5 }), peer(B, { weight: 3, maxFails: 2, failTimeoutMs: 2000 }), peer('c:80')];
    const peers = new NginxPeers(specs);
    const cw = [0, 0, 0];
    const ew = [5, 3, 1];
    const picks: number[] = [];
    let failuresLeft = 2;
    let lastFailure = -1;
    for (let second = 0; second < 40; second++) {
      const nowMs = second * 1000;
      const tried = new TriedPeers(3);
      const expected = referenceStep(peers, cw, ew, (i) => peers.available(i, second));
      const got = peers.step(tried, 0, 3, second);
      expect(got, `second ${second}`).toBe(expected);
      picks.push(got);
      // From second 10, B's next two answers are failures (then it is out for fail_timeout); it answers again after.
      if (got === 1 && second >= 10 && failuresLeft > 0) {
        failuresLeft--;
        lastFailure = second;
        peers.recordFailure(1, nowMs);
        ew[1] = Math.max(0, ew[1]! - 1);
      } else if (got >= 0) peers.recordSuccess(got);
      expect([...peers.currentWeight]).toEqual(cw);
      expect([...peers.effectiveWeight]).toEqual(ew);
    }
    // B failed twice, was out while its failures counted, and came back.
    expect(failuresLeft).toBe(0);
    expect(picks.slice(lastFailure + 1, lastFailure + 3)).not.toContain(1);
    expect(picks.slice(lastFailure + 3)).toContain(1);
  });

  it('counts peers taken out and put back: while one is out, the first pick checks every peer', () => {
    // Weights 3, 2, 1; the fast path runs only while none is out (and the walk starts with none).
    const specs = [peer(A, { weight: 3 }), peer(B, { weight: 2 }), peer('c:80')];
    const peers = new NginxPeers(specs);
    const cw = [0, 0, 0];
    const ew = [3, 2, 1];
    const out = new Set<number>();
    // [before pick, peer, taken out]; repeating a change changes nothing.
    const changes: [number, number, boolean][] = [[2, 1, true], [5, 2, true], [8, 1, false], [11, 2, false], [11, 2, false], [14, 0, true], [14, 0, true], [17, 0, false]];
    for (let k = 0; k < 24; k++) {
      for (const [, i, takenOut] of changes.filter(([at]) => at === k)) {
        peers.setTakenOut(specs[i]!.name, takenOut);
        if (takenOut) out.add(i);
        else out.delete(i);
      }
      const expected = referenceStep(peers, cw, ew, (i) => !out.has(i));
      expect(peers.step(new TriedPeers(3), 0, 3, 0), `pick ${k}`).toBe(expected);
      expect([...peers.currentWeight]).toEqual(cw);
      expect(peers.tries).toBe(3 - out.size);
    }
  });
});
