/**
 * Keys, apart from placement: nginx's `$remote_addr` text (ngx_inet6_ntop, 1.22.1), the nginx
 * key syntax lbsim supplies, HAProxy's `hdr(NAME)` element rule, and what an empty key does.
 */
import { describe, expect, it } from 'vitest';
import { createStrategy, nginxAddressText, parseHaproxyHeaderKey, parseNginxKey } from '../../src/strategies/index.js';
import { nginxAddressBytes, peer, request } from './helpers.js';

describe('$remote_addr as nginx prints it', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0002', '2001:db8::2'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    // Leading zero runs with a dotted tail: 5 words then ffff, 6 words, 7 words unless the
    // last word's high byte is 0 or its low byte is 1.
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::102', '::0.0.1.2'],
    ['::ffff', '::0.0.255.255'],
    ['::1:0:1', '::1:0:1'],
    ['::5:1', '::0.5.0.1'], // a 6-word run: dotted, whatever the tail
    // The longest zero run becomes "::", the first on a tie; a single zero word stays "0".
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:0:1:1:0:0:1', '1::1:1:0:0:1'],
    ['1:0:1:1:1:1:1:1', '1:0:1:1:1:1:1:1'],
  ])('%s -> %s', (input, text) => {
    expect(nginxAddressText(nginxAddressBytes(input))).toBe(text);
  });
});

describe('nginx keys', () => {
  const read = (key: string, options: Parameters<typeof request>[1] = {}, ip = '10.1.2.3') => {
    const parsed = parseNginxKey(key);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.key.read(request(ip, options));
  };

  it('reads variables and text together, $name and ${name}', () => {
    const cookies = new Map([['sid', 'abc']]);
    expect(read('$remote_addr', {}, '2001:DB8::1')).toBe('2001:db8::1');
    expect(read('$cookie_sid', { cookies })).toBe('abc');
    expect(read('user-${session_id}-x', { sessionId: 's42' })).toBe('user-s42-x');
    expect(read('$http_x_session_id', { sessionId: 's42' })).toBe('s42');
    expect(read('constant')).toBe('constant');
  });

  it('an absent cookie is an empty key', () => {
    expect(read('$cookie_sid')).toBe('');
  });

  it('declares the inputs it needs', () => {
    const parsed = parseNginxKey('$remote_addr-$cookie_a-$session_id');
    expect(parsed.ok && [...parsed.key.needs].sort()).toEqual(['client-ip', 'cookie', 'session-id']);
  });

  it.each([
    ['$http_user_agent', 'no "user-agent" header'],
    ['$request_uri', 'unknown variable "$request_uri"'],
    ['$', 'expected a variable after "$"'],
  ])('refuses %s', (key, message) => {
    const parsed = parseNginxKey(key);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('HAProxy hdr(NAME)', () => {
  const read = (sessionId: string) => {
    const parsed = parseHaproxyHeaderKey('hdr(X-Session-Id)');
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.key.read(request('10.0.0.1', { sessionId }));
  };

  it('hashes the first comma-separated element, trimmed of spaces and tabs', () => {
    expect(read('a,b')).toBe('a');
    expect(read('  padded \t')).toBe('padded');
    expect(read(',lead-comma')).toBe('');
  });

  it('refuses a header lbsim does not send, and anything but hdr(NAME)', () => {
    expect(parseHaproxyHeaderKey('hdr(user-agent)').ok).toBe(false);
    expect(parseHaproxyHeaderKey('$session_id').ok).toBe(false);
  });
});

describe('an empty key', () => {
  it('gets nginx round robin: hashing by a cookie the server sets moves the user between step 1 and 2', () => {
    const peers = ['a:80', 'b:80', 'c:80', 'd:80'].map((n) => peer(n));
    const strategy = createStrategy({ method: 'hash', key: '$cookie_sid' }, undefined, peers);
    // Step 1 has no cookie yet: a round-robin pick (the first of a fresh worker: a:80).
    expect(strategy.open(request('10.0.0.1'), 0).pick(0)).toMatchObject({ backend: 'a:80', via: 'fallback' });
    // Step 2 carries the cookie the response set: now it is hashed. Over many users, about 3 in 4
    // land elsewhere than step 1 did.
    let moved = 0;
    for (let i = 0; i < 2000; i++) {
      const first = strategy.open(request('10.0.0.1'), 0).pick(0)!.backend;
      const second = strategy.open(request('10.0.0.1', { cookies: new Map([['sid', `user-${i}`]]) }), 0).pick(0)!.backend;
      if (first !== second) moved++;
    }
    expect(moved / 2000).toBeGreaterThan(0.7);
    expect(moved / 2000).toBeLessThan(0.8);
  });
});
