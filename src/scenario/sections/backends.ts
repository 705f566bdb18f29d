/**
 * `backends`: the servers behind the balancer, as a list or as a group of identical ones named
 * by a template, with their nginx server-line settings (weight, `max_fails`, `fail_timeout`,
 * `down`, `backup`, `max_conns`) and the simulated server's capacity (workers, queue, speed), and
 * whether a restarted server starts cold (`coldStart`).
 */
import { z } from 'zod';
import { count, durationMs, speedFactor, strictObject } from '../../fields/index.js';
import type { PeerSpec } from '../../strategies/index.js';
import { portProblem } from '../config-lines.js';
import { LIMITS } from './limits.js';
import type { Issue } from './issue.js';

const backendFields = {
  weight: z.number().int().min(1).max(LIMITS.weight).describe('nginx weight: a share of new placements').default(1),
  workers: count(LIMITS.workers, 'workers').min(1, 'expected at least one worker').describe('Requests served at once').default(16),
  queueLimit: count(LIMITS.queue, 'queued requests').describe('Requests that may wait for a worker; more are rejected').default(1000),
  speed: speedFactor().default(1),
  down: z.boolean().default(false),
  /** nginx `backup`: used only when no primary is usable (methods that cannot take backups say so). */
  backup: z.boolean().default(false),
  /** nginx `max_conns` (0: no limit). */
  maxConns: count(LIMITS.maxConns, 'connections').default(0),
  /** Not in the pool at the start: an `add-backend` event brings it in (scale-out). */
  standby: z.boolean().default(false),
  maxFails: count(LIMITS.maxFails, 'failures').default(1),
  failTimeout: durationMs().default(10_000),
  coldStart: strictObject({
    factor: z
      .number({ error: `expected a factor from 1 to ${LIMITS.coldStartFactor}` })
      .min(1, `expected a factor from 1 to ${LIMITS.coldStartFactor}`)
      .max(LIMITS.coldStartFactor, `expected a factor from 1 to ${LIMITS.coldStartFactor}`)
      .describe('Service demand is multiplied by this the moment the backend comes back up'),
    duration: durationMs().describe('Over this time the factor falls linearly to 1'),
  })
    .optional()
    .describe('A restarted backend starts cold: after an `up` event (or a rolling-deploy restart) its service demand is multiplied by `factor`, falling linearly to 1 over `duration`. Default: off'),
};
const BACKEND_NAME = /^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;
const backendName = z.string().regex(BACKEND_NAME, 'expected host:port, e.g. "10.0.0.1:8080"').superRefine((name, ctx) => {
  const problem = BACKEND_NAME.test(name) ? portProblem(name) : undefined;
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `expected host:port, e.g. "10.0.0.1:8080", got ${JSON.stringify(name)}; ${problem}` });
});
const backendSchema = strictObject({ name: backendName.describe('The address as nginx writes it: "10.0.0.1:8080"'), ...backendFields });
const backendGroupSchema = strictObject({
  count: count(LIMITS.backends, 'backends').min(1, 'expected at least one backend').describe('How many identical backends'),
  /** `{n}` is replaced by 1, 2, … */
  name: z
    .string()
    .includes('{n}', { message: 'expected a name template with {n}, e.g. "10.0.0.{n}:8080"' })
    .superRefine((template, ctx) => {
      const first = template.replaceAll('{n}', '1');
      const problem = BACKEND_NAME.test(first) ? portProblem(first) : 'expected host:port';
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `expected a host:port template with {n}, e.g. "10.0.0.{n}:8080", got ${JSON.stringify(template)}${problem === 'expected host:port' ? '' : `; ${problem}`}` });
    }),
  ...backendFields,
});

export const backendsSchema = z.union([z.array(backendSchema).min(1, 'expected at least one backend').max(LIMITS.backends), backendGroupSchema], {
  error: 'expected a list of backends ({ name: "host:port", … }) or a group ({ count, name: "10.0.0.{n}:8080", … })',
}).describe('The servers behind the balancer: a list of { name: "host:port", … } or a group { count, name: "10.0.0.{n}:8080", … }');

function backendSpec(name: string, b: Omit<z.output<typeof backendSchema>, 'name'>) {
  return {
    name,
    weight: b.weight,
    workers: b.workers,
    queueLimit: b.queueLimit,
    speed: b.speed,
    down: b.down,
    backup: b.backup,
    maxConns: b.maxConns,
    /** Joins the pool only with an `add-backend` event. */
    standby: b.standby,
    maxFails: b.maxFails,
    failTimeoutMs: b.failTimeout,
    /** Undefined: the backend comes back up warm. */
    coldStart: b.coldStart === undefined ? undefined : { factor: b.coldStart.factor, durationMs: b.coldStart.duration },
  };
}

/** One backend as the simulator takes it. */
export type BackendSpec = Readonly<ReturnType<typeof backendSpec>>;

/** The backends one by one (a group expanded), each name once, at least one in the pool from the start. */
export function normalizeBackends(input: z.output<typeof backendsSchema>, issue: Issue): readonly BackendSpec[] {
  const backends = Array.isArray(input) ? input.map((b) => backendSpec(b.name, b)) : Array.from({ length: input.count }, (_, i) => backendSpec(input.name.replaceAll('{n}', String(i + 1)), input));
  const names = new Set<string>();
  backends.forEach((b, i) => {
    if (names.has(b.name)) issue(['backends', i, 'name'], `duplicate backend name "${b.name}"`);
    names.add(b.name);
  });
  // A template's later names may carry {n} into the port (`10.0.0.1:80{n}`).
  const last = backends[backends.length - 1];
  if (!Array.isArray(input) && last !== undefined && portProblem(last.name) !== undefined) issue(['backends', 'name'], `the template's backend ${input.count} is ${JSON.stringify(last.name)}; ${portProblem(last.name)}`);
  backends.forEach((b, i) => {
    if (b.coldStart !== undefined && b.coldStart.durationMs <= 0) issue(['backends', ...(Array.isArray(input) ? [i] : []), 'coldStart', 'duration'], 'expected a duration above 0 (leave coldStart out for none)');
  });
  if (backends.length > 0 && backends.every((b) => b.standby)) issue(['backends'], 'every backend is on standby: at least one must be in the pool from the start');
  return backends;
}

/** The balancer's view of a backend: an nginx `server` line. */
export function peerSpecOf(backend: BackendSpec): PeerSpec {
  return { name: backend.name, weight: backend.weight, down: backend.down, backup: backend.backup, maxConns: backend.maxConns, maxFails: backend.maxFails, failTimeoutMs: backend.failTimeoutMs };
}
