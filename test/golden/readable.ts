/**
 * The readable golden form of a summary.json, and the way back.
 *
 * `<name>.summary.json`: the summary pretty-printed, except that each strategy's
 * `timeline.windows` is a placeholder string naming the other file, and arrays of plain values
 * sit on one line when short. One figure per line, so a diff names the figure that moved.
 * `<name>.windows.jsonl`: one compact JSON line per window, `{"strategy": <name>, ...window}`,
 * so every line of a diff hunk says which strategy and which window it is.
 *
 * `fromReadable` rebuilds the summary from both texts; the test checks it against the run's
 * summary.json byte for byte, so nothing the formatter leaves out can pass unnoticed.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ReadableGolden {
  readonly summary: string;
  readonly windows: string;
}

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Arrays of plain values go on one line up to this width (per-backend counts, lostUpdatesByStep). */
const INLINE_WIDTH = 100;

/** JSON.stringify(value, null, 2), except short arrays of plain values on one line. */
function pretty(value: Json, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (indent.length + line.length <= INLINE_WIDTH) return line;
    }
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The strategies of a parsed summary, with their timelines (if any). */
function timelines(summary: JsonObject): { name: string; timeline: JsonObject }[] {
  const strategies = summary['strategies'];
  if (!Array.isArray(strategies)) return [];
  return strategies.flatMap((s) => (isObject(s) && isObject(s['timeline']) ? [{ name: String(s['name']), timeline: s['timeline'] }] : []));
}

/** Splits summary.json text (renderJson's output) into the two readable texts; `name` is the scenario's. */
export function toReadable(summaryJson: string, name: string): ReadableGolden {
  // Work on the parsed JSON text, not the Summary object: exactly what summary.json holds.
  const summary = JSON.parse(summaryJson) as JsonObject;
  const lines: string[] = [];
  for (const { name: strategy, timeline } of timelines(summary)) {
    const windows = timeline['windows'];
    if (!Array.isArray(windows)) continue;
    for (const w of windows) lines.push(JSON.stringify({ strategy, ...(w as JsonObject) }));
    // Assigning to the existing key keeps its position, so the rebuilt summary.json is byte-identical.
    timeline['windows'] = `${windows.length} windows: one line each in ${name}.windows.jsonl`;
  }
  return { summary: `${pretty(summary, '')}\n`, windows: lines.map((l) => `${l}\n`).join('') };
}

/** Rebuilds the summary from the two readable texts (the inverse of `toReadable`). */
export function fromReadable(golden: ReadableGolden): JsonObject {
  const summary = JSON.parse(golden.summary) as JsonObject;
  const byStrategy = new Map<string, Json[]>();
  for (const line of golden.windows.split('\n').filter((l) => l !== '')) {
    const { strategy, ...window } = JSON.parse(line) as JsonObject;
    const name = String(strategy);
    if (!byStrategy.has(name)) byStrategy.set(name, []);
    byStrategy.get(name)?.push(window);
  }
  for (const { name, timeline } of timelines(summary)) {
    if (typeof timeline['windows'] === 'string') timeline['windows'] = byStrategy.get(name) ?? [];
  }
  return summary;
}
