/**
 * The load driver: each session replayed as real HTTP through the balancer on loopback, at its
 * arrival time from a start on a whole second. A session sends its steps' requests at once,
 * thinks, and goes on until its user leaves or a step fails; it keeps the cookies it is given
 * unless its browser refuses them. Measured figures come only from the answers (status, the
 * `x-backend` and `x-backend-ms` headers) and, later, the balancer's log.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { LiveSession } from './sessions.js';

/** What broke a step, by its answer. */
export type MeasuredCause = 'missing' | 'stale' | 'store-down' | 'request-failed';

export interface MeasuredRequest {
  /** `<session>.<step>.<k>`: the same key as the prediction's, and the X-Request-Id logged. */
  readonly id: string;
  readonly status: number;
  /** The backend that answered (its x-backend header); undefined when none did. */
  readonly backend: string | undefined;
  readonly latencyMs: number;
  /** Time inside the backend (queue and service); undefined when none answered. */
  readonly backendMs: number | undefined;
}

export interface MeasuredSession {
  readonly index: number;
  readonly outcome: 'completed' | 'abandoned' | 'broken';
  readonly cause: MeasuredCause | undefined;
  readonly stepsCompleted: number;
  /** How late the first request left, ms after its planned arrival. */
  readonly lateMs: number;
}

export interface DriveResult {
  readonly sessions: readonly MeasuredSession[];
  readonly requests: readonly MeasuredRequest[];
  /** Wall-clock epoch ms of the run's time 0. */
  readonly startedAt: number;
}

export interface DriveOptions {
  readonly port: number;
  /** Added to each request's service demand: the shared store's round trips, as lbsim adds them. */
  readonly storeRoundTripMs: number;
  /** Called at the run's time 0 with the epoch ms, to start the timeline. */
  readonly onStart: (startedAt: number) => void;
  readonly onSessionEnd: (done: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function causeOf(status: number, state: string | undefined): MeasuredCause {
  if (status === 410) return 'missing';
  if (status === 409) return 'stale';
  if (state === 'store-down') return 'store-down';
  return 'request-failed';
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

function send(agent: Agent, port: number, method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: '/', headers, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      res.once('error', () => resolve({ status: 0, headers: {} }));
    });
    // A connection closed before an answer is a failed request, as for a browser.
    req.once('error', () => resolve({ status: 0, headers: {} }));
    req.end();
  });
}

/** A session's cookie jar: `Set-Cookie` values kept, deleted by an empty value or a past expiry. */
function keepCookies(jar: Map<string, string>, setCookie: string[] | undefined): void {
  for (const line of setCookie ?? []) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair!.indexOf('=');
    if (eq < 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expires = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
    if (value === '' || (expires !== undefined && Date.parse(expires.slice(8)) < Date.now())) jar.delete(name);
    else jar.set(name, value);
  }
}

async function replaySession(session: LiveSession, options: DriveOptions, startedAt: number, requests: MeasuredRequest[]): Promise<MeasuredSession> {
  const lateMs = Date.now() - (startedAt + session.arrivalMs);
  // A browser of its own: the session's connections are its own, opened in arrival order.
  const agent = new Agent({ keepAlive: true });
  try {
    return await replaySteps(session, options, agent, requests, lateMs);
  } finally {
    agent.destroy();
  }
}

async function replaySteps(session: LiveSession, options: DriveOptions, agent: Agent, requests: MeasuredRequest[], lateMs: number): Promise<MeasuredSession> {
  const jar = new Map<string, string>();
  let version = 0;
  for (let k = 0; k <= session.lastStep; k++) {
    const step = session.steps[k]!;
    const base = version;
    let writer = 0;
    const answers = await Promise.all(
      step.requests.map(async (r, i) => {
        const headers: Record<string, string> = {
          'x-request-id': `${session.index}.${k}.${i}`,
          'x-session-id': session.id,
          'x-forwarded-for': step.address,
          'x-needs': step.needsSession ? '1' : '0',
          'x-version': String(base),
          'x-service-ms': String(r.serviceMs + options.storeRoundTripMs * (r.writes ? 2 : 1)),
        };
        if (r.writes) headers['x-write-version'] = String(base + ++writer);
        if (jar.size > 0) headers['cookie'] = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
        const sent = performance.now();
        const answer = await send(agent, options.port, step.method, headers);
        const latencyMs = performance.now() - sent;
        const backend = answer.headers['x-backend'] as string | undefined;
        const backendMs = answer.headers['x-backend-ms'] === undefined ? undefined : Number(answer.headers['x-backend-ms']);
        requests.push({ id: headers['x-request-id']!, status: answer.status, backend, latencyMs, backendMs });
        if (!session.refusesCookies) keepCookies(jar, answer.headers['set-cookie'] as string[] | undefined);
        return answer;
      }),
    );
    const failed = answers.find((a) => a.status !== 200);
    if (failed !== undefined) return { index: session.index, outcome: 'broken', cause: causeOf(failed.status, failed.headers['x-state'] as string | undefined), stepsCompleted: k, lateMs };
    version = base + writer;
    if (k < session.lastStep) await sleep(step.thinkMs);
  }
  const completed = session.lastStep === session.steps.length - 1;
  return { index: session.index, outcome: completed ? 'completed' : 'abandoned', cause: undefined, stepsCompleted: session.lastStep + 1, lateMs };
}

/**
 * Replays every session from the next whole second; resolves when the last has ended. One loop
 * starts the sessions in arrival order, so two sessions due in the same millisecond still reach
 * the balancer in the order lbsim has them (round robin's first picks depend on it).
 */
export async function drive(sessions: readonly LiveSession[], options: DriveOptions): Promise<DriveResult> {
  // nginx counts fail_timeout in whole wall-clock seconds: time 0 is on a whole second.
  const startedAt = Math.ceil((Date.now() + 200) / 1000) * 1000;
  await sleep(startedAt - Date.now());
  options.onStart(startedAt);
  const requests: MeasuredRequest[] = [];
  let done = 0;
  const running: Promise<MeasuredSession>[] = [];
  for (const session of sessions) {
    const due = startedAt + session.arrivalMs - Date.now();
    if (due > 0) await sleep(due);
    running.push(
      replaySession(session, options, startedAt, requests).then((result) => {
        options.onSessionEnd(++done);
        return result;
      }),
    );
  }
  return { sessions: await Promise.all(running), requests, startedAt };
}
