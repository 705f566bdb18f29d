/**
 * HAProxy configuration text -> one `backend` section as an lbsim balancer and its servers.
 *
 * Reads HAProxy's line syntax (a keyword and words per line, `#` comments, sections opened by
 * `global`, `defaults`, `frontend`, `backend`, `listen`; HAProxy 2.6 `src/cfgparse.c`) and, in
 * the chosen backend (the only one, the first or the named one): `balance roundrobin | static-rr
 * | source | hdr(NAME)`, `hash-type map-based | consistent [FUNCTION [avalanche]]`,
 * `hash-balance-factor N`, `cookie NAME insert [indirect] [nocache]`, `option redispatch` and
 * `retries N` (also from `defaults`), and `server NAME ADDR:PORT [weight N] [backup] [disabled] [id N] [cookie X]
 * [check …]` (`src/server.c`). Health-check settings (`check`, `inter`, `rise`, `fall`) are
 * accepted and not simulated; a few directives with no bearing on balancing (`mode`, `timeout`,
 * `option httpchk`, …) are ignored; anything else is an error with its line number.
 *
 * A server is named by its address in lbsim (the scenario's backends are `host:port`), so a
 * server's `PeerSpec.name` is `ADDR:PORT`; the HAProxy name is kept in `serverNames`. A server
 * without `cookie X` gets no cookie value, as in HAProxy (an inserted cookie is deleted).
 */
import { excerpt } from './errors.js';
import { HASH_FUNCTIONS, checkBalancer, checkPeers, type BalancerOptions, type BalancerSpec, type HashFunctionName, type PeerSpec } from '../strategies/index.js';
import { didYouMean, portProblem, type ConfigLineError, type ConfigResult } from './config-lines.js';

/** One backend section as lbsim's balancer: the spec, the servers, and their HAProxy names. */
export interface HaproxyConfig {
  readonly backendName: string;
  readonly balancer: BalancerSpec;
  /** Servers in configuration order, named `ADDR:PORT`. */
  readonly peers: readonly PeerSpec[];
  /** The HAProxy server name of each peer, in the same order. */
  readonly serverNames: readonly string[];
  /** The line of each server, in the same order. */
  readonly serverLines: readonly number[];
}

export type HaproxyConfigError = ConfigLineError;
export type HaproxyConfigResult = ConfigResult<HaproxyConfig>;

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist']);
const IGNORED = new Set(['mode', 'timeout', 'log', 'maxconn', 'http-request', 'http-response', 'default_backend', 'bind', 'use_backend', 'acl', 'fullconn', 'default-server', 'http-check', 'errorfile', 'compression']);
const IGNORED_OPTIONS = new Set(['httpchk', 'httplog', 'forwardfor', 'http-keep-alive', 'http-server-close', 'httpclose', 'dontlognull', 'tcplog', 'log-health-checks', 'abortonclose']);
const HEALTH_WORDS = new Set(['check', 'check-ssl', 'no-check']);
const HEALTH_SETTINGS = new Set(['inter', 'fastinter', 'downinter', 'rise', 'fall', 'port', 'addr', 'maxconn', 'minconn', 'maxqueue', 'slowstart']);
const BACKEND_KEYWORDS = ['balance', 'hash-type', 'hash-balance-factor', 'cookie', 'option', 'retries', 'server', ...IGNORED];

interface Section {
  kind: string;
  name: string;
  line: number;
  lines: { line: number; words: string[] }[];
}

/** Splits the text into sections of lines of words (comments and blank lines dropped). */
function sectionsOf(text: string): { sections: Section[]; orphans: number[] } {
  const sections: Section[] = [];
  const orphans: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const words = raw.replace(/#.*$/, '').trim().split(/\s+/).filter((w) => w !== '');
    const [keyword, name] = words;
    if (keyword === undefined) return;
    const line = index + 1;
    if (SECTIONS.has(keyword)) sections.push({ kind: keyword, name: name ?? '', line, lines: [] });
    else if (sections.length === 0) orphans.push(line);
    else sections[sections.length - 1]?.lines.push({ line, words });
  });
  return { sections, orphans };
}

/** Which backend to read when the text has several: the named one, or the first. */
export interface HaproxyConfigOptions {
  readonly backend?: string;
  /** `balance hdr(NAME)` of any header reads lbsim's one header instead (`lbsim route`: only the value is hashed). */
  readonly anyHeader?: boolean;
}

