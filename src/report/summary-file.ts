/**
 * Reading a saved summary.json back (`lbsim report`): the text is parsed and checked for the
 * fields the reports read, so a wrong or damaged file is a message naming the file and the field,
 * not a crash halfway through rendering. Fields added after schema version 1 (the scenario setup,
 * timelines) are optional and not required here; the renderers treat them as optional.
 */
import { HEADLINE_ROWS } from './html/headline.js';
import { SUMMARY_SCHEMA_VERSION, type Summary } from './summary.js';

/** A summary read from a file, or why it cannot be used. */
export type SummaryRead = { readonly ok: true; readonly summary: Summary } | { readonly ok: false; readonly error: string };

// Not scenario's own guard: reading a summary must not load the scenario schema (and zod).
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function at(node: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), node);
}

/** Paths each strategy must hold as numbers: the headline table's, and those the charts read. */
const NUMBER_PATHS = [...new Set([...HEADLINE_ROWS.filter((r) => !r.optional).map((r) => r.path), 'sessions.completed', 'sessions.abandoned', 'latencyMs.mean', 'latencyMs.max', 'storeStats.reads', 'storeStats.writes', 'storeStats.hitRatio', 'simulatedTimeMs'])];
/** Array fields of a strategy, with the number fields each element must have. */
const ARRAY_PATHS: readonly [string, readonly string[]][] = [
  ['backends', ['requests']],
  ['funnel', ['sessions']],
  ['latencyByStepMs', ['count', 'p50', 'p95', 'p99']],
];

function strategyProblem(strategy: unknown, where: string): string | undefined {
  if (!isObject(strategy)) return `${where}: expected an object`;
  for (const [field, kind] of [['name', 'string'], ['method', 'string'], ['store', 'string']] as const) {
    if (typeof strategy[field] !== kind) return `${where}.${field}: expected a ${kind}`;
  }
  if (!isObject(strategy['brokenByCause'])) return `${where}.brokenByCause: expected an object of counts per cause`;
  for (const path of NUMBER_PATHS) if (typeof at(strategy, path) !== 'number') return `${where}.${path}: expected a number`;
  for (const [field, numbers] of ARRAY_PATHS) {
    const list = strategy[field];
    if (!Array.isArray(list)) return `${where}.${field}: expected a list`;
    for (const [i, item] of list.entries()) {
      const bad = numbers.find((n) => !isObject(item) || typeof item[n] !== 'number');
      if (bad !== undefined) return `${where}.${field}[${i}].${bad}: expected a number`;
    }
  }
  return undefined;
}

/** Parses summary.json text; `file` names it in the error. */
export function parseSummaryText(text: string, file: string): SummaryRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${file}: not JSON: ${(error as Error).message}` };
  }
  const fail = (problem: string): SummaryRead => ({ ok: false, error: `${file}: not an lbsim summary.json: ${problem}` });
  if (!isObject(value)) return fail('expected a JSON object');
  if (value['schemaVersion'] !== SUMMARY_SCHEMA_VERSION) return fail(`schemaVersion: expected ${SUMMARY_SCHEMA_VERSION}, got ${JSON.stringify(value['schemaVersion'])}`);
  if (typeof at(value, 'scenario.name') !== 'string') return fail('scenario.name: expected a string');
  for (const field of ['seed', 'lbsimVersion', 'generatedAt'] as const) if (typeof value[field] !== 'string') return fail(`${field}: expected a string`);
  const strategies = value['strategies'];
  if (!Array.isArray(strategies) || strategies.length === 0) return fail('strategies: expected a list of at least one strategy');
  for (const [i, strategy] of strategies.entries()) {
    const problem = strategyProblem(strategy, `strategies[${i}]`);
    if (problem !== undefined) return fail(problem);
  }
  return { ok: true, summary: value as unknown as Summary };
}
