export { runScenario, runStrategy } from './run.js';
export type { ScenarioResult, StrategyResult, RunOptions } from './run.js';
export type { RunFacts, EventSink } from './strategy-run.js';
export { UpstreamRequest, attemptFailureFor, DEFAULT_PROXY_SETTINGS } from './upstream.js';
export type { ProxySettings, AttemptFailure } from './upstream.js';
export type { BackendMode } from './upstream.js';
export { httpMethodOf, replay } from './replay.js';
export type { NginxConfig, ReplayEvent, ReplayRequest, ReplayResult } from './replay.js';
