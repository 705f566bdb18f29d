/**
 * What every HAProxy method shares: the server list, the per-request picker and HAProxy's retry
 * rule. A method adds only its selection (`select`) and, for hashing, the request's hash input.
 *
 * Reference: HAProxy 2.6 `src/backend.c` (`assign_server`: the algorithm is asked for a server,
 * passing the previous server as the one to avoid) and `src/stream.c` (`sess_update_st_cer`:
 * with `option redispatch` a failed connection is re-balanced on the last retry; without it,
 * every retry goes back to the same server).
 *
 * `retries N` (default 3) retries a failed connection on the same server; before each such
 * retry HAProxy waits min(`timeout connect`, 1 s) after a connection error (its turn-around; a
 * connect timeout has waited already), and with `option redispatch` the last retry goes at once
 * to a server chosen again. Measured on HAProxy 2.6.12 against a refused server: `retries 3`
 * took 2.0 s to reach the next server (0.6 s with `timeout connect 300ms`), `retries 1` none.
 * A failure after the request was sent is not retried (`retry-on`'s default, `conn-failure`).
 *
 * lbsim folds the retries on one server into its attempt (a dead server stays dead meanwhile):
 * the attempt's failure arrives that much later (`retryingMs`), and a request makes one attempt,
 * or two with `option redispatch`: the second avoids the first server where the algorithm can
 * (round robin, static-rr, the ring, the round-robin fallback). Map-based hashing cannot: its
 * redispatch returns to the same server, one more failed connection folded into the first
 * attempt. A dead server keeps its share of new requests until the run's health checks take it
 * out (`setTakenOut`).
 */
import type { SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { FailureReason, PeerPicker, PeerSpec, Pick, ResponseHeaders, Strategy } from '../strategy.js';
import { HaproxyServers } from './servers.js';

/** A request without hash input: balanced by the method's round robin. */
export const NO_HASH = -1;

/** HAProxy's `retries` when the configuration says none. */
export const HAPROXY_DEFAULT_RETRIES = 3;
/** The longest turn-around before a retry on the same server (HAProxy waits min(`timeout connect`, this)). */
const MAX_TURN_AROUND_MS = 1000;

/** Per-request state: the hash input, the server tried last (HAProxy's `prev_srv`) and the one in flight. */
class HaproxyPicker implements PeerPicker {
  private last = -1;
  private inFlight = -1;
  /** Failed attempts so far: only the first server's connection is retried. */
  private failures = 0;

  constructor(
    private readonly strategy: HaproxyStrategy,
    private readonly input: number,
    private readonly picks: readonly Pick[],
    readonly tries: number,
  ) {}

  pick(_now: SimTime): Pick | undefined {
    const i = this.strategy.select(this.input, this.last);
    // HAProxy would send the redispatched request back to the server that just failed.
    if (i < 0 || i === this.last) return undefined;
    this.last = i;
    this.inFlight = i;
    this.strategy.servers.take(i);
    return this.picks[i] as Pick;
  }

  onSuccess(backend: BackendName, _now: SimTime, _response: ResponseHeaders): void {
    this.release(backend);
  }

  onFailure(backend: BackendName, _reason: FailureReason, _now: SimTime): void {
    this.failures++;
    this.release(backend);
    const i = this.strategy.servers.indexOf(backend);
    if (i >= 0) this.last = i;
  }

  retryingMs(reason: FailureReason, sent: boolean, attemptMs: number, connectTimeoutMs: number): number {
    if (sent || this.failures > 0) return 0;
    return this.strategy.retryingMs(reason, attemptMs, connectTimeoutMs, this.tries > 1);
  }

  private release(backend: BackendName): void {
    const i = this.inFlight;
    if (i >= 0 && this.strategy.servers.names[i] === backend) {
      this.strategy.servers.release(i);
      this.inFlight = -1;
    }
  }
}

/** Behaviour shared by the HAProxy methods: one server list, `usable` = running (neither disabled nor taken out). */
export abstract class HaproxyStrategy implements Strategy {
  abstract readonly method: string;
  readonly servers: HaproxyServers;
  private readonly balancePicks: readonly Pick[];

  /** `redispatch`: HAProxy `option redispatch`; `retries`: HAProxy `retries`. Throws RangeError on servers HAProxy refuses. */
  constructor(
    specs: readonly PeerSpec[],
    readonly redispatch: boolean,
    readonly retries: number = HAPROXY_DEFAULT_RETRIES,
  ) {
    this.servers = new HaproxyServers(specs);
    this.balancePicks = this.servers.pickTable('balance');
  }

  open(request: Request, _now: SimTime): PeerPicker {
    const input = this.hashInput(request);
    const tries = this.redispatch && this.retries > 0 && this.servers.group.length > 1 && this.canAvoid(input) ? 2 : 1;
    return new HaproxyPicker(this, input, this.picksFor(input), tries);
  }

  usable(backend: BackendName, _now: SimTime): boolean {
    return this.servers.usable(backend);
  }

  /**
   * The time HAProxy spends retrying a server whose connection failed after `attemptMs`, beyond
   * that first attempt: `retries` connections (the last one redispatched with `option redispatch`),
   * each on the same server after the turn-around; a redispatch goes at once, and costs an attempt
   * only when it lands on the same server again (`redispatchElsewhere` false).
   */
  retryingMs(reason: FailureReason, attemptMs: number, connectTimeoutMs: number, redispatchElsewhere: boolean): number {
    const retries = this.retries;
    if (retries === 0) return 0;
    const turnAround = reason === 'error' ? (connectTimeoutMs > 0 ? Math.min(connectTimeoutMs, MAX_TURN_AROUND_MS) : MAX_TURN_AROUND_MS) : 0;
    if (!this.redispatch) return retries * (turnAround + attemptMs);
    return (retries - 1) * (turnAround + attemptMs) + (redispatchElsewhere ? 0 : attemptMs);
  }

  setTakenOut(backend: BackendName, takenOut: boolean): void {
    const servers = this.servers;
    for (let i = 0; i < servers.count; i++) {
      if (servers.names[i] === backend && servers.setTakenOut(i, takenOut)) this.statusChanged(i);
    }
  }

  /**
   * Server `i` stopped or started running (`servers.running[i]` says which; the group is already
   * updated): the method updates its structure, as HAProxy's `set_server_status_down` / `_up`.
   */
  protected abstract statusChanged(i: number): void;

  /**
   * The server for one attempt, or -1 when no server runs: `avoid` is the server whose attempt
   * failed (-1 on the first attempt), which the algorithm passes over where it can.
   */
  abstract select(input: number, avoid: number): number;

  /** The request's hash input (unsigned 32-bit), or `NO_HASH`. */
  protected hashInput(_request: Request): number {
    return NO_HASH;
  }

  /** How picks for this input are reported. */
  protected picksFor(_input: number): readonly Pick[] {
    return this.balancePicks;
  }

  /** Whether a redispatch of this input can reach another server. */
  protected canAvoid(_input: number): boolean {
    return true;
  }
}
