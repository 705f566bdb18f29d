/**
 * Remapping theory: when one of n servers is added or removed, modulo hashing moves about
 * n/(n+1) of the keys and consistent hashing about 1/(n+1) (Karger et al. 1997; the nginx and
 * HAProxy documentation). Measured twice: on the recorded fixtures (the same keys against 8
 * servers, 7 and 9), and on 20,000 synthetic keys through lbsim.
 *
 * Derivations:
 * - modulo: a key keeps its server only if h mod n = h mod (n+1), true for h in [0, n) of every
 *   period n(n+1): a share 1/(n+1) stays, n/(n+1) moves (8 -> 9 servers: 0.889);
 * - consistent, adding server n+1: it takes about 1/(n+1) of the ring and only keys landing on
 *   its points move, all of them to it; removing one: exactly its keys move, about 1/n. With 160
 *   (nginx) or 16 (HAProxy) points per server, arcs vary by roughly 1/sqrt(points), hence the
 *   tolerances below;
 * - with 20,000 keys, a share's binomial standard deviation is at most 0.0035.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandomStream } from '../../src/engine/index.js';
import { createStrategy, type BalancerSpec, type PeerSpec } from '../../src/strategies/index.js';
import { peer, request } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

interface Recorded {
  cases: { key: string; backend?: string; server?: string }[];
}
const recorded = (path: string) => (JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Recorded).cases.map((c) => c.backend ?? c.server ?? '');

/** Share of positions where `before` and `after` differ, and where the movers went. */
function moved(before: readonly string[], after: readonly string[]) {
  const movers = before.flatMap((b, i) => (b === after[i] ? [] : [{ from: b, to: after[i] }]));
  return { share: movers.length / before.length, from: new Set(movers.map((m) => m.from)), to: new Set(movers.map((m) => m.to)) };
}

const servers = (n: number) => Array.from({ length: n }, (_, i) => peer(`10.0.0.${i + 1}:80`));
const SESSIONS = Array.from({ length: 20_000 }, (_, i) => request('10.0.0.1', { sessionId: `s${i}-${(i * 2654435761) >>> 0}` }));
const rng = createRandomStream(5, 'remapping');
const ADDRESSES = Array.from({ length: 20_000 }, () => request(Array.from({ length: 4 }, () => Math.floor(rng.next() * 256)).join('.')));

/** The server each request goes to, all servers healthy. */
function placements(spec: BalancerSpec, peers: readonly PeerSpec[], requests = SESSIONS): string[] {
  const strategy = createStrategy(spec, undefined, peers);
  return requests.map((r) => strategy.open(r, 0).pick(0)?.backend ?? '-');
}

describe('recorded: nginx hash $remote_addr consistent, 8 servers against 7 and 9 (1213 keys)', () => {
  const eight = recorded('nginx/hash_consistent_8.json');

  it('removing 127.0.0.1:9005 moves exactly its keys, about 1/8 of them', () => {
    // Recorded: 156 of 1213 keys (0.129) moved, all from 9005.
    const change = moved(eight, recorded('nginx/hash_consistent_8_minus_one.json'));
    expect(change.from).toEqual(new Set(['127.0.0.1:9005']));
    expect(change.share).toBeCloseTo(eight.filter((b) => b === '127.0.0.1:9005').length / eight.length, 10);
    expect(change.share).toBeGreaterThan(0.5 / 8);
    expect(change.share).toBeLessThan(1.5 / 8);
  });

  it('adding 127.0.0.1:9009 moves about 1/9 of the keys, all to it', () => {
    // Recorded: 120 of 1213 keys (0.099) moved, all to 9009.
    const change = moved(eight, recorded('nginx/hash_consistent_8_plus_one.json'));
    expect(change.to).toEqual(new Set(['127.0.0.1:9009']));
    expect(change.share).toBeGreaterThan(0.5 / 9);
    expect(change.share).toBeLessThan(1.5 / 9);
  });
});

