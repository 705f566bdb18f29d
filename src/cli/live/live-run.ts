/**
 * One strategy run live: Redis (for `store: shared`), a backend process per backend and the
 * balancer are started in a folder of their own, the backends are warmed, the sessions are
 * driven while the timeline acts on the processes, and everything is stopped again. The
 * timeline's events map to processes: `refused` SIGKILLs the backend and `up` restarts it,
 * `hang` SIGSTOPs it, `crash`, `reset`, `slow` and `errors` go through its control port, and
 * `cache-outage` SIGTERMs Redis (which saves its data) and restarts it from the same folder.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Scenario, StrategySpec } from '../../scenario/index.js';
import { assertLoopback, balancerOf, haproxyConfig, nginxConfig, redisConfig, type Layout } from './configs.js';
import { drive, type DriveResult, type StepPlan } from './driver.js';
import { parseHaproxyLog, parseNginxLog, type LoggedRequest } from './compare.js';
import { requireProgram, type ProcessGroup } from './processes.js';
import { backendChanges } from './live-scenario.js';
import type { LiveSession } from './sessions.js';

/** Where the backend process's script is: beside the bundle, or (from sources) beside this file. */
function backendCommand(): { readonly command: string; readonly args: readonly string[] } {
  const url = new URL(import.meta.url);
  // From sources (the tests): tsx, found from here since the process runs in its own folder.
  if (url.pathname.endsWith('.ts')) return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), new URL('./live-backend.ts', url).pathname] };
  const beside = new URL('./live-backend.js', url).pathname;
  return { command: process.execPath, args: [beside] };
}

/** The configuration files of a strategy, by file name. */
export function configFiles(scenario: Scenario, spec: StrategySpec, layout: Layout): Record<string, string> {
  const files: Record<string, string> = balancerOf(spec) === 'nginx' ? { 'nginx.conf': nginxConfig(scenario, spec, layout) } : { 'haproxy.cfg': haproxyConfig(scenario, spec, layout) };
  if (spec.store === 'shared') files['redis.conf'] = redisConfig(layout);
  for (const text of Object.values(files)) assertLoopback(text);
  return files;
}

function control(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      res.resume();
      res.once('end', () => resolve());
    });
    req.once('error', reject);
    req.end();
  });
}

async function warm(port: number): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/__warm' }, (res) => res.resume().once('end', () => resolve()));
      req.once('error', () => resolve());
      req.end();
    });
  }
}

/** How long before its moment a restarted backend's process is started (node's start-up takes a few hundred ms). */
const RESTART_LEAD_MS = 1000;

export interface StrategyRunResult {
  readonly drive: DriveResult;
  readonly logged: ReadonlyMap<string, LoggedRequest>;
}

/**
 * Runs one strategy live. `stepStartMs` (the prediction's) sends each step when lbsim sends it,
 * as long as the answer before it is in (see driver.ts).
 */
