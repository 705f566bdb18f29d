/**
 * Fuzz: what `lbsim replay` and `lbsim report` read besides configurations. JSON Lines of
 * requests and replay timelines built from their fields with hostile values among them, and a real
 * summary.json with one part mutated or cut short. Every case ends with exit 0 or a typed exit 2
 * (answer.ts).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { buildSummary, renderJson } from '../../src/report/index.js';
import { runScenario, traceSession } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';
import { answer, expectAnswered } from './answer.js';
import { HOSTILE_VALUES, mutated, settings, truncated } from './arbitraries.js';

const UPSTREAM = 'upstream up {\n    ip_hash;\n    server 10.0.0.1:80;\n    server 10.0.0.2:80;\n}\n';
const VALUE = fc.constantFrom(...HOSTILE_VALUES);

const REQUEST = fc.record(
  { t: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), VALUE), client: fc.oneof(fc.constantFrom('203.0.113.9', '2001:db8::1', '10.1'), VALUE), method: fc.oneof(fc.constantFrom('GET', 'POST'), VALUE) },
  { requiredKeys: ['t', 'client'] },
);
/** A line of JSON Lines: a request, another value, or text that is not JSON. */
const LINE = fc.oneof({ weight: 6, arbitrary: REQUEST.map((r) => JSON.stringify(r)) }, { weight: 1, arbitrary: VALUE.map((v) => JSON.stringify(v) ?? 'null') }, { weight: 1, arbitrary: fc.constantFrom('{', 'not json', '', `${'['.repeat(5000)}${']'.repeat(5000)}`) });
const EVENT = fc.record({ t: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), VALUE), server: fc.oneof(fc.constantFrom('10.0.0.1:80', '10.0.0.2:80'), VALUE), mode: fc.oneof(fc.constantFrom('refused', 'up', 'hang'), VALUE) });
const TIMELINE = fc.oneof({ weight: 4, arbitrary: fc.array(EVENT, { maxLength: 4 }).map((events) => JSON.stringify(events)) }, { weight: 1, arbitrary: VALUE.map((v) => JSON.stringify(v) ?? '') });

describe('fuzz: replay inputs', () => {
  it('JSON Lines of requests and a timeline, some cut short', async () => {
    const requests = fc.array(LINE, { maxLength: 8 }).map((lines) => lines.join('\n')).chain((text) => fc.oneof({ weight: 4, arbitrary: fc.constant(text) }, { weight: 1, arbitrary: truncated(text) }));
    await fc.assert(
      fc.asyncProperty(requests, TIMELINE, async (jsonl, timeline) => {
        expectAnswered(await answer(['replay', '--nginx', 'up.conf', '--timeline', 't.json', 'r.jsonl'], { 'up.conf': UPSTREAM, 't.json': timeline, 'r.jsonl': jsonl }), `timeline ${timeline}\nrequests:\n${jsonl.slice(0, 2000)}`);
      }),
      settings(150),
    );
  });
});

describe('fuzz: summaries given to lbsim report', () => {
  const scenario = scenarioFrom(readFileSync('test/scenarios/tiny.yaml', 'utf8').replace('stores:', 'timeline: [{ at: 150ms, backend: "a:80", mode: refused, duration: 100ms }]\nstores:'));
  const text = renderJson(buildSummary(runScenario(scenario), { lbsimVersion: 'fuzz', generatedAt: '2026-01-01T00:00:00Z', runTimeMs: 1 }, traceSession(scenario, 0) ?? null));
  const summary = JSON.parse(text) as unknown;

  it('a real summary with one part mutated, or cut short', async () => {
    const texts = fc.oneof({ weight: 4, arbitrary: mutated(summary).map((document) => JSON.stringify(document)) }, { weight: 1, arbitrary: truncated(text) });
    await fc.assert(fc.asyncProperty(texts, async (edited) => expectAnswered(await answer(['report', 'edited.json', '--out', 'out.html'], { 'edited.json': edited }), edited.slice(0, 3000))), settings(150));
  });
});
