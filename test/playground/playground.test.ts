/**
 * The playground's pure parts: the page `lbsim playground` writes (one file, under 2 MB, every
 * bundled scenario and lesson inside, a policy that admits no network), the controls as edits
 * of a scenario's text (each result is a valid scenario with the field changed), and the Share
 * fragment (what goes in comes out).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/index.js';
import { decodeFragment, encodeFragment } from '../../src/playground/catalog.js';
import { keepStrategies, readControls, setBackendCount, setCacheOutage, setCacheRoundTrip, setFailure, setMobileShare, setNatShare, setSeed, setSessions } from '../../src/playground/controls.js';

const SHOP = readFileSync('scenarios/shop-basic.yaml', 'utf8');
const load = (text: string) => {
  const loaded = parseScenarioText(text, 'shop-basic.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
};

describe('lbsim playground', () => {
  it('writes one page under 2 MB with every bundled scenario and lesson, and a policy without network', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbsim-playground-'));
    try {
      const out = join(dir, 'p.html');
      execFileSync(process.execPath, [resolve('dist/lbsim.js'), 'playground', '--out', out]);
      const html = readFileSync(out);
      expect(html.length).toBeLessThan(2 * 1024 * 1024);
      const text = html.toString('utf8');
      for (const file of [...readdirSync('scenarios').filter((f) => f.endsWith('.yaml')), ...readdirSync('scenarios/workshop')]) expect(text, file).toContain(`"file":"${file}"`);
      const csp = /content="(default-src 'none';[^"]*)"/.exec(text)?.[1] ?? '';
      expect(csp).toMatch(/worker-src blob:/);
      expect(csp).not.toMatch(/unsafe|https?:|connect-src/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the controls write into the scenario', () => {
  it('sessions, seed, backends, NAT and mobile shares', () => {
    const text = [setSessions(1234), setSeed('99'), setBackendCount(5), setNatShare(0.5), setMobileShare(0.25)].reduce((t, edit) => edit(t), SHOP);
    const s = load(text);
    expect([s.sessions, s.seed, s.backends.length]).toEqual([1234, '99', 5]);
    expect(s.clients.nat?.share).toBe(0.5);
    expect(s.clients.mobile?.share).toBe(0.25);
    expect(text).toContain('# The seed article'); // comments stay
    expect(load(setNatShare(0)(text)).clients.nat).toBeUndefined();
  });

  it('a failure replaces the timeline’s failures; an outage is added beside it; both read back', () => {
    const text = setCacheOutage({ at: '40%', duration: '30s' })(setFailure({ backend: '10.0.1.2:8080', at: '20%', kind: 'crash' })(SHOP));
    const events = load(text).timeline;
    expect(events.filter((e) => e.kind === 'mode').map((e) => [e.kind === 'mode' && e.backend, e.kind === 'mode' && e.mode])).toEqual([['10.0.1.2:8080', 'crash']]);
    expect(events.some((e) => e.kind === 'cache-outage')).toBe(true);
    expect(readControls(text).failure).toEqual({ backend: '10.0.1.2:8080', at: '20%', kind: 'crash' });
    expect(readControls(text).outage).toEqual({ at: '40%', duration: '30s' });
    expect(load(setFailure(undefined)(text)).timeline.filter((e) => e.kind === 'mode')).toEqual([]);
  });

  it('the cache round trip and the strategies to compare', () => {
    const text = keepStrategies(SHOP, ['ip-hash', 'cookie'])(setCacheRoundTrip(7)(SHOP));
    expect(load(text).strategies.map((s) => s.name)).toEqual(['ip-hash', 'cookie']);
    expect(readControls(text).roundTripMs).toBe(7);
    expect(load(keepStrategies(SHOP, ['cookie', 'round-robin'])(text)).strategies.map((s) => s.name)).toEqual(['round-robin', 'cookie']);
  });

  it('leaves text that is not YAML as it is', () => {
    expect(setSessions(5)('a: [')).toBe('a: [');
  });
});

describe('the Share fragment', () => {
  it('carries any text, Unicode included, and refuses a fragment of something else', () => {
    const text = `${SHOP}\n# ünïcødé ✓ 😀\n`;
    expect(decodeFragment(`#${encodeFragment(text)}`)).toBe(text);
    expect(decodeFragment('#other=1')).toBeUndefined();
    expect(decodeFragment('#scenario=%%%')).toBeUndefined();
  });
});
