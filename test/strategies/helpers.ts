/** Shared builders for strategy tests: peers as nginx's defaults fill them, requests from an address. */
import { NO_COOKIES, parseAddress, type HttpMethod, type Request } from '../../src/model/index.js';
import type { PeerSpec } from '../../src/strategies/index.js';

/** A server line with nginx's defaults: weight 1, max_fails 1, fail_timeout 10 s. */
export function peer(name: string, options: Partial<Omit<PeerSpec, 'name'>> = {}): PeerSpec {
  return { name, weight: 1, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000, ...options };
}

/** The bytes nginx takes for an address text. */
export function nginxAddressBytes(text: string): Uint8Array {
  const parsed = parseAddress(text);
  if (parsed === undefined) throw new Error(`test bug: not an address: ${text}`);
  return parsed.bytes;
}


/**
 * A request from `ip` (IPv4 or IPv6 text), with optional cookies, method and session id.
 * `text` replaces the address text (balancers must read the bytes, not the text).
 */
export function request(
  ip: string,
  options: { id?: number; cookies?: ReadonlyMap<string, string>; method?: HttpMethod; sentAt?: number; sessionId?: string; text?: string } = {},
): Request {
  const client = { text: options.text ?? ip, bytes: nginxAddressBytes(ip) };
  return {
    id: options.id ?? 0,
    sessionId: options.sessionId ?? 's',
    step: 'step',
    method: options.method ?? 'GET',
    client,
    cookies: options.cookies ?? NO_COOKIES,
    sentAt: options.sentAt ?? 0,
  };
}

/** Response headers that remember the last cookie set. */
export class RecordingHeaders {
  cookies: { name: string; value: string; maxAgeMs: number | undefined }[] = [];
  setCookie(name: string, value: string, maxAgeMs?: number): void {
    this.cookies.push({ name, value, maxAgeMs });
  }
}