/** Parses HAProxy configuration text (see the file comment for what is read). */
export function parseHaproxyConfig(text: string, options: HaproxyConfigOptions = {}): HaproxyConfigResult {
  const errors: HaproxyConfigError[] = [];
  const fail = (line: number, message: string): void => void errors.push({ line, message });
  const { sections, orphans } = sectionsOf(text);
  for (const line of orphans) fail(line, 'expected a section first: "backend NAME"');
  const backends = sections.filter((s) => s.kind === 'backend' || s.kind === 'listen');
  const wanted = options.backend;
  const section = wanted === undefined ? backends[0] : backends.find((s) => s.name === wanted);
  if (section === undefined) {
    const names = backends.map((s) => s.name);
    if (wanted === undefined) fail(1, 'no "backend NAME" section found');
    else fail(1, `no backend named ${excerpt(wanted)}${names.length > 0 ? `; the backends are ${names.map((n) => `${excerpt(n)}`).join(', ')}` : ''}${didYouMean(wanted, names)}`);
    return { ok: false, errors };
  }
  const defaults = sections.filter((s) => s.kind === 'defaults' && s.line < section.line).flatMap((s) => s.lines);
  let redispatch = defaults.some((l) => l.words.join(' ') === 'option redispatch');
  let retries: number | undefined;
  const readRetries = (line: number, args: readonly string[]) => {
    const n = Number(args[0]);
    if (args.length !== 1 || !/^\d+$/.test(args[0]!)) fail(line, 'expected "retries N" with a whole number');
    else retries = n;
  };
  for (const { line, words } of defaults) if (words[0] === 'retries') readRetries(line, words.slice(1));
  const optionsOut: { -readonly [K in keyof BalancerOptions]: BalancerOptions[K] } = {};
  let balance: { line: number; method: BalancerSpec['method']; key?: string } | undefined;
  let cookie: { line: number; name: string } | undefined;
  const peers: PeerSpec[] = [];
  const serverNames: string[] = [];
  const serverLines: number[] = [];
  /** Explicit server ids, with the server and line that took each: HAProxy refuses a repeated one. */
  const ids = new Map<number, { readonly name: string; readonly line: number }>();

  for (const { line, words } of section.lines) {
    const [keyword, ...args] = words as [string, ...string[]];
    if (keyword === 'balance') {
      const [algorithm] = args;
      if (algorithm === 'roundrobin') balance = { line, method: 'haproxy-roundrobin' };
      else if (algorithm === 'static-rr') balance = { line, method: 'haproxy-static-rr' };
      else if (algorithm === 'source') balance = { line, method: 'haproxy-source' };
      else if (algorithm !== undefined && /^hdr\(/i.test(algorithm)) balance = { line, method: 'haproxy-hdr', key: options.anyHeader === true ? 'hdr(x-session-id)' : algorithm };
      else fail(line, `balance ${excerpt(algorithm ?? '')} is not supported by lbsim (expected roundrobin, static-rr, source or hdr(NAME))`);
    } else if (keyword === 'hash-type') {
      const [type, fn, modifier, extra] = args;
      if (type !== 'map-based' && type !== 'consistent') fail(line, `expected "hash-type map-based" or "hash-type consistent", got ${excerpt(type ?? '')}`);
      else optionsOut.hashType = type;
      if (fn !== undefined) {
        if ((HASH_FUNCTIONS as readonly string[]).includes(fn)) optionsOut.hashFunction = fn as HashFunctionName;
        else fail(line, `unknown hash function ${excerpt(fn)} (expected ${HASH_FUNCTIONS.join(', ')})`);
      }
      if (modifier !== undefined && modifier !== 'avalanche') fail(line, `unknown hash modifier ${excerpt(modifier)} (expected avalanche)`);
      else if (modifier === 'avalanche') optionsOut.avalanche = true;
      if (extra !== undefined) fail(line, `unexpected ${excerpt(extra)} after hash-type`);
    } else if (keyword === 'hash-balance-factor') {
      const factor = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(factor)) fail(line, 'expected "hash-balance-factor N" with a whole percentage');
      else optionsOut.hashBalanceFactor = factor;
    } else if (keyword === 'cookie') {
      const [name, mode, ...rest] = args;
      const unknown = rest.find((w) => w !== 'indirect' && w !== 'nocache');
      if (name === undefined || mode !== 'insert') fail(line, 'lbsim models "cookie NAME insert [indirect] [nocache]" only');
      else if (unknown !== undefined) fail(line, `cookie option ${excerpt(unknown)} is not supported by lbsim (expected indirect, nocache)`);
      else cookie = { line, name };
    } else if (keyword === 'option' || keyword === 'no') {
      const phrase = words.join(' ');
      if (phrase === 'option redispatch') redispatch = true;
      else if (phrase === 'no option redispatch') redispatch = false;
      else if (!(keyword === 'option' && IGNORED_OPTIONS.has(args[0] ?? ''))) fail(line, `${excerpt(phrase)} is not supported by lbsim`);
    } else if (keyword === 'retries') {
      readRetries(line, args);
    } else if (keyword === 'server') {
      const peer = readServer(line, args, fail);
      const taken = peer?.id === undefined ? undefined : ids.get(peer.id);
      if (taken !== undefined) fail(line, `server ${args[0]} has id ${peer!.id}, as server ${taken.name} on line ${taken.line} has; ids are unique in a backend`);
      else if (peer?.id !== undefined) ids.set(peer.id, { name: args[0] as string, line });
      if (peer !== undefined) {
        peers.push(peer);
        serverNames.push(args[0] as string);
        serverLines.push(line);
      }
    } else if (!IGNORED.has(keyword)) {
      fail(line, `unknown keyword ${excerpt(keyword)} in backend section${didYouMean(keyword, BACKEND_KEYWORDS)}`);
    }
  }

  if (peers.length === 0) fail(section.line, `backend ${excerpt(section.name)} has no server lines`);
  let method = balance?.method ?? 'haproxy-roundrobin';
  if (cookie !== undefined) {
    if (method !== 'haproxy-roundrobin') fail(cookie.line, 'lbsim models cookie insertion over "balance roundrobin" only');
    method = 'haproxy-cookie';
    optionsOut.cookie = cookie.name;
  }
  if (redispatch) optionsOut.redispatch = true;
  if (retries !== undefined) optionsOut.retries = retries;
  const spec: BalancerSpec = { method, ...(balance?.key === undefined ? {} : { key: balance.key }), ...(Object.keys(optionsOut).length === 0 ? {} : { options: optionsOut }) };
  // Checked as a scenario would be, once the lines themselves read well (no follow-on errors).
  if (errors.length === 0) {
    for (const problem of checkBalancer(spec)) fail(balance?.line ?? section.line, problem.message);
    const unfit = checkPeers(method, peers);
    if (unfit !== undefined) fail(balance?.line ?? section.line, unfit);
  }
  if (errors.length > 0) return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
  return { ok: true, config: { backendName: section.name, balancer: spec, peers, serverNames, serverLines } };
}

