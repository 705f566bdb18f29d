/**
 * docs/scenario.md stays true: its annotated example loads, its sample error lines are what the
 * loader prints for the matching invalid files, and every field the schema accepts is named in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUANTITY_RANGES } from '../../src/fields/index.js';
import { formatCount, formatScenarioErrors, LIMITS, NormalizedScenarioSchema, parseScenarioText } from '../../src/scenario/index.js';
import { knownKeys } from '../../src/scenario/schema-walk.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'scenario.md'), 'utf8');

describe('docs/scenario.md', () => {
  it('has an annotated example that loads, with every section', () => {
    const example = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].at(-1)?.[1] ?? '';
    const loaded = parseScenarioText(example, 'example.yaml');
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    const { scenario } = loaded;
    expect(scenario.strategies.map((s) => s.name)).toEqual(['round-robin', 'shared-cache', 'ip-hash', 'cookie']);
    expect(scenario.backends).toHaveLength(12);
    // 20,000 sessions: 40% of the window is reached at 30/s, then 60/s. The profile's "40%" is
    // resolved against 20000 / 30 s = 666.7 s (base rate), so the rate doubles at 266.7 s.
    expect(scenario.arrivals.profile[1]?.fromMs).toBeCloseTo(266_666.667, 2);
    // 266.7 s × 30/s = 8000 sessions; 12,000 more at 60/s take 200 s: the window is 466.7 s.
    expect(scenario.arrivals.referenceWindowMs).toBeCloseTo(466_666.667, 2);
    expect(scenario.timeline[0]).toEqual({ kind: 'mode', atMs: expect.closeTo(233_333.333, 2), backend: '10.0.1.4:8080', mode: 'refused', durationMs: 120_000 });
  });

  it('shows error lines exactly as the loader prints them for the invalid test files', () => {
    const sample = /\$ lbsim validate scenarios\/mine.yaml\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';
    const shown = sample.split('\n').filter((line) => line.startsWith('scenarios/mine.yaml'));
    expect(shown.length).toBeGreaterThan(2);
    const dir = join(import.meta.dirname, '..', 'scenarios', 'invalid');
    const printed = new Set(
      readdirSync(dir).flatMap((file) => {
        const loaded = parseScenarioText(readFileSync(join(dir, file), 'utf8'), 'scenarios/mine.yaml');
        return loaded.ok ? [] : formatScenarioErrors(loaded.errors).trimEnd().split('\n');
      }),
    );
    for (const line of shown) expect(printed).toContain(line);
  });

  const SECTIONS: readonly (readonly [readonly (string | number)[], string])[] = [
    [[], 'top level'],
    [['arrivals'], 'arrivals'],
    [['arrivals', 'profile', 0], 'arrivals.profile[]'],
    [['clients'], 'clients'],
    [['clients', 'nat'], 'clients.nat'],
    [['clients', 'proxy'], 'clients.proxy'],
    [['journey'], 'journey'],
    [['journey', 'steps', 0], 'a step'],
    [['backends', 0], 'a backend'],
    [['backends'], 'a backend group'],
    [['stores', 'local'], 'stores.local'],
    [['stores', 'shared'], 'stores.shared'],
    [['proxy'], 'proxy'],
    [['strategies', 0], 'a strategy'],
    [['strategies', 0, 'balancer'], 'a balancer'],
    [['strategies', 0, 'sticky', 'cookie'], 'a sticky cookie'],
    [['timeline', 0], 'a timeline event'],
  ];
  it.each(SECTIONS)('names every field of %j (%s)', (path) => {
    const keys = knownKeys(NormalizedScenarioSchema, path);
    expect(keys.length).toBeGreaterThan(0);
    // A key counts as documented when it appears in code type, alone or in a dotted path (`nat.share`).
    const documented = (key: string) => new RegExp(`\`([\\w.]*\\.)?${key.replace('$', '\\$')}(\\.[\\w.]*)?\``).test(DOC);
    const missing = keys.filter((key) => !documented(key));
    expect(missing).toEqual([]);
  });
});

describe('docs/scenario.md, "Limits"', () => {
  const section = /\n## Limits\n([\s\S]*?)\n## /.exec(DOC)?.[1] ?? '';

  it.each(Object.entries(LIMITS))('states %s, as LIMITS has it (%d)', (key, value) => {
    const written = key.endsWith('Bytes') ? [`${value / (1024 * 1024)} MB`] : [formatCount(value), String(value)];
    expect(written.some((text) => section.includes(text)), `${key}: ${written.join(' or ')}`).toBe(true);
  });

  it.each(Object.entries(QUANTITY_RANGES))('states the range of %s', (_, range) => {
    // Amounts are written as counts are (1,000,000,000); the other bounds as the file writes them.
    const written = (text: string) => [text, /^\d+$/.test(text) ? formatCount(Number(text)) : text];
    expect(written(range.maxText).some((text) => section.includes(text)), range.maxText).toBe(true);
    expect(written(range.minText).some((text) => section.includes(text)), range.minText).toBe(true);
  });
});
