/**
 * What identifies the user, kept apart from where that identity lands (DESIGN.md rule 7; Envoy's
 * `HashPolicy`, HAProxy's hash inputs): a key expression is parsed once, when a strategy is
 * bound to its pool, into a reader the methods call once per request. Placement (modulo, ring,
 * map) lives in the methods.
 *
 * nginx keys (`hash KEY`) are complex values: literal text and variables, `$name` or `${name}`.
 * lbsim's requests supply
 * - `$remote_addr`: the client address as nginx prints it, computed from the address bytes
 *   (nginx 1.22.1 `ngx_inet6_ntop`, test/fixtures/nginx/ALGORITHMS.md "What `$remote_addr` is");
 * - `$cookie_NAME`: the request's cookie NAME, empty when the browser has none yet;
 * - `$session_id`: the client-generated session id, present from the first request (an app
 *   that sends its own id header); `$http_x_session_id` names the same value as the header
 *   `X-Session-Id`. Requests carry no other headers, so other `$http_` variables are refused.
 *
 * HAProxy's `hdr(NAME)` reads the header's first comma-separated element, trimmed of spaces and
 * tabs (2.6 `get_server_hh`, test/fixtures/haproxy/ALGORITHMS.md); the only header lbsim's
 * requests carry is `X-Session-Id`, the session id.
 *
 * Envoy's route `hash_policy` kinds are written `source_ip` (`connection_properties`: the
 * address as Envoy prints it, which for lbsim's addresses is nginx's text), `header(NAME)` and
 * `cookie(NAME)` (Envoy `source/common/http/hash_policy.cc`); an absent cookie gives no hash.
 */
import type { Request } from '../model/index.js';

/** A request input a key (or a method) reads; the scenario loader refuses what the clients cannot supply. */
export type RequestInput = 'client-ip' | 'cookie' | 'header' | 'session-id';

/** A parsed key: evaluates the expression for one request. */
export interface KeyReader {
  /** The expression as written. */
  readonly text: string;
  readonly needs: readonly RequestInput[];
  /** The key's value; undefined when its input is absent (HAProxy falls back then; nginx reads `''`). */
  read(request: Request): string | undefined;
}

/** A key expression parsed, or why it cannot be. */
export type KeyParse = { readonly ok: true; readonly key: KeyReader } | { readonly ok: false; readonly message: string };

type Part = (request: Request) => string;

const SESSION_HEADER = 'x-session-id';
const sessionId: Part = (request) => request.sessionId;
const remoteAddr: Part = (request) => nginxAddressText(request.client.bytes);

/** One nginx variable, or an error message. */
function variable(name: string): { part: Part; need: RequestInput } | string {
  if (name === 'remote_addr') return { part: remoteAddr, need: 'client-ip' };
  if (name === 'session_id' || name === 'http_x_session_id') return { part: sessionId, need: 'session-id' };
  if (name.startsWith('cookie_') && name.length > 7) {
    const cookie = name.slice(7);
    return { part: (request) => request.cookies.get(cookie) ?? '', need: 'cookie' };
  }
  if (name.startsWith('http_')) {
    return `lbsim's requests carry no "${name.slice(5).replaceAll('_', '-')}" header; the one header they carry is X-Session-Id ($http_x_session_id)`;
  }
  return `unknown variable "$${name}"; lbsim supplies $remote_addr, $cookie_NAME, $session_id and $http_x_session_id`;
}

const VARIABLE = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;

/**
 * Parses an nginx `hash` key such as `$remote_addr`, `$cookie_sid` or `user-$session_id`.
 * The reader never returns undefined: an absent cookie reads as `''`, as in nginx.
 */
export function parseNginxKey(text: string): KeyParse {
  const parts: Part[] = [];
  const needs = new Set<RequestInput>();
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    if (match.index > last) parts.push(constant(text.slice(last, match.index)));
    const found = variable(match[1] ?? match[2] ?? '');
    if (typeof found === 'string') return { ok: false, message: found };
    parts.push(found.part);
    needs.add(found.need);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(constant(text.slice(last)));
  if (text.includes('$') && needs.size === 0) return { ok: false, message: `expected a variable after "$" in ${JSON.stringify(text)}` };
  const [first, second] = parts;
  const read: Part =
    first === undefined ? () => '' : second === undefined ? first : (request) => parts.map((p) => p(request)).join('');
  return { ok: true, key: { text, needs: [...needs], read } };
}