/** One `server NAME ADDR:PORT [params]` line, HAProxy's defaults filled in, or undefined after an error. */
function readServer(line: number, args: readonly string[], fail: (line: number, message: string) => void): PeerSpec | undefined {
  const [name, address, ...params] = args;
  if (name === undefined || address === undefined || !/:\d{1,5}$/.test(address)) {
    fail(line, 'expected "server NAME ADDRESS:PORT [weight N] [backup] [disabled] [id N] [cookie VALUE]"');
    return undefined;
  }
  const badPort = portProblem(address);
  if (badPort !== undefined) {
    fail(line, `invalid port in ${excerpt(address)}: ${badPort}`);
    return undefined;
  }
  const peer: { -readonly [K in keyof PeerSpec]: PeerSpec[K] } = { name: address, weight: 1, down: false, backup: false, maxFails: 0, failTimeoutMs: 10_000, cookie: '' };
  for (let i = 0; i < params.length; i++) {
    const word = params[i] as string;
    const value = params[i + 1];
    const number = value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
    if (word === 'weight' || word === 'id') {
      i++;
      if (number === undefined || (word === "weight" && (number < 1 || number > 256)) || (word === 'id' && number < 1)) fail(line, `invalid ${word} ${excerpt(value ?? '')} (expected ${word === 'weight' ? 'a whole number from 1 to 256' : 'a whole number from 1'})`);
      else if (word === 'weight') peer.weight = number;
      else peer.id = number;
    } else if (word === 'cookie') {
      i++;
      if (value === undefined) fail(line, 'expected a value after "cookie"');
      else peer.cookie = value;
    } else if (word === 'backup') peer.backup = true;
    else if (word === 'disabled') peer.down = true;
    else if (HEALTH_WORDS.has(word)) continue;
    else if (HEALTH_SETTINGS.has(word)) i++;
    else fail(line, `server parameter ${excerpt(word)} is not supported by lbsim (expected weight, backup, disabled, id, cookie, check)`);
  }
  return peer;
}

