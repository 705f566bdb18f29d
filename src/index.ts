/** lbsim's library API: load a scenario, run it, render the results. The CLI is a thin shell over these. */
export { LBSIM_VERSION } from './version.js';
export { parseScenarioText, formatScenarioErrors, closestMatch, parseNginxConfig, parseHaproxyConfig, parseSetOptions, scenarioJsonSchema } from './scenario/index.js';
export type { Scenario, ScenarioInput, ScenarioError, Loaded, StrategySpec, BackendSpec, TimelineEvent, NginxConfig, ProxySettings, ScenarioOverrides, SetValue } from './scenario/index.js';
export { runScenario, runStrategy, replications, traceSession, replay, routeKeys, UpstreamRequest, exportSessions, recordedSessionsProblem } from './sim/index.js';
export type { ScenarioResult, StrategyResult, RunOptions, ReplayEvent, ReplayRequest, ReplayResult, RouteRequest, RouteResult, RouteSetup, SessionTrace } from './sim/index.js';
export { buildSummary, renderTerminal, renderJson, renderCsv, renderHtml, parseSummaryText, HTML_ASSET_FILES, combineReplications, renderTrace, buildSweep, renderSweepCsv, renderSweepHtml, renderSweepTerminal } from './report/index.js';
export type { Summary, StrategySummary, SummaryMeta, HtmlAssets, ScenarioSetup, Sweep, SweepRuns } from './report/index.js';
export { createStrategy, METHOD_NAMES } from './strategies/index.js';
export type { Strategy, PeerPicker, PeerSpec, Pick } from './strategies/index.js';
export { BREAK_CAUSES } from './model/index.js';
export type { BreakCause, SimEvent, ExportedSession, ExportedStep } from './model/index.js';
