/**
 * Runs scenarios' strategies on several cores: one worker-thread task per (scenario, strategy)
 * through one tinypool pool, so replications and sweep points share the cores as well as the
 * strategies of one run. Each task regenerates the workload from its scenario's seed, and results
 * are put back in order, so every result is byte-identical to a sequential run.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../scenario/index.js';
import { runStrategy, type ScenarioResult, type StrategyResult } from '../sim/index.js';
import type { StrategyTask } from './strategy-worker.js';

/** Below this many sessions × strategies, starting worker threads costs more than it saves. */
const PARALLEL_WORTH_IT = 200_000;

/** Sessions one run of `scenario` simulates, warm-up included (expected, when only the arrival window limits them). */
function expectedSessions(scenario: Scenario): number {
  const { ratePerSec, referenceWindowMs } = scenario.arrivals;
  return (scenario.sessions ?? (referenceWindowMs / 1000) * ratePerSec) + (scenario.warmupMs / 1000) * ratePerSec;
}

/**
 * About how much of one strategy run of `scenario` is done, 0 to 0.99 (1 is for its end), from
 * what the simulation reports: measured sessions arrived, and the simulated time, negative
 * during the warm-up (whose sessions are counted by time).
 */
export function runFraction(scenario: Scenario, measuredArrived: number, now: number): number {
  const warmup = (scenario.warmupMs / 1000) * scenario.arrivals.ratePerSec;
  const arrived = now < 0 ? (Math.max(0, scenario.warmupMs + now) / 1000) * scenario.arrivals.ratePerSec : warmup + measuredArrived;
  const expected = expectedSessions(scenario);
  return expected > 0 ? Math.min(0.99, arrived / expected) : 0;
}

/**
 * The default for `--threads`: the cores this process may use, for work large enough to gain
 * from them; 1 for small runs. `runs` counts replications or sweep points of the same size.
 */
export function defaultThreads(scenario: Scenario, runs = 1): number {
  return expectedSessions(scenario) * scenario.strategies.length * runs >= PARALLEL_WORTH_IT ? availableParallelism() : 1;
}

const WORKER = new URL('./strategy-worker.js', import.meta.url);

/** Progress callbacks, for one line covering every strategy run; tasks are numbered from 0. */
export interface Progress {
  /** `tasks` strategy runs are about to start. */
  readonly start: (tasks: number) => void;
  /** Task `task` has done about `fraction` of its work (from a worker thread too). */
  readonly advanced: (task: number, fraction: number) => void;
  readonly done: (task: number) => void;
}

/** What a worker thread sends back while it runs: the arguments of the simulation's progress callback, then the end. */
export type ProgressMessage = { readonly arrived: number; readonly now: number } | { readonly end: true };

/**
 * Runs every strategy of every scenario on up to `threads` worker threads; results come back in
 * the order given. Sequential when one thread is asked for, when there is a single task, or when
 * running from TypeScript sources (no compiled worker). Progress comes from within every run,
 * worker threads included (through a message port per task).
 */
export async function runScenariosThreaded(scenarios: readonly Scenario[], threads: number, progress?: Progress): Promise<ScenarioResult[]> {
  const tasks: StrategyTask[] = scenarios.flatMap((scenario) => scenario.strategies.map((_, strategyIndex) => ({ scenario, strategyIndex })));
  const total = tasks.length;
  progress?.start(total);
  const advanced = (task: StrategyTask, index: number) => (arrived: number, now: number) => progress?.advanced(index, runFraction(task.scenario, arrived, now));
  let results: StrategyResult[];
  if (threads <= 1 || total <= 1 || !existsSync(fileURLToPath(WORKER))) {
    results = tasks.map((task, index) => {
      const report = advanced(task, index);
      const result = runStrategy(task.scenario, task.scenario.strategies[task.strategyIndex]!, progress ? { onProgress: (_, arrived, now) => report(arrived, now) } : {});
      progress?.done(index);
      return result;
    });
  } else {
    // Loaded only here: a single-threaded run has no use for them.
    const { default: Tinypool } = await import('tinypool');
    const { MessageChannel } = await import('node:worker_threads');
    const pool = new Tinypool({ filename: WORKER.href, minThreads: 1, maxThreads: Math.min(threads, total), isolateWorkers: false });
    try {
      results = await Promise.all(
        tasks.map(async (task, index) => {
          if (!progress) return (await pool.run(task)) as StrategyResult;
          const channel = new MessageChannel();
          const report = advanced(task, index);
          // The worker's last message says the run has ended: every progress message is in by then.
          const delivered = new Promise<void>((resolve) =>
            channel.port1.on('message', (message: ProgressMessage) => {
              if ('end' in message) resolve();
              else report(message.arrived, message.now);
            }),
          );
          try {
            const result = (await pool.run({ ...task, progress: channel.port2 }, { transferList: [channel.port2] })) as StrategyResult;
            await delivered;
            progress.done(index);
            return result;
          } finally {
            channel.port1.close();
          }
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  let next = 0;
  return scenarios.map((scenario) => ({ scenario, strategies: scenario.strategies.map(() => results[next++]!) }));
}
