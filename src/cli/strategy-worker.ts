/**
 * A worker thread's task: run one strategy of a scenario. The worker regenerates the identical
 * workload from the scenario's seed, so results match a sequential run byte for byte.
 */
import type { Scenario } from '../scenario/index.js';
import { runStrategy, type StrategyResult } from '../sim/index.js';

export interface StrategyTask {
  readonly scenario: Scenario;
  readonly strategyIndex: number;
}

export default function runStrategyTask(task: StrategyTask): StrategyResult {
  return runStrategy(task.scenario, task.scenario.strategies[task.strategyIndex]!);
}
