/**
 * The registry: every method is defined and documented, a scenario's `balancer` object is checked
 * against the method (key, options, peers) with messages a user can act on, and every method runs
 * end to end from a scenario file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioErrors, NormalizedScenarioSchema, parseScenarioText } from '../../src/scenario/index.js';
import { knownKeys } from '../../src/scenario/schema-walk.js';
import { runScenario } from '../../src/sim/index.js';
import { METHOD_NAMES, METHODS, OPTION_NAMES, checkBalancer, checkPeers, createStrategy, strategyNeeds, type BalancerSpec } from '../../src/strategies/index.js';
import { peer } from './helpers.js';

const DOCS = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'scenario.md'), 'utf8');
const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** A spec each method accepts. */
/** Each method as a scenario writes its balancer (durations with their unit). */
const SAMPLE: Record<string, Readonly<Record<string, unknown>>> = {
  hash: { method: 'hash', key: '$remote_addr' },
  'hash-consistent': { method: 'hash-consistent', key: '$session_id' },
  'haproxy-hdr': { method: 'haproxy-hdr', key: 'hdr(x-session-id)', options: { hashType: 'consistent' } },
  'haproxy-cookie': { method: 'haproxy-cookie', options: { redispatch: true } },
  'envoy-ring-hash': { method: 'envoy-ring-hash', key: 'source_ip', options: { retries: 1 } },
  'envoy-maglev': { method: 'envoy-maglev', key: 'header(x-session-id)', options: { cookie: 'envoy_session', strict: true } },
  'envoy-least-request': { method: 'envoy-least-request', options: { retries: 2, choiceCount: 3 } },
  'alb-app-cookie': { method: 'alb-app-cookie', options: { appCookie: 'JSESSIONID', duration: '1h' } },
};
const sample = (method: (typeof METHOD_NAMES)[number]): Readonly<Record<string, unknown>> => SAMPLE[method] ?? { method };

describe('registry', () => {
  it('defines every method under its own name, documented in docs/scenario.md and the README', () => {
    for (const name of METHOD_NAMES) {
      expect(METHODS[name].name).toBe(name);
      expect(DOCS).toContain(`| \`${name}\` |`);
      expect(README).toContain(`\`${name}\``);
    }
  });

  it('the scenario schema takes exactly the registry options', () => {
    const keys = knownKeys(NormalizedScenarioSchema, ['strategies', 0, 'balancer', 'options']).filter((k) => k !== '$schema' && k !== 'description');
    expect([...keys].sort()).toEqual([...OPTION_NAMES].sort());
    for (const option of OPTION_NAMES) expect(DOCS).toContain(`| \`${option}\` |`);
  });

  it.each([
    [{ method: 'hash' }, 'key', 'hash needs a key, e.g. "$remote_addr"'],
    [{ method: 'round-robin', key: '$remote_addr' }, 'key', 'round-robin takes no key'],
    [{ method: 'haproxy-hdr', key: 'hdr(host)' }, 'key', 'lbsim\'s requests carry no "host" header; the one header they carry is X-Session-Id (hdr(x-session-id))'],
    [{ method: 'ip-hash', options: { redispatch: true } }, 'options.redispatch', 'ip-hash has no option redispatch; it takes no options'],
    [{ method: 'haproxy-cookie', options: { hashType: 'consistent' } }, 'options.hashType', 'haproxy-cookie has no option hashType; it takes cookie, redispatch, retries'],
    [{ method: 'haproxy-source', options: { hashBalanceFactor: 150 } }, 'options.hashBalanceFactor', 'bounded loads need hashType: consistent'],
    [{ method: 'haproxy-source', options: { hashType: 'consistent', hashBalanceFactor: 90 } }, 'options.hashBalanceFactor', "expected 0 or a whole percentage above 100 (HAProxy's rule), got 90"],
  ] as [BalancerSpec, string, string][])('%j: %s: %s', (spec, path, message) => {
    expect(checkBalancer(spec).map((p) => [p.path.join('.'), p.message])).toEqual([[path, message]]);
    expect(() => createStrategy(spec, undefined, [peer('a:80')])).toThrow(RangeError);
  });

  it('peers a method cannot take: backups under hash, ip_hash and random; HAProxy weights above 256', () => {
    expect(checkPeers('hash', [peer('a:80'), peer('b:80', { backup: true })])).toBe('hash does not support backup servers');
    expect(checkPeers('least-conn', [peer('a:80'), peer('b:80', { backup: true })])).toBeUndefined();
    expect(checkPeers('haproxy-roundrobin', [peer('a:80', { weight: 257 })])).toBe('HAProxy weights go up to 256; a:80 has weight 257');
  });

  it('needs: the method\'s inputs, its key\'s and the sticky cookie\'s', () => {
    expect(strategyNeeds({ method: 'hash', key: '$remote_addr' }, undefined)).toEqual(['client-ip']);
    expect(strategyNeeds({ method: 'hash-consistent', key: '$cookie_sid' }, { cookie: { name: 'r' } })).toEqual(['cookie']);
    expect(strategyNeeds({ method: 'haproxy-hdr', key: 'hdr(x-session-id)' }, undefined)).toEqual(['session-id']);
    expect(strategyNeeds({ method: 'haproxy-source' }, { cookie: { name: 'r' } })).toEqual(['client-ip', 'cookie']);
  });
});

describe('scenarios', () => {
  const scenario = (balancer: string) => `name: x
seed: 3
sessions: 300
arrivals: { rate: 20/s }
backends: { count: 4, name: "10.0.0.{n}:80", weight: 2 }
strategies:
  - { name: s, balancer: ${balancer}, store: local }
timeline:
  - { at: 50%, backend: "10.0.0.2:80", mode: refused }
`;

  it.each(METHOD_NAMES.map((m) => [m, JSON.stringify(sample(m))]))('%s runs end to end: %s', (_, balancer) => {
    const loaded = parseScenarioText(scenario(balancer), 'x.yaml');
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    const [run] = runScenario(loaded.scenario).strategies;
    expect(run).toBeDefined();
  });

  it('reports a balancer mistake at its field', () => {
    const loaded = parseScenarioText(scenario('{ method: hash-consistent, key: "$http_user_agent" }'), 'x.yaml');
    expect(loaded.ok ? '' : formatScenarioErrors(loaded.errors)).toBe(
      'x.yaml:7:58: strategies[0].balancer.key: lbsim\'s requests carry no "user-agent" header; the one header they carry is X-Session-Id ($http_x_session_id)\n',
    );
  });
});
