/**
 * AWS Application Load Balancer stickiness, a model of documented behaviour (ALB's code is not
 * public, and its first pick is not reproducible): "Sticky sessions for your Application Load
 * Balancer", Elastic Load Balancing User Guide, as published in 2024.
 *
 * - Targets: a request without a usable cookie goes to a target drawn uniformly from the healthy
 *   ones (ALB's round robin runs per load-balancer node, and clients reach several nodes, so the
 *   first pick looks random from a client). ALB does not retry a failed request. A target is
 *   unhealthy after `maxFails` failed requests in a row until `failTimeout` has passed (a stand-in
 *   for its health checks); with no healthy target ALB "fails open" to all of them.
 * - Duration-based (`AWSALB`): every response carries the cookie, naming the target and the end
 *   of the stickiness duration (1 s to 7 days, default 1 day), restarted by each response; the
 *   browser keeps it 7 days. An expired or unreadable cookie, or one naming a target that is not
 *   healthy, is balanced again and rewritten: the user stays on the new target afterwards.
 * - Application-based (`AWSALBAPP`): the application sets its own cookie (lbsim assumes: on the
 *   first response of a session, holding the session id); ALB issues `AWSALBAPP` with the same
 *   rules whenever a response carries the application's cookie, or the target changed.
 *
 * lbsim writes the cookie as readable text, `TARGET|END_MS`, where ALB encrypts it.
 */
import type { RandomStream, SimTime } from '../../engine/index.js';
import type { BackendName, Request } from '../../model/index.js';
import type { CookiePolicy } from '../cookie-route.js';
import { EnvoyStrategy, type EnvoyPicker } from '../envoy/balancer.js';
import type { HealthRules } from '../envoy/hosts.js';
import type { PeerSpec, ResponseHeaders } from '../strategy.js';

/** ALB's default stickiness duration: 1 day. */
export const DEFAULT_ALB_DURATION_MS = 86_400_000;
/** The longest stickiness ALB takes: 7 days (also the cookies' browser lifetime). */
export const MAX_ALB_DURATION_MS = 7 * 86_400_000;

/** ALB health as lbsim models it: no growing ejections, no cap, fail open when none is healthy. */
export const ALB_HEALTH: HealthRules = { panicPercent: 0, growingEjection: false, maxEjectionMs: Infinity, maxEjectionPercent: 100 };

/** An ALB target group without stickiness: a uniform draw among healthy targets, no retries. */
export class AlbTargets extends EnvoyStrategy {
  readonly method: string = 'alb';

  constructor(specs: readonly PeerSpec[], rng: RandomStream) {
    super(specs, 0, rng, ALB_HEALTH);
  }

  choose(picker: EnvoyPicker, _now: SimTime): number {
    return picker.randomUntried(this.rng);
  }
}

/** ALB's stickiness cookie, duration-based (`appCookie` undefined) or application-based. */
export class AlbStickiness implements CookiePolicy {
  readonly strict = false;
  readonly name: string;

  constructor(
    private readonly targets: AlbTargets,
    private readonly durationMs: SimTime,
    private readonly appCookie: string | undefined,
  ) {
    this.name = appCookie === undefined ? 'AWSALB' : 'AWSALBAPP';
  }

  target(value: string, now: SimTime): BackendName | undefined {
    const bar = value.lastIndexOf('|');
    if (bar < 0 || Number(value.slice(bar + 1)) < now) return undefined;
    const backend = value.slice(0, bar);
    return this.targets.hosts.indexOf(backend) < 0 ? undefined : backend;
  }

  write(backend: BackendName, routed: boolean, request: Request, now: SimTime, response: ResponseHeaders): void {
    const app = this.appCookie;
    if (app !== undefined) {
      const appSets = !request.cookies.has(app);
      if (appSets) response.setCookie(app, request.sessionId);
      if (!appSets && routed) return;
    }
    response.setCookie(this.name, `${backend}|${now + this.durationMs}`, MAX_ALB_DURATION_MS);
  }
}
