/**
 * `timeline`: what happens during the run. A backend changes mode (fails, recovers), slows down,
 * answers errors, joins, leaves or is drained; the shared cache goes away, slows down or is
 * flushed; or every backend restarts in turn (a rolling deploy, expanded here into the events it
 * is made of). The normaliser resolves times against the arrival window and names the backends.
 */
import { z } from 'zod';
import { durationMs, resolveTimePoint, speedFactor, strictObject, timePoint } from '../../fields/index.js';
import { BACKEND_MODES } from '../../model/index.js';
import { BACKEND_MODE_HELP } from '../catalog.js';
import { closestMatch, listNames } from '../did-you-mean.js';
import type { BackendSpec } from './backends.js';
import { LIMITS } from './limits.js';
import type { Issue } from './issue.js';

/** A backend changes mode (fails, recovers). */
const modeEventSchema = strictObject({
  at: timePoint().describe('When: a duration from the start ("90s") or a share of the arrival window ("50%")'),
  backend: z.string().describe('Which backend: one of `backends`'),
  mode: z.enum(BACKEND_MODES).describe(Object.entries(BACKEND_MODE_HELP).map(([mode, help]) => `${mode}: ${help}`).join('; ')),
  duration: durationMs().optional(),
});
/** Other events, named by `event`. */
const otherEventSchema = z.discriminatedUnion('event', [
  strictObject({ at: timePoint(), event: z.literal('slow'), backend: z.string(), speed: speedFactor(), duration: durationMs().optional() }),
  strictObject({ at: timePoint(), event: z.literal('errors'), backend: z.string(), duration: durationMs().optional() }),
  strictObject({ at: timePoint(), event: z.literal('cache-outage'), duration: durationMs().optional() }),
  strictObject({ at: timePoint(), event: z.literal('cache-latency'), roundTrip: durationMs(), duration: durationMs().optional() }),
  strictObject({ at: timePoint(), event: z.literal('cache-flush') }),
  strictObject({ at: timePoint(), event: z.literal('add-backend'), backend: z.string() }),
  strictObject({ at: timePoint(), event: z.literal('remove-backend'), backend: z.string() }),
  /** Stop placing new users on `backend`; users the sticky cookie binds to it stay. After `duration` it leaves the pool. */
  strictObject({ at: timePoint(), event: z.literal('drain'), backend: z.string(), duration: durationMs().optional() }),
  /** Restart every backend in the pool in turn: each one is down (refusing connections) for `downtime`, then `pause` before the next. */
  strictObject({ at: timePoint(), event: z.literal('rolling-deploy'), downtime: durationMs(), pause: durationMs().default(0), drain: durationMs().optional() }),
]);

/** The names `event` may take, from the schema itself. */
export const TIMELINE_EVENTS = otherEventSchema.options.map((o) => o.shape.event.value);
export type TimelineEventName = (typeof TIMELINE_EVENTS)[number];

/** `timeline[].event`: every other change during a run. */
export const TIMELINE_EVENT_HELP: Readonly<Record<TimelineEventName, string>> = {
  slow: 'the backend serves at `speed` (a noisy neighbour, a GC storm)',
  errors: 'the backend answers every request with HTTP 500 (a bad deploy)',
  'cache-outage': 'the shared cache is unreachable (stores.shared.onOutage)',
  'cache-latency': "the shared cache's round trip becomes `roundTrip`",
  'cache-flush': 'the shared cache loses every session',
  'add-backend': 'a standby backend joins the pool (a reload: hashing methods remap)',
  'remove-backend': 'the backend leaves the pool abruptly (a reload)',
  drain: 'sticky-bound users stay, nobody new is placed; then it leaves the pool',
  'rolling-deploy': 'every backend restarts in turn (`downtime`, `pause`, optional `drain`)',
};


export const timelineSchema = z.array(z.union([modeEventSchema, otherEventSchema])).max(LIMITS.timelineEvents).describe('Failures, recoveries and other events during the run').default([]);

type ParsedEvent = z.output<typeof timelineSchema>[number];
type SingleEvent = Exclude<ParsedEvent, { event: 'rolling-deploy' }>;

/**
 * One event as the simulator takes it, at `atMs`, for `durationMs` (undefined: until the end or
 * a later event).
 */
function timelineEvent(e: SingleEvent, atMs: number) {
  if (!('event' in e)) return { kind: 'mode' as const, atMs, backend: e.backend, mode: e.mode, durationMs: e.duration };
  switch (e.event) {
    case 'slow':
      return { kind: 'slow' as const, atMs, backend: e.backend, speed: e.speed, durationMs: e.duration };
    case 'errors':
      return { kind: 'errors' as const, atMs, backend: e.backend, durationMs: e.duration };
    case 'cache-outage':
      return { kind: 'cache-outage' as const, atMs, durationMs: e.duration };
    case 'cache-latency':
      return { kind: 'cache-latency' as const, atMs, roundTripMs: e.roundTrip, durationMs: e.duration };
    case 'cache-flush':
      return { kind: 'cache-flush' as const, atMs };
    case 'add-backend':
      return { kind: 'add-backend' as const, atMs, backend: e.backend };
    case 'remove-backend':
      return { kind: 'remove-backend' as const, atMs, backend: e.backend };
    case 'drain':
      return { kind: 'drain' as const, atMs, backend: e.backend, durationMs: e.duration };
  }
}

export type TimelineEvent = Readonly<ReturnType<typeof timelineEvent>>;

