/**
 * Marks and the verdict are deserved. A strategy that breaks far more sessions than the best is
 * fast and even only because its users left: it gets no `*` or ★ on any row but the breakage
 * rows, and the verdict calls it no choice. Hand-made summaries pin the wording; the bundled
 * scenarios pin that the verdict names the strategies that keep sessions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';
import { buildSummary, renderTerminal, type Summary } from '../../src/report/index.js';
import { renderHeadline, HEADLINE_ROWS } from '../../src/report/html/headline.js';
import { compare } from '../../src/report/html/columns.js';
import { BREAKAGE_MARGIN, contenders, verdict } from '../../src/report/verdict.js';
import { strategy, summary } from './fixtures.js';

function bundled(name: string): Summary {
  const file = `scenarios/${name}.yaml`;
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 });
}

/** The terminal table's marks: row label → names of the strategies marked `*`. */
function terminalMarks(text: string, names: readonly string[]): Map<string, string[]> {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => names.every((n) => l.includes(n)));
  const marks = new Map<string, string[]>();
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') break;
    // Cells are separated by two spaces or more; a marked cell ends in ` *`.
    const [label, ...cells] = line.split(/ {2,}(?=\S)/);
    marks.set(label!.trim(), cells.flatMap((cell, i) => (cell.trimEnd().endsWith(' *') ? [names[i]!] : [])));
  }
  return marks;
}

const BREAKAGE_ROWS = /^(broken|breakage rate|broken sessions|state-missing|state-stale|expired|evicted|not-serializable|coupled-moved|store-down|backend-failed|remapped|failback|ip-changed|request-failed|lost-update)$/;

describe.each([
  ['intro', ['shared-cache']],
  ['shop-basic', ['shared-cache', 'cookie', 'ip-hash']],
  ['ajax-cart', ['shared-cache-locked', 'sticky']],
])('%s', (name, keepers) => {
  const s = bundled(name);
  const names = s.strategies.map((x) => x.name);
  const inRace = contenders(s.strategies);
  const outside = names.filter((_, i) => !inRace.has(i));

  it('has a strategy above the margin, so the rule is put to the test', () => {
    expect(outside.length).toBeGreaterThan(0);
  });

  it('marks no strategy above the margin in the terminal table on any row but breakage', () => {
    const marks = terminalMarks(renderTerminal(s), names);
    expect(marks.size).toBeGreaterThan(10);
    for (const [row, marked] of marks) if (!BREAKAGE_ROWS.test(row)) expect(marked.filter((m) => outside.includes(m)), row).toEqual([]);
  });

  it('stars no strategy above the margin in the report on any row but breakage', () => {
    const html = renderHeadline(compare([s]));
    const starred = [...html.matchAll(/<td class="num best" data-metric="([^"]+)" data-run="\d+" data-strategy="([^"]+)"/g)].map((m) => ({ path: m[1]!, strategy: m[2]! }));
    expect(starred.length).toBeGreaterThan(0);
    const breakage = new Set(HEADLINE_ROWS.filter((r) => r.breakage).map((r) => r.path));
    for (const star of starred) if (!breakage.has(star.path)) expect(outside, `${star.path}: ${star.strategy}`).not.toContain(star.strategy);
  });

  it('names the strategies that keep sessions in its verdict, and the others as no choice', () => {
    const sentences = verdict(s.strategies);
    expect(names.filter((_, i) => inRace.has(i)).sort()).toEqual([...keepers].sort());
    for (const keeper of keepers) expect(sentences[0]).toMatch(new RegExp(`(^|; )${keeper} keeps `));
    for (const other of outside) expect(sentences.some((x) => x.startsWith(`${other} `) && x.endsWith('not a choice here.'))).toBe(true);
    expect(renderTerminal(s)).toContain(sentences[0]!.slice(0, 40));
  });
});

describe('the verdict, from hand-made numbers', () => {
  it('names what each keeper costs: median latency over the fastest keeper, the busiest backend, the cache', () => {
    const shared = strategy('shared-cache', { store: 'shared', p50: 40 });
    // 7 broken of 1,000: kept 99.3%. Busiest backend 1.51 × the mean: 51% above it.
    const ipHash = strategy('ip-hash', { broken: { 'backend-failed': 21 }, p50: 35, skew: { requestsMaxOverMean: 1.51, requestsCv: 0.3 } });
    const cookie = strategy('cookie', { broken: { 'backend-failed': 7 }, p50: 35.1 });
    const rr = strategy('round-robin', { broken: { 'state-missing': 900, 'backend-failed': 3 }, p50: 20 });
    expect(verdict([rr, shared, ipHash, cookie])).toEqual([
      // 40 − 35 = 5 ms (over 2% of 35); cookie's 0.1 ms is inside the noise and not named.
      'shared-cache keeps all sessions but adds 5.0 ms to the median latency and depends on the shared cache; cookie keeps 99.3% of sessions; ip-hash keeps 97.9% of sessions but loads its busiest backend 51% above the mean.',
      'round-robin (sessions in backend memory) breaks 90.3% of sessions (mostly state-missing): not a choice here.',
    ]);
  });

  it('says so when even the best strategy breaks more than the margin', () => {
    const a = strategy('a', { broken: { 'request-failed': 100 } });
    const b = strategy('b', { broken: { 'request-failed': 120 } });
    expect(verdict([a, b])).toEqual(['No strategy here keeps sessions well: the best, a, breaks 10.0% (all request-failed).', 'a keeps 90.0% of sessions; b keeps 88.0% of sessions.']);
  });

  it('puts a strategy exactly at the margin in, and one just past it out', () => {
    const best = strategy('best');
    const at = strategy('at', { broken: { 'backend-failed': BREAKAGE_MARGIN * 1000 } });
    const past = strategy('past', { broken: { 'backend-failed': BREAKAGE_MARGIN * 1000 + 1 } });
    expect([...contenders([best, at, past])]).toEqual([0, 1]);
  });

  it('gives no mark on a non-breakage row when only one strategy is in the race', () => {
    const text = renderTerminal(summary([strategy('rr', { broken: { 'state-missing': 900 }, p50: 10 }), strategy('shared', { p50: 40 })]));
    const marks = terminalMarks(text, ['rr', 'shared']);
    expect(marks.get('latency p50')).toEqual([]);
    expect(marks.get('breakage rate')).toEqual(['shared']);
  });
});
