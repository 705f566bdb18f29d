/**
 * The scenario file format as one zod schema: what a file may contain (`ScenarioInput`, units as
 * strings) and what the simulator receives (`Scenario`, numbers in base units, defaults filled in,
 * times resolved against the arrival window). docs/scenario.md documents every field.
 */
import { z } from 'zod';
import { METHOD_NAMES, checkPeers, type PeerSpec } from '../strategies/index.js';
import { BACKEND_MODES, PUBLIC_NETWORKS, parseAddress, type BackendMode } from '../model/index.js';
export { BACKEND_MODES, type BackendMode };
import { closestMatch, listNames } from './did-you-mean.js';
import { resolveTimePoint, type TimePoint } from './units.js';
import { balancerSchema, checkBlockServers } from './balancer-schema.js';
import { amount, count, distribution, durationMs, probability, ratePerSec, strictObject, timePoint, type Distribution } from './fields.js';
import { BACKEND_MODE_HELP, STORE_KIND_HELP } from './catalog.js';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'LOCK'] as const;
const NON_IDEMPOTENT: ReadonlySet<string> = new Set(['POST', 'PATCH', 'LOCK']);
export const STORE_KINDS = ['local', 'shared'] as const;
/** Balancing methods this version knows: the registry's names, so the two lists cannot drift. */
export { METHOD_NAMES };

const LIMITS = { sessions: 100_000_000, backends: 10_000, workers: 100_000, queue: 10_000_000, steps: 100, strategies: 50, addresses: 1_000_000, networks: PUBLIC_NETWORKS } as const;

const stepSchema = strictObject({
  name: z.string().min(1).describe("The step's name in reports (checkout)"),
  method: z.enum(HTTP_METHODS).describe('The HTTP method (default GET); nginx does not resend a POST, PATCH or LOCK once sent').optional(),
  service: distribution(durationMs).describe('Time the backend needs at speed 1: a duration, or a distribution of durations'),
  writes: z.boolean().describe('The step writes the session').default(false),
  needsSession: z.boolean().describe('The step needs the session state; without it the session breaks').default(false),
  coupled: z.boolean().describe('Must run on the backend of the previous step (a transaction only that server holds)').default(false),
  idempotent: z.boolean().optional(),
  abandon: probability().describe('Share of users who leave after this step').default(0),
  orderValue: distribution(amount).describe('What the order brings when the session completes: a number or a distribution').optional(),
  /** The page fires several requests at once (assets, AJAX calls); the first `writes` of them change the session. */
  parallel: strictObject({
    /** A count, or a distribution of counts drawn per session (rounded, at least 1, at most `max`). */
    requests: z.union([count(50, 'requests').min(1, 'expected at least one request'), distribution(amount)]),
    max: count(50, 'requests').min(1).default(20),
    writes: count(50, 'writing requests').default(0),
  }).optional(),
}).transform((step, ctx) => {
  const method = step.method ?? 'GET';
  const declared = step.parallel?.requests ?? 1;
  const requests = typeof declared === 'number' ? declared : step.parallel!.max;
  const requestCount = typeof declared === 'number' ? undefined : declared;
  const writers = step.parallel ? step.parallel.writes : step.writes ? 1 : 0;
  if (typeof declared === 'number' && writers > requests) ctx.addIssue({ code: 'custom', path: ['parallel', 'writes'], message: `at most parallel.requests (${requests}) of the requests can write` });
  return {
    name: step.name,
    method,
    service: step.service,
    writes: writers > 0,
    /** Requests the step sends at once (1 unless `parallel`); with `requestCount`, the most it may send. */
    requests,
    /** The distribution of the number of requests, drawn per session; undefined: always `requests`. */
    requestCount,
    /** How many of them write the session (the first ones). */
    writers,
    needsSession: step.needsSession,
    coupled: step.coupled,
    idempotent: step.idempotent ?? !NON_IDEMPOTENT.has(method),
    abandon: step.abandon,
    orderValue: step.orderValue,
  };
});

