/**
 * The shape of summary.json, as data: every field the reports read, its type, and whether older
 * summaries may lack it. `lbsim report` checks a file against it before rendering, so a field a
 * person edited to `null` or to the wrong type is a message naming the field, not a crash halfway
 * through the page. Fields not listed here (a replicated summary's `ci95`, fields of later
 * versions) are left alone. Kept beside `Summary` (summary.ts) and tested against real summaries:
 * a field the type gains must be added here for the report to trust it.
 */
import { BREAK_CAUSES } from '../model/index.js';

/** A field's expected type. */
export type Shape =
  | { readonly kind: 'number' | 'string' | 'boolean' }
  /** A number, a string or a boolean (a balancer option). */
  | { readonly kind: 'scalar' }
  | { readonly kind: 'nullable' | 'optional' | 'record'; readonly of: Shape }
  | { readonly kind: 'list'; readonly of: Shape; readonly atLeast: number }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: 'one of'; readonly values: readonly string[] }
  /** An object whose `tag` field chooses its other fields. */
  | { readonly kind: 'variant'; readonly tag: string; readonly variants: Readonly<Record<string, Readonly<Record<string, Shape>>>> };

const number: Shape = { kind: 'number' };
const string: Shape = { kind: 'string' };
const boolean: Shape = { kind: 'boolean' };
const scalar: Shape = { kind: 'scalar' };
const nullable = (of: Shape): Shape => ({ kind: 'nullable', of });
const optional = (of: Shape): Shape => ({ kind: 'optional', of });
const list = (of: Shape, atLeast = 0): Shape => ({ kind: 'list', of, atLeast });
const record = (of: Shape): Shape => ({ kind: 'record', of });
const object = (fields: Record<string, Shape>): Shape => ({ kind: 'object', fields });
const oneOf = (values: readonly string[]): Shape => ({ kind: 'one of', values });

const distribution: Shape = {
  kind: 'variant',
  tag: 'kind',
  variants: { constant: { value: number }, exponential: { mean: number }, lognormal: { median: number, sigma: number }, uniform: { min: number, max: number } },
};
const spread = object({ min: number, p25: number, p50: number, p75: number, max: number, mean: number, total: number });
const latency = { mean: number, max: number, p50: number, p95: number, p99: number };

const setup = object({
  sessions: nullable(number),
  warmupMs: optional(number),
  arrivals: object({ ratePerSec: number, spacing: string, profile: list(object({ fromMs: number, ratePerSec: number })), windowMs: nullable(number), referenceWindowMs: number }),
  clients: object({ networks: number, ipv6Share: number, nat: nullable(object({ share: number, addresses: number })), proxy: nullable(object({ share: number, address: string })) }),
  journey: object({
    thinkTimeMs: distribution,
    steps: list(object({ name: string, method: string, serviceMs: distribution, writes: boolean, needsSession: boolean, coupled: boolean, abandon: number, orderValue: nullable(distribution) })),
  }),
  backends: list(object({ name: string, weight: number, workers: number, queueLimit: number, speed: number, down: boolean, backup: optional(boolean), maxConns: optional(number), standby: optional(boolean), maxFails: number, failTimeoutMs: number, coldStart: optional(object({ factor: number, durationMs: number })) })),
  stores: object({ local: object({ ttlMs: number }), shared: object({ roundTripMs: number, ttlMs: number, capacity: nullable(number), notSerializable: number }) }),
  events: list(object({ atMs: number, kind: string, backend: string, mode: string, durationMs: nullable(number) })),
});

const timeline = object({
  windowMs: number,
  coarsenedFromMs: optional(number),
  windows: list(object({
    startMs: number,
    requestsPerBackend: list(number),
    breaks: number,
    sessionsPerBackend: optional(list(number)),
    requests: optional(number),
    sessions: optional(number),
    breaksByCause: optional(record(number)),
    failedRequests: optional(number),
    latencyP95Ms: optional(number),
  })),
  events: list(object({ atMs: number, label: string })),
});

