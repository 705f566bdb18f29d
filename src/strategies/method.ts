/**
 * What a balancing method declares about itself, in one place: the real directive it
 * reproduces, the request inputs it reads (HAProxy's `BE_LB_NEED_*` flags are the model), its key
 * rule, its options as zod fields with their rules, which server flags its directive accepts,
 * how it pins users (its affinity), and its per-pool set-up (nginx's init_upstream). Each family
 * (`methods/nginx.ts`, `methods/haproxy.ts`, `methods/envoy.ts`, `methods/cloud.ts`) defines its
 * methods; the scenario schema and the checks are composed from these definitions.
 */
import type { z } from 'zod';
import type { RandomStream } from '../engine/index.js';
import type { KeyReader, RequestInput } from './hash-keys.js';
import type { PeerSpec, Strategy } from './strategy.js';

/** A request input a method reads. */
export type MethodNeed = RequestInput;

/**
 * How a method keeps a user on one backend, which decides why a session breaks when it lands
 * elsewhere: `address` (a changed client address moves the user), `key` (a pool change or a
 * recovered backend moves the key), `cookie` (a cookie naming the backend), or `none`.
 * A keyed method declares `key`; a key that reads the client address makes it `address`.
 */
export type Affinity = 'none' | 'address' | 'key' | 'cookie';

/** One thing wrong with a balancer spec: the field (`key`, `options.NAME`) and what is wrong. */
export interface BalancerProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** Which server flags a method's directive accepts, beyond what every server line may say. */
export interface ServerRules {
  /** Refuses `backup` servers, naming itself so (`ip_hash`); absent: backups are taken. */
  readonly noBackup?: string;
  /** The largest weight its balancer takes (HAProxy's 256); absent: nginx's own limit. */
  readonly maxWeight?: { readonly limit: number; readonly balancer: string };
  /** Has no weights, naming itself so (`an ALB target group`): equal weights only. */
  readonly unweighted?: string;
}

/** What a method's set-up receives besides the peers. */
export interface MethodInput<Options> {
  readonly key: KeyReader | undefined;
  readonly options: Options;
  /** The pool's own random stream (random methods draw from it). */
  readonly rng: RandomStream;
}

/**
 * How a method is written in its real server's configuration (what `lbsim live` writes): nginx's
 * `upstream` directive, or the lines of HAProxy's `backend` section. `key` is the strategy's
 * key as the live requests carry it.
 */
export type RealConfig<Options> =
  | { readonly server: 'nginx'; upstream(key: string | undefined): string | undefined }
  | { readonly server: 'haproxy'; backend(key: string | undefined, options: Options): readonly string[]; readonly serverCookies: boolean };

/** One balancing method, declared by its family. `Options` is its options' parsed shape. */
export interface MethodDefinition<Name extends string = string, Options = Record<string, unknown>> {
  readonly name: Name;
  /** The real balancer's directive. */
  readonly directive: string;
  /** What the method does, in one line (`lbsim list`). */
  readonly description: string;
  /** Request inputs the method reads besides its key. */
  readonly needs: readonly MethodNeed[];
  /** The key syntax when the method hashes a key (then `key` is required). */
  readonly key?: 'nginx' | 'haproxy-hdr' | 'envoy';
  readonly affinity: Affinity;
  /** The options it takes, as zod fields: `balancer.options` accepts these for this method. */
  readonly options: z.ZodRawShape;
  /** Rules across its options, and ranges its real balancer enforces beyond their shape. */
  checkOptions?(options: Options): readonly BalancerProblem[];
  readonly servers: ServerRules;
  /** A limit of lbsim's own on these peers (a ring's size), or undefined. */
  checkPeers?(peers: readonly PeerSpec[]): string | undefined;
  /** The method in its real server's configuration; absent: no open-source server runs it here (Envoy, cloud). */
  readonly real?: RealConfig<Options>;
  /** Binds the method to one pool's peers (configuration order). Throws RangeError on peers it cannot take. */
  create(peers: readonly PeerSpec[], input: MethodInput<Options>): Strategy;
}

/** Why a directive with these rules cannot take these peers, or undefined. */
export function serverProblem(rules: ServerRules, peers: readonly PeerSpec[]): string | undefined {
  if (rules.unweighted !== undefined) {
    const weighted = peers.find((p) => p.weight !== peers[0]?.weight);
    if (weighted !== undefined) return `${rules.unweighted} has no weights; ${peers[0]?.name} has weight ${peers[0]?.weight} and ${weighted.name} ${weighted.weight}`;
  }
  const backupOwner = rules.noBackup ?? rules.unweighted;
  if (backupOwner !== undefined && peers.some((p) => p.backup)) return `${backupOwner} does not support backup servers`;
  const limit = rules.maxWeight;
  const heavy = limit === undefined ? undefined : peers.find((p) => p.weight > limit.limit);
  return heavy === undefined ? undefined : `${limit!.balancer} weights go up to ${limit!.limit}; ${heavy.name} has weight ${heavy.weight}`;
}