/** The shopping journey of the seed article: home → search → product → add to cart → checkout → pay. */
export const DEFAULT_STEPS: readonly z.input<typeof stepSchema>[] = [
  { name: 'home', service: { dist: 'lognormal', median: '20ms', sigma: 0.5 }, writes: true, abandon: 0.05 },
  { name: 'search', service: { dist: 'lognormal', median: '40ms', sigma: 0.5 }, needsSession: true, abandon: 0.1 },
  { name: 'product', service: { dist: 'lognormal', median: '30ms', sigma: 0.5 }, needsSession: true, abandon: 0.15 },
  { name: 'add-to-cart', method: 'POST', service: { dist: 'lognormal', median: '30ms', sigma: 0.5 }, needsSession: true, writes: true, abandon: 0.1 },
  { name: 'checkout', service: { dist: 'lognormal', median: '50ms', sigma: 0.5 }, needsSession: true, abandon: 0.1 },
  { name: 'pay', method: 'POST', service: { dist: 'lognormal', median: '120ms', sigma: 0.5 }, needsSession: true, writes: true, orderValue: { dist: 'lognormal', median: 60, sigma: 0.7 } },
];

const journeySchema = strictObject({
  thinkTime: distribution(durationMs).default({ kind: 'exponential', mean: 5000 }),
  steps: z.array(stepSchema).min(1, 'expected at least one step').max(LIMITS.steps).optional(),
});

const clientsSchema = strictObject({
  /** Distinct /24 networks that individual users come from. */
  networks: count(LIMITS.networks, 'networks').min(1, 'expected at least one network').default(1000),
  ipv6Share: probability().default(0),
  nat: strictObject({ share: probability(), addresses: count(LIMITS.addresses, 'NAT addresses').min(1, 'expected at least one NAT address') }).optional(),
  /** Mobile users whose address may change between steps: across /24 networks or within their /24. */
  mobile: strictObject({ share: probability(), changePerStep: probability(), scope: z.enum(['network', 'host']).default('network') }).optional(),
  /** Share of users whose browsers refuse cookies (cookie stickiness cannot pin them). */
  refuseCookies: probability().default(0),
  /** Draw users' addresses from this file instead (one address per line, or an nginx access log): the skew of one's own traffic. */
  addressFile: z.string().min(1).optional(),
  proxy: strictObject({
    share: probability(),
    // The model parses this address; refusing here gives the user a message instead of a crash.
    address: z.string().refine((text) => parseAddress(text) !== undefined, {
      error: (issue) => `expected an IP address such as "198.51.100.7" or "2001:db8::7", got ${JSON.stringify(issue.input)}`,
    }),
  }).optional(),
}).refine((c) => (c.nat?.share ?? 0) + (c.proxy?.share ?? 0) <= 1, {
  error: (issue) => {
    const c = issue.input as { nat?: { share: number }; proxy?: { share: number } };
    return `nat.share + proxy.share must not exceed 1, got ${Number(((c.nat?.share ?? 0) + (c.proxy?.share ?? 0)).toFixed(6))}`;
  },
});

const backendFields = {
  weight: z.number().int().min(1).max(1000).describe('nginx weight: a share of new placements').default(1),
  workers: count(LIMITS.workers, 'workers').min(1, 'expected at least one worker').describe('Requests served at once').default(16),
  queueLimit: count(LIMITS.queue, 'queued requests').describe('Requests that may wait for a worker; more are rejected').default(1000),
  speed: z.number().positive('expected a speed factor above 0').default(1),
  down: z.boolean().default(false),
  /** nginx `backup`: used only when no primary is usable (methods that cannot take backups say so). */
  backup: z.boolean().default(false),
  /** nginx `max_conns` (0: no limit). */
  maxConns: count(1_000_000, 'connections').default(0),
  /** Not in the pool at the start: an `add-backend` event brings it in (scale-out). */
  standby: z.boolean().default(false),
  maxFails: count(1000, 'failures').default(1),
  failTimeout: durationMs().default(10_000),
};
const BACKEND_NAME = /^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;
const backendName = z.string().regex(BACKEND_NAME, 'expected host:port, e.g. "10.0.0.1:8080"');
const backendSchema = strictObject({ name: backendName.describe('The address as nginx writes it: "10.0.0.1:8080"'), ...backendFields });
const backendGroupSchema = strictObject({
  count: count(LIMITS.backends, 'backends').min(1, 'expected at least one backend').describe('How many identical backends'),
  /** `{n}` is replaced by 1, 2, … */
  name: z
    .string()
    .includes('{n}', { message: 'expected a name template with {n}, e.g. "10.0.0.{n}:8080"' })
    .refine((template) => BACKEND_NAME.test(template.replaceAll('{n}', '1')), {
      error: (issue) => `expected a host:port template with {n}, e.g. "10.0.0.{n}:8080", got ${JSON.stringify(issue.input)}`,
    }),
  ...backendFields,
});