const strategy = object({
  name: string,
  description: nullable(string),
  method: string,
  store: string,
  sticky: nullable(string),
  sessions: object({ total: number, completed: number, abandoned: number, broken: number }),
  breakageRate: number,
  brokenByCause: record(number),
  failoverLoss: object({ sessions: number, carts: number, revenue: number, revenueLost: optional(number) }),
  skew: object({ requestsMaxOverMean: number, requestsCv: number }),
  latencyMs: object(latency),
  latencyByStepMs: list(object({ step: string, count: number, ...latency })),
  requests: object({
    total: number, completed: number, failed: number, rejected: number, attempts: number, sentToDeadBackend: number,
    lostUpdates: optional(number), lostUpdatesByStep: optional(list(number)), lockWaits: optional(number), lockWaitMs: optional(number), lockTimeouts: optional(number),
  }),
  backends: list(object({ name: string, requests: number, peakSessions: number, utilization: number }), 1),
  backendsSummary: optional(object({ count: number, shown: number, requests: spread, peakSessions: spread, utilization: spread })),
  funnel: list(object({ step: string, sessions: number })),
  revenue: number,
  storeStats: object({ kind: string, reads: number, writes: number, hitRatio: number, opsPerSec: number, evictions: number, expirations: number }),
  simulatedTimeMs: number,
  balancer: optional(object({ method: string, key: nullable(string), options: record(scalar) })),
  stickyCookie: optional(nullable(object({ name: string, maxAgeMs: nullable(number) }))),
  healthChecks: optional(nullable(object({ detections: list(object({ backend: string, failedAtMs: number, detectedAtMs: number, delayMs: number })), meanDetectionDelayMs: nullable(number) }))),
  timeline: optional(timeline),
  replicates: optional(record(list(number))),
});

const sampleSession = object({
  session: number,
  client: string,
  arrivalMs: number,
  seed: string,
  strategies: list(object({
    strategy: string,
    requests: list(object({ step: string, sentAtMs: number, attempts: list(object({ backend: string, ok: boolean })), status: number, latencyMs: number, stateAfter: nullable(string) })),
    outcome: oneOf(['completed', 'abandoned', 'broken']),
    cause: nullable(oneOf(BREAK_CAUSES)),
    endedAtMs: number,
  })),
});

/** summary.json as the reports read it (schemaVersion is checked before, by value). */
export const SUMMARY_SHAPE: Shape = object({
  scenario: object({ name: string, description: nullable(string), setup: optional(setup) }),
  seed: string,
  lbsimVersion: string,
  generatedAt: string,
  runTimeMs: number,
  strategies: list(strategy, 1),
  sampleSession: optional(nullable(sampleSession)),
  replications: optional(number),
  seeds: optional(list(string)),
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const EXPECTED: Readonly<Record<string, string>> = { number: 'a number', string: 'a string', boolean: 'true or false', list: 'a list', record: 'an object', object: 'an object', variant: 'an object' };

/** `strategies[1].latencyMs.p95`. */
const join = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`);

/**
 * The first field of `value` that does not fit `shape`, as `path: expected …`, or undefined.
 * A number must be finite: JSON cannot hold another, and an edited one reads as nonsense.
 */
export function shapeProblem(value: unknown, shape: Shape, path = ''): string | undefined {
  const expected = (what: string) => `${path}: expected ${what}`;
  switch (shape.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : expected('a number');
    case 'string':
    case 'boolean':
      return typeof value === shape.kind ? undefined : expected(EXPECTED[shape.kind]!);
    case 'scalar':
      return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? undefined : expected('a number, a string or true or false');
    case 'optional':
      return value === undefined ? undefined : shapeProblem(value, shape.of, path);
    case 'nullable':
      return value === null ? undefined : shapeProblem(value, shape.of, path);
    case 'one of':
      return typeof value === 'string' && shape.values.includes(value) ? undefined : expected(`one of ${shape.values.join(', ')}`);
    case 'list': {
      if (!Array.isArray(value)) return expected('a list');
      if (value.length < shape.atLeast) return expected(`a list of at least ${shape.atLeast}`);
      for (const [i, item] of value.entries()) {
        const problem = shapeProblem(item, shape.of, join(path, i));
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'record': {
      if (!isObject(value)) return expected('an object');
      // A replicated summary adds a `ci95` object beside the numbers it averaged.
      for (const [key, item] of Object.entries(value)) {
        const problem = key === 'ci95' ? undefined : shapeProblem(item, shape.of, join(path, key));
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'object':
      return isObject(value) ? fieldsProblem(value, shape.fields, path) : expected('an object');
    case 'variant': {
      if (!isObject(value)) return expected('an object');
      const fields = shape.variants[String(value[shape.tag])];
      if (fields === undefined) return `${join(path, shape.tag)}: expected one of ${Object.keys(shape.variants).join(', ')}`;
      return fieldsProblem(value, fields, path);
    }
  }
}

function fieldsProblem(value: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, Shape>>, path: string): string | undefined {
  for (const [key, field] of Object.entries(fields)) {
    const problem = shapeProblem(value[key], field, join(path, key));
    if (problem !== undefined) return problem;
  }
  return undefined;
}
