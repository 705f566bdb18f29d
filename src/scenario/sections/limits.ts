/**
 * The largest counts a scenario may ask for, each refused with its limit named: past them a run
 * would exhaust memory or never end. One table, so docs/scenario.md ("Limits"), the sections, the
 * file readers and the run's output agree. The ranges of single quantities (durations, rates,
 * speed factors) are the field kinds' own: `QUANTITY_RANGES` in fields/units.ts.
 */
import { PUBLIC_NETWORKS } from '../../model/index.js';

export const LIMITS = {
  sessions: 100_000_000,
  backends: 10_000,
  workers: 100_000,
  queue: 10_000_000,
  steps: 100,
  strategies: 50,
  addresses: 1_000_000,
  networks: PUBLIC_NETWORKS,
  timelineEvents: 10_000,
  profilePieces: 1000,
  /** nginx `weight` of a backend or a block's server line (HAProxy's own limit, 256, is its method's). */
  weight: 1000,
  /** nginx `max_conns`, `max_fails`, and `proxy_next_upstream_tries`. */
  maxConns: 1_000_000,
  maxFails: 1000,
  /** How many times slower a restarted backend may start (`backends.coldStart.factor`). */
  coldStartFactor: 1000,
  tries: 1000,
  /** Requests one step fires at once (`parallel.requests`, `parallel.max`). */
  parallelRequests: 50,
  /** Probes in a row that mark a backend down or up again (`healthCheck.fall`, `healthCheck.rise`). */
  probesInARow: 100,
  /** `--replications`, and the runs of a sweep (points × replications). */
  replications: 1000,
  sweepRuns: 10_000,
  /**
   * Sessions alive at once, estimated before the run by Little's law: the peak arrival rate times a
   * session's expected length (or `sessions`, if fewer). Each holds a few hundred bytes per worker
   * thread running a strategy.
   */
  sessionsInFlight: 400_000,
  /** Backends × strategies: each strategy's run and results hold every backend. */
  backendRuns: 200_000,
  /** Probes every strategy with `healthCheck` sends over the run (interval, backends and the run's length). */
  healthCheckProbes: 100_000_000,
  /** Polls one request may make for a session lock (`locking.timeout / locking.poll`). */
  lockPolls: 10_000,
  /** Envoy least request's `choiceCount`: backends compared per pick. */
  choiceCount: 100,
  /** Lists and objects inside one another, in any file lbsim reads (scenario, JSON, nginx blocks). */
  nesting: 64,
  /** Windows a per-window series keeps: a longer run merges them in pairs (even, so pairs are whole). */
  seriesWindows: 1000,
  /**
   * Per-backend values of one strategy's per-window series (windows × backends detailed × 2, for
   * requests and live sessions): many backends keep fewer windows, so that the summary stays small.
   */
  seriesValues: 40_000,
  /** Backends detailed one by one in the output; past it, the busiest and least busy and a distribution. */
  backendDetail: 100,
  /** Backends listed by name when the output summarises them: this many busiest and this many least busy. */
  backendsShown: 10,
  /** Bytes of a scenario file. */
  scenarioBytes: 10 * 1024 * 1024,
  /** Bytes of an nginx or HAProxy configuration, or a replay timeline, read from a file. */
  configBytes: 1024 * 1024,
  /** Bytes of `clients.addressFile`, and the addresses it may hold. */
  addressFileBytes: 32 * 1024 * 1024,
  addressFileAddresses: 250_000,
  /** Bytes of requests to replay or keys to route (a file or standard input). */
  requestLogBytes: 64 * 1024 * 1024,
  /** Bytes of a summary.json given to `lbsim report`. */
  summaryBytes: 64 * 1024 * 1024,
} as const;

// One formatter: toLocaleString builds a new one per call.
const WHOLE_NUMBER = new Intl.NumberFormat('en-US');
/** A count as limits are written in messages: `100,000,000`. */
export const formatCount = (n: number): string => WHOLE_NUMBER.format(Math.round(n));

/** A section's defaults: what its schema makes of an absent section, written nowhere else. */
export function defaultsOf<T>(schema: { parse(input: unknown): T }): T {
  return schema.parse({});
}
