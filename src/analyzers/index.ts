export type { Analyzer } from './analyzer.js';
export { SessionOutcomesAnalyzer } from './session-outcomes.js';
export type { SessionOutcomes } from './session-outcomes.js';
export { LoadSkewAnalyzer, skewOf } from './load-skew.js';
export type { LoadSkew, BackendLoad } from './load-skew.js';
export { LatencyAnalyzer } from './latency.js';
export type { Latency, LatencyStats } from './latency.js';
export { RequestsAnalyzer } from './requests.js';
export type { RequestCounts } from './requests.js';
