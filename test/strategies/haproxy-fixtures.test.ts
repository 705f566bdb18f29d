/**
 * Known answers: every pick recorded from a real HAProxy 2.6.12 (test/fixtures/haproxy/, see
 * README.md and ALGORITHMS.md there). The simulator must agree on 100% of them.
 *
 * - The backend section (`backend` lines) is the whole truth: the test reads `balance`,
 *   `hash-type`, `hash-balance-factor`, `option redispatch`, `cookie` and each `server` line's
 *   `weight`, `id`, `cookie` and `disabled` from it, and builds the strategy through
 *   `createStrategy` as a scenario would. Servers without `id` get HAProxy's automatic ids.
 * - `source`: the request comes from the key's address (bytes; the text is not read).
 * - `hdr`: the X-Session-Id header is the session id; an absent header (`null`) is replayed as an
 *   empty one, which HAProxy treats the same way (no hash: a round-robin pick).
 * - `order_matters` files are replayed in order through one fresh strategy (round-robin state
 *   carries over); the others' cases are independent, so one strategy serves them too.
 * - `cookie`: the Cookie header may name SRV twice, which lbsim's browser jar cannot hold, so the
 *   test reads the header itself (the strategy's `values` reader) and checks the server and the
 *   Set-Cookie HAProxy added (`nocache`'s `Cache-control: private` goes with every Set-Cookie).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStrategy, type BalancerOptions, type BalancerSpec, type MethodName, type PeerSpec, type Strategy } from '../../src/strategies/index.js';
import { HaproxyCookieStrategy } from '../../src/strategies/haproxy/cookie.js';
import { avalancheOf } from '../../src/strategies/haproxy/hash.js';
import { HaproxyRoundRobinStrategy } from '../../src/strategies/haproxy/round-robin.js';
import { RecordingHeaders, request } from './helpers.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'haproxy');

interface Fixture {
  method: string;
  hash_type: string | null;
  hash_function: string | null;
  avalanche: boolean | null;
  servers: { name: string; id: number }[];
  backend: string[];
  order_matters: boolean;
  cases?: { key?: string | null; server: string; request_cookie?: string | null; set_cookie?: string | null; cache_control?: string | null }[];
  sequence?: string[];
}

const load = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture;

/** The backend section as lbsim's inputs: method, key, options and server lines. */
function configOf(fixture: Fixture): { spec: BalancerSpec; peers: PeerSpec[]; cookieName: string | undefined } {
  const options: { -readonly [K in keyof BalancerOptions]: BalancerOptions[K] } = {};
  const peers: PeerSpec[] = [];
  let method: MethodName | undefined;
  let key: string | undefined;
  let cookieName: string | undefined;
  for (const line of fixture.backend.slice(1)) {
    const words = line.trim().split(/\s+/);
    const [directive, first, second, third] = words;
    if (directive === 'balance') {
      if (first === 'roundrobin') method = 'haproxy-roundrobin';
      else if (first === 'static-rr') method = 'haproxy-static-rr';
      else if (first === 'source') method = 'haproxy-source';
      else if (first?.startsWith('hdr(')) [method, key] = ['haproxy-hdr', first];
      else throw new Error(`test bug: ${line}`);
    } else if (directive === 'hash-type') {
      options.hashType = first as BalancerOptions['hashType'];
      if (second !== undefined) options.hashFunction = second as BalancerOptions['hashFunction'];
      if (third === 'avalanche') options.avalanche = true;
    } else if (directive === 'cookie') cookieName = first;
    else if (line.trim() === 'option redispatch') options.redispatch = true;
    else if (directive === 'server') {
      const value = (word: string) => words[words.indexOf(word) + 1];
      const id = words.includes('id') ? Number(value('id')) : undefined;
      peers.push({
        name: first as string,
        weight: words.includes('weight') ? Number(value('weight')) : 1,
        down: words.includes('disabled'),
        backup: false,
        maxFails: 1,
        failTimeoutMs: 10_000,
        cookie: words.includes('cookie') ? (value('cookie') as string) : '',
        ...(id === undefined ? {} : { id }),
      });
    } else throw new Error(`test bug: unknown line ${line}`);
  }
  if (method === undefined) throw new Error('test bug: no balance line');
  if (cookieName !== undefined) options.cookie = cookieName;
  const spec: BalancerSpec = { method: cookieName === undefined ? method : 'haproxy-cookie', ...(key === undefined ? {} : { key }), options };
  return { spec, peers, cookieName };
}