const storesSchema = strictObject({
  local: strictObject({ ttl: durationMs().default(30 * 60_000) }).default({ ttl: 30 * 60_000 }),
  shared: strictObject({
    roundTrip: durationMs().default(1),
    ttl: durationMs().default(30 * 60_000),
    capacity: count(LIMITS.sessions, 'sessions').min(1).optional(),
    notSerializable: probability().default(0),
    /** While the cache is down: `fail` every request (the app cannot load sessions), or `serve-without-state` (only steps that need the session break). */
    onOutage: z.enum(['fail', 'serve-without-state']).default('fail'),
  }).default({ roundTrip: 1, ttl: 30 * 60_000, notSerializable: 0, onOutage: 'fail' }),
});

const proxySchema = strictObject({
  nextUpstream: z.union([z.literal('off'), z.array(z.enum(['error', 'timeout', 'non_idempotent']))]).default(['error', 'timeout']),
  tries: count(1000, 'tries').default(0),
  connectTimeout: durationMs().default(60_000),
  readTimeout: durationMs().default(60_000),
});

const strategySchema = strictObject({
  name: z.string().min(1).describe('The column title in reports; unique within the scenario'),
  balancer: balancerSchema.describe('How a backend is picked: { method, key?, options? }, or an nginx: or haproxy: configuration block'),
  store: z.enum(STORE_KINDS).describe(Object.entries(STORE_KIND_HELP).map(([kind, help]) => `${kind}: ${help}`).join('; ')),
  sticky: strictObject({
    cookie: strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a cookie name of letters, digits, _ or -').default('lbsim_route'), maxAge: durationMs().optional() }),
  }).optional(),
  /** Per-session locking of the shared cache (PHP, Spring Session style): requests of one session take turns. */
  locking: strictObject({ poll: durationMs().default(10), timeout: durationMs().default(5000) }).optional(),
  /** Active health checks (NGINX Plus `health_check`, HAProxy `check inter fall rise`): probe every backend every `interval`. */
  healthCheck: strictObject({
    interval: durationMs().default(5000),
    timeout: durationMs().default(1000),
    fall: count(100, 'failed probes').min(1).default(3),
    rise: count(100, 'passed probes').min(1).default(2),
  }).optional(),
});