/**
 * An event in the words the report shows: `subject` names the backend (or `shared cache`),
 * `change` what happens to it (a backend mode such as `refused`, or `slow ×0.25`, `answers
 * errors`, `down`, `round trip 20 ms`, `flushed`).
 */
export function eventWords(event: TimelineEvent): { readonly subject: string; readonly change: string } {
  switch (event.kind) {
    case 'mode':
      return { subject: event.backend, change: event.mode };
    case 'slow':
      return { subject: event.backend, change: `slow ×${event.speed}` };
    case 'errors':
      return { subject: event.backend, change: 'answers errors' };
    case 'cache-outage':
      return { subject: 'shared cache', change: 'down' };
    case 'cache-latency':
      return { subject: 'shared cache', change: `round trip ${event.roundTripMs} ms` };
    case 'cache-flush':
      return { subject: 'shared cache', change: 'flushed' };
    case 'add-backend':
      return { subject: event.backend, change: 'added to the pool' };
    case 'remove-backend':
      return { subject: event.backend, change: 'removed from the pool' };
    case 'drain':
      return { subject: event.backend, change: 'draining' };
  }
}

/** What the timeline needs to know of the rest of the scenario. */
export interface TimelineContext {
  readonly referenceWindowMs: number;
  readonly backends: readonly BackendSpec[];
  /** Strategies without cookie stickiness, which cannot drain. */
  readonly unsticky: readonly string[];
}

/** The events in time order, rolling deploys expanded, times resolved, backends checked. */
export function normalizeTimeline(events: readonly ParsedEvent[], context: TimelineContext, issue: Issue): readonly TimelineEvent[] {
  const names = new Set(context.backends.map((b) => b.name));
  /** Open-source nginx has no drain; NGINX Plus and HAProxy drain only users a sticky cookie binds. */
  const checkDrainable = (i: number): void => {
    const without = context.unsticky;
    if (without.length > 0) issue(['timeline', i, 'event'], `drain needs cookie stickiness: ${listNames(without)} ${without.length === 1 ? 'has no sticky.cookie, and its method has' : 'have no sticky.cookie, and their methods have'} no drain (open-source nginx has none; NGINX Plus and HAProxy drain only sticky-bound users)`);
  };
  const expanded = events.flatMap((e, i): { event: TimelineEvent; source: number }[] => {
    const atMs = resolveTimePoint(e.at, context.referenceWindowMs);
    if ('event' in e && e.event === 'rolling-deploy') return rollingDeploy(e, atMs, context, () => checkDrainable(i)).map((event) => ({ event, source: i }));
    if ('backend' in e && !names.has(e.backend)) issue(['timeline', i, 'backend'], `no backend named "${e.backend}"; backends are ${listNames([...names])}`, closestMatch(e.backend, names));
    if ('event' in e && e.event === 'drain') checkDrainable(i);
    return [{ event: timelineEvent(e, atMs), source: i }];
  });
  checkAdditions(expanded, context.backends, issue);
  return expanded.map((e) => e.event).sort((a, b) => a.atMs - b.atMs);
}

/**
 * An `add-backend` must bring in a backend that is out of the pool then: on standby from the
 * start, or removed or drained (to its end) before. Adding one already in would do nothing.
 */
function checkAdditions(events: readonly { event: TimelineEvent; source: number }[], backends: readonly BackendSpec[], issue: Issue): void {
  const inPool = new Set(backends.filter((b) => !b.standby).map((b) => b.name));
  // Leaving before joining at one instant, as the run applies them (a drain ends, the backend comes back).
  const changes = events.flatMap(({ event, source }) => {
    if (event.kind === 'remove-backend') return [{ atMs: event.atMs, joins: false, backend: event.backend, source }];
    if (event.kind === 'drain' && event.durationMs !== undefined) return [{ atMs: event.atMs + event.durationMs, joins: false, backend: event.backend, source }];
    if (event.kind === 'add-backend') return [{ atMs: event.atMs, joins: true, backend: event.backend, source }];
    return [];
  }).sort((a, b) => a.atMs - b.atMs || Number(a.joins) - Number(b.joins));
  for (const change of changes) {
    if (!change.joins) inPool.delete(change.backend);
    else if (inPool.has(change.backend)) issue(['timeline', change.source, 'backend'], `${change.backend} is in the pool at ${change.atMs / 1000} s already, so adding it would change nothing: declare it standby: true, or remove or drain it first`);
    else inPool.add(change.backend);
  }
}

/** A rolling deploy is a restart of each backend of the starting pool in turn; with `drain`, drain, take out, restart, bring back. */
function rollingDeploy(e: Extract<ParsedEvent, { event: 'rolling-deploy' }>, start: number, context: TimelineContext, checkDrainable: () => void): TimelineEvent[] {
  const pool = context.backends.filter((b) => !b.standby);
  if (e.drain === undefined) {
    return pool.map((b, k) => ({ kind: 'mode', atMs: start + k * (e.downtime + e.pause), backend: b.name, mode: 'refused', durationMs: e.downtime }));
  }
  checkDrainable();
  const drain = e.drain;
  const turn = drain + e.downtime + e.pause;
  return pool.flatMap((b, k): TimelineEvent[] => [
    { kind: 'drain', atMs: start + k * turn, backend: b.name, durationMs: drain },
    { kind: 'add-backend', atMs: start + k * turn + drain + e.downtime, backend: b.name },
  ]);
}
