/**
 * A worker thread's task: run one strategy of a scenario. The worker regenerates the identical
 * workload from the scenario's seed, so results match a sequential run byte for byte. Progress,
 * when asked for, goes back through the task's message port.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.js';
import { runStrategy, type StrategyResult } from '../sim/index.js';
import type { ProgressMessage } from './parallel.js';

export interface StrategyTask {
  readonly scenario: Scenario;
  readonly strategyIndex: number;
  /** Where to send ProgressMessages while the strategy runs. */
  readonly progress?: MessagePort;
}

export default function runStrategyTask(task: StrategyTask): StrategyResult {
  const port = task.progress;
  try {
    const report = (_: string, arrived: number, now: number) => port!.postMessage({ arrived, now } satisfies ProgressMessage);
    return runStrategy(task.scenario, task.scenario.strategies[task.strategyIndex]!, port ? { onProgress: report } : {});
  } finally {
    port?.postMessage({ end: true } satisfies ProgressMessage);
    port?.close();
  }
}
