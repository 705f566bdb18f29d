/**
 * Known answers: every ip_hash, hash, hash consistent and round-robin pick recorded from a real
 * nginx 1.22.1 (test/fixtures/nginx/, see README.md there). The simulator must agree on 100%.
 *
 * - `order_matters` files are replayed in file order through one fresh strategy, because
 *   round-robin fallbacks share the worker's round-robin state; other files' cases are
 *   independent, so each gets a fresh strategy.
 * - The balancer's input is `remote_addr` when the case gives one (nginx's own text of the
 *   address, or the connection address 127.0.0.1 when realip rejected the key), else `key`.
 *   The request carries the address bytes and, as its text, the key as sent: `hash
 *   $remote_addr` must print the bytes the way nginx does (`2001:DB8::1` -> `2001:db8::1`).
 * - `$http_x_session_id` files: the header value is the request's session id.
 * - `rr_fallback: true` must come out as a `fallback` pick (nginx's debug log saw the round
 *   robin call), and every other hashed pick as a `hash` pick.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/model/index.js';
import { createStrategy, type MethodName, type Strategy } from '../../src/strategies/index.js';
import { peer, request } from './helpers.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'nginx');

interface FixtureCase {
  key: string;
  backend: string;
  remote_addr?: string;
  rr_fallback?: boolean;
}
interface Fixture {
  method: string;
  key: string | null;
  servers: { name: string; weight: number; down: boolean }[];
  order_matters: boolean;
  cases?: FixtureCase[];
  sequence?: string[];
}

const METHOD_OF: Record<string, MethodName> = { ip_hash: 'ip-hash', round_robin: 'round-robin', hash: 'hash', hash_consistent: 'hash-consistent' };

function load(file: string): Fixture {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture;
}

function strategyFor(fixture: Fixture): Strategy {
  const method = METHOD_OF[fixture.method];
  if (method === undefined) throw new Error(`test bug: ${fixture.method}`);
  const peers = fixture.servers.map((s) => peer(s.name, { weight: s.weight, down: s.down }));
  return createStrategy(fixture.key === null ? { method } : { method, key: fixture.key }, undefined, peers);
}

/** The request nginx saw for a case. */
function caseRequest(fixture: Fixture, c: FixtureCase, id: number) {
  if (fixture.key === '$http_x_session_id') return request('127.0.0.1', { id, sessionId: c.key });
  return request(c.remote_addr ?? c.key, { id, text: c.key });
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const hashed = files.filter((f) => !f.startsWith('round_robin'));

describe('nginx 1.22.1 recorded picks', () => {
  // ipaddr.js alone reads `::1.2.3.4` and `::0.0.1.2` (nginx's text for `::102`) as ::ffff:…;
  // cases of ip_hash_weighted_5 need the bytes as written, which parseAddress keeps.
  it('parseAddress keeps the IPv4-compatible form ::a.b.c.d as nginx does', () => {
    expect(Array.from(parseAddress('::1.2.3.4')?.bytes ?? [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
  });

  it('covers every fixture: 5 ip_hash, 4 hash, 8 hash consistent, 3 round robin', () => {
    expect(files).toHaveLength(20);
  });

  for (const file of hashed) {
    it(`${file}: every case picks nginx's backend`, () => {
      const fixture = load(file);
      const cases = fixture.cases ?? [];
      let shared = strategyFor(fixture);
      const mismatches: string[] = [];
      cases.forEach((c, i) => {
        if (!fixture.order_matters) shared = strategyFor(fixture);
        const pick = shared.open(caseRequest(fixture, c, i), 0).pick(0);
        const via = c.rr_fallback === true ? 'fallback' : 'hash';
        if (pick?.backend !== c.backend || pick.via !== via) {
          mismatches.push(`#${i} ${c.key}: want ${c.backend} (${via}), got ${pick?.backend} (${pick?.via})`);
        }
      });
      expect(mismatches).toEqual([]);
      expect(cases.length).toBeGreaterThan(1000);
    });
  }

  for (const file of files.filter((f) => f.startsWith('round_robin'))) {
    it(`${file}: the first ${load(file).sequence?.length} picks of a fresh worker`, () => {
      const fixture = load(file);
      const strategy = strategyFor(fixture);
      const picks = (fixture.sequence ?? []).map((_, i) => strategy.open(request('10.0.0.1', { id: i }), 0).pick(0)?.backend);
      expect(picks).toEqual(fixture.sequence);
    });
  }
});

describe('parseAddress', () => {
  it('accepts strict dotted-decimal IPv4 and IPv6 (any case), and refuses short or octal forms', () => {
    expect(Array.from(parseAddress('203.0.113.7')!.bytes)).toEqual([203, 0, 113, 7]);
    expect(Array.from(parseAddress('2001:DB8::1')!.bytes)).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(parseAddress('::ffff:1.2.3.4')!.bytes.slice(10))).toEqual([255, 255, 1, 2, 3, 4]);
    expect(parseAddress('10.1')).toBeUndefined();
    expect(parseAddress('::1.2.3.256')).toBeUndefined();
    expect(parseAddress('app2')).toBeUndefined();
  });
});
