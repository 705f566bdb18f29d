/**
 * nginx's attempt loop (ngx_http_upstream_next), RULES.md §5, §7, §8: which failures are passed
 * on, the tries limit, the statuses, and "no live upstreams". A scripted picker hands out the
 * backends in a fixed order, so each rule is seen alone; the last cases use real strategies.
 */
import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../src/model/index.js';
import { DEFAULT_PROXY_SETTINGS, UpstreamRequest, attemptFailureFor, type ProxySettings } from '../../src/sim/upstream.js';
import { createStrategy, type FailureReason, type PeerPicker, type Pick } from '../../src/strategies/index.js';
import { RecordingHeaders, peer, request } from '../strategies/helpers.js';

/** Hands out `order` one by one, then undefined; records the outcomes it is told. */
function scripted(order: string[], tries = order.length): PeerPicker & { outcomes: string[] } {
  const outcomes: string[] = [];
  let next = 0;
  return {
    tries,
    outcomes,
    pick: (): Pick | undefined => (next < order.length ? { backend: order[next]!, via: 'balance', peer: next++ } : undefined),
    onSuccess: (backend: string) => void outcomes.push(`${backend} ok`),
    onFailure: (backend: string, reason: FailureReason) => void outcomes.push(`${backend} ${reason}`),
  };
}

type Outcome = 'ok' | 'refused' | 'crash' | 'reset' | 'hang' | 'blackhole';

/** Runs one request where each attempt ends as `outcomes` says, in order. */
function drive(picker: PeerPicker, method: HttpMethod, settings: ProxySettings, outcomes: Outcome[]) {
  const upstream = new UpstreamRequest(picker, method, settings);
  let now = 5025;
  for (let pick = upstream.nextAttempt(now), k = 0; pick !== undefined; pick = upstream.nextAttempt(now), k++) {
    const outcome = outcomes[k] ?? 'ok';
    if (outcome === 'ok') {
      upstream.attemptSucceeded(pick.backend, now, new RecordingHeaders());
    } else {
      const { failure, durationMs } = attemptFailureFor(outcome, settings);
      now += durationMs;
      upstream.attemptFailed(pick.backend, failure, now);
    }
  }
  return { tried: upstream.tried, upstreamStatus: upstream.upstreamStatus, status: upstream.status, noLive: upstream.noLiveUpstreams, endMs: now };
}

const ONE_SECOND: ProxySettings = { ...DEFAULT_PROXY_SETTINGS, connectTimeoutMs: 1000, readTimeoutMs: 1000 };

describe('attemptFailureFor', () => {
  it('classifies each failing mode as nginx sees it', () => {
    expect(attemptFailureFor('refused', ONE_SECOND)).toEqual({ failure: { reason: 'error', sent: false }, durationMs: 0 });
    expect(attemptFailureFor('blackhole', ONE_SECOND)).toEqual({ failure: { reason: 'timeout', sent: false }, durationMs: 1000 });
    expect(attemptFailureFor('crash', ONE_SECOND)).toEqual({ failure: { reason: 'error', sent: true }, durationMs: 0 });
    expect(attemptFailureFor('reset', ONE_SECOND)).toEqual({ failure: { reason: 'error', sent: true }, durationMs: 0 });
    expect(attemptFailureFor('hang', ONE_SECOND)).toEqual({ failure: { reason: 'timeout', sent: true }, durationMs: 1000 });
  });
});

