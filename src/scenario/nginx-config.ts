/**
 * nginx configuration text -> one upstream block and the proxy retry settings lbsim models.
 *
 * Reads nginx's syntax (words, `;`, `{ }`, quotes, `#` comments; nginx's `ngx_conf_file.c`),
 * then takes: one `upstream NAME { ... }` (the only one, the first or the named one) with
 * `server` lines and optionally a method: `ip_hash;`, `hash KEY [consistent];`, `least_conn;`,
 * `random [two [least_conn]];` (`ngx_http_upstream.c`: `ngx_http_upstream_server`; the method
 * modules' directive handlers), and, anywhere in the text,
 * `proxy_next_upstream`, `proxy_next_upstream_tries`, `proxy_connect_timeout` and
 * `proxy_read_timeout` (`ngx_http_proxy_module.c`). Times use nginx's syntax
 * (`ngx_parse_time`): `1m30s`, `500ms`, a bare number is seconds; `fail_timeout` takes whole
 * seconds only, as nginx does. Surrounding `http`, `server` and `location` blocks are read
 * through, and a few directives with no bearing on balancing (`proxy_pass`, `add_header`,
 * `listen`, ...) are accepted and ignored; anything else is an error with its line number.
 */
import { excerpt } from './errors.js';
import { checkBalancer, checkPeers, type MethodName, type PeerSpec } from '../strategies/index.js';
import { didYouMean, portProblem, type ConfigLineError, type ConfigResult } from './config-lines.js';
import { expectArgs, parseCount, parseNginxTime, splitParameter, tokenizeNginx, type NginxDirective } from './nginx-syntax.js';
import { BACKUP_METHODS, primaryServerProblem } from './primary-servers.js';

import { LIMITS } from './sections/limits.js';
import { DEFAULT_PROXY_SETTINGS, type ProxySettings } from './nginx-proxy.js';

export { DEFAULT_PROXY_SETTINGS, type ProxySettings } from './nginx-proxy.js';

/** One nginx upstream block and the proxy settings of the location that uses it. */
export interface NginxConfig {
  /** The upstream's name; nginx shows it in `$upstream_addr` for "no live upstreams". */
  readonly upstreamName: string;
  readonly method: MethodName;
  /** The `hash` key, for `hash` and `hash-consistent`. */
  readonly key?: string;
  /** Servers in configuration order. */
  readonly peers: readonly PeerSpec[];
  /** The line of each server, in the same order. */
  readonly serverLines?: readonly number[];
  readonly proxy: ProxySettings;
}

export type NginxConfigError = ConfigLineError;
export type NginxConfigResult = ConfigResult<NginxConfig>;

const CONTAINERS = new Set(['http', 'server', 'location', 'events']);
const IGNORED = new Set([
  'proxy_pass', 'add_header', 'listen', 'server_name', 'set_real_ip_from', 'real_ip_header',
  'real_ip_recursive', 'proxy_set_header', 'proxy_http_version', 'proxy_buffering',
  'proxy_send_timeout', 'access_log', 'error_log', 'worker_processes', 'worker_connections',
  'daemon', 'master_process', 'pid', 'root', 'index', 'return', 'keepalive_timeout', 'default_type',
]);
const METHOD_DIRECTIVES = ['ip_hash', 'hash', 'least_conn', 'random'];
const OTHER_UPSTREAM_DIRECTIVES = new Set([
  'least_time', 'sticky', 'zone', 'keepalive', 'keepalive_requests',
  'keepalive_time', 'keepalive_timeout', 'ntlm', 'queue', 'resolver', 'resolver_timeout', 'state',
]);
const NEXT_UPSTREAM_WORDS = new Set([
  'error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403',
  'http_404', 'http_429', 'non_idempotent', 'off',
]);
const MODELLED = ['upstream', 'proxy_next_upstream', 'proxy_next_upstream_tries', 'proxy_connect_timeout', 'proxy_read_timeout'];
const KNOWN = [...MODELLED, ...CONTAINERS, ...IGNORED];
const PLUS_SERVER_PARAMETERS = new Set(['resolve', 'service', 'route', 'slow_start', 'drain']);