describe('recorded: HAProxy balance source, hash-type consistent, 8 servers (1022 keys)', () => {
  const eight = recorded('haproxy/source_consistent_8.json');

  it('adding s9 at the end moves about 1/9 of the keys, all to s9', () => {
    // Recorded: 124 of 1022 keys (0.121).
    const change = moved(eight, recorded('haproxy/source_consistent_8_plus_one.json'));
    expect(change.to).toEqual(new Set(['s9']));
    expect(change.share).toBeGreaterThan(0.5 / 9);
    expect(change.share).toBeLessThan(1.5 / 9);
  });

  it('removing s5 with explicit ids moves exactly its keys', () => {
    const change = moved(recorded('haproxy/source_consistent_8_ids.json'), recorded('haproxy/source_consistent_8_ids_minus_one.json'));
    expect(change.from).toEqual(new Set(['s5']));
  });

  it('removing s5 with automatic ids renumbers s6..s8 and moves far more than 1/8 (about half)', () => {
    // Recorded: 508 of 1022 keys (0.497); with explicit ids only s5's 148 (0.145) move.
    const change = moved(eight, recorded('haproxy/source_consistent_8_minus_one.json'));
    expect(change.share).toBeGreaterThan(0.35);
    expect(change.share).toBeLessThan(0.65);
  });
});

describe('synthetic: 20,000 keys, 8 servers against 9', () => {
  const cases: { label: string; spec: BalancerSpec; requests: typeof SESSIONS; modulo: boolean }[] = [
    { label: 'nginx hash $session_id', spec: { method: 'hash', key: '$session_id' }, requests: SESSIONS, modulo: true },
    { label: 'nginx hash $session_id consistent', spec: { method: 'hash-consistent', key: '$session_id' }, requests: SESSIONS, modulo: false },
    { label: 'nginx ip_hash', spec: { method: 'ip-hash' }, requests: ADDRESSES, modulo: true },
    { label: 'HAProxy hdr, map-based', spec: { method: 'haproxy-hdr', key: 'hdr(x-session-id)' }, requests: SESSIONS, modulo: true },
    { label: 'HAProxy hdr, consistent', spec: { method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent' } }, requests: SESSIONS, modulo: false },
    { label: 'HAProxy source, map-based avalanche', spec: { method: 'haproxy-source', options: { avalanche: true } }, requests: ADDRESSES, modulo: true },
    { label: 'HAProxy source, consistent', spec: { method: 'haproxy-source', options: { hashType: 'consistent' } }, requests: ADDRESSES, modulo: false },
  ];

  for (const { label, spec, requests, modulo } of cases) {
    it(`${label}: adding a ninth server moves ${modulo ? 'about 8/9' : 'about 1/9'} of the keys`, () => {
      const change = moved(placements(spec, servers(8), requests), placements(spec, servers(9), requests));
      if (modulo) {
        expect(change.share).toBeGreaterThan(8 / 9 - 0.02);
        expect(change.share).toBeLessThan(8 / 9 + 0.02);
      } else {
        expect(change.to).toEqual(new Set(['10.0.0.9:80']));
        expect(change.share).toBeGreaterThan(0.5 / 9);
        expect(change.share).toBeLessThan(1.5 / 9);
      }
    });

    it(`${label}: removing the last of 9 servers moves ${modulo ? 'about 8/9' : 'exactly its keys'}`, () => {
      const before = placements(spec, servers(9), requests);
      const change = moved(before, placements(spec, servers(8), requests));
      if (modulo) expect(change.share).toBeGreaterThan(8 / 9 - 0.02);
      else {
        expect(change.from).toEqual(new Set(['10.0.0.9:80']));
        expect(change.share).toBeCloseTo(before.filter((b) => b === '10.0.0.9:80').length / before.length, 10);
      }
    });
  }

  it('nginx keeps a down server\'s slots: marking one of 8 down moves only its keys (HAProxy rebuilds its map instead)', () => {
    const spec: BalancerSpec = { method: 'hash', key: '$session_id' };
    const before = placements(spec, servers(8));
    const down = servers(8).map((p, i) => (i === 4 ? { ...p, down: true } : p));
    const change = moved(before, placements(spec, down));
    expect(change.from).toEqual(new Set(['10.0.0.5:80']));

    const map: BalancerSpec = { method: 'haproxy-hdr', key: 'hdr(x-session-id)' };
    const haproxyChange = moved(placements(map, servers(8)), placements(map, down));
    expect(haproxyChange.share).toBeGreaterThan(0.8);
  });
});
