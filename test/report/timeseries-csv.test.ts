/**
 * timeseries.csv carries the timeline's events: each in an `events` cell of the window it fell
 * in, with its time, so a plot of the series can mark what explains its turns.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSummary, renderTimeseriesCsv, type StrategyTimeline } from '../../src/report/index.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';
import { strategy, summary } from './fixtures.js';

/** The rows by column name (no cell of these tests holds a comma or a quote). */
function rowsOf(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\n').map((line) => line.split(','));
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}

/** Three 10-second windows over eight backends, nothing but the events filled in. */
function timeline(events: StrategyTimeline['events']): StrategyTimeline {
  const window = (startMs: number) => ({ startMs, requestsPerBackend: Array.from({ length: 8 }, () => 1), breaks: 0 });
  return { windowMs: 10_000, windows: [window(0), window(10_000), window(20_000)], events };
}

describe('timeseries.csv', () => {
  it('names in each window the events that fell in it, with their times, in a last column', () => {
    const events = [
      { atMs: 15_000, label: 'app4:80 down (refusing connections)' },
      { atMs: 15_250.5, label: 'app4:80 marked down by health checks' },
      { atMs: 20_000, label: 'app4:80 back up' },
    ];
    const csv = renderTimeseriesCsv(summary([strategy('ip-hash', { timeline: timeline(events) })]));
    expect(csv.split('\n')[0]!.split(',').at(-1)).toBe('events');
    expect(rowsOf(csv).map((r) => [r['startMs'], r['events']])).toEqual([
      ['0', ''],
      ['10000', 'at 15 s: app4:80 down (refusing connections); at 15.251 s: app4:80 marked down by health checks'],
      ['20000', 'at 20 s: app4:80 back up'],
    ]);
  });

  it('loses no event: one before the first window goes to it, one after the last window starts to that one', () => {
    const csv = renderTimeseriesCsv(summary([strategy('ip-hash', { timeline: timeline([{ atMs: -500, label: 'app1:80 draining' }, { atMs: 95_000, label: 'shared cache flushed' }]) })]));
    expect(rowsOf(csv).map((r) => r['events'])).toEqual(['at -0.5 s: app1:80 draining', '', 'at 95 s: shared cache flushed']);
  });

  it('carries every event of a real run, each in the window holding its time', () => {
    const file = 'scenarios/shop-basic.yaml';
    const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { sessions: 300, strategy: 'ip-hash' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const run = buildSummary(runScenario(loaded.scenario), { lbsimVersion: 'test', generatedAt: '2026-01-01T00:00:00.000Z', runTimeMs: 0 });
    const { windowMs, events } = run.strategies[0]!.timeline!;
    expect(events.length).toBeGreaterThan(0);
    const rows = rowsOf(renderTimeseriesCsv(run));
    for (const event of events) {
      const holding = rows.filter((r) => r['events']!.includes(event.label));
      expect(holding, event.label).toHaveLength(1);
      const start = Number(holding[0]!['startMs']);
      expect(event.atMs).toBeGreaterThanOrEqual(start);
      expect(event.atMs).toBeLessThan(start + windowMs);
    }
  });
});
