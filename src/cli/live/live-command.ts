/**
 * `lbsim live <scenario>`: the scenario's sessions through a real nginx or HAProxy (and Redis) on
 * loopback, beside lbsim's prediction on the same seed, session by session. Writes live.json and
 * live.md into --out; --json prints the comparison's headline figures; --print-config prints the
 * generated configurations and exits.
 */
import { join } from 'node:path';
import { formatScenarioErrors, type Scenario } from '../../scenario/index.js';
import { InputError } from '../errors.js';
import type { Io } from '../io.js';
import { loadScenario, slug } from '../run-command.js';
import { compare, predict, predictReplications, type StrategyComparison } from './compare.js';
import { balancerOf, type Layout } from './configs.js';
import { renderLiveReport, renderLiveTable } from './live-report.js';
import { configFiles, runLive } from './live-run.js';
import { renameBackends, scaleScenario, scenarioRefusal, strategyRefusal, picksDependOnTiming } from './live-scenario.js';
import { findProgram, freePort, ProcessGroup, PROGRAMS } from './processes.js';
import { DEFAULT_QUIET, quietTimeline } from './quiet-moments.js';
import { liveSessions } from './sessions.js';

export interface LiveArgs {
  readonly scenario: string;
  readonly strategy: string | undefined;
  readonly seed: string | undefined;
  readonly sessions: number | undefined;
  readonly timeScale: number | undefined;
  readonly out: string | undefined;
  readonly json: boolean;
  readonly printConfig: boolean;
}

/** Sessions a live run replays at most: each is real traffic held in memory. */
const MAX_LIVE_SESSIONS = 20_000;
const MAX_TIME_SCALE = 1000;

async function layoutFor(scenario: Scenario, folder: string): Promise<Layout> {
  const backends = [];
  for (let i = 0; i < scenario.backends.length; i++) {
    const port = await freePort();
    backends.push({ name: `127.0.0.1:${port}`, port, controlPort: await freePort() });
  }
  return { folder, balancerPort: await freePort(), redisPort: await freePort(), backends };
}

