/**
 * Method name -> definition, composed from the families that declare them (`methods/`): the
 * names in the order they are documented, and the balancer options a scenario may give, which
 * are the union of what the methods declare. balancer.ts checks a scenario's balancer against
 * the definitions and builds it.
 */
import type { z } from 'zod';
import { CLOUD_METHOD_NAMES, CLOUD_METHODS, CLOUD_OPTIONS } from './methods/cloud.js';
import { ENVOY_METHOD_NAMES, ENVOY_METHODS, ENVOY_OPTIONS } from './methods/envoy.js';
import { HAPROXY_METHOD_NAMES, HAPROXY_METHODS, HAPROXY_OPTIONS } from './methods/haproxy.js';
import { NGINX_METHOD_NAMES, NGINX_METHODS } from './methods/nginx.js';
import type { MethodDefinition } from './method.js';
import type { PeerSpec } from './strategy.js';

/** Every method name, in the order they are documented. */
export const METHOD_NAMES = [...NGINX_METHOD_NAMES, ...HAPROXY_METHOD_NAMES, ...ENVOY_METHOD_NAMES, ...CLOUD_METHOD_NAMES] as const;

/** Whether a method is one of nginx's (which lbsim models as one worker process, or workers sharing a `zone`). */
export function isNginxMethod(name: string): boolean {
  return (NGINX_METHOD_NAMES as readonly string[]).includes(name);
}

/** Balancing methods as users write them in scenarios. */
export type MethodName = (typeof METHOD_NAMES)[number];

/**
 * The fields of a scenario's `balancer.options`: every option some method declares, in the
 * order they are documented. A name two families share (`cookie`) is one field; which method
 * takes which is each definition's `options`.
 */
export const BALANCER_OPTIONS = { ...HAPROXY_OPTIONS, ...ENVOY_OPTIONS, ...CLOUD_OPTIONS };

/** The scenario's `balancer.options`, parsed (durations in ms). */
export type BalancerOptions = z.output<z.ZodObject<typeof BALANCER_OPTIONS>>;
export type OptionName = keyof BalancerOptions;
/** Every balancer option, in the order they are documented. */
export const OPTION_NAMES = Object.keys(BALANCER_OPTIONS) as readonly OptionName[];

/** A scenario's `balancer` object. */
export interface BalancerSpec {
  readonly method: MethodName;
  /** The hash key (`$remote_addr`, `$cookie_NAME`, `$session_id`; `hdr(x-session-id)` for HAProxy). */
  readonly key?: string | undefined;
  readonly options?: BalancerOptions | undefined;
  /**
   * Server lines of a configuration block (nginx `upstream`, HAProxy `backend`) the spec came
   * from: they set the balancer's view of the pool's backends of the same names, in their order.
   */
  readonly servers?: readonly PeerSpec[] | undefined;
}

/** The definitions, by name. */
export const METHODS: { readonly [M in MethodName]: MethodDefinition<M, BalancerOptions> } = { ...NGINX_METHODS, ...HAPROXY_METHODS, ...ENVOY_METHODS, ...CLOUD_METHODS };

/** Whether `name` is a known method (for parsers validating user text). */
export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}