/** The values of the cookies called `name` in a Cookie header, left to right. */
function cookieValues(header: string | null | undefined, name: string): string[] {
  if (header == null) return [];
  return header.split(';').map((c) => c.trim().split('=')).filter(([n]) => n === name).map(([, v]) => v ?? '');
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('HAProxy 2.6.12 recorded picks', () => {
  it('covers every fixture: 14 source, 7 hdr, 6 round robin, 2 cookie', () => {
    expect(files).toHaveLength(29);
  });

  for (const file of files) {
    const fixture = load(file);
    const { spec, peers, cookieName } = configOf(fixture);

    it(`${file}: the backend section reads as HAProxy read it (ids, hash settings)`, () => {
      const ids = new HaproxyRoundRobinStrategy(peers, false).servers.ids;
      expect(Array.from(ids)).toEqual(fixture.servers.map((s) => s.id));
      if (fixture.avalanche !== null) {
        const o = spec.options ?? {};
        expect(avalancheOf({ type: o.hashType ?? 'map-based', function: o.hashFunction, avalanche: o.avalanche, balanceFactor: 0, redispatch: false })).toBe(fixture.avalanche);
      }
    });

    if (fixture.sequence !== undefined) {
      it(`${file}: the first ${fixture.sequence.length} picks after a fresh start`, () => {
        const strategy = createStrategy(spec, undefined, peers);
        const picks = fixture.sequence!.map((_, i) => strategy.open(request('10.0.0.1', { id: i }), 0).pick(0)?.backend);
        expect(picks).toEqual(fixture.sequence);
      });
      continue;
    }

    if (cookieName !== undefined) {
      it(`${file}: every request's server and Set-Cookie`, () => {
        const headers = new Map<number, string | null | undefined>();
        const inner = new HaproxyRoundRobinStrategy(peers, spec.options?.redispatch ?? false);
        const strategy = new HaproxyCookieStrategy(inner, cookieName, (r, name) => cookieValues(headers.get(r.id), name));
        const got = fixture.cases!.map((c, i) => {
          headers.set(i, c.request_cookie);
          const picker = strategy.open(request('10.0.0.1', { id: i }), 0);
          const pick = picker.pick(0);
          const response = new RecordingHeaders();
          if (pick !== undefined) picker.onSuccess?.(pick.backend, 0, response);
          const set = response.cookies[0];
          const setCookie = set === undefined ? null : set.maxAgeMs === 0 ? `${set.name}=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/` : `${set.name}=${set.value}; path=/`;
          return { request_cookie: c.request_cookie, server: pick?.backend, set_cookie: setCookie, cache_control: setCookie === null ? null : 'private' };
        });
        expect(got).toEqual(fixture.cases);
        expect(got).toHaveLength(60);
      });
      continue;
    }

    it(`${file}: every case picks HAProxy's server`, () => {
      const cases = fixture.cases ?? [];
      let strategy: Strategy = createStrategy(spec, undefined, peers);
      const mismatches: string[] = [];
      cases.forEach((c, i) => {
        if (!fixture.order_matters) strategy = createStrategy(spec, undefined, peers);
        const key = c.key ?? '';
        const req = fixture.method === 'source' ? request(key, { id: i, text: 'not read' }) : request('10.0.0.1', { id: i, sessionId: key });
        const pick = strategy.open(req, 0).pick(0);
        if (pick?.backend !== c.server) mismatches.push(`#${i} ${JSON.stringify(c.key)}: want ${c.server}, got ${pick?.backend} (${pick?.via})`);
      });
      expect(mismatches).toEqual([]);
      expect(cases.length).toBeGreaterThan(1000);
    });
  }
});
