import { parseScenarioText, formatScenarioErrors, type Scenario } from '../../src/scenario/index.js';

/** Parses an inline YAML scenario for a test, failing loudly on validation errors. */
export function scenarioFrom(yaml: string, file = 'test.yaml'): Scenario {
  const loaded = parseScenarioText(yaml, file);
  if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
  return loaded.scenario;
}
