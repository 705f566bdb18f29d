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
import { drive, type DriveResult } from './driver.js';
import { parseHaproxyLog, parseNginxLog, type LoggedRequest } from './compare.js';
import { requireProgram, type ProcessGroup } from './processes.js';
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

export interface StrategyRunResult {
  readonly drive: DriveResult;
  readonly logged: ReadonlyMap<string, LoggedRequest>;
}

export async function runLive(scenario: Scenario, spec: StrategySpec, layout: Layout, group: ProcessGroup, sessions: readonly LiveSession[], onSession: (done: number) => void): Promise<StrategyRunResult> {
  const balancer = balancerOf(spec);
  const shared = spec.store === 'shared';
  const programs = { balancer: requireProgram(balancer), redis: shared ? requireProgram('redis-server') : undefined };
  await mkdir(layout.folder, { recursive: true });
  const files = configFiles(scenario, spec, layout);
  for (const [name, text] of Object.entries(files)) await writeFile(join(layout.folder, name), text);
  const startRedis = () => group.start(`${spec.name}-redis`, programs.redis!, [join(layout.folder, 'redis.conf')], layout.redisPort);
  if (shared) await startRedis();
  const backend = backendCommand();
  const startBackend = (i: number) => {
    const b = layout.backends[i]!;
    const speed = scenario.backends[i]!.speed;
    const onOutage = scenario.stores.shared.onOutage;
    return group.start(`${spec.name}-backend-${i + 1}`, backend.command, [...backend.args, String(b.port), String(b.controlPort), String(scenario.backends[i]!.workers), String(speed), onOutage, ...(shared ? [String(layout.redisPort)] : [])], b.port);
  };
  for (let i = 0; i < layout.backends.length; i++) await startBackend(i);
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
  const name = (i: number) => `${spec.name}-backend-${i + 1}`;
  const controlOf = (i: number) => layout.backends[i]!.controlPort;
  /** Brings backend i back to normal, whatever stopped it. */
  const up = async (i: number) => {
    if (!group.has(name(i))) await startBackend(i);
    else {
      group.signal(name(i), 'SIGCONT');
      await control(controlOf(i), '/mode?m=up');
    }
  };
  const schedule = (startedAt: number) => {
    for (const event of scenario.timeline) {
      const end = 'durationMs' in event && event.durationMs !== undefined ? event.atMs + event.durationMs : undefined;
      if (event.kind === 'mode') {
        const i = backendIndex(event.backend);
        at(startedAt, event.atMs, async () => {
          if (event.mode === 'up') await up(i);
          else if (event.mode === 'refused') group.signal(name(i), 'SIGKILL');
          else if (event.mode === 'hang') group.signal(name(i), 'SIGSTOP');
          else await control(controlOf(i), `/mode?m=${event.mode}`);
        });
        if (end !== undefined) at(startedAt, end, () => up(i));
      } else if (event.kind === 'slow') {
        const i = backendIndex(event.backend);
        at(startedAt, event.atMs, () => control(controlOf(i), `/slow?speed=${event.speed}`));
        if (end !== undefined) at(startedAt, end, () => control(controlOf(i), '/slow?speed=1'));
      } else if (event.kind === 'errors') {
        const i = backendIndex(event.backend);
        at(startedAt, event.atMs, () => control(controlOf(i), '/errors?on=1'));
        if (end !== undefined) at(startedAt, end, () => control(controlOf(i), '/errors?on=0'));
      } else if (event.kind === 'cache-outage' && shared) {
        at(startedAt, event.atMs, () => group.stop(`${spec.name}-redis`, 'SIGTERM'));
        if (end !== undefined) at(startedAt, end, async () => void (await startRedis()));
      }
    }
  };
  const storeRoundTripMs = shared ? scenario.stores.shared.roundTrip : 0;
  let result: DriveResult;
  try {
    result = await drive(sessions, { port: layout.balancerPort, storeRoundTripMs, onStart: schedule, onSessionEnd: onSession });
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  if (failures.length > 0) throw failures[0];
  // The balancer writes its log as it goes; stopping it flushes the rest.
  await group.stop(`${spec.name}-${balancer}`);
  const log = balancer === 'nginx' ? await readFile(join(layout.folder, 'access.log'), 'utf8') : await readFile(join(group.folder, `${spec.name}-haproxy.out`), 'utf8');
  const logged = balancer === 'nginx' ? parseNginxLog(log) : parseHaproxyLog(log);
  for (let i = 0; i < layout.backends.length; i++) await group.stop(name(i));
  if (shared) await group.stop(`${spec.name}-redis`);
  return { drive: result, logged };
}
