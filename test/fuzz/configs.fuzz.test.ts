/**
 * Fuzz: nginx `upstream` blocks and HAProxy `backend` sections, as `lbsim route` reads them from a
 * file and as a scenario's balancer holds them. Blocks are built from the directives the parsers
 * know, with hostile words among them, then cut short now and then. Every case ends with exit 0
 * or a typed exit 2 (answer.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { answer, expectAnswered } from './answer.js';
import { HOSTILE_VALUES, settings, truncated } from './arbitraries.js';

/** Words a directive may carry: the ones that fit, and hostile ones. */
const WORDS = fc.oneof(
  fc.constantFrom('10.0.0.1:80', '10.0.0.2:80', '10.0.0.1:99999', 'weight=2', 'weight=1000000', 'weight=0', 'max_fails=3', 'fail_timeout=30s', 'fail_timeout=1e999', 'max_conns=5', 'down', 'backup', 'consistent', 'two', 'least_conn', '$remote_addr', '$cookie_x', 'off', 'error', 'timeout', '60s', '0'),
  fc.constantFrom(...HOSTILE_VALUES.filter((v): v is string => typeof v === 'string' && v.length < 100)),
);

const NGINX_DIRECTIVE = fc.tuple(fc.constantFrom('server', 'server', 'server', 'ip_hash', 'hash', 'least_conn', 'random', 'keepalive', 'proxy_next_upstream', 'proxy_read_timeout', 'bogus'), fc.array(WORDS, { maxLength: 3 })).map(([name, args]) => `    ${[name, ...args].join(' ')};`);
const NGINX = fc.tuple(fc.array(NGINX_DIRECTIVE, { minLength: 1, maxLength: 6 }), fc.nat({ max: 3 }), fc.boolean()).map(([lines, depth, close]) => `${'http { '.repeat(depth)}upstream up {\n${lines.join('\n')}\n${close ? '}' : ''}${'}'.repeat(depth)}\n`);

const HAPROXY_LINE = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:0'), fc.array(fc.constantFrom('weight', '1', '256', '257', 'id', '1', '2', 'backup', 'disabled', 'cookie', 'x', 'check', 'inter', '2s'), { maxLength: 4 })).map(([name, address, rest]) => `    server ${name} ${address} ${rest.join(' ')}`),
  fc.constantFrom('    balance roundrobin', '    balance source', '    balance hdr(x-session-id)', '    balance leastconn', '    hash-type consistent', '    hash-type consistent sdbm avalanche', '    hash-balance-factor 150', '    hash-balance-factor 1e999', '    cookie SRV insert indirect nocache', '    option redispatch', '    bogus'),
);
const HAPROXY = fc.array(HAPROXY_LINE, { minLength: 1, maxLength: 6 }).map((lines) => `backend app\n${lines.join('\n')}\n`);

const KEYS = fc.array(fc.constantFrom('203.0.113.9', '2001:db8::1', 'not-an-ip', '', 'x'.repeat(300)), { maxLength: 3 });

describe('fuzz: balancer configurations', () => {
  it('nginx upstream blocks, routed from a file (some cut short)', async () => {
    const texts = NGINX.chain((text) => fc.oneof({ weight: 4, arbitrary: fc.constant(text) }, { weight: 1, arbitrary: truncated(text) }));
    await fc.assert(fc.asyncProperty(texts, KEYS, async (text, keys) => expectAnswered(await answer(['route', '--nginx', 'up.conf', ...keys], { 'up.conf': text }, '203.0.113.7\n'), `nginx:\n${text}`)), settings(150));
  });

  it('HAProxy backend sections, routed from a file (some cut short)', async () => {
    const texts = HAPROXY.chain((text) => fc.oneof({ weight: 4, arbitrary: fc.constant(text) }, { weight: 1, arbitrary: truncated(text) }));
    await fc.assert(fc.asyncProperty(texts, KEYS, async (text, keys) => expectAnswered(await answer(['route', '--haproxy', 'app.cfg', ...keys], { 'app.cfg': text }, '203.0.113.7\n'), `haproxy:\n${text}`)), settings(150));
  });

  it('either, as the balancer of a scenario, validated and run', async () => {
    const scenario = (field: string, text: string) => `name: block\nsessions: 10\narrivals: { rate: 10/s }\nbackends: [{ name: "10.0.0.1:80" }, { name: "10.0.0.2:80" }]\nstrategies:\n  - { name: b, store: local, balancer: { ${field}: ${JSON.stringify(text)} } }\n`;
    const blocks = fc.oneof(NGINX.map((t) => scenario('nginx', t)), HAPROXY.map((t) => scenario('haproxy', t)));
    await fc.assert(
      fc.asyncProperty(blocks, async (text) => {
        const files = { 's.yaml': text };
        const validated = await answer(['validate', 's.yaml'], files);
        expectAnswered(validated, text);
        if (validated.code === 0) expectAnswered(await answer(['run', 's.yaml', '--json', '--out', 'out'], files), text);
      }),
      settings(80),
    );
  });
});