export async function runLive(scenario: Scenario, spec: StrategySpec, layout: Layout, group: ProcessGroup, sessions: readonly LiveSession[], onSession: (done: number) => void, stepStartMs?: StepPlan): Promise<StrategyRunResult> {
  const balancer = balancerOf(spec);
  const shared = spec.store === 'shared';
  const programs = { balancer: requireProgram(balancer), redis: shared ? requireProgram('redis-server') : undefined };
  await mkdir(layout.folder, { recursive: true });
  const files = configFiles(scenario, spec, layout);
  for (const [name, text] of Object.entries(files)) await writeFile(join(layout.folder, name), text);
  const startRedis = () => group.start(`${spec.name}-redis`, programs.redis!, [join(layout.folder, 'redis.conf')], layout.redisPort);
  if (shared) await startRedis();
  const backend = backendCommand();
  /** Starts backend i's process; `listenAt` (epoch ms, 0: now) lets a restart start early and open its port on time. */
  const startBackend = (i: number, processName: string, listenAt = 0) => {
    const b = layout.backends[i]!;
    const speed = scenario.backends[i]!.speed;
    const onOutage = scenario.stores.shared.onOutage;
    return group.start(processName, backend.command, [...backend.args, String(b.port), String(b.controlPort), String(scenario.backends[i]!.workers), String(speed), onOutage, String(listenAt), ...(shared ? [String(layout.redisPort)] : [])], b.port);
  };
  /** Each backend's running process; a restart is a new one (`-r1`, `-r2`, …). */
  const current = layout.backends.map((_, i) => `${spec.name}-backend-${i + 1}`);
  for (let i = 0; i < layout.backends.length; i++) await startBackend(i, current[i]!);
  for (const b of layout.backends) await warm(b.port);
  const balancerArgs = balancer === 'nginx' ? ['-p', `${layout.folder}/`, '-c', join(layout.folder, 'nginx.conf'), '-e', join(layout.folder, 'nginx-error.log')] : ['-db', '-f', join(layout.folder, 'haproxy.cfg')];
  await group.start(`${spec.name}-${balancer}`, programs.balancer, balancerArgs, layout.balancerPort);

  const timers: NodeJS.Timeout[] = [];
  const failures: Error[] = [];
  const at = (startedAt: number, ms: number, action: () => Promise<void> | void) => {
    timers.push(
      setTimeout(() => {
        void Promise.resolve()
          .then(action)
          .catch((error: Error) => failures.push(error));
      }, Math.max(0, startedAt + ms - Date.now())),
    );
  };
  const backendIndex = (name: string) => scenario.backends.findIndex((b) => b.name === name);
  const controlOf = (i: number) => layout.backends[i]!.controlPort;
  const restarts = layout.backends.map(() => 0);
  const schedule = (startedAt: number) => {
    for (const change of backendChanges(scenario.timeline)) {
      const i = backendIndex(change.backend);
      const { atMs } = change;
      if (change.kind === 'mode') {
        if (change.mode === 'up' && change.killed) {
          // A new process, started early (node takes a while), opens the port on the moment.
          const processName = `${spec.name}-backend-${i + 1}-r${++restarts[i]!}`;
          at(startedAt, atMs - RESTART_LEAD_MS, async () => {
            await startBackend(i, processName, startedAt + atMs);
            current[i] = processName;
          });
        } else if (change.mode === 'up') {
          at(startedAt, atMs, async () => {
            group.signal(current[i]!, 'SIGCONT');
            await control(controlOf(i), '/mode?m=up');
          });
        } else if (change.mode === 'refused') at(startedAt, atMs, () => group.signal(current[i]!, 'SIGKILL'));
        else if (change.mode === 'hang') at(startedAt, atMs, () => group.signal(current[i]!, 'SIGSTOP'));
        else at(startedAt, atMs, () => control(controlOf(i), `/mode?m=${change.mode}`));
      } else if (change.kind === 'slow') at(startedAt, atMs, () => control(controlOf(i), `/slow?speed=${change.speed}`));
      else at(startedAt, atMs, () => control(controlOf(i), `/errors?on=${change.on ? 1 : 0}`));
    }
    for (const event of scenario.timeline) {
      if (event.kind !== 'cache-outage' || !shared) continue;
      at(startedAt, event.atMs, () => group.stop(`${spec.name}-redis`, 'SIGTERM'));
      if (event.durationMs !== undefined) at(startedAt, event.atMs + event.durationMs, async () => void (await startRedis()));
    }
  };
  const storeRoundTripMs = shared ? scenario.stores.shared.roundTrip : 0;
  let result: DriveResult;
  try {
    result = await drive(sessions, { port: layout.balancerPort, storeRoundTripMs, onStart: schedule, onSessionEnd: onSession, stepStartMs });
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  if (failures.length > 0) throw failures[0];
  // The balancer writes its log as it goes; stopping it flushes the rest.
  await group.stop(`${spec.name}-${balancer}`);
  const log = balancer === 'nginx' ? await readFile(join(layout.folder, 'access.log'), 'utf8') : await readFile(join(group.folder, `${spec.name}-haproxy.out`), 'utf8');
  const logged = balancer === 'nginx' ? parseNginxLog(log) : parseHaproxyLog(log);
  for (const processName of current) await group.stop(processName);
  if (shared) await group.stop(`${spec.name}-redis`);
  return { drive: result, logged };
}