describe('UpstreamRequest', () => {
  it('passes an error on and answers with the next server (502, 200 -> 200)', () => {
    const picker = scripted(['B', 'C', 'A']);
    expect(drive(picker, 'GET', DEFAULT_PROXY_SETTINGS, ['refused'])).toMatchObject({ tried: ['B', 'C'], upstreamStatus: [502, 200], status: 200 });
    expect(picker.outcomes).toEqual(['B error', 'C ok']);
  });

  it('a timed-out attempt shows 504 and moves the next attempt by the timeout', () => {
    expect(drive(scripted(['B', 'C']), 'GET', ONE_SECOND, ['hang'])).toEqual({
      tried: ['B', 'C'], upstreamStatus: [504, 200], status: 200, noLive: false, endMs: 6025,
    });
  });

  it('a POST already sent is not passed on: the client gets that 502 or 504, the failure still counts', () => {
    const picker = scripted(['B', 'C']);
    expect(drive(picker, 'POST', DEFAULT_PROXY_SETTINGS, ['crash'])).toMatchObject({ tried: ['B'], upstreamStatus: [502], status: 502 });
    expect(picker.outcomes).toEqual(['B error']);
    expect(drive(scripted(['B', 'C']), 'POST', ONE_SECOND, ['hang'])).toMatchObject({ upstreamStatus: [504], status: 504 });
    for (const method of ['LOCK', 'PATCH'] as const) {
      expect(drive(scripted(['B', 'C']), method, DEFAULT_PROXY_SETTINGS, ['reset']).status).toBe(502);
    }
  });

  it('PUT and DELETE are not in nginx\'s non-idempotent list: retried like GET', () => {
    for (const method of ['PUT', 'DELETE'] as const) {
      expect(drive(scripted(['B', 'C']), method, DEFAULT_PROXY_SETTINGS, ['crash']).status).toBe(200);
    }
  });

  it('a POST that was never sent (refused, connect timeout) is passed on', () => {
    expect(drive(scripted(['B', 'C']), 'POST', DEFAULT_PROXY_SETTINGS, ['refused']).status).toBe(200);
    expect(drive(scripted(['B', 'C']), 'POST', ONE_SECOND, ['blackhole'])).toMatchObject({ upstreamStatus: [504, 200], status: 200 });
  });

  it('non_idempotent passes a sent POST on', () => {
    const settings = { ...DEFAULT_PROXY_SETTINGS, nextUpstream: { error: true, timeout: true, nonIdempotent: true } };
    expect(drive(scripted(['B', 'C']), 'POST', settings, ['crash'])).toMatchObject({ upstreamStatus: [502, 200], status: 200 });
  });

  it('proxy_next_upstream off: never passed on', () => {
    const off = { ...ONE_SECOND, nextUpstream: { error: false, timeout: false, nonIdempotent: false } };
    expect(drive(scripted(['B', 'C']), 'GET', off, ['refused'])).toMatchObject({ tried: ['B'], status: 502 });
    expect(drive(scripted(['B', 'C']), 'GET', off, ['hang'])).toMatchObject({ tried: ['B'], status: 504 });
  });

  it('only the listed failure class is passed on', () => {
    const errorOnly = { ...ONE_SECOND, nextUpstream: { error: true, timeout: false, nonIdempotent: false } };
    expect(drive(scripted(['B', 'C']), 'GET', errorOnly, ['hang']).status).toBe(504);
    expect(drive(scripted(['B', 'C']), 'GET', errorOnly, ['refused']).status).toBe(200);
  });

  it('stops when tries are used up, even with servers left (proxy_next_upstream_tries 2)', () => {
    const settings = { ...DEFAULT_PROXY_SETTINGS, tries: 2 };
    expect(drive(scripted(['B', 'C', 'A', 'D']), 'GET', settings, ['refused', 'crash'])).toMatchObject({ tried: ['B', 'C'], upstreamStatus: [502, 502], status: 502 });
    // Without the setting the balancer's tries (4 here) are the limit.
    expect(drive(scripted(['B', 'C', 'A', 'D']), 'GET', DEFAULT_PROXY_SETTINGS, ['refused', 'crash']).status).toBe(200);
    // A setting above the balancer's tries does not raise them.
    expect(drive(scripted(['B', 'C', 'A'], 2), 'GET', { ...DEFAULT_PROXY_SETTINGS, tries: 5 }, ['refused', 'refused']).status).toBe(502);
  });

  it('no eligible server: 502 at once, without an attempt ("no live upstreams")', () => {
    expect(drive(scripted([]), 'GET', DEFAULT_PROXY_SETTINGS, [])).toEqual({ tried: [], upstreamStatus: [502], status: 502, noLive: true, endMs: 5025 });
  });

  it('no server left on a retry: the failed attempt, then "no live upstreams"', () => {
    // Round robin over a, b: request 1 -> a (answers). Request 2 -> b, refused (b unavailable
    // for 10 s), passed on to a. Request 3 -> a (the only eligible server), refused; one try is
    // left, but b is unavailable and a tried: nothing eligible -> 502 with no second attempt.
    const strategy = createStrategy({ method: 'round-robin' }, undefined, [peer('a'), peer('b')]);
    const first = drive(strategy.open(request('10.0.0.1'), 0), 'GET', DEFAULT_PROXY_SETTINGS, ['ok']);
    expect(first.tried).toEqual(['a']);
    expect(drive(strategy.open(request('10.0.0.1'), 0), 'GET', DEFAULT_PROXY_SETTINGS, ['refused', 'ok'])).toMatchObject({ tried: ['b', 'a'], status: 200 });
    expect(drive(strategy.open(request('10.0.0.1'), 0), 'GET', DEFAULT_PROXY_SETTINGS, ['refused'])).toMatchObject({
      tried: ['a'], upstreamStatus: [502, 502], status: 502, noLive: true,
    });
  });

  it('refuses out-of-order reports', () => {
    const upstream = new UpstreamRequest(scripted(['B']), 'GET', DEFAULT_PROXY_SETTINGS);
    upstream.nextAttempt(0);
    expect(() => upstream.attemptSucceeded('C', 0, new RecordingHeaders())).toThrow(/pending attempt is on B/);
    expect(() => upstream.nextAttempt(0)).toThrow(/not reported/);
  });
});
