/**
 * nginx configuration text -> one upstream block and the proxy retry settings lbsim models.
 *
 * Reads nginx's syntax (words, `;`, `{ }`, quotes, `#` comments; nginx's `ngx_conf_file.c`),
 * then takes: one `upstream NAME { ... }` with `server` lines and optionally `ip_hash;`
 * (`ngx_http_upstream.c`: `ngx_http_upstream_server`), and, anywhere in the text,
 * `proxy_next_upstream`, `proxy_next_upstream_tries`, `proxy_connect_timeout` and
 * `proxy_read_timeout` (`ngx_http_proxy_module.c`). Times use nginx's syntax
 * (`ngx_parse_time`): `1m30s`, `500ms`, a bare number is seconds; `fail_timeout` takes whole
 * seconds only, as nginx does. Surrounding `http`, `server` and `location` blocks are read
 * through, and a few directives with no bearing on balancing (`proxy_pass`, `add_header`,
 * `listen`, ...) are accepted and ignored; anything else is an error with its line number.
 */
import type { MethodName, PeerSpec } from '../strategies/index.js';
import { closestMatch } from './did-you-mean.js';

/** The retry settings of one nginx `location` (proxy module); sim/upstream.ts applies them. */
export interface ProxySettings {
  /** `proxy_next_upstream`: which failures are passed on; all false is `off`. */
  readonly nextUpstream: { readonly error: boolean; readonly timeout: boolean; readonly nonIdempotent: boolean };
  /** `proxy_next_upstream_tries`; 0 means no limit beyond the balancer's own. */
  readonly tries: number;
  /** `proxy_connect_timeout` in ms. */
  readonly connectTimeoutMs: number;
  /** `proxy_read_timeout` in ms. */
  readonly readTimeoutMs: number;
}

/** nginx's defaults: `proxy_next_upstream error timeout`, no tries limit, 60 s timeouts. */
export const DEFAULT_PROXY_SETTINGS: ProxySettings = Object.freeze({
  nextUpstream: Object.freeze({ error: true, timeout: true, nonIdempotent: false }),
  tries: 0,
  connectTimeoutMs: 60_000,
  readTimeoutMs: 60_000,
});

/** One nginx upstream block and the proxy settings of the location that uses it. */
export interface NginxConfig {
  /** The upstream's name; nginx shows it in `$upstream_addr` for "no live upstreams". */
  readonly upstreamName: string;
  readonly method: MethodName;
  /** Servers in configuration order. */
  readonly peers: readonly PeerSpec[];
  readonly proxy: ProxySettings;
}

/** A problem in the configuration text; `line` is 1-based. */
export interface NginxConfigError {
  readonly line: number;
  readonly message: string;
}

/** The parsed configuration, or every problem found. */
export type NginxConfigResult =
  | { readonly ok: true; readonly config: NginxConfig }
  | { readonly ok: false; readonly errors: readonly NginxConfigError[] };

const CONTAINERS = new Set(['http', 'server', 'location', 'events']);
const IGNORED = new Set([
  'proxy_pass', 'add_header', 'listen', 'server_name', 'set_real_ip_from', 'real_ip_header',
  'real_ip_recursive', 'proxy_set_header', 'proxy_http_version', 'proxy_buffering',
  'proxy_send_timeout', 'access_log', 'error_log', 'worker_processes', 'worker_connections',
  'daemon', 'master_process', 'pid', 'root', 'index', 'return', 'keepalive_timeout', 'default_type',
]);
const OTHER_UPSTREAM_DIRECTIVES = new Set([
  'hash', 'least_conn', 'random', 'least_time', 'sticky', 'zone', 'keepalive', 'keepalive_requests',
  'keepalive_time', 'keepalive_timeout', 'ntlm', 'queue', 'resolver', 'resolver_timeout', 'state',
]);
const NEXT_UPSTREAM_WORDS = new Set([
  'error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403',
  'http_404', 'http_429', 'non_idempotent', 'off',
]);
const MODELLED = ['upstream', 'proxy_next_upstream', 'proxy_next_upstream_tries', 'proxy_connect_timeout', 'proxy_read_timeout'];
const KNOWN = [...MODELLED, ...CONTAINERS, ...IGNORED];
const PLUS_SERVER_PARAMETERS = new Set(['resolve', 'service', 'route', 'slow_start', 'drain']);

