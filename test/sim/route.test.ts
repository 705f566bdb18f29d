/**
 * routeKeys: first requests through one strategy built by createStrategy, state carried from
 * one request to the next, chains through dead backends; keyInputOf / requestForKey turn a bare
 * key into the request input the method reads.
 */
import { describe, expect, it } from 'vitest';
import { keyInputOf, requestForKey, routeKeys } from '../../src/sim/index.js';
import { peer } from '../strategies/helpers.js';

const THREE = [peer('10.0.0.1:80'), peer('10.0.0.2:80'), peer('10.0.0.3:80')];

describe('routeKeys', () => {
  it('round robin ignores keys: N requests are its first N picks, state carried', () => {
    const results = routeKeys({ balancer: { method: 'round-robin' }, peers: THREE }, Array.from({ length: 4 }, () => ({ client: '10.9.9.9' })));
    expect(results.map((r) => r.backend)).toEqual(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80', '10.0.0.1:80']);
  });

  it('a dead backend: the chain shows every attempt, and passive checks skip it afterwards', () => {
    const dead = new Set(['10.0.0.1:80']);
    const [first, second] = routeKeys({ balancer: { method: 'round-robin' }, peers: THREE }, [{ client: '10.9.9.9' }, { client: '10.9.9.9' }], { dead });
    expect(first).toEqual({ chain: ['10.0.0.1:80', '10.0.0.2:80'], backend: '10.0.0.2:80', setCookies: [] });
    // max_fails 1: 10.0.0.1 is out for fail_timeout; the next pick goes on to 10.0.0.3.
    expect(second?.chain).toEqual(['10.0.0.3:80']);
  });

  it('every backend dead: no backend, the chain as far as tries allow', () => {
    const dead = new Set(THREE.map((p) => p.name));
    const [r] = routeKeys({ balancer: { method: 'ip-hash' }, peers: THREE }, [{ client: '10.9.9.9' }], { dead });
    expect(r?.backend).toBeUndefined();
    expect(new Set(r?.chain)).toEqual(dead);
  });

  it('reports the cookies a sticky strategy sets', () => {
    const [r] = routeKeys({ balancer: { method: 'round-robin' }, sticky: { cookie: { name: 'route' } }, peers: THREE }, [{ client: '10.9.9.9' }]);
    expect(r?.setCookies).toEqual(['route=10.0.0.1:80']);
  });

  it('refuses a client that is not an address', () => {
    expect(() => routeKeys({ balancer: { method: 'ip-hash' }, peers: THREE }, [{ client: 'not-an-ip' }])).toThrow(RangeError);
  });
});

describe('keys', () => {
  it.each([
    [{ method: 'ip-hash' }, { kind: 'client' }],
    [{ method: 'hash', key: '$remote_addr' }, { kind: 'client' }],
    [{ method: 'haproxy-source' }, { kind: 'client' }],
    [{ method: 'hash', key: '$http_x_session_id' }, { kind: 'session-id' }],
    [{ method: 'haproxy-hdr', key: 'hdr(x-session-id)' }, { kind: 'session-id' }],
    [{ method: 'hash-consistent', key: '$cookie_sid' }, { kind: 'cookie', names: ['sid'] }],
    [{ method: 'envoy-ring-hash', key: 'cookie(sid)' }, { kind: 'cookie', names: ['sid'] }],
    [{ method: 'round-robin' }, { kind: 'none' }],
  ] as const)('%j reads %j', (balancer, input) => {
    expect(keyInputOf(balancer)).toEqual(input);
  });

  it('a key becomes the input the method reads', () => {
    expect(requestForKey({ kind: 'client' }, '10.1.2.3')).toEqual({ client: '10.1.2.3' });
    expect(requestForKey({ kind: 'session-id' }, 'abc')).toEqual({ client: '192.0.2.1', sessionId: 'abc' });
    expect(requestForKey({ kind: 'cookie', names: ['sid'] }, 'v').cookies).toEqual(new Map([['sid', 'v']]));
    expect(requestForKey({ kind: 'cookie', names: ['sid'] }, '').cookies).toEqual(new Map());
  });
});
