/**
 * Command-line overrides of a scenario file: `--seed`, `--sessions N`, `--set PATH=VALUE` and
 * `--strategy NAME`. Seed, session count and set values are written into the decoded document
 * before validation, because the session count can move the arrival window and with it every
 * time given as a percentage; the strategy choice filters the validated scenario. Errors name
 * the option, not the file.
 */
import { closestMatch, listNames } from './did-you-mean.js';
import { COMMAND_LINE, type Loaded, type ScenarioError } from './errors.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { isObject } from './schema-walk.js';
import { setValues, type SetValue } from './set-values.js';
import { issuesToErrors } from './zod-issues.js';

export { COMMAND_LINE };

/** Values given on the command line; each one present replaces the file's. */
export interface ScenarioOverrides {
  /** Replaces `seed`. */
  readonly seed?: string | number | undefined;
  /** Replaces `sessions` (the number of sessions that arrive). */
  readonly sessions?: number | undefined;
  /** Keeps only the strategy of this name. */
  readonly strategy?: string | undefined;
  /** Values written at their field paths (`--set clients.nat.share=0.2`), in order, after `seed` and `sessions`. */
  readonly set?: readonly SetValue[] | undefined;
}

const optionError = (option: string, message: string, suggestion?: string): ScenarioError => ({
  file: COMMAND_LINE,
  path: option,
  message,
  ...(suggestion === undefined ? {} : { suggestion }),
});

/**
 * Writes `seed`, `sessions` and `set` overrides into a decoded scenario document (copies; the
 * input is not changed). An out-of-range `sessions` is reported against `--sessions`, a bad
 * `--set` path or value against `--set`.
 */
export function overrideDocument(document: unknown, overrides: ScenarioOverrides): { readonly document: unknown; readonly errors: readonly ScenarioError[] } {
  const seeded = overrideSeedAndSessions(document, overrides);
  return overrides.set === undefined || overrides.set.length === 0 || seeded.errors.length > 0 || !isObject(seeded.document) ? seeded : setValues(seeded.document, overrides.set);
}

function overrideSeedAndSessions(document: unknown, overrides: ScenarioOverrides): { readonly document: unknown; readonly errors: readonly ScenarioError[] } {
  const { seed, sessions } = overrides;
  if (seed === undefined && sessions === undefined) return { document, errors: [] };
  if (sessions !== undefined) {
    const schema = ScenarioSchema.shape.sessions;
    const checked = schema.safeParse(sessions);
    if (!checked.success) {
      const errors = issuesToErrors(checked.error.issues, { file: COMMAND_LINE, document: sessions, schema });
      return { document, errors: errors.map((e) => ({ ...e, path: '--sessions' })) };
    }
  }
  // A document that is not an object stays as it is: validation reports that better than we could.
  if (!isObject(document)) return { document, errors: [] };
  return {
    document: { ...document, ...(seed === undefined ? {} : { seed }), ...(sessions === undefined ? {} : { sessions }) },
    errors: [],
  };
}

/**
 * Keeps only the strategy named `name` (`--strategy`). An unknown name is an error that lists the
 * scenario's strategies and suggests the closest.
 */
export function selectStrategy(scenario: Scenario, name: string): Loaded {
  const chosen = scenario.strategies.filter((s) => s.name === name);
  if (chosen.length > 0) return { ok: true, scenario: { ...scenario, strategies: chosen } };
  const names = scenario.strategies.map((s) => s.name);
  const message = `no strategy named ${JSON.stringify(name)}; this scenario has ${listNames(names, 20, ' and ')}`;
  return { ok: false, errors: [optionError('--strategy', message, closestMatch(name, names))] };
}
