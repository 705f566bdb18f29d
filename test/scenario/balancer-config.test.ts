/**
 * Configuration blocks as strategies: `balancer.nginx` and `balancer.haproxy` load into the same
 * spec as the method form and run the same picks; mismatches with the backends and unsupported
 * directives are errors that name the line in the block; the shipped seed-ip-hash scenario uses
 * the issue's block verbatim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioErrors, parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

const scenario = (balancer: string, backends = '[{ name: "10.0.0.1:80" }, { name: "10.0.0.2:80" }, { name: "10.0.0.3:80" }]') => `name: x
seed: 3
sessions: 200
arrivals: { rate: 20/s }
backends: ${backends}
strategies:
  - name: s
    store: local
    balancer:
${balancer.split('\n').map((l) => `      ${l}`).join('\n')}
`;

const errors = (text: string) => {
  const loaded = parseScenarioText(text, 'x.yaml');
  if (loaded.ok) throw new Error('expected errors');
  return formatScenarioErrors(loaded.errors);
};

const NGINX = `nginx: |
  upstream app {
      hash $remote_addr consistent;
      server 10.0.0.1:80 weight=2;
      server 10.0.0.2:80;
      server 10.0.0.3:80 max_fails=3 fail_timeout=30s;
  }`;

describe('balancer.nginx and balancer.haproxy', () => {
  it('an nginx block loads as its method, key and server lines', () => {
    const loaded = parseScenarioText(scenario(NGINX), 'x.yaml');
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    const balancer = loaded.scenario.strategies[0]?.balancer;
    expect(balancer).toMatchObject({ method: 'hash-consistent', key: '$remote_addr' });
    expect(balancer?.servers?.map((s) => [s.name, s.weight, s.maxFails, s.failTimeoutMs])).toEqual([
      ['10.0.0.1:80', 2, 1, 10_000],
      ['10.0.0.2:80', 1, 1, 10_000],
      ['10.0.0.3:80', 1, 3, 30_000],
    ]);
  });

  it('runs exactly as the method form with the same weights', () => {
    const block = parseScenarioText(scenario(NGINX.replace(' weight=2', '').replace(' max_fails=3 fail_timeout=30s', '')), 'x.yaml');
    const method = parseScenarioText(scenario('{ method: hash-consistent, key: $remote_addr }'), 'x.yaml');
    if (!block.ok || !method.ok) throw new Error('test bug');
    const [a] = runScenario(block.scenario).strategies;
    const [b] = runScenario(method.scenario).strategies;
    expect(a?.load).toEqual(b?.load);
    expect(a?.outcomes).toEqual(b?.outcomes);
  });

  it('an HAProxy section: servers matched by ADDR:PORT', () => {
    const loaded = parseScenarioText(scenario('haproxy: |\n  backend be\n    balance source\n    hash-type consistent\n    server a 10.0.0.1:80 check\n    server b 10.0.0.2:80 id 9\n    server c 10.0.0.3:80 weight 3'), 'x.yaml');
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    expect(loaded.scenario.strategies[0]?.balancer).toMatchObject({ method: 'haproxy-source', options: { hashType: 'consistent' } });
    expect(runScenario(loaded.scenario).strategies[0]?.facts).toBeDefined();
  });

  it('a server that is not a backend, and a backend the block leaves out, name the block line', () => {
    const text = scenario('nginx: |\n  upstream app {\n      server 10.0.0.1:80;\n      server 10.0.0.9:80;\n  }', '[{ name: "10.0.0.1:80" }, { name: "10.0.0.2:80" }]');
    expect(errors(text)).toBe(
      'x.yaml:10:14: strategies[0].balancer.nginx: line 3: server 10.0.0.9:80 is not a backend of the scenario (did you mean "10.0.0.2:80"?)\n' +
        'x.yaml:10:14: strategies[0].balancer.nginx: the block has no server line for "10.0.0.2:80"; list every backend of the scenario\n',
    );
  });

  it('an unsupported directive names its line; two forms at once are refused', () => {
    expect(errors(scenario('nginx: |\n  upstream app {\n      server 10.0.0.1:80;\n      sticky cookie srv;\n  }'))).toContain(
      'strategies[0].balancer.nginx: line 3: "sticky" is not supported by lbsim (an upstream block may hold server lines and a method: ip_hash, hash, least_conn, random)',
    );
    expect(errors(scenario('method: round-robin\nnginx: "upstream a { server 10.0.0.1:80; }"'))).toContain('expected one form of balancer');
  });

  it('ships scenarios/seed-ip-hash.yaml with the issue\'s block, two backends', () => {
    const file = join(import.meta.dirname, '..', '..', 'scenarios', 'seed-ip-hash.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('        upstream backend {\n            ip_hash;\n            server 192.168.1.106:80;\n            server 192.168.1.107:80;\n        }\n');
    const loaded = parseScenarioText(text, file);
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    expect(loaded.scenario.strategies[0]?.balancer.method).toBe('ip-hash');
    expect(loaded.scenario.backends.map((b) => b.name)).toEqual(['192.168.1.106:80', '192.168.1.107:80']);
  });
});
