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
 * The default for `--threads`: the cores this process may use, for work large enough to gain
 * from them; 1 for small runs. `runs` counts replications or sweep points of the same size.
 */
export function defaultThreads(scenario: Scenario, runs = 1): number {
  return expectedSessions(scenario) * scenario.strategies.length * runs >= PARALLEL_WORTH_IT ? availableParallelism() : 1;
}

const WORKER = new URL('./strategy-worker.js', import.meta.url);

/** Progress callbacks: a strategy run finished; sessions arrived so far in the running strategy (sequential runs only). */
export interface Progress {
  readonly done: (name: string, done: number, total: number) => void;
  /** `now` is the simulated time, negative during a warm-up. */
  readonly arrived: (name: string, sessionsArrived: number, now: number) => void;
}

/**
 * Runs every strategy of every scenario on up to `threads` worker threads; results come back in
 * the order given. Sequential when one thread is asked for, when there is a single task, or when
 * running from TypeScript sources (no compiled worker). `label` names a run in progress lines
 * (default: the strategy's name; a sweep adds the point).
 */
export async function runScenariosThreaded(scenarios: readonly Scenario[], threads: number, progress?: Progress, label: (scenarioIndex: number, strategy: string) => string = (_, strategy) => strategy): Promise<ScenarioResult[]> {
  const tasks: (StrategyTask & { readonly scenarioIndex: number })[] = scenarios.flatMap((scenario, scenarioIndex) => scenario.strategies.map((_, strategyIndex) => ({ scenario, strategyIndex, scenarioIndex })));
  const total = tasks.length;
  let done = 0;
  const nameOf = (task: (typeof tasks)[number]) => label(task.scenarioIndex, task.scenario.strategies[task.strategyIndex]!.name);
  const finished = (task: (typeof tasks)[number]) => progress?.done(nameOf(task), ++done, total);
  let results: StrategyResult[];
  if (threads <= 1 || total <= 1 || !existsSync(fileURLToPath(WORKER))) {
    // Sequential runs also report progress within each strategy.
    const arrived = progress?.arrived;
    results = tasks.map((task) => {
      const onProgress = arrived && ((_: string, sessions: number, now: number) => arrived(nameOf(task), sessions, now));
      const result = runStrategy(task.scenario, task.scenario.strategies[task.strategyIndex]!, onProgress ? { onProgress } : {});
      finished(task);
      return result;
    });
  } else {
    // Loaded only here: a single-threaded run has no use for it or Node's worker modules.
    const { default: Tinypool } = await import('tinypool');
    const pool = new Tinypool({ filename: WORKER.href, minThreads: 1, maxThreads: Math.min(threads, total), isolateWorkers: false });
    try {
      results = await Promise.all(
        tasks.map(async (task) => {
          const work: StrategyTask = { scenario: task.scenario, strategyIndex: task.strategyIndex };
          const result = (await pool.run(work)) as StrategyResult;
          finished(task);
          return result;
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  let next = 0;
  return scenarios.map((scenario) => ({ scenario, strategies: scenario.strategies.map(() => results[next++]!) }));
}