/** Which upstream block to read when the text has several. */
export interface NginxConfigOptions {
  /** The block with this name. */
  readonly upstream?: string;
  /** Without a name: the first block (`lbsim route`); otherwise a second block is an error (`lbsim replay`). */
  readonly first?: boolean;
  /**
   * Every balancing method (`lbsim route`, scenarios); by default only round robin and `ip_hash`,
   * the methods `lbsim replay` runs.
   */
  readonly allMethods?: boolean;
  /**
   * A `hash $http_NAME` key of any header reads lbsim's one header instead (`lbsim route`, where
   * the key's value is given directly and only the value is hashed).
   */
  readonly anyHeader?: boolean;
  /**
   * A scenario's block: its proxy settings would apply to this strategy only, while the scenario's
   * `proxy` section applies to all, so the `proxy_*` directives are refused there (they were
   * silently ignored).
   */
  readonly inScenario?: boolean;
}

/** The scenario's `proxy` field of each proxy directive lbsim models. */
const PROXY_FIELDS: Readonly<Record<string, string>> = {
  proxy_next_upstream: 'proxy.nextUpstream',
  proxy_next_upstream_tries: 'proxy.tries',
  proxy_connect_timeout: 'proxy.connectTimeout',
  proxy_read_timeout: 'proxy.readTimeout',
};

interface UpstreamBlock {
  name: string;
  line: number;
  method: MethodName;
  methodLine: number;
  key?: string;
  peers: PeerSpec[];
  serverLines: number[];
  backupLines: number[];
}

/** The method an upstream's method directive names, or an error message. */
function methodOf(d: { name: string; args: readonly string[] }): { method: MethodName; key?: string } | string {
  const args = d.args.join(' ');
  switch (d.name) {
    case 'ip_hash':
      return d.args.length === 0 ? { method: 'ip-hash' } : 'invalid number of arguments in "ip_hash" (expected 0)';
    case 'least_conn':
      return d.args.length === 0 ? { method: 'least-conn' } : 'invalid number of arguments in "least_conn" (expected 0)';
    case 'random':
      if (args === '') return { method: 'random' };
      if (args === 'two' || args === 'two least_conn') return { method: 'random-two-least-conn' };
      return `invalid parameters ${excerpt(args)} in "random" (expected "random", "random two" or "random two least_conn"; lbsim does not model least_time)`;
    default: {
      const [key, flag, ...rest] = d.args;
      if (key === undefined || rest.length > 0 || (flag !== undefined && flag !== 'consistent')) return 'expected "hash KEY;" or "hash KEY consistent;"';
      return { method: flag === undefined ? 'hash' : 'hash-consistent', key };
    }
  }
}