export async function liveCommand(args: LiveArgs, io: Io): Promise<number> {
  const loaded = await loadScenario(args.scenario, io, { seed: args.seed, sessions: args.sessions, strategy: args.strategy });
  if (!loaded.ok) {
    io.stderr.write(formatScenarioErrors(loaded.errors));
    return 2;
  }
  const k = args.timeScale ?? 1;
  if (!(Number.isFinite(k) && k > 0 && k <= MAX_TIME_SCALE)) throw new InputError('--time-scale', `expected a number above 0 and at most ${MAX_TIME_SCALE}, got ${args.timeScale}`);
  const original = loaded.scenario;
  for (const spec of original.strategies) {
    const refusal = strategyRefusal(spec);
    if (refusal !== undefined) throw new InputError(args.scenario, `strategy "${spec.name}" cannot run live: ${refusal}`);
  }
  const refusal = scenarioRefusal(original, original.strategies);
  if (refusal !== undefined) throw new InputError(args.scenario, `cannot run live: ${refusal}`);

  const group = await ProcessGroup.create();
  const interrupted = (signal: NodeJS.Signals) => {
    void group.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const layout = await layoutFor(original, group.folder);
    const scenario = scaleScenario(renameBackends(original, layout.backends.map((b) => b.name)), k);
    if (args.printConfig) {
      for (const spec of scenario.strategies) {
        for (const [file, text] of Object.entries(configFiles(scenario, spec, { ...layout, folder: join(group.folder, slug(spec.name)) }))) io.stdout.write(`# ---- ${spec.name}: ${file}\n${text}\n`);
      }
      return 0;
    }
    const needed = new Set(scenario.strategies.flatMap((s) => [balancerOf(s), ...(s.store === 'shared' ? ['redis-server' as const] : [])]));
    const missing = [...needed].filter((p) => findProgram(p) === undefined);
    if (missing.length > 0) throw new InputError('lbsim live', `${missing.join(', ')} not on PATH; install ${missing.length === 1 ? 'it' : 'them'} (Debian: apt-get install ${missing.map((p) => PROGRAMS[p]).join(' ')})`);
    const sessions = liveSessions(scenario);
    if (sessions.length > MAX_LIVE_SESSIONS) throw new InputError(args.scenario, `${sessions.length} sessions; lbsim live replays at most ${MAX_LIVE_SESSIONS} (lower sessions or the window)`);
    const started = io.now();
    const total = sessions.length * scenario.strategies.length;
    const progress = io.isTTY && !args.json;
    let lastDraw = 0;
    const draw = (done: number) => {
      const now = Date.now();
      if (!progress || (now - lastDraw < 250 && done < total)) return;
      lastDraw = now;
      const elapsed = (now - started.getTime()) / 1000;
      const eta = done === 0 ? '?' : `${Math.ceil((elapsed * (total - done)) / done)} s`;
      const width = 30;
      const filled = Math.round((width * done) / total);
      io.stderr.write(`\r\u001b[K  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} sessions, ETA ${eta}`);
    };
    const comparisons: StrategyComparison[] = [];
    for (const [i, spec] of scenario.strategies.entries()) {
      // Compared session by session, the timeline's moments are moved off any request they would
      // race (quiet-moments.ts); compared by counts, a race moves a count by one and they stay.
      const timing = picksDependOnTiming(spec);
      const quiet = timing ? { scenario, moved: [] } : quietTimeline(scenario, spec, { ...DEFAULT_QUIET, wholeSeconds: balancerOf(spec) === 'nginx' });
      const prediction = predict(quiet.scenario, spec, started);
      const folder = join(group.folder, slug(spec.name));
      const stepStartMs = (session: number, step: number) => prediction.stepStartMs.get(`${session}.${step}`);
      const run = await runLive(quiet.scenario, spec, { ...layout, folder }, group, sessions, (done) => draw(i * sessions.length + done), stepStartMs);
      const replicas = timing ? predictReplications(quiet.scenario, spec, started) : undefined;
      comparisons.push({ ...compare({ scenario: quiet.scenario, spec, sessions, prediction, drive: run.drive, logged: run.logged, replicas, generatedAt: started }), moments: quiet.moved });
    }
    if (progress) io.stderr.write('\r\u001b[K');
    const out = args.out ?? join('reports', `${slug(original.name)}-live`);
    const live = { scenario: original.name, seed: scenario.seed, timeScale: k, backends: scenario.backends.map((b, i) => ({ scenario: original.backends[i]!.name, live: b.name })), strategies: comparisons };
    await io.writeFileAtomic(join(out, 'live.json'), `${JSON.stringify(live, null, 2)}\n`);
    await io.writeFileAtomic(join(out, 'live.md'), renderLiveReport(live));
    if (args.json) {
      const headline = comparisons.map((c) => ({ name: c.name, predicted: c.predicted, measured: c.measured, sessionsDiffering: c.sessionsDiffering, routeAgreement: c.routeAgreement, hopMs: c.hopMs, valid: c.valid, ...(c.invalidReason === undefined ? {} : { invalidReason: c.invalidReason }) }));
      io.stdout.write(`${JSON.stringify({ strategies: headline }, null, 2)}\n`);
    } else {
      io.stdout.write(renderLiveTable(live));
      io.stdout.write(`\nwrote ${join(out, 'live.json')} and live.md (${((io.now().getTime() - started.getTime()) / 1000).toFixed(1)} s)\n`);
    }
    const invalid = comparisons.filter((c) => !c.valid);
    for (const c of invalid) io.stderr.write(`lbsim live: ${c.name}: invalid run: ${c.invalidReason}\n`);
    return 0;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await group.stopAll();
  }
}
