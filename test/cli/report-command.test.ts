/**
 * `lbsim report` with a fake Io: it rebuilds report.html from saved summaries (one beside it,
 * several into reports/comparison/), honours --out, and refuses files that are not summaries
 * with exit 2, the file named and nothing written.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderJson } from '../../src/report/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { strategy, summary } from '../report/fixtures.js';

const one = renderJson(summary([strategy('round-robin'), strategy('shared-cache')]));
const other = renderJson(summary([strategy('round-robin'), strategy('shared-cache')], { seed: '8' }));

describe('lbsim report', () => {
  it('rebuilds the page beside a single summary, with Chart.js and the plugin inlined', async () => {
    const { io, stdout, written } = fakeIo({ files: { 'runs/a/summary.json': one } });
    expect(await main(['report', 'runs/a/summary.json'], io)).toBe(0);
    expect([...written.keys()]).toEqual(['runs/a/report.html']);
    const html = written.get('runs/a/report.html')!;
    expect(html).toContain('Chart.js v4.5.1');
    expect(html).toContain('chartjs-plugin-annotation v3.1.0');
    expect(html).toContain('<h1>lbsim report: hand-made (seed 7)</h1>');
    expect(stdout()).toBe('wrote runs/a/report.html (1 summary, 2 strategies)\n');
  });

  it('compares several summaries in one page, written to --out', async () => {
    const { io, written } = fakeIo({ files: { 'a.json': one, 'b.json': other } });
    expect(await main(['report', 'a.json', 'b.json', '--out', 'both.html'], io)).toBe(0);
    const html = written.get('both.html')!;
    expect(html).toContain('data-strategy="round-robin" data-value');
    expect(html).toMatch(/round-robin · seed 7[\s\S]*round-robin · seed 8/);
  });

  it('writes several summaries to reports/comparison/report.html by default', async () => {
    const { io, written } = fakeIo({ files: { 'a.json': one, 'b.json': other } });
    expect(await main(['report', 'a.json', 'b.json'], io)).toBe(0);
    expect([...written.keys()]).toEqual(['reports/comparison/report.html']);
  });

  it('refuses a missing file and a file that is not a summary: exit 2, every file named, nothing written', async () => {
    const { io, stderr, written } = fakeIo({ files: { 'bad.json': '{"schemaVersion": 1}' } });
    expect(await main(['report', 'bad.json', 'missing.json'], io)).toBe(2);
    expect(stderr()).toContain('lbsim: bad.json: not an lbsim summary.json: scenario: expected an object');
    expect(stderr()).toContain('lbsim: missing.json: cannot read the summary: no such file');
    expect(written.size).toBe(0);
  });

  it('asks for at least one summary', async () => {
    const { io, stderr } = fakeIo();
    expect(await main(['report'], io)).toBe(2);
    expect(stderr()).toMatch(/Not enough non-option arguments/);
  });
});