/** Parses nginx configuration text (see the file comment for what is read). */
export function parseNginxConfig(text: string, options: NginxConfigOptions = {}): NginxConfigResult {
  const errors: NginxConfigError[] = [];
  const fail = (line: number, message: string): void => void errors.push({ line, message });
  const tree = tokenizeNginx(text, fail);

  const upstreams: UpstreamBlock[] = [];
  const seen = new Map<string, number>();
  let proxy: { -readonly [K in keyof ProxySettings]: ProxySettings[K] } = { ...DEFAULT_PROXY_SETTINGS };

  const once = (d: NginxDirective, arity: number | 'some'): boolean => {
    const first = seen.get(d.name);
    if (first !== undefined) {
      fail(d.line, `${excerpt(d.name)} is set twice (first on line ${first}); lbsim models a single location`);
      return false;
    }
    seen.set(d.name, d.line);
    return expectArgs(d, arity, fail);
  };

  const readServer = (d: NginxDirective, into: PeerSpec[], backupLines: number[]): void => {
    const [address, ...parameters] = d.args;
    if (address === undefined || address.includes('=')) return fail(d.line, 'server needs an address first, e.g. "server 10.0.0.1:8080 weight=2;"');
    const badPort = /:\d+$/.test(address) ? portProblem(address) : undefined;
    if (badPort !== undefined) return fail(d.line, `invalid port in ${excerpt(address)}: ${badPort}`);
    const peer: { -readonly [K in keyof PeerSpec]: PeerSpec[K] } = { name: address, weight: 1, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000 };
    for (const parameter of parameters) {
      const [key, value] = splitParameter(parameter);
      if (key === 'weight' && value !== undefined) {
        const weight = parseCount(value);
        if (weight === undefined || weight < 1 || weight > LIMITS.weight) fail(d.line, `invalid parameter ${excerpt(parameter)}: weight must be a whole number from 1 to ${LIMITS.weight}`);
        else peer.weight = weight;
      } else if (key === 'max_fails' && value !== undefined) {
        const maxFails = parseCount(value);
        if (maxFails === undefined) fail(d.line, `invalid parameter ${excerpt(parameter)}: max_fails must be a whole number (0 turns failure accounting off)`);
        else peer.maxFails = maxFails;
      } else if (key === 'fail_timeout' && value !== undefined) {
        const ms = parseNginxTime(value, 's');
        if (ms === undefined) fail(d.line, `invalid parameter ${excerpt(parameter)}: fail_timeout takes whole seconds, e.g. 10s, 1m, 30 (nginx rejects "ms" here)`);
        else peer.failTimeoutMs = ms;
      } else if (key === 'max_conns' && value !== undefined) {
        const maxConns = parseCount(value);
        if (maxConns === undefined) fail(d.line, `invalid parameter ${excerpt(parameter)}: max_conns must be a whole number (0: no limit)`);
        else if (maxConns > 0) peer.maxConns = maxConns;
      } else if (parameter === 'down' || parameter === 'backup') {
        peer[parameter] = true;
        if (parameter === 'backup') backupLines.push(d.line);
      } else if (PLUS_SERVER_PARAMETERS.has(key)) {
        fail(d.line, `server parameter ${excerpt(key)} is not supported by lbsim`);
      } else {
        fail(d.line, `invalid parameter ${excerpt(parameter)} (expected weight=N, max_fails=N, fail_timeout=T, max_conns=N, down or backup)`);
      }
    }
    into.push(peer);
  };

  const methods = options.allMethods === true ? `a method: ${METHOD_DIRECTIVES.join(', ')}` : 'ip_hash';
  const readUpstream = (d: NginxDirective): void => {
    if (d.args.length !== 1 || d.block === undefined) return fail(d.line, 'expected "upstream NAME { ... }"');
    const current: UpstreamBlock = { name: d.args[0] as string, line: d.line, method: 'round-robin', methodLine: 0, peers: [], serverLines: [], backupLines: [] };
    upstreams.push(current);
    for (const inner of d.block) {
      if (inner.block !== undefined) fail(inner.line, `unexpected block ${excerpt(inner.name)} { ... } inside upstream`);
      else if (inner.name === 'server') {
        const before = current.peers.length;
        readServer(inner, current.peers, current.backupLines);
        if (current.peers.length > before) current.serverLines.push(inner.line);
      }
      else if (METHOD_DIRECTIVES.includes(inner.name) && (options.allMethods === true || inner.name === 'ip_hash')) {
        if (current.methodLine !== 0) {
          fail(inner.line, `${excerpt(inner.name)}: the upstream already has a balancing method (line ${current.methodLine}); nginx: "load balancing method redefined"`);
          continue;
        }
        let found = methodOf(inner);
        if (typeof found === 'string') {
          fail(inner.line, found);
          continue;
        }
        if (options.anyHeader === true && /^\$\{?http_[A-Za-z0-9_]+\}?$/.test(found.key ?? '')) found = { ...found, key: '$http_x_session_id' };
        const problem = checkBalancer(found)[0];
        if (problem !== undefined) fail(inner.line, `${inner.name}: ${problem.message}`);
        current.method = found.method;
        current.methodLine = inner.line;
        if (found.key !== undefined) current.key = found.key;
      } else if (OTHER_UPSTREAM_DIRECTIVES.has(inner.name) || METHOD_DIRECTIVES.includes(inner.name)) {
        fail(inner.line, `${excerpt(inner.name)} is not supported by lbsim ${options.allMethods === true ? '' : 'yet '}(an upstream block may hold server lines and ${methods})`);
      } else fail(inner.line, `unknown directive ${excerpt(inner.name)} in upstream block (expected server or ${methods})${didYouMean(inner.name, ['server', ...METHOD_DIRECTIVES])}`);
    }
    if (current.peers.length === 0) fail(d.line, `upstream ${excerpt(current.name)} has no server lines`);
  };

  const readProxy = (d: NginxDirective): void => {
    if (options.inScenario === true) return fail(d.line, `${d.name} applies to every strategy of a scenario: set it in the proxy section (${PROXY_FIELDS[d.name]}), not in a balancer block`);
    switch (d.name) {
      case 'proxy_next_upstream': {
        if (!once(d, 'some')) return;
        const unknown = d.args.filter((w) => !NEXT_UPSTREAM_WORDS.has(w));
        if (unknown.length > 0) return fail(d.line, `invalid value ${excerpt(unknown[0] as string)} in proxy_next_upstream (expected ${[...NEXT_UPSTREAM_WORDS].join(', ')})`);
        const off = d.args.includes('off');
        const has = (w: string): boolean => !off && d.args.includes(w);
        proxy = { ...proxy, nextUpstream: { error: has('error'), timeout: has('timeout'), nonIdempotent: has('non_idempotent') } };
        return;
      }
      case 'proxy_next_upstream_tries': {
        if (!once(d, 1)) return;
        const tries = parseCount(d.args[0] as string);
        if (tries === undefined) return fail(d.line, `invalid value ${excerpt(d.args[0] as string)} in proxy_next_upstream_tries (expected a whole number, 0 for no limit)`);
        proxy = { ...proxy, tries };
        return;
      }
      default: {
        if (!once(d, 1)) return;
        const ms = parseNginxTime(d.args[0] as string, 'ms');
        if (ms === undefined) return fail(d.line, `invalid value ${excerpt(d.args[0] as string)} in ${d.name} (expected a time such as 60s, 500ms, 1m)`);
        proxy = d.name === 'proxy_connect_timeout' ? { ...proxy, connectTimeoutMs: ms } : { ...proxy, readTimeoutMs: ms };
      }
    }
  };

  const walk = (directives: readonly NginxDirective[]): void => {
    for (const d of directives) {
      if (d.name === 'upstream') readUpstream(d);
      else if (CONTAINERS.has(d.name) && d.block !== undefined) walk(d.block);
      else if (d.block !== undefined) fail(d.line, `unexpected block ${excerpt(d.name)} { ... }`);
      else if (/^proxy_(next_upstream(_tries)?|connect_timeout|read_timeout)$/.test(d.name)) readProxy(d);
      else if (d.name === 'proxy_next_upstream_timeout') fail(d.line, 'proxy_next_upstream_timeout is not modelled by lbsim');
      else if (!IGNORED.has(d.name)) fail(d.line, `unknown directive ${excerpt(d.name)}${didYouMean(d.name, KNOWN)}`);
    }
  };
  walk(tree);

  const upstream = chooseUpstream(upstreams, options, fail);
  if (upstream === undefined) {
    if (errors.length === 0) fail(1, 'no "upstream NAME { server HOST:PORT; ... }" block found');
    return { ok: false, errors };
  }
  if (!BACKUP_METHODS.has(upstream.method)) {
    const directive = upstream.method === 'ip-hash' ? 'ip_hash' : upstream.method.startsWith('random') ? 'random' : 'hash';
    for (const line of upstream.backupLines) fail(line, `${directive} does not support backup servers (nginx: balancing method does not support parameter "backup")`);
  } else {
    const problem = primaryServerProblem(upstream.method, upstream.peers);
    if (problem !== undefined) fail(upstream.line, `upstream ${excerpt(upstream.name)}: ${problem}`);
  }
  const unfit = upstream.backupLines.length > 0 ? undefined : checkPeers(upstream.method, upstream.peers);
  if (unfit !== undefined && upstream.peers.length > 0) fail(upstream.methodLine || upstream.line, unfit);
  if (errors.length > 0) return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
  const { name: upstreamName, method, key, peers, serverLines } = upstream;
  return { ok: true, config: { upstreamName, method, ...(key === undefined ? {} : { key }), peers, serverLines, proxy } };
}

/** The block `options` asks for; reports a missing name or an unexpected second block. */
function chooseUpstream(upstreams: readonly UpstreamBlock[], options: NginxConfigOptions, fail: (line: number, message: string) => void): UpstreamBlock | undefined {
  const [first, second] = upstreams;
  if (options.upstream !== undefined) {
    const named = upstreams.find((u) => u.name === options.upstream);
    if (named === undefined && first !== undefined) {
      const names = upstreams.map((u) => `${excerpt(u.name)}`).join(', ');
      fail(first.line, `no upstream block named ${excerpt(options.upstream)}; the blocks are ${names}${didYouMean(options.upstream, upstreams.map((u) => u.name))}`);
    }
    return named;
  }
  if (second !== undefined && first !== undefined && options.first !== true) {
    fail(second.line, `a second upstream block ${excerpt(second.name)}: lbsim replays one upstream (the first is ${excerpt(first.name)} on line ${first.line})`);
  }
  return first;
}
