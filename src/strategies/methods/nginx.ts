/**
 * nginx 1.22.1's balancing methods (`ngx_http_upstream_*_module`): the default smooth weighted
 * round robin, `ip_hash`, `hash KEY [consistent]`, `least_conn` and `random [two least_conn]`.
 * They take no options: what tunes them is on the server lines (weights, `max_fails`, `down`,
 * `backup` where the directive allows it).
 */
import type { KeyReader } from '../hash-keys.js';
import { ConsistentHashStrategy, HashStrategy, MAX_RING_POINTS } from '../nginx/hash.js';
import { IpHashStrategy } from '../nginx/ip-hash.js';
import { LeastConnStrategy } from '../nginx/least-conn.js';
import { RandomStrategy } from '../nginx/random.js';
import { RoundRobinStrategy } from '../nginx/round-robin.js';
import type { MethodDefinition, MethodInput } from '../method.js';
import type { PeerSpec } from '../strategy.js';

export const NGINX_METHOD_NAMES = ['round-robin', 'ip-hash', 'hash', 'hash-consistent', 'least-conn', 'random', 'random-two-least-conn'] as const;
type Name = (typeof NGINX_METHOD_NAMES)[number];
type Options = Record<string, never>;

const keyOf = (input: MethodInput<Options>) => input.key as KeyReader;

/** nginx's ketama ring has 160 points per unit of weight; lbsim bounds the ring it builds. */
function ringSize(peers: readonly PeerSpec[]): string | undefined {
  const points = 160 * peers.reduce((sum, p) => sum + (p.backup ? 0 : p.weight), 0);
  return points > MAX_RING_POINTS ? `the ring would have ${points} points (160 per unit of weight); lbsim builds up to ${MAX_RING_POINTS}` : undefined;
}

export const NGINX_METHODS: { readonly [M in Name]: MethodDefinition<M, Options> } = {
  'round-robin': {
    name: 'round-robin',
    directive: '(no method: weighted round robin)',
    description: "nginx's default: smooth weighted round robin; no stickiness",
    needs: [],
    affinity: 'none',
    options: {},
    servers: {},
    real: { server: 'nginx', upstream: () => undefined },
    create: (peers) => new RoundRobinStrategy(peers),
  },
  'ip-hash': {
    name: 'ip-hash',
    directive: 'ip_hash',
    description: "nginx ip_hash: sticky by client address (an IPv4 address's /24)",
    needs: ['client-ip'],
    affinity: 'address',
    options: {},
    servers: { noBackup: 'ip_hash' },
    real: { server: 'nginx', upstream: () => 'ip_hash;' },
    create: (peers) => new IpHashStrategy(peers),
  },
  hash: {
    name: 'hash',
    directive: 'hash KEY',
    description: 'nginx hash KEY: sticky by a key (address, cookie, session id), modulo',
    needs: [],
    key: 'nginx',
    affinity: 'key',
    options: {},
    servers: { noBackup: 'hash' },
    real: { server: 'nginx', upstream: (key) => `hash ${key};` },
    create: (peers, input) => new HashStrategy(peers, keyOf(input)),
  },
  'hash-consistent': {
    name: 'hash-consistent',
    directive: 'hash KEY consistent',
    description: 'nginx hash KEY consistent: a ketama ring; a pool change moves few keys',
    needs: [],
    key: 'nginx',
    affinity: 'key',
    options: {},
    servers: { noBackup: 'hash' },
    checkPeers: ringSize,
    real: { server: 'nginx', upstream: (key) => `hash ${key} consistent;` },
    create: (peers, input) => new ConsistentHashStrategy(peers, keyOf(input)),
  },
  'least-conn': {
    name: 'least-conn',
    directive: 'least_conn',
    description: 'nginx least_conn: the fewest requests in flight per unit of weight',
    needs: [],
    affinity: 'none',
    options: {},
    servers: {},
    real: { server: 'nginx', upstream: () => 'least_conn;' },
    create: (peers) => new LeastConnStrategy(peers),
  },
  random: {
    name: 'random',
    directive: 'random',
    description: 'nginx random: a weighted random draw per request',
    needs: [],
    affinity: 'none',
    options: {},
    servers: { noBackup: 'random' },
    real: { server: 'nginx', upstream: () => 'random;' },
    create: (peers, input) => new RandomStrategy(peers, input.rng, false),
  },
  'random-two-least-conn': {
    name: 'random-two-least-conn',
    directive: 'random two least_conn',
    description: 'nginx random two least_conn: the less loaded of two random draws',
    needs: [],
    affinity: 'none',
    options: {},
    servers: { noBackup: 'random' },
    real: { server: 'nginx', upstream: () => 'random two least_conn;' },
    create: (peers, input) => new RandomStrategy(peers, input.rng, true),
  },
};
