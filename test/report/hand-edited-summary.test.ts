/**
 * `lbsim report` reads summaries people have edited by hand. Whatever one field becomes (null, or a
 * value of another type), the summary is refused with that field named, or the report renders:
 * never a crash halfway through the page. Every field of a real summary is tried, one at a time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, NO_ASSETS, parseSummaryText, renderHtml, renderJson } from '../../src/report/index.js';
import { runScenario, traceSession } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = scenarioFrom(readFileSync('test/scenarios/tiny.yaml', 'utf8').replace('stores:', 'timeline: [{ at: 150ms, backend: "a:80", mode: refused, duration: 100ms }]\nstores:'));
const run = runScenario(scenario);
const summary = JSON.parse(renderJson(buildSummary(run, { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00Z', runTimeMs: 1 }, traceSession(scenario, 0) ?? null))) as unknown;

/** Every path into the document, objects and lists included. */
function paths(value: unknown, path: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (typeof value !== 'object' || value === null) return [path];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...children.flatMap(([key, child]) => paths(child, [...path, key]))];
}

function withValue(document: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((key) => (node = node[key] as Record<string | number, unknown>));
  node[path[path.length - 1]!] = value;
  return copy;
}

describe('a summary edited by hand', () => {
  const fields = paths(summary).filter((p) => p.length > 0);
  const replacements: readonly unknown[] = [null, 'text', 7, true, [], {}];

  it(`is refused by the field, or reported, whatever one of its ${fields.length} fields becomes`, () => {
    const crashes: string[] = [];
    for (const path of fields) {
      for (const value of replacements) {
        const text = JSON.stringify(withValue(summary, path, value));
        const read = parseSummaryText(text, 'edited.json');
        if (!read.ok) continue;
        try {
          renderHtml([read.summary], NO_ASSETS);
        } catch (error) {
          crashes.push(`${path.join('.')} = ${JSON.stringify(value)}: ${(error as Error).message}`);
        }
      }
    }
    expect(crashes).toEqual([]);
  });
});
