/**
 * `journey`: what each visitor does, the steps in order (default: the six-step shop of the seed
 * article) and the think time between them, and its normaliser. A step declares what it does to
 * the session (`writes`, `needsSession`, `coupled`), whether it fills the cart, and the requests
 * it sends at once.
 */
import { z } from 'zod';
import { amount, count, distribution, distributionObject, durationMs, probability, strictObject } from '../../fields/index.js';
import { LIMITS } from './limits.js';
import type { Issue } from './issue.js';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'LOCK'] as const;

/** Step keys lbsim no longer reads, and what to write instead: said instead of "unknown key". */
export const RETIRED_STEP_KEYS: Readonly<Record<string, string>> = {
  idempotent: 'nginx decides whether to resend a request by its method alone (POST, PATCH and LOCK are not resent once sent): give the step\'s `method` instead',
};

const stepSchema = strictObject({
  name: z.string().min(1).describe("The step's name in reports (checkout)"),
  method: z.enum(HTTP_METHODS).describe('The HTTP method (default GET); nginx does not resend a POST, PATCH or LOCK once sent').optional(),
  service: distribution(durationMs).describe('Time the backend needs at speed 1: a duration, or a distribution of durations'),
  writes: z.boolean().describe('The step writes the session').default(false),
  needsSession: z.boolean().describe('The step needs the session state; without it the session breaks').default(false),
  coupled: z.boolean().describe('Must run on the backend of the previous step (a transaction only that server holds)').default(false),
  fillsCart: z.boolean().describe('Completing this step puts something in the cart (failover loss counts carts from it); default: the first step named like a cart, else the first writing step after the first').optional(),
  abandon: probability().describe('Share of users who leave after this step').default(0),
  orderValue: distribution(amount).describe('What the order brings when the session completes: a number or a distribution').optional(),
  /** The page fires several requests at once (assets, AJAX calls); the first `writes` of them change the session. */
  parallel: strictObject({
    /** A count, or a distribution of counts drawn per session (rounded, at least 1, at most `max`). */
    // A bare number is the count, checked as one (it was once read as a constant distribution and clamped).
    requests: z.union([count(LIMITS.parallelRequests, 'requests').min(1, 'expected at least one request'), distributionObject(amount)]),
    max: count(LIMITS.parallelRequests, 'requests').min(1).default(20),
    writes: count(LIMITS.parallelRequests, 'writing requests').default(0),
  }).optional(),
}).transform((step, ctx) => {
  const declared = step.parallel?.requests ?? 1;
  const requests = typeof declared === 'number' ? declared : step.parallel!.max;
  const writers = step.parallel ? step.parallel.writes : step.writes ? 1 : 0;
  if (typeof declared === 'number' && writers > requests) ctx.addIssue({ code: 'custom', path: ['parallel', 'writes'], message: `at most parallel.requests (${requests}) of the requests can write` });
  return {
    name: step.name,
    method: step.method ?? 'GET',
    service: step.service,
    writes: writers > 0,
    /** Requests the step sends at once (1 unless `parallel`); with `requestCount`, the most it may send. */
    requests,
    /** The distribution of the number of requests, drawn per session; undefined: always `requests`. */
    requestCount: typeof declared === 'number' ? undefined : declared,
    /** How many of them write the session (the first ones). */
    writers,
    needsSession: step.needsSession,
    coupled: step.coupled,
    /** As declared; the journey's normaliser settles the default. */
    fillsCart: step.fillsCart,
    abandon: step.abandon,
    orderValue: step.orderValue,
  };
});

/** The shopping journey of the seed article: home → search → product → add to cart → checkout → pay. */
export const DEFAULT_STEPS: readonly z.input<typeof stepSchema>[] = [
  { name: 'home', service: { dist: 'lognormal', median: '20ms', sigma: 0.5 }, writes: true, abandon: 0.05 },
  { name: 'search', service: { dist: 'lognormal', median: '40ms', sigma: 0.5 }, needsSession: true, abandon: 0.1 },
  { name: 'product', service: { dist: 'lognormal', median: '30ms', sigma: 0.5 }, needsSession: true, abandon: 0.15 },
  { name: 'add-to-cart', method: 'POST', service: { dist: 'lognormal', median: '30ms', sigma: 0.5 }, needsSession: true, writes: true, fillsCart: true, abandon: 0.1 },
  { name: 'checkout', service: { dist: 'lognormal', median: '50ms', sigma: 0.5 }, needsSession: true, abandon: 0.1 },
  { name: 'pay', method: 'POST', service: { dist: 'lognormal', median: '120ms', sigma: 0.5 }, needsSession: true, writes: true, orderValue: { dist: 'lognormal', median: 60, sigma: 0.7 } },
];

export const journeySchema = strictObject({
  thinkTime: distribution(durationMs).default({ kind: 'exponential', mean: 5000 }),
  steps: z.array(stepSchema).min(1, 'expected at least one step').max(LIMITS.steps).optional(),
}).describe('What each visitor does: thinkTime and steps (default: the six-step shop)');

type ParsedStep = z.output<typeof stepSchema>;

/** The step that fills the cart when none says: the first named like a cart, else the first writing step after the first; -1 for none. */
function assumedCartStep(steps: readonly ParsedStep[]): number {
  const named = steps.findIndex((s) => /cart/i.test(s.name));
  return named >= 0 ? named : steps.findIndex((s, i) => i > 0 && s.writes);
}

/** The journey as the simulator takes it: the default steps when none are given, and one settled `fillsCart`. */
export function normalizeJourney(journey: z.output<typeof journeySchema>, issue: Issue) {
  const parsed = journey.steps ?? DEFAULT_STEPS.map((s) => stepSchema.parse(s));
  const declared = parsed.flatMap((s, i) => (s.fillsCart === true ? [i] : []));
  if (declared.length > 1) issue(['journey', 'steps', declared[1]!, 'fillsCart'], `only one step fills the cart; ${parsed[declared[0]!]!.name} already does`);
  const cartStep = parsed.some((s) => s.fillsCart !== undefined) ? (declared[0] ?? -1) : assumedCartStep(parsed);
  const steps = parsed.map((s, i) => ({ ...s, fillsCart: i === cartStep }));
  return { thinkTime: journey.thinkTime, steps: steps as readonly (typeof steps)[number][] };
}

export type Step = ReturnType<typeof normalizeJourney>['steps'][number];
