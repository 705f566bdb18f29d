/**
 * One client request as a balancer sees it: who sent it (after NAT and proxies), which session
 * and step it belongs to, its HTTP method and the cookies the browser sends.
 */
import type { SimTime } from '../engine/index.js';
import type { ClientAddress } from './address.js';

/** A backend's name: `host:port`, the text nginx hashes for consistent hashing. */
export type BackendName = string;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'LOCK';

export interface Request {
  /** 0-based, in the order requests are issued within one run. */
  readonly id: number;
  readonly sessionId: string;
  readonly step: string;
  readonly method: HttpMethod;
  /** The address the balancer sees: after NAT, corporate proxies and address changes. */
  readonly client: ClientAddress;
  /** Cookies the browser sends with this request. */
  readonly cookies: ReadonlyMap<string, string>;
  readonly sentAt: SimTime;
}

/** The cookies of a request that sends none (one shared, empty map). */
export const NO_COOKIES: ReadonlyMap<string, string> = new Map();
