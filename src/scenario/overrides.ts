/**
 * Command-line overrides of a scenario file: `--seed`, `--sessions N` and `--strategy NAME`.
 * Seed and session count are written into the decoded document before validation, because the
 * session count can move the arrival window and with it every time given as a percentage; the
 * strategy choice filters the validated scenario. Errors name the option, not the file.
 */
import { closestMatch, listNames } from './did-you-mean.js';
import type { Loaded, ScenarioError } from './errors.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { issuesToErrors } from './zod-issues.js';

/** Values given on the command line; each one present replaces the file's. */
export interface ScenarioOverrides {
  /** Replaces `seed`. */
  readonly seed?: string | number | undefined;
  /** Replaces `sessions` (the number of sessions that arrive). */
  readonly sessions?: number | undefined;
  /** Keeps only the strategy of this name. */
  readonly strategy?: string | undefined;
}

/** The `file` of errors that come from options rather than from the scenario file. */
export const COMMAND_LINE = 'command line';

const optionError = (option: string, message: string, suggestion?: string): ScenarioError => ({
  file: COMMAND_LINE,
  path: option,
  message,
  ...(suggestion === undefined ? {} : { suggestion }),
});

/**
 * Writes `seed` and `sessions` overrides into a decoded scenario document (a shallow copy; the
 * input is not changed). An out-of-range `sessions` is reported against `--sessions`.
 */
export function overrideDocument(document: unknown, overrides: ScenarioOverrides): { readonly document: unknown; readonly errors: readonly ScenarioError[] } {
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
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return { document, errors: [] };
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
