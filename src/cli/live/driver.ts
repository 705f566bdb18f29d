/**
 * The load driver: each session replayed as real HTTP through the balancer on loopback, at its
 * arrival time from a start on a whole second. A session sends its steps' requests at once,
 * thinks, and goes on until its user leaves or a step fails; it keeps the cookies it is given
 * unless its browser refuses them. Measured figures come only from the answers (status, the
 * `x-backend` and `x-backend-ms` headers) and, later, the balancer's log.
 */
import { Agent, request as httpRequest } from 'node:http';
import { SendGate } from './send-gate.js';
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
  /** When it was sent, ms from the run's time 0. */
  readonly sentMs: number;
  /** Of `backendMs`, the wait for a worker. */
  readonly queueMs: number | undefined;
  /** The backend's session-store operations for it. */
  readonly store: { readonly reads: number; readonly writes: number; readonly hits: number } | undefined;
}

export interface MeasuredSession {
  readonly index: number;
  readonly outcome: 'completed' | 'abandoned' | 'broken';
  readonly cause: MeasuredCause | undefined;
  readonly stepsCompleted: number;
  /** How late the first request left, ms after its planned arrival. */
  readonly lateMs: number;
  /** How late its later steps left on average, ms after lbsim's time for them (0 without a plan). */
  readonly stepsLateMs: number;
}

export interface DriveResult {
  readonly sessions: readonly MeasuredSession[];
  readonly requests: readonly MeasuredRequest[];
  /** Wall-clock epoch ms of the run's time 0. */
  readonly startedAt: number;
}

/** When lbsim sends a session's step (ms from time 0), or undefined where its run did not reach it. */
export type StepPlan = (session: number, step: number) => number | undefined;

export interface DriveOptions {
  readonly port: number;
  /** Added to each request's service demand: the shared store's round trips, as lbsim adds them. */
  readonly storeRoundTripMs: number;
  /** Called at the run's time 0 with the epoch ms, to start the timeline. */
  readonly onStart: (startedAt: number) => void;
  readonly onSessionEnd: (done: number) => void;
  /**
   * lbsim's step times: each step is sent then (or when the answer before it arrives, if later),
   * so that requests reach the balancer in lbsim's order. Without it, and past where lbsim's run
   * went, a step follows the last answer by its think time, and each answer's trip through the
   * balancer (the hop, which lbsim's run leaves out by default) would add up step after step.
   */
  readonly stepStartMs?: StepPlan | undefined;
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

/** Epoch ms, to the microsecond. */
const nowMs = () => performance.timeOrigin + performance.now();

/**
 * Requests due within this of each other leave in their planned order, this far apart. A balancer
 * needs a moment to act on a request: HAProxy sees a refused connection on a later turn of its
 * event loop and only then redispatches, which takes a round-robin turn; 1 ms was not always
 * enough on a busy machine, and a request planned after the redispatch got the turn first.
 */
const SEND_GAP_MS = 3;

/** What the sessions of one run share. */
interface Run {
  readonly options: DriveOptions;
  readonly startedAt: number;
  readonly gate: SendGate;
  readonly requests: MeasuredRequest[];
}

async function replaySession(session: LiveSession, run: Run): Promise<MeasuredSession> {
  // A browser of its own: the session's connections are its own, opened in arrival order.
  const agent = new Agent({ keepAlive: true });
  try {
    return await replaySteps(session, run, agent);
  } finally {
    agent.destroy();
  }
}

async function replaySteps(session: LiveSession, run: Run, agent: Agent): Promise<MeasuredSession> {
  const { options, startedAt, gate, requests } = run;
  const jar = new Map<string, string>();
  let version = 0;
  let lateMs = 0;
  let lateSum = 0;
  let planned = 0;
  // When the step is due (epoch ms): its arrival, lbsim's time for it, or now after the think time.
  let due = startedAt + session.arrivalMs;
  for (let k = 0; k <= session.lastStep; k++) {
    const step = session.steps[k]!;
    const base = version;
    let writer = 0;
    const answers = await Promise.all(
      step.requests.map(async (r, i) => {
        await gate.wait(due);
        if (i === 0 && k === 0) lateMs = nowMs() - due;
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
        const sent = nowMs();
        const answer = await send(agent, options.port, step.method, headers);
        const latencyMs = nowMs() - sent;
        const backend = answer.headers['x-backend'] as string | undefined;
        const number = (name: string) => (answer.headers[name] === undefined ? undefined : Number(answer.headers[name]));
        const ops = (answer.headers['x-store'] as string | undefined)?.split(',').map(Number);
        const store = ops === undefined ? undefined : { reads: ops[0] ?? 0, writes: ops[1] ?? 0, hits: ops[2] ?? 0 };
        requests.push({ id: headers['x-request-id']!, status: answer.status, backend, latencyMs, backendMs: number('x-backend-ms'), sentMs: sent - startedAt, queueMs: number('x-queue-ms'), store });
        if (!session.refusesCookies) keepCookies(jar, answer.headers['set-cookie'] as string[] | undefined);
        return answer;
      }),
    );
    const failed = answers.find((a) => a.status !== 200);
    const stepsLateMs = planned === 0 ? 0 : lateSum / planned;
    if (failed !== undefined) return { index: session.index, outcome: 'broken', cause: causeOf(failed.status, failed.headers['x-state'] as string | undefined), stepsCompleted: k, lateMs, stepsLateMs };
    version = base + writer;
    if (k < session.lastStep) {
      const at = options.stepStartMs?.(session.index, k + 1);
      if (at === undefined) {
        await sleep(step.thinkMs);
        due = nowMs();
      } else {
        due = startedAt + at;
        // Behind lbsim already: the answer came after the step was due.
        lateSum += Math.max(0, nowMs() - due);
        planned++;
      }
    }
  }
  const completed = session.lastStep === session.steps.length - 1;
  return { index: session.index, outcome: completed ? 'completed' : 'abandoned', cause: undefined, stepsCompleted: session.lastStep + 1, lateMs, stepsLateMs: planned === 0 ? 0 : lateSum / planned };
}

/**
 * Replays every session from the next whole second; resolves when the last has ended. Every
 * request leaves through one gate (send-gate.ts), in the order of the times it is due, so that
 * requests due close together still reach the balancer in the order lbsim has them (round
 * robin's picks depend on it).
 */
export async function drive(sessions: readonly LiveSession[], options: DriveOptions): Promise<DriveResult> {
  // nginx counts fail_timeout in whole wall-clock seconds: time 0 is on a whole second.
  const startedAt = Math.ceil((Date.now() + 200) / 1000) * 1000;
  await sleep(startedAt - Date.now());
  options.onStart(startedAt);
  const requests: MeasuredRequest[] = [];
  const run: Run = { options, startedAt, gate: new SendGate(SEND_GAP_MS, nowMs), requests };
  let done = 0;
  const running: Promise<MeasuredSession>[] = [];
  for (const session of sessions) {
    const due = startedAt + session.arrivalMs - Date.now();
    if (due > 0) await sleep(due);
    running.push(
      replaySession(session, run).then((result) => {
        options.onSessionEnd(++done);
        return result;
      }),
    );
  }
  return { sessions: await Promise.all(running), requests, startedAt };
}
