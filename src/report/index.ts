export { buildSummary, SUMMARY_SCHEMA_VERSION } from './summary.js';
export type { Summary, StrategySummary, SummaryMeta, LatencySummary } from './summary.js';
export { renderTerminal } from './terminal.js';
export { renderCsv } from './csv.js';
export { renderJson } from './json.js';
