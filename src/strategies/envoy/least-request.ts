/**
 * Envoy's `LEAST_REQUEST` load balancer. With equal weights, the power of two choices: draw
 * `choice_count` hosts at random (with replacement) and keep the one with the fewest requests in
 * flight (the first drawn on a tie). With unequal weights, an earliest-deadline-first schedule
 * whose weights are `weight / (active + 1)^active_request_bias` (bias 1.0), recomputed when a host
 * is put back after a pick.
 *
 * Reference: Envoy `source/extensions/load_balancing_policies/least_request/least_request_lb.cc`
 * (`unweightedHostPick`, `hostWeight`) and `source/common/upstream/edf_scheduler.h` (a host
 * re-enters at `current deadline + 1 / weight`; ties go to the earlier entry). lbsim draws from the
 * pool's seeded stream; Envoy's random initial picks of the schedule (`createWithPicks`) are left
 * out, so the schedule starts from the first host. Retries draw among the hosts not yet tried.
 */
import type { RandomStream } from '../../engine/index.js';
import type { PeerSpec } from '../strategy.js';
import { EnvoyStrategy, type EnvoyPicker } from './balancer.js';

/** Envoy's default `choice_count`. */
export const DEFAULT_CHOICE_COUNT = 2;

/** Envoy `lb_policy: LEAST_REQUEST` with `choice_count`. */
export class EnvoyLeastRequestStrategy extends EnvoyStrategy {
  readonly method = 'envoy-least-request';
  private readonly weighted: boolean;
  /** EDF state per host: next deadline and entry order (for ties). */
  private readonly deadline: Float64Array;
  private readonly entered: Float64Array;
  private now = 0;
  private entries = 0;
  private version = -1;

  constructor(specs: readonly PeerSpec[], retries: number, rng: RandomStream, private readonly choiceCount: number) {
    super(specs, retries, rng);
    const w = this.hosts.weight;
    this.weighted = w.some((x) => x !== w[0]);
    this.deadline = new Float64Array(this.hosts.count);
    this.entered = new Float64Array(this.hosts.count);
  }

  choose(picker: EnvoyPicker): number {
    return this.weighted ? this.edfPick(picker) : this.twoChoices(picker);
  }

  /** `unweightedHostPick` over the members not yet tried by this request. */
  private twoChoices(picker: EnvoyPicker): number {
    const active = this.hosts.active;
    let candidate = -1;
    for (let c = 0; c < this.choiceCount; c++) {
      const sampled = picker.randomUntried(this.rng);
      if (sampled < 0) return -1;
      if (candidate < 0 || (active[sampled] as number) < (active[candidate] as number)) candidate = sampled;
    }
    return candidate;
  }

  /** The earliest deadline among untried members; the host re-enters by its load-scaled weight. */
  private edfPick(picker: EnvoyPicker): number {
    const hosts = this.hosts;
    if (this.version !== hosts.version) {
      // A new host set rebuilds the schedule, as Envoy does on a membership or health change.
      this.version = hosts.version;
      this.now = 0;
      for (const i of hosts.members) this.enter(i);
    }
    let best = -1;
    for (const i of hosts.members) {
      if (picker.hasTried(i)) continue;
      const d = this.deadline[i] as number;
      if (best < 0 || d < (this.deadline[best] as number) || (d === this.deadline[best] && (this.entered[i] as number) < (this.entered[best] as number))) best = i;
    }
    if (best < 0) return -1;
    this.now = this.deadline[best] as number;
    this.enter(best);
    return best;
  }

  /** Puts host `i` back in the schedule, weighted by its requests in flight before this pick. */
  private enter(i: number): void {
    const weight = (this.hosts.weight[i] as number) / ((this.hosts.active[i] as number) + 1);
    this.deadline[i] = this.now + 1 / weight;
    this.entered[i] = this.entries++;
  }
}
