/**
 * Runs a scenario's strategies on several cores: one worker-thread task per strategy through a
 * tinypool pool. Each task regenerates the workload from the seed, and results are put back in
 * file order, so the summary is byte-identical to a sequential run.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { Scenario } from '../scenario/index.js';
import { runScenario, type ScenarioResult, type StrategyResult } from '../sim/index.js';
import type { StrategyTask } from './strategy-worker.js';

/** Below this many sessions × strategies, starting worker threads costs more than it saves. */
const PARALLEL_WORTH_IT = 200_000;

/**
 * The default for `--threads`: the cores this process may use, for runs large enough to gain
 * from them; 1 for small runs.
 */
export function defaultThreads(scenario: Scenario): number {
  const sessions = scenario.sessions ?? (scenario.arrivals.referenceWindowMs / 1000) * scenario.arrivals.ratePerSec;
  return sessions * scenario.strategies.length >= PARALLEL_WORTH_IT ? availableParallelism() : 1;
}

const WORKER = new URL('./strategy-worker.js', import.meta.url);

/** Progress callbacks: a strategy finished; sessions arrived so far in the running strategy (sequential runs only). */
export interface Progress {
  readonly done: (name: string, done: number, total: number) => void;
  readonly arrived: (name: string, sessionsArrived: number) => void;
}

/**
 * Runs every strategy, on up to `threads` worker threads. Sequential when one thread is asked for,
 * when there is a single strategy, or when running from TypeScript sources (no compiled worker).
 */
export async function runScenarioThreaded(scenario: Scenario, threads: number, progress?: Progress): Promise<ScenarioResult> {
  const total = scenario.strategies.length;
  const onDone = progress?.done;
  if (threads <= 1 || total <= 1 || !existsSync(fileURLToPath(WORKER))) {
    // Sequential runs also report progress within each strategy.
    return runScenario(scenario, progress ? { onStrategyDone: (name, index) => progress.done(name, index + 1, total), onProgress: progress.arrived } : {});
  }
  const pool = new Tinypool({ filename: WORKER.href, minThreads: 1, maxThreads: Math.min(threads, total), isolateWorkers: false });
  let done = 0;
  try {
    const strategies = await Promise.all(
      scenario.strategies.map(async (spec, strategyIndex) => {
        const task: StrategyTask = { scenario, strategyIndex };
        const result = (await pool.run(task)) as StrategyResult;
        onDone?.(spec.name, ++done, total);
        return result;
      }),
    );
    return { scenario, strategies };
  } finally {
    await pool.destroy();
  }
}