/** Parses nginx configuration text (see the file comment for what is read). */
export function parseNginxConfig(text: string): NginxConfigResult {
  const errors: NginxConfigError[] = [];
  const fail = (line: number, message: string): void => void errors.push({ line, message });
  const tree = tokenizeNginx(text, fail);

  let upstream: { name: string; line: number; ipHash: boolean; peers: PeerSpec[] } | undefined;
  const backupLines: number[] = [];
  const seen = new Map<string, number>();
  let proxy: { -readonly [K in keyof ProxySettings]: ProxySettings[K] } = { ...DEFAULT_PROXY_SETTINGS };

  const once = (d: NginxDirective, arity: number | 'some'): boolean => {
    const first = seen.get(d.name);
    if (first !== undefined) {
      fail(d.line, `"${d.name}" is set twice (first on line ${first}); lbsim models a single location`);
      return false;
    }
    seen.set(d.name, d.line);
    return expectArgs(d, arity, fail);
  };

  const readServer = (d: NginxDirective, into: PeerSpec[]): void => {
    const [address, ...parameters] = d.args;
    if (address === undefined || address.includes('=')) return fail(d.line, 'server needs an address first, e.g. "server 10.0.0.1:8080 weight=2;"');
    const peer = { name: address, weight: 1, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000 };
    for (const parameter of parameters) {
      const [key, value] = splitParameter(parameter);
      if (key === 'weight' && value !== undefined) {
        const weight = parseCount(value);
        if (weight === undefined || weight < 1 || weight > 1_000_000) fail(d.line, `invalid parameter "${parameter}": weight must be a whole number from 1 to 1000000`);
        else peer.weight = weight;
      } else if (key === 'max_fails' && value !== undefined) {
        const maxFails = parseCount(value);
        if (maxFails === undefined) fail(d.line, `invalid parameter "${parameter}": max_fails must be a whole number (0 turns failure accounting off)`);
        else peer.maxFails = maxFails;
      } else if (key === 'fail_timeout' && value !== undefined) {
        const ms = parseNginxTime(value, 's');
        if (ms === undefined) fail(d.line, `invalid parameter "${parameter}": fail_timeout takes whole seconds, e.g. 10s, 1m, 30 (nginx rejects "ms" here)`);
        else peer.failTimeoutMs = ms;
      } else if (parameter === 'down' || parameter === 'backup') {
        peer[parameter] = true;
        if (parameter === 'backup') backupLines.push(d.line);
      } else if (key === 'max_conns' || PLUS_SERVER_PARAMETERS.has(key)) {
        fail(d.line, `server parameter "${key}" is not supported by lbsim`);
      } else {
        fail(d.line, `invalid parameter "${parameter}" (expected weight=N, max_fails=N, fail_timeout=T, down or backup)`);
      }
    }
    into.push(peer);
  };

  const readUpstream = (d: NginxDirective): void => {
    if (upstream !== undefined) return fail(d.line, `a second upstream block "${d.args[0] ?? ''}": lbsim replays one upstream (the first is "${upstream.name}" on line ${upstream.line})`);
    if (d.args.length !== 1 || d.block === undefined) return fail(d.line, 'expected "upstream NAME { ... }"');
    const current = { name: d.args[0] as string, line: d.line, ipHash: false, peers: [] as PeerSpec[] };
    upstream = current;
    for (const inner of d.block) {
      if (inner.block !== undefined) fail(inner.line, `unexpected block "${inner.name} { ... }" inside upstream`);
      else if (inner.name === 'server') readServer(inner, current.peers);
      else if (inner.name === 'ip_hash') current.ipHash = expectArgs(inner, 0, fail) || current.ipHash;
      else if (OTHER_UPSTREAM_DIRECTIVES.has(inner.name)) fail(inner.line, `"${inner.name}" is not supported by lbsim yet (an upstream block may hold server lines and ip_hash)`);
      else fail(inner.line, `unknown directive "${inner.name}" in upstream block (expected server or ip_hash)${didYouMean(inner.name, ['server', 'ip_hash'])}`);
    }
    if (current.peers.length === 0) fail(d.line, `upstream "${current.name}" has no server lines`);
  };

  const readProxy = (d: NginxDirective): void => {
    switch (d.name) {
      case 'proxy_next_upstream': {
        if (!once(d, 'some')) return;
        const unknown = d.args.filter((w) => !NEXT_UPSTREAM_WORDS.has(w));
        if (unknown.length > 0) return fail(d.line, `invalid value "${unknown[0]}" in proxy_next_upstream (expected ${[...NEXT_UPSTREAM_WORDS].join(', ')})`);
        const off = d.args.includes('off');
        const has = (w: string): boolean => !off && d.args.includes(w);
        proxy = { ...proxy, nextUpstream: { error: has('error'), timeout: has('timeout'), nonIdempotent: has('non_idempotent') } };
        return;
      }
      case 'proxy_next_upstream_tries': {
        if (!once(d, 1)) return;
        const tries = parseCount(d.args[0] as string);
        if (tries === undefined) return fail(d.line, `invalid value "${d.args[0]}" in proxy_next_upstream_tries (expected a whole number, 0 for no limit)`);
        proxy = { ...proxy, tries };
        return;
      }
      default: {
        if (!once(d, 1)) return;
        const ms = parseNginxTime(d.args[0] as string, 'ms');
        if (ms === undefined) return fail(d.line, `invalid value "${d.args[0]}" in ${d.name} (expected a time such as 60s, 500ms, 1m)`);
        proxy = d.name === 'proxy_connect_timeout' ? { ...proxy, connectTimeoutMs: ms } : { ...proxy, readTimeoutMs: ms };
      }
    }
  };

  const walk = (directives: readonly NginxDirective[]): void => {
    for (const d of directives) {
      if (d.name === 'upstream') readUpstream(d);
      else if (CONTAINERS.has(d.name) && d.block !== undefined) walk(d.block);
      else if (d.block !== undefined) fail(d.line, `unexpected block "${d.name} { ... }"`);
      else if (/^proxy_(next_upstream(_tries)?|connect_timeout|read_timeout)$/.test(d.name)) readProxy(d);
      else if (d.name === 'proxy_next_upstream_timeout') fail(d.line, 'proxy_next_upstream_timeout is not modelled by lbsim');
      else if (!IGNORED.has(d.name)) fail(d.line, `unknown directive "${d.name}"${didYouMean(d.name, KNOWN)}`);
    }
  };
  walk(tree);

  if (upstream === undefined) {
    if (errors.length === 0) fail(1, 'no "upstream NAME { server HOST:PORT; ... }" block found');
    return { ok: false, errors };
  }
  if (upstream.ipHash) {
    for (const line of backupLines) fail(line, 'ip_hash does not support backup servers (nginx: balancing method does not support parameter "backup")');
  } else if (upstream.peers.length > 0 && upstream.peers.every((p) => p.backup)) {
    fail(upstream.line, `upstream "${upstream.name}" needs at least one server that is not backup`);
  }
  if (errors.length > 0) return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
  const method = upstream.ipHash ? 'ip-hash' : 'round-robin';
  return { ok: true, config: { upstreamName: upstream.name, method, peers: upstream.peers, proxy } };
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

function expectArgs(d: NginxDirective, arity: number | 'some', fail: (line: number, message: string) => void): boolean {
  const ok = arity === 'some' ? d.args.length > 0 : d.args.length === arity;
  if (!ok) fail(d.line, `invalid number of arguments in "${d.name}" (expected ${arity === 'some' ? 'at least one' : arity})`);
  return ok;
}

function splitParameter(parameter: string): [string, string | undefined] {
  const eq = parameter.indexOf('=');
  return eq < 0 ? [parameter, undefined] : [parameter.slice(0, eq), parameter.slice(eq + 1)];
}

/** A non-negative decimal integer (nginx's ngx_atoi), or undefined. */
function parseCount(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** One directive as nginx reads it: name, arguments, line, and its `{ ... }` contents if any. */
interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  readonly block?: readonly NginxDirective[];
}

/** nginx's reader (ngx_conf_read_token): words, quoted strings with `\` escapes, `;`, `{`, `}`, `#` comments. */
function tokenizeNginx(text: string, fail: (line: number, message: string) => void): NginxDirective[] {
  const root: NginxDirective[] = [];
  const stack: { list: NginxDirective[]; line: number }[] = [{ list: root, line: 0 }];
  let words: { text: string; line: number }[] = [];
  let line = 1;
  let i = 0;
  const take = (block?: NginxDirective[]): void => {
    const [head, ...rest] = words;
    const list = (stack[stack.length - 1] as { list: NginxDirective[] }).list;
    if (head === undefined) fail(line, `unexpected "${block ? '{' : ';'}"`);
    else list.push({ name: head.text, args: rest.map((w) => w.text), line: head.line, ...(block ? { block } : {}) });
    words = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (/\s/.test(ch)) i++;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (ch === ';') {
      take();
      i++;
    } else if (ch === '{') {
      const block: NginxDirective[] = [];
      take(block);
      stack.push({ list: block, line });
      i++;
    } else if (ch === '}') {
      if (words.length > 0) {
        fail(words[0]?.line ?? line, `directive "${words[0]?.text}" is not terminated by ";"`);
        words = [];
      }
      if (stack.length === 1) fail(line, 'unexpected "}"');
      else stack.pop();
      i++;
    } else {
      const start = line;
      let word = '';
      if (ch === '"' || ch === "'") {
        for (i++; i < text.length && text[i] !== ch; i++) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          if (text[i] === '\n') line++;
          word += text[i];
        }
        if (i >= text.length) fail(start, 'unterminated quoted string');
        i++;
      } else {
        while (i < text.length && !/[\s;{}]/.test(text[i] as string)) word += text[i++];
      }
      words.push({ text: word, line: start });
    }
  }
  if (words.length > 0) fail(words[0]?.line ?? line, `unexpected end of file: directive "${words[0]?.text}" is not terminated by ";"`);
  if (stack.length > 1) fail((stack[stack.length - 1] as { line: number }).line, 'unexpected end of file: "{" is never closed');
  return root;
}

