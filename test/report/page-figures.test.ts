/**
 * The page shows what the scenario asks, in colours that mean the same everywhere: ajax-cart's
 * question (lock waits or lost cart items?) gets its rows; a strategy name keeps its colour across
 * scenarios and pages; a break cause keeps its colour whatever else broke.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BREAK_CAUSES } from '../../src/model/index.js';
import { buildSummary, type Summary } from '../../src/report/index.js';
import { CAUSE_COLOURS, strategyLooks } from '../../src/report/html/colours.js';
import { compare } from '../../src/report/html/columns.js';
import { renderHeadline } from '../../src/report/html/headline.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';
import { strategy, summary } from './fixtures.js';

function bundled(file: string, sessions?: number): Summary {
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, sessions === undefined ? {} : { sessions });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 });
}

describe('figures the scenario asks for', () => {
  it('ajax-cart: lost-update and lock-wait rows, with the summary\'s values', () => {
    const s = bundled('scenarios/ajax-cart.yaml', 1000);
    const html = renderHeadline(compare([s]));
    for (const [label, path] of [['lost updates', 'requests.lostUpdates'], ['lock waits', 'requests.lockWaits']] as const) {
      expect(html).toContain(`<th scope="row">${label}`);
      for (const st of s.strategies) {
        const value = path === 'requests.lostUpdates' ? st.requests.lostUpdates : st.requests.lockWaits;
        expect(html).toContain(`data-metric="${path}" data-run="0" data-strategy="${st.name}" data-value="${value}"`);
      }
    }
  });

  it('leaves those rows out where every strategy has none', () => {
    expect(renderHeadline(compare([summary([strategy('a'), strategy('b')])]))).not.toContain('lost updates');
  });

  it('always shows completed sessions', () => {
    expect(renderHeadline(compare([summary([strategy('a'), strategy('b')])]))).toContain('<th scope="row">completed sessions');
  });
});

describe('colours', () => {
  it('a strategy name has the same colour in two scenarios, whatever comes before it', () => {
    const lesson1 = compare([summary([strategy('round-robin'), strategy('shared-cache')])]);
    const lesson3 = compare([summary([strategy('shared-cache'), strategy('ip-hash'), strategy('cookie')])]);
    const colourOf = (cmp: ReturnType<typeof compare>, name: string) => cmp.columns.find((c) => c.strategy.name === name)!.colour;
    expect(colourOf(lesson1, 'shared-cache')).toBe(colourOf(lesson3, 'shared-cache'));
  });

  it('never gives two names of one page the same colour while the palette lasts', () => {
    const names = ['cookie', 'sticky', 'alpha', 'beta', 'shared-cache', 'gamma'];
    const colours = [...strategyLooks(names).values()].map((l) => l.colour);
    expect(new Set(colours).size).toBe(names.length);
  });

  it('gives every break cause its own colour', () => {
    expect(new Set(BREAK_CAUSES.map((c) => CAUSE_COLOURS[c])).size).toBe(BREAK_CAUSES.length);
  });
});
