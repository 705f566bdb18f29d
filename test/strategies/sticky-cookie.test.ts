/**
 * Cookie stickiness over nginx round robin, by hand. Servers A, B, C (weight 1, max_fails 1,
 * fail_timeout 10 s); the cookie `srv` holds the backend's name.
 */
import { describe, expect, it } from 'vitest';
import { createStrategy, withStickyCookie, type Strategy } from '../../src/strategies/index.js';
import { RecordingHeaders, peer, request } from './helpers.js';

const A = 'a:80';
const B = 'b:80';
const C = 'c:80';
const COOKIE = { name: 'srv' };

/** One request with cookie `srv=cookie` at `nowMs`, where backends in `dead` fail; returns the picks and the cookie set. */
function visit(strategy: Strategy, cookie: string | undefined, nowMs: number, dead: readonly string[] = []) {
  const cookies = new Map(cookie === undefined ? [] : [['srv', cookie]]);
  const picker = strategy.open(request('10.0.0.1', { cookies }), nowMs);
  const headers = new RecordingHeaders();
  const picks: string[] = [];
  for (let pick = picker.pick(nowMs); pick !== undefined; pick = picker.pick(nowMs)) {
    picks.push(`${pick.backend} (${pick.via})`);
    if (!dead.includes(pick.backend)) {
      picker.onSuccess?.(pick.backend, nowMs, headers);
      break;
    }
    picker.onFailure?.(pick.backend, 'error', nowMs);
  }
  return { picks, setCookie: headers.cookies.map((c) => c.value) };
}

describe('sticky cookie decorator', () => {
  it('pins a user, re-pins on failure, and does not fail back', () => {
    const strategy = createStrategy({ method: 'round-robin' }, { cookie: COOKIE }, [peer(A), peer(B), peer(C)]);
    // No cookie yet: round robin picks A ([1,1,1] -> A) and the response pins the user to A.
    expect(visit(strategy, undefined, 0)).toEqual({ picks: [`${A} (balance)`], setCookie: [A] });
    // Cookie A: straight to A; a session cookie that did not change is not sent again.
    expect(visit(strategy, A, 1000)).toEqual({ picks: [`${A} (cookie)`], setCookie: [] });
    // A dies. The cookie still sends the user there first; the failure marks A tried (and
    // unavailable), round robin over B, C picks B ([-2,1,1] -> [-2,2,2] -> B), and the cookie moves.
    expect(visit(strategy, A, 2000, [A])).toEqual({ picks: [`${A} (cookie)`, `${B} (balance)`], setCookie: [B] });
    // While A is unavailable a stale cookie A is ignored: round robin picks (C is next).
    expect(visit(strategy, A, 3000)).toEqual({ picks: [`${C} (balance)`], setCookie: [C] });
    // A is back and usable from second 13, but the user whose cookie says B stays on B.
    expect(strategy.usable(A, 20_000)).toBe(true);
    expect(visit(strategy, B, 20_000)).toEqual({ picks: [`${B} (cookie)`], setCookie: [] });
  });

  it("goes back to the cookie's backend on a retry once it is usable again (a timeout took that long)", () => {
    // A failed at 0 (unavailable through second 10). At 5 s the cookie A is skipped and round
    // robin picks B; B hangs for 60 s; at 65 s A is usable and untried: the retry goes to A.
    const strategy = createStrategy({ method: 'round-robin' }, { cookie: COOKIE }, [peer(A), peer(B)]);
    visit(strategy, A, 0, [A]); // A (cookie) fails, B answers
    const picker = strategy.open(request('10.0.0.1', { cookies: new Map([['srv', A]]) }), 5000);
    expect(picker.pick(5000)).toMatchObject({ backend: B, via: 'balance' });
    picker.onFailure?.(B, 'timeout', 65_000);
    expect(picker.pick(65_000)).toMatchObject({ backend: A, via: 'cookie' });
  });

  it('refreshes a cookie with a max age on every success', () => {
    const strategy = createStrategy({ method: 'round-robin' }, { cookie: { name: 'srv', maxAgeMs: 3_600_000 } }, [peer(A), peer(B)]);
    const cookies = new Map([['srv', B]]);
    const picker = strategy.open(request('10.0.0.1', { cookies }), 0);
    const headers = new RecordingHeaders();
    picker.onSuccess?.(picker.pick(0)!.backend, 0, headers);
    expect(headers.cookies).toEqual([{ name: 'srv', value: B, maxAgeMs: 3_600_000 }]);
  });

  it('ignores a cookie naming no server of the pool, or a server marked down', () => {
    const strategy = createStrategy({ method: 'round-robin' }, { cookie: COOKIE }, [peer(A), peer(B, { down: true })]);
    expect(visit(strategy, 'z:80', 0).picks).toEqual([`${A} (balance)`]);
    expect(visit(strategy, B, 0).picks).toEqual([`${A} (balance)`]);
  });

  it("keeps the inner method's name", () => {
    const inner: Strategy = { method: 'fake', open: () => ({ tries: 1, pick: () => ({ backend: A, via: 'balance', peer: 0 }) }), usable: () => true, setTakenOut: () => {} };
    expect(withStickyCookie(inner, COOKIE).method).toBe('fake');
  });
});
