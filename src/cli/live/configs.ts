/**
 * The configurations `lbsim live` writes: nginx (one worker process, no master, an `upstream`
 * block from the strategy or the servers of the user's block, realip from 127.0.0.1 via
 * X-Forwarded-For, a JSON access log with `$upstream_addr` and `$upstream_status`), HAProxy (a
 * `backend` section from the method, `set-src` from X-Forwarded-For, a log line per request on
 * its standard output) and Redis (persistence to its folder, so that a SIGTERM keeps the data).
 *
 * Every address in them is a loopback one: backends are named by the `127.0.0.1:PORT` they run
 * on, so the prediction (made on the renamed scenario) hashes the same names as the servers do.
 * `assertLoopback` checks each generated file before it is written.
 */
import { METHODS, type PeerSpec, type RealConfig } from '../../strategies/index.js';
import { peerSpecOf, type Scenario, type StrategySpec } from '../../scenario/index.js';

/** Where everything of a run listens. */
export interface Layout {
  readonly folder: string;
  readonly balancerPort: number;
  readonly redisPort: number;
  /** Per backend, in the scenario's order. */
  readonly backends: readonly { readonly name: string; readonly port: number; readonly controlPort: number }[];
}

/** How the strategy's method is written for its real server, as its definition declares; undefined: no server here runs it. */
export function realConfigOf(spec: StrategySpec): RealConfig<NonNullable<StrategySpec['balancer']['options']>> | undefined {
  return METHODS[spec.balancer.method].real;
}

/** Which server runs a strategy (one whose method has a real configuration: `strategyRefusal` checks first). */
export function balancerOf(spec: StrategySpec): 'nginx' | 'haproxy' {
  return realConfigOf(spec)?.server ?? 'nginx';
}

/** The strategy's view of the backends: its block's server lines, or the backends' own settings. */
function peersOf(scenario: Scenario, spec: StrategySpec): readonly PeerSpec[] {
  return spec.balancer.servers ?? scenario.backends.map(peerSpecOf);
}

/** lbsim's `$session_id` is the X-Session-Id header the live clients send. */
function nginxKey(key: string | undefined): string {
  return (key ?? '$remote_addr').replace(/\$\{?session_id\}?/g, '$http_x_session_id');
}

/** nginx counts `fail_timeout` in whole seconds. */
const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;
const millis = (ms: number) => `${Math.max(1, Math.round(ms))}ms`;

export function nginxConfig(scenario: Scenario, spec: StrategySpec, layout: Layout): string {
  const real = realConfigOf(spec);
  const directive = real?.server === 'nginx' ? real.upstream(nginxKey(spec.balancer.key)) : undefined;
  const servers = peersOf(scenario, spec).map((p) => {
    const flags = [`weight=${p.weight}`, `max_fails=${p.maxFails}`, `fail_timeout=${seconds(p.failTimeoutMs)}`, p.maxConns ? `max_conns=${p.maxConns}` : '', p.down ? 'down' : '', p.backup ? 'backup' : ''].filter(Boolean);
    return `    server ${p.name} ${flags.join(' ')};`;
  });
  const { proxy } = scenario;
  const next = proxy.nextUpstream;
  const nextUpstream = [next.error ? 'error' : '', next.timeout ? 'timeout' : '', next.nonIdempotent ? 'non_idempotent' : ''].filter(Boolean).join(' ') || 'off';
  const f = layout.folder;
  return `# lbsim live: strategy ${spec.name}
daemon off;
master_process off;
worker_processes 1;
pid ${f}/nginx.pid;
error_log ${f}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${f}/nginx-body;
  proxy_temp_path ${f}/nginx-proxy;
  fastcgi_temp_path ${f}/nginx-fastcgi;
  uwsgi_temp_path ${f}/nginx-uwsgi;
  scgi_temp_path ${f}/nginx-scgi;
  log_format live escape=json '{"id":"$http_x_request_id","upstream":"$upstream_addr","status":"$upstream_status","code":"$status"}';
  access_log ${f}/access.log live;
  set_real_ip_from 127.0.0.1;
  real_ip_header X-Forwarded-For;
  upstream lbsim {
${directive === undefined ? '' : `    ${directive}\n`}${servers.join('\n')}
  }
  server {
    listen 127.0.0.1:${layout.balancerPort};
    location / {
      proxy_pass http://lbsim;
      proxy_next_upstream ${nextUpstream};
      proxy_next_upstream_tries ${proxy.tries};
      proxy_connect_timeout ${millis(proxy.connectTimeoutMs)};
      proxy_read_timeout ${millis(proxy.readTimeoutMs)};
    }
  }
}
`;
}

export function haproxyConfig(scenario: Scenario, spec: StrategySpec, layout: Layout): string {
  const real = realConfigOf(spec);
  if (real?.server !== 'haproxy') throw new Error(`${spec.balancer.method} is not an HAProxy method`);
  const backend = real.backend(spec.balancer.key, spec.balancer.options ?? {});
  const servers = peersOf(scenario, spec).map((p, i) => {
    const flags = [`weight ${p.weight}`, p.id === undefined ? '' : `id ${p.id}`, real.serverCookies && p.cookie !== '' ? `cookie ${p.cookie ?? p.name}` : '', p.down ? 'disabled' : '', p.backup ? 'backup' : ''].filter(Boolean);
    return `  server b${i + 1} ${p.name} ${flags.join(' ')}`;
  });
  const lines = [
    `# lbsim live: strategy ${spec.name}`,
    'global',
    '  maxconn 4096',
    // One thread, as nginx runs one worker: the order requests arrive in is the order they are balanced in.
    '  nbthread 1',
    '  log stdout format raw local0',
    'defaults',
    '  mode http',
    '  log global',
    `  timeout connect ${millis(scenario.proxy.connectTimeoutMs)}`,
    '  timeout client 60s',
    `  timeout server ${millis(scenario.proxy.readTimeoutMs)}`,
    'frontend live',
    `  bind 127.0.0.1:${layout.balancerPort}`,
    '  http-request set-src hdr(x-forwarded-for)',
    '  http-request capture req.hdr(x-request-id) len 64',
    '  log-format "{\\"id\\":\\"%[capture.req.hdr(0)]\\",\\"upstream\\":\\"%si:%sp\\",\\"code\\":\\"%ST\\",\\"retries\\":\\"%rc\\"}"',
    '  default_backend lbsim',
    'backend lbsim',
    // The method's own lines, as its definition writes them (strategies/methods/haproxy.ts).
    ...backend.map((l) => `  ${l}`),
    ...servers,
    '',
  ];
  return lines.join('\n');
}

export function redisConfig(layout: Layout): string {
  return [
    '# lbsim live: the shared session store',
    'bind 127.0.0.1',
    `port ${layout.redisPort}`,
    `dir ${layout.folder}`,
    'dbfilename redis.rdb',
    // Saved on SIGTERM (a save point exists), so a cache outage keeps the sessions.
    'save 3600 1',
    'appendonly no',
    'daemonize no',
    'protected-mode yes',
    '',
  ].join('\n');
}

const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;

/** Every IPv4 address in a generated configuration is 127.0.0.1: nothing leaves the machine. */
export function assertLoopback(text: string): void {
  for (const match of text.matchAll(IPV4)) if (match[0] !== '127.0.0.1') throw new Error(`a generated configuration holds ${match[0]}, not a loopback address`);
}
