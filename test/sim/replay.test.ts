/**
 * Known answers: every request of every failover recording of a real nginx 1.22.1
 * (test/fixtures/nginx-failover/, README.md and RULES.md there), replayed through `replay()`.
 *
 * The balancer is built the way a user would build it: the fixture's own `upstream` and
 * `location` lines go through parseNginxConfig (the parsed settings are checked against the
 * fixture's `servers` and `proxy` summaries first). Events come from `events` (t, server,
 * mode); each request must match nginx's `tried` ($upstream_addr, "up" for "no live
 * upstreams"), `upstream_status` and client `status`, 100%.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNginxConfig, type NginxConfig } from '../../src/scenario/nginx-config.js';
import { replay, type ReplayEvent, type ReplayRequest } from '../../src/sim/replay.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'nginx-failover');

interface FailoverFixture {
  method: 'round_robin' | 'ip_hash';
  servers: { name: string; weight: number; max_fails: number; fail_timeout: number; down: boolean; backup: boolean }[];
  upstream: string[];
  location: string[];
  proxy: { next_upstream: string[]; next_upstream_tries: number; connect_timeout: number; read_timeout: number };
  events: ReplayEvent[];
  requests: (ReplayRequest & { i: number; tried: string[]; upstream_status: number[]; status: number })[];
}

function load(file: string): FailoverFixture {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as FailoverFixture;
}

function configOf(fixture: FailoverFixture): NginxConfig {
  const parsed = parseNginxConfig([...fixture.upstream, ...fixture.location].join('\n'));
  if (!parsed.ok) throw new Error(`fixture config rejected: ${JSON.stringify(parsed.errors)}`);
  return parsed.config;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('nginx 1.22.1 failover recordings, replayed', () => {
  it('covers all 17 recordings', () => {
    expect(files).toHaveLength(17);
  });

  for (const file of files) {
    describe(file, () => {
      const fixture = load(file);

      it("parses to the fixture's servers and proxy settings", () => {
        const config = configOf(fixture);
        expect(config.method).toBe(fixture.method === 'ip_hash' ? 'ip-hash' : 'round-robin');
        expect(config.peers).toEqual(
          fixture.servers.map((s) => ({
            name: s.name,
            weight: s.weight,
            down: s.down,
            backup: s.backup,
            maxFails: s.max_fails,
            failTimeoutMs: s.fail_timeout * 1000,
          })),
        );
        const words = fixture.proxy.next_upstream;
        expect(config.proxy).toEqual({
          nextUpstream: { error: words.includes('error'), timeout: words.includes('timeout'), nonIdempotent: words.includes('non_idempotent') },
          tries: fixture.proxy.next_upstream_tries,
          connectTimeoutMs: fixture.proxy.connect_timeout * 1000,
          readTimeoutMs: fixture.proxy.read_timeout * 1000,
        });
      });

      it(`matches nginx on all ${fixture.requests.length} requests`, () => {
        const results = [...replay(configOf(fixture), fixture.events, fixture.requests)];
        const mismatches = results.flatMap((got, k) => {
          const want = fixture.requests[k]!;
          const same = want.status === got.status && `${want.tried}` === `${got.tried}` && `${want.upstream_status}` === `${got.upstream_status}`;
          return same ? [] : [`#${want.i} t=${want.t} ${want.method}: want ${want.tried} ${want.upstream_status} ${want.status}, got ${got.tried} ${got.upstream_status} ${got.status}`];
        });
        expect(results).toHaveLength(fixture.requests.length);
        expect(mismatches).toEqual([]);
      });
    });
  }
});