function constant(value: string): Part {
  return () => value;
}

const HDR = /^hdr\(\s*([A-Za-z0-9_-]+)\s*\)$/i;

/**
 * Parses an HAProxy `balance hdr(NAME)` key. The reader returns the first comma-separated element
 * of the header, trimmed of spaces and tabs (`''` when it is blank), or undefined when absent.
 */
export function parseHaproxyHeaderKey(text: string): KeyParse {
  const match = HDR.exec(text.trim());
  if (match === null) return { ok: false, message: `expected hdr(NAME), e.g. "hdr(x-session-id)", got ${JSON.stringify(text)}` };
  if ((match[1] as string).toLowerCase() !== SESSION_HEADER) {
    return { ok: false, message: `lbsim's requests carry no "${match[1]}" header; the one header they carry is X-Session-Id (hdr(x-session-id))` };
  }
  return { ok: true, key: { text, needs: ['session-id'], read: (request) => firstElement(request.sessionId) } };
}

/** HAProxy's view of a header value: the part before the first comma, without surrounding blanks. */
export function firstElement(value: string): string {
  const comma = value.indexOf(',');
  return (comma < 0 ? value : value.slice(0, comma)).replace(/^[ \t]+|[ \t]+$/g, '');
}

const hex = (bytes: Uint8Array, i: number) => (((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16);

/**
 * An address as nginx prints `$remote_addr`: dotted decimal for 4 bytes; for 16, lowercase hex
 * words, the longest run of two or more zero words (the first on a tie) as `::`, and a dotted
 * tail after a leading zero run of 5 words then `ffff`, of 6 words, or of 7 words unless the last
 * word's high byte is 0 or its low byte is 1 (`::102` prints as `::0.0.1.2`, `::1` as `::1`).
 */
export function nginxAddressText(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const b = (i: number) => bytes[i] as number;
  let zero = -1;
  let max = 1;
  let run = 0;
  let runStart = -1;
  for (let i = 0; i <= 16; i += 2) {
    if (i < 16 && b(i) === 0 && b(i + 1) === 0) {
      if (run++ === 0) runStart = i;
      continue;
    }
    if (run > max) {
      zero = runStart;
      max = run;
    }
    run = 0;
  }
  let end = 16;
  let text = '';
  if (zero === 0) {
    if ((max === 5 && b(10) === 0xff && b(11) === 0xff) || max === 6 || (max === 7 && b(14) !== 0 && b(15) !== 1)) end = 12;
    text = ':';
  }
  for (let i = 0; i < end; i += 2) {
    if (i === zero) {
      text += ':';
      i += (max - 1) * 2;
      continue;
    }
    text += hex(bytes, i);
    if (i < 14) text += ':';
  }
  return end === 12 ? `${text}${b(12)}.${b(13)}.${b(14)}.${b(15)}` : text;
}

const ENVOY_KEY = /^(?:(source_ip)|header\(\s*([A-Za-z0-9_-]+)\s*\)|cookie\(\s*([A-Za-z0-9_-]+)\s*\))$/i;

/**
 * Parses an Envoy hash policy: `source_ip`, `header(x-session-id)` or `cookie(NAME)`. The reader
 * returns undefined when the cookie is absent (Envoy then hashes nothing and picks at random).
 */
export function parseEnvoyKey(text: string): KeyParse {
  const match = ENVOY_KEY.exec(text.trim());
  if (match === null) return { ok: false, message: `expected source_ip, header(NAME) or cookie(NAME), e.g. "cookie(sid)", got ${JSON.stringify(text)}` };
  if (match[1] !== undefined) return { ok: true, key: { text, needs: ['client-ip'], read: remoteAddr } };
  const header = match[2];
  if (header !== undefined) {
    if (header.toLowerCase() !== SESSION_HEADER) {
      return { ok: false, message: `lbsim's requests carry no "${header}" header; the one header they carry is X-Session-Id (header(x-session-id))` };
    }
    return { ok: true, key: { text, needs: ['session-id'], read: sessionId } };
  }
  const cookie = match[3] as string;
  return { ok: true, key: { text, needs: ['cookie'], read: (request) => request.cookies.get(cookie) } };
}