/** A backend changes mode (fails, recovers). */
const modeEventSchema = strictObject({
  at: timePoint().describe('When: a duration from the start ("90s") or a share of the arrival window ("50%")'),
  backend: z.string().describe('Which backend: one of `backends`'),
  mode: z.enum(BACKEND_MODES).describe(Object.entries(BACKEND_MODE_HELP).map(([mode, help]) => `${mode}: ${help}`).join('; ')),
  duration: durationMs().optional(),
});
/** Other events, named by `event`. */
const otherEventSchema = z.discriminatedUnion('event', [
  strictObject({ at: timePoint(), event: z.literal('slow'), backend: z.string(), speed: z.number().positive('expected a speed factor above 0'), duration: durationMs().optional() }),
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
export const TIMELINE_EVENTS = ['slow', 'errors', 'cache-outage', 'cache-latency', 'cache-flush', 'add-backend', 'remove-backend', 'drain', 'rolling-deploy'] as const;
const timelineSchema = z.union([modeEventSchema, otherEventSchema]);

const arrivalsSchema = strictObject({
  rate: ratePerSec().describe('Sessions starting per second, such as "20/s" or "3000/m"'),
  /** `poisson` (exponential gaps) or `even` (exactly 1/rate apart: hand-computable tests and demos). */
  spacing: z.enum(['poisson', 'even']).describe('poisson: random arrivals (the default); even: exactly 1 / rate apart').default('poisson'),
  window: durationMs().describe('Arrivals stop after this long (such as "10m"); also the window that percentages refer to').optional(),
  /** Piecewise rate: from each `from` on, `rate` applies (a flash-sale spike). */
  profile: z.array(strictObject({ from: timePoint(), rate: ratePerSec() })).max(1000).describe('Rate changes: each { from: TIME, rate: RATE } sets the rate from then on').optional(),
});

export const ScenarioSchema = strictObject({
  name: z.string().min(1).describe('A short name; the report folder is named after it'),
  seed: z.union([z.number(), z.string()]).describe('The same scenario and seed give the same results, to the byte').default(1),
  sessions: count(LIMITS.sessions, 'sessions').min(1, 'expected at least one session').describe('How many sessions arrive (or end the arrivals with arrivals.window)').optional(),
  arrivals: arrivalsSchema.describe('When sessions arrive: rate, spacing, window, profile'),
  warmup: durationMs().describe('Start from steady state: sessions arrive for this long before measurement begins at 0; nothing of the warm-up counts in any figure').default(0),
  clients: clientsSchema.describe('The addresses the balancer sees: networks, NAT, proxy, mobile users').default({ networks: 1000, ipv6Share: 0, refuseCookies: 0 }),
  journey: journeySchema.describe('What each visitor does: thinkTime and steps (default: the six-step shop)').default({ thinkTime: { kind: 'exponential', mean: 5000 } }),
  backends: z.union([z.array(backendSchema).min(1, 'expected at least one backend').max(LIMITS.backends), backendGroupSchema], {
    error: 'expected a list of backends ({ name: "host:port", … }) or a group ({ count, name: "10.0.0.{n}:8080", … })',
  }).describe('The servers behind the balancer: a list of { name: "host:port", … } or a group { count, name: "10.0.0.{n}:8080", … }'),
  stores: storesSchema.describe('Settings of the two session stores, local and shared').default({ local: { ttl: 30 * 60_000 }, shared: { roundTrip: 1, ttl: 30 * 60_000, notSerializable: 0, onOutage: 'fail' } }),
  proxy: proxySchema.describe("Retries and timeouts of the proxy, with nginx's names and defaults").default({ nextUpstream: ['error', 'timeout'], tries: 0, connectTimeout: 60_000, readTimeout: 60_000 }),
  strategies: z.array(strategySchema).min(1, 'expected at least one strategy').max(LIMITS.strategies).describe('The strategies to compare on the same sessions'),
  timeline: z.array(timelineSchema).max(10_000).describe('Failures, recoveries and other events during the run').default([]),
  /** Per-window series (timeseries.csv, the report's timelines). */
  timeseries: strictObject({ window: durationMs().optional() }).default({}),
});

export type ScenarioInput = z.input<typeof ScenarioSchema>;
type Parsed = z.output<typeof ScenarioSchema>;

export type Step = z.output<typeof stepSchema>;
export type StrategySpec = Parsed['strategies'][number];
export type StoreKind = (typeof STORE_KINDS)[number];

export interface BackendSpec {
  readonly name: string;
  readonly weight: number;
  readonly workers: number;
  readonly queueLimit: number;
  readonly speed: number;
  readonly down: boolean;
  readonly backup: boolean;
  readonly maxConns: number;
  /** Joins the pool only with an `add-backend` event. */
  readonly standby: boolean;
  readonly maxFails: number;
  readonly failTimeoutMs: number;
}

/** The balancer's view of a backend: an nginx `server` line. */
export function peerSpecOf(backend: BackendSpec): PeerSpec {
  return { name: backend.name, weight: backend.weight, down: backend.down, backup: backend.backup, maxConns: backend.maxConns, maxFails: backend.maxFails, failTimeoutMs: backend.failTimeoutMs };
}

/**
 * Something that happens at `atMs`, for `durationMs` (undefined: until the end or a later event):
 * a backend changes mode (`mode`), slows down (`slow`: its speed factor becomes `speed`),
 * answers every request with an error (`errors`), or the shared cache goes away
 * (`cache-outage`), gets slower (`cache-latency`) or loses everything (`cache-flush`).
 */
export type TimelineEvent =
  | { readonly kind: 'mode'; readonly atMs: number; readonly backend: string; readonly mode: BackendMode; readonly durationMs: number | undefined }
  | { readonly kind: 'slow'; readonly atMs: number; readonly backend: string; readonly speed: number; readonly durationMs: number | undefined }
  | { readonly kind: 'errors'; readonly atMs: number; readonly backend: string; readonly durationMs: number | undefined }
  | { readonly kind: 'cache-outage'; readonly atMs: number; readonly durationMs: number | undefined }
  | { readonly kind: 'cache-latency'; readonly atMs: number; readonly roundTripMs: number; readonly durationMs: number | undefined }
  | { readonly kind: 'cache-flush'; readonly atMs: number }
  | { readonly kind: 'add-backend'; readonly atMs: number; readonly backend: string }
  | { readonly kind: 'remove-backend'; readonly atMs: number; readonly backend: string }
  | { readonly kind: 'drain'; readonly atMs: number; readonly backend: string; readonly durationMs: number | undefined };

/** The normalized scenario the simulator runs: base units, defaults filled, times resolved. */
export interface Scenario {
  readonly name: string;
  readonly description: string | undefined;
  readonly seed: string;
  /** Arrivals stop after this many sessions (undefined: only the window limits them). */
  readonly sessions: number | undefined;
  readonly arrivals: {
    readonly ratePerSec: number;
    readonly spacing: 'poisson' | 'even';
    /** Piecewise profile, sorted by start; the first piece starts at 0. */
    readonly profile: readonly { readonly fromMs: number; readonly ratePerSec: number }[];
    /** Arrivals stop at this time (undefined: only the session count limits them). */
    readonly windowMs: number | undefined;
    /** The window percentages refer to: `window`, or the expected time for `sessions` arrivals. */
    readonly referenceWindowMs: number;
  };
  /**
   * Arrivals start this long before time 0, where measurement begins: sessions are already in
   * flight then, and nothing before it counts in any metric. `sessions` counts arrivals from 0.
   */
  readonly warmupMs: number;
  /** The client mix; `addressList` holds the addresses read from `addressFile`, when it is given. */
  readonly clients: Parsed['clients'] & { readonly addressList?: readonly string[] };
  readonly journey: { readonly thinkTime: Distribution; readonly steps: readonly Step[] };
  readonly backends: readonly BackendSpec[];
  readonly stores: Parsed['stores'];
  readonly proxy: {
    readonly nextUpstream: { readonly error: boolean; readonly timeout: boolean; readonly nonIdempotent: boolean };
    readonly tries: number;
    readonly connectTimeoutMs: number;
    readonly readTimeoutMs: number;
  };
  readonly strategies: readonly StrategySpec[];
  readonly timeline: readonly TimelineEvent[];
  /** Window of the per-window series, ms; undefined: chosen so the run has at most about 200 windows. */
  readonly timeseriesWindowMs: number | undefined;
}

function expandBackends(input: Parsed['backends']): BackendSpec[] {
  const toSpec = (name: string, b: Omit<z.output<typeof backendSchema>, 'name'>): BackendSpec => ({
    name,
    weight: b.weight,
    workers: b.workers,
    queueLimit: b.queueLimit,
    speed: b.speed,
    down: b.down,
    backup: b.backup,
    maxConns: b.maxConns,
    standby: b.standby,
    maxFails: b.maxFails,
    failTimeoutMs: b.failTimeout,
  });
  if (Array.isArray(input)) return input.map((b) => toSpec(b.name, b));
  return Array.from({ length: input.count }, (_, i) => toSpec(input.name.replaceAll('{n}', String(i + 1)), input));
}

/**
 * Expected time for `sessions` arrivals under the rate profile (integrates the piecewise rate).
 * Percentages of the window refer to this when the scenario gives no explicit window.
 */
function expectedArrivalTimeMs(sessions: number, profile: readonly { fromMs: number; ratePerSec: number }[]): number {
  let remaining = sessions;
  for (let i = 0; i < profile.length; i++) {
    const piece = profile[i]!;
    const end = profile[i + 1]?.fromMs ?? Infinity;
    const expected = ((end - piece.fromMs) * piece.ratePerSec) / 1000;
    if (expected >= remaining) return piece.fromMs + (remaining / piece.ratePerSec) * 1000;
    remaining -= expected;
  }
  return Infinity;
}

/** Second stage: the parts of normalization that need the whole file (window, names, profile). */
export function normalize(parsed: Parsed, ctx: z.RefinementCtx): Scenario {
  const issue = (path: (string | number)[], message: string, suggestion?: string) =>
    ctx.addIssue({ code: 'custom', path, message, ...(suggestion === undefined ? {} : { params: { suggestion } }) });
  const { arrivals } = parsed;
  if (parsed.sessions === undefined && arrivals.window === undefined) {
    issue(['sessions'], 'expected `sessions` (a session count) or `arrivals.window` (a duration): one of them must end the arrivals');
  }
  const absolute = (p: TimePoint) => (p.kind === 'absolute' ? p.ms : undefined);
  const rawProfile = arrivals.profile ?? [];
  // Percent points in the profile need a window, which itself may depend on the profile:
  // resolve them against an explicit window or the base rate's expected time.
  const provisionalWindow = arrivals.window ?? ((parsed.sessions ?? 0) / arrivals.rate) * 1000;
  const pieces = [{ fromMs: 0, ratePerSec: arrivals.rate }, ...rawProfile.map((p) => ({ fromMs: absolute(p.from) ?? resolveTimePoint(p.from, provisionalWindow), ratePerSec: p.rate }))]
    .sort((a, b) => a.fromMs - b.fromMs);
  if (pieces.every((p) => p.ratePerSec === 0)) issue(['arrivals', 'rate'], 'expected a rate above 0');
  const referenceWindowMs = arrivals.window ?? expectedArrivalTimeMs(parsed.sessions ?? 0, pieces);
  // The warm-up's sessions arrive at the starting rate, and count against the same limit.
  const warmupSessions = (parsed.warmup / 1000) * arrivals.rate;
  if (warmupSessions > LIMITS.sessions) issue(['warmup'], `a warm-up of ${parsed.warmup / 1000} s at ${arrivals.rate}/s is ${Math.round(warmupSessions).toLocaleString('en-US')} sessions; at most ${LIMITS.sessions.toLocaleString('en-US')}`);
  if (!Number.isFinite(referenceWindowMs)) issue(['arrivals', 'profile'], 'the profile ends at rate 0 before all sessions have arrived; give `arrivals.window`');

  const backends = expandBackends(parsed.backends);
  const names = new Set<string>();
  backends.forEach((b, i) => {
    if (names.has(b.name)) issue(['backends', i, 'name'], `duplicate backend name "${b.name}"`);
    names.add(b.name);
  });
  const strategyNames = new Set<string>();
  if (backends.length > 0 && backends.every((b) => b.standby)) issue(['backends'], 'every backend is on standby: at least one must be in the pool from the start');
  const peers = backends.map(peerSpecOf);
  parsed.strategies.forEach((s, i) => {
    if (strategyNames.has(s.name)) issue(['strategies', i, 'name'], `duplicate strategy name "${s.name}"`);
    strategyNames.add(s.name);
    if (s.locking && s.store !== 'shared') issue(['strategies', i, 'locking'], 'locking is a feature of the shared session cache: give store: shared, or drop locking (a backend\'s own memory serialises requests already)');
    const unfit = checkPeers(s.balancer.method, s.balancer.servers ?? peers);
    if (unfit !== undefined) issue(['strategies', i, 'balancer', s.balancer.block?.kind ?? 'method'], `${s.balancer.method} cannot balance these backends: ${unfit}`);
    for (const [field, message] of checkBlockServers(s.balancer, backends.map((b) => b.name))) issue(['strategies', i, 'balancer', field], message);
  });
  const timeline = parsed.timeline.flatMap((e, i): TimelineEvent[] => {
    // A rolling deploy is a restart of each backend of the starting pool in turn (open-source nginx has no drain).
    if ('event' in e && e.event === 'rolling-deploy') {
      const start = resolveTimePoint(e.at, referenceWindowMs);
      const drain = e.drain;
      const pool = backends.filter((b) => !b.standby);
      if (drain === undefined) {
        return pool.map((b, k) => ({ kind: 'mode', atMs: start + k * (e.downtime + e.pause), backend: b.name, mode: 'refused', durationMs: e.downtime }));
      }
      // Drain, take out, restart, bring back: each backend in turn.
      checkDrainable(i);
      const turn = drain + e.downtime + e.pause;
      return pool.flatMap((b, k): TimelineEvent[] => [
        { kind: 'drain', atMs: start + k * turn, backend: b.name, durationMs: drain },
        { kind: 'add-backend', atMs: start + k * turn + drain + e.downtime, backend: b.name },
      ]);
    }
    return [single(e, i)];
  }).sort((a, b) => a.atMs - b.atMs);

  /** Open-source nginx has no drain; NGINX Plus and HAProxy drain only users a sticky cookie binds. */
  function checkDrainable(i: number): void {
    const without = parsed.strategies.filter((strategy) => strategy.sticky === undefined).map((strategy) => strategy.name);
    if (without.length > 0) issue(['timeline', i, 'event'], `drain needs cookie stickiness: ${listNames(without)} ${without.length === 1 ? 'has no sticky.cookie, and its method has' : 'have no sticky.cookie, and their methods have'} no drain (open-source nginx has none; NGINX Plus and HAProxy drain only sticky-bound users)`);
  }

  function single(e: Exclude<Parsed['timeline'][number], { event: 'rolling-deploy' }>, i: number): TimelineEvent {
    const atMs = resolveTimePoint(e.at, referenceWindowMs);
    if ('backend' in e && !names.has(e.backend)) issue(['timeline', i, 'backend'], `no backend named "${e.backend}"; backends are ${listNames([...names])}`, closestMatch(e.backend, names));
    if (!('event' in e)) return { kind: 'mode', atMs, backend: e.backend, mode: e.mode, durationMs: e.duration };
    switch (e.event) {
      case 'slow':
        return { kind: 'slow', atMs, backend: e.backend, speed: e.speed, durationMs: e.duration };
      case 'errors':
        return { kind: 'errors', atMs, backend: e.backend, durationMs: e.duration };
      case 'cache-outage':
        return { kind: 'cache-outage', atMs, durationMs: e.duration };
      case 'cache-latency':
        return { kind: 'cache-latency', atMs, roundTripMs: e.roundTrip, durationMs: e.duration };
      case 'cache-flush':
        return { kind: 'cache-flush', atMs };
      case 'add-backend':
        return { kind: 'add-backend', atMs, backend: e.backend };
      case 'remove-backend':
        return { kind: 'remove-backend', atMs, backend: e.backend };
      case 'drain':
        checkDrainable(i);
        return { kind: 'drain', atMs, backend: e.backend, durationMs: e.duration };
    }
  }

  const steps = parsed.journey.steps ?? DEFAULT_STEPS.map((s) => stepSchema.parse(s));
  const words = parsed.proxy.nextUpstream;
  return {
    name: parsed.name,
    description: parsed.description,
    seed: String(parsed.seed),
    sessions: parsed.sessions,
    arrivals: { ratePerSec: arrivals.rate, spacing: arrivals.spacing, profile: pieces, windowMs: arrivals.window, referenceWindowMs },
    warmupMs: parsed.warmup,
    clients: parsed.clients,
    journey: { thinkTime: parsed.journey.thinkTime, steps },
    backends,
    stores: parsed.stores,
    proxy: {
      nextUpstream: words === 'off' ? { error: false, timeout: false, nonIdempotent: false } : { error: words.includes('error'), timeout: words.includes('timeout'), nonIdempotent: words.includes('non_idempotent') },
      tries: parsed.proxy.tries,
      connectTimeoutMs: parsed.proxy.connectTimeout,
      readTimeoutMs: parsed.proxy.readTimeout,
    },
    strategies: parsed.strategies,
    timeline,
    timeseriesWindowMs: parsed.timeseries.window,
  };
}

/** The full pipeline: file contents (already YAML/JSON-decoded) → normalized Scenario. */
export const NormalizedScenarioSchema = ScenarioSchema.transform((parsed, ctx) => normalize(parsed, ctx));
