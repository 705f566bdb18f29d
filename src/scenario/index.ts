/**
 * Everything about input, as one import: the scenario types other folders code against, the
 * loader that turns a file's text into a `Scenario` or `ScenarioError`s, the unit parsers, the
 * nginx `upstream { … }` parser, and the did-you-mean helper the sweep command reuses.
 */
export type { BackendMode, BackendSpec, Scenario, ScenarioInput, Step, StoreKind, StrategySpec, TimelineEvent } from './schema.js';
export { peerSpecOf, BACKEND_MODES, DEFAULT_STEPS, METHOD_NAMES, NormalizedScenarioSchema, STORE_KINDS, ScenarioSchema } from './schema.js';
export type { Distribution } from '../fields/index.js';
export type { Loaded, ScenarioError } from './errors.js';
export { excerpt, formatPath, formatScenarioError, formatScenarioErrors } from './errors.js';
export { closestMatch, editDistance, listNames } from './did-you-mean.js';
export { isObject } from './schema-walk.js';
export { nestingProblem } from './nesting.js';
export { LIMITS, formatCount } from './sections/limits.js';
export { BACKEND_MODE_HELP, STORE_KIND_HELP } from './catalog.js';
export { eventWords, TIMELINE_EVENT_HELP } from './sections/timeline.js';
export { SCENARIO_JSON_SCHEMA_FILE, renderScenarioJsonSchema, scenarioJsonSchema } from './json-schema.js';
export { starterScenarioJson, starterScenarioYaml, type StarterOptions } from './starter.js';
export { MAX_REPORTED_ERRORS, MAX_SCENARIO_TEXT, parseScenarioText } from './load.js';
export { COMMAND_LINE, overrideDocument, selectStrategy, type ScenarioOverrides } from './overrides.js';
export { parseSetOptions, parseSetPath, setValues, splitSetOption, type SetOption, type SetValue } from './set-values.js';
export { parseHaproxyConfig, type HaproxyConfig, type HaproxyConfigError, type HaproxyConfigResult } from './haproxy-config.js';
export { DEFAULT_PROXY_SETTINGS, parseNginxConfig, type NginxConfig, type NginxConfigError, type NginxConfigResult, type ProxySettings } from './nginx-config.js';
// The unit parsers, for the layers above that may not import fields/ (the sweep's axis).
export { parseDurationMs, parsePercent, parseRatePerSec } from '../fields/index.js';
export { isNginxMethod } from '../strategies/index.js';