/** Units in nginx's required order (largest first), in ms; "ms" is only allowed for ms values. */
const TIME_UNITS: readonly (readonly [string, number])[] = [
  ['y', 365 * 86_400_000], ['M', 30 * 86_400_000], ['w', 7 * 86_400_000], ['d', 86_400_000],
  ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1],
];

/**
 * nginx's ngx_parse_time: `1h30m`, `500ms`, a bare number is seconds. `resolution: 's'` is
 * nginx's seconds form (no "ms"); `'ms'` its millisecond form (no "y" or "M"). Returns ms.
 */
function parseNginxTime(text: string, resolution: 's' | 'ms'): number | undefined {
  const part = /(\d+)(ms|[yMwdhms])?\s*/y;
  let rank = resolution === 's' ? -1 : 1;
  let total = 0;
  let matched = false;
  for (part.lastIndex = 0; part.lastIndex < text.length; ) {
    const m = part.exec(text);
    if (m === null) return undefined;
    matched = true;
    const value = Number(m[1]);
    if (m[2] === undefined) {
      if (part.lastIndex < text.length) return undefined;
      total += value * 1000;
      break;
    }
    const unit = TIME_UNITS.findIndex(([name]) => name === m[2]);
    if (unit <= rank || (unit === 7 && resolution === 's')) return undefined;
    rank = unit;
    total += value * (TIME_UNITS[unit] as readonly [string, number])[1];
  }
  return matched && Number.isSafeInteger(total) ? total : undefined;
}
