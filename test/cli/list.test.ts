/**
 * `lbsim list`: every balancing method, session store, backend mode, timeline event and bundled
 * scenario, one line each under a heading, no line wider than 100 columns; `--json` the same
 * as data. The lists come from the registry, the scenario format and the scenarios folder, so a
 * new method, event or scenario shows up without touching the command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstSentence, type Listing } from '../../src/cli/list-command.js';
import { main } from '../../src/cli/main.js';
import { BACKEND_MODES, STORE_KINDS } from '../../src/scenario/index.js';
import { TIMELINE_EVENTS } from '../../src/scenario/schema.js';
import { METHOD_NAMES, METHODS } from '../../src/strategies/index.js';
import { fakeIo } from '../helpers/fake-io.js';

const SCENARIOS = resolve('scenarios');
/** The subfolders of scenarios/ (bench, and any other). */
const FOLDERS = readdirSync(SCENARIOS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
/** The bundled scenario files of a folder ('' for scenarios/ itself), without `.yaml`: each one's name. */
const filesIn = (folder: string) => readdirSync(join(SCENARIOS, folder)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort((a, b) => (a < b ? -1 : 1));

async function list(args: string[] = []) {
  const run = fakeIo();
  expect(await main(['list', ...args], run.io)).toBe(0);
  expect(run.stderr()).toBe('');
  return run.stdout();
}

/** The lines of one section of the text output, without its heading. */
function section(text: string, heading: string): string[] {
  const block = text.split('\n\n').find((b) => b.startsWith(heading));
  if (block === undefined) throw new Error(`no section "${heading}" in:\n${text}`);
  return block.trimEnd().split('\n').slice(1);
}

describe('lbsim list', () => {
  it('has five sections with headings naming the field each list is for', async () => {
    const text = await list();
    expect(FOLDERS).toContain('bench');
    expect(text.split('\n\n').map((block) => block.split('\n')[0])).toEqual([
      'Balancing methods (strategies[].balancer.method)',
      'Session stores (strategies[].store)',
      'Backend modes (timeline[].mode)',
      'Other timeline events (timeline[].event)',
      'Bundled scenarios (lbsim run NAME, or scenarios/NAME.yaml)',
      ...FOLDERS.map((folder) => `Bundled scenarios in ${folder}/ (lbsim run NAME, or scenarios/${folder}/NAME.yaml)`),
    ]);
    expect(text.split('\n').filter((line) => [...line].length > 100)).toEqual([]);
  });

  it('lists every balancing method with its one-line description from the registry', async () => {
    const lines = section(await list(), 'Balancing methods');
    expect(lines).toHaveLength(METHOD_NAMES.length);
    expect(lines[0]).toBe("  round-robin            nginx's default: smooth weighted round robin; no stickiness");
    expect(lines[1]).toBe("  ip-hash                nginx ip_hash: sticky by client address (an IPv4 address's /24)");
    METHOD_NAMES.forEach((name, i) => expect(lines[i]).toBe(`  ${name.padEnd(21)}  ${METHODS[name].description}`));
  });

  it('lists the stores, the backend modes and the other timeline events', async () => {
    const text = await list();
    expect(section(text, 'Session stores')).toEqual([
      "  local   each backend's own memory: lost when it dies, absent on any other backend",
      '  shared  one cache every backend reads and writes: a round trip per access',
    ]);
    expect(section(text, 'Backend modes').map((line) => line.trim().split(/\s+/)[0])).toEqual([...BACKEND_MODES]);
    expect(section(text, 'Backend modes')).toContain('  refused    refuses connections: nginx fails over at once');
    expect(section(text, 'Other timeline events').map((line) => line.trim().split(/\s+/)[0])).toEqual([...TIMELINE_EVENTS]);
    expect(STORE_KINDS).toEqual(['local', 'shared']);
  });

  it('lists the bundled scenarios of scenarios/, names aligned, each with the first sentence of its description', async () => {
    const lines = section(await list(), 'Bundled scenarios (');
    expect(lines.map((line) => line.trim().split(/\s+/)[0])).toEqual(filesIn(''));
    expect(lines).toContain('  shop-basic        Eight backends behind nginx.');
    expect(lines).toContain('  scale-out         Traffic grows and a fifth backend is added halfway through.');
    // The intro's first sentence is 99 characters: it is cut at a word, with an ellipsis, to fit 100 columns.
    expect(lines).toContain('  intro             Six-step shopping sessions (home, search, product, add to cart, checkout, pay)…');
  });

  it.each(['', ...FOLDERS])('shows each scenario of "%s" with its first sentence, or as much of it as fits, cut at a word', async (folder) => {
    const heading = folder === '' ? 'Bundled scenarios (' : `Bundled scenarios in ${folder}/`;
    const lines = section(await list(), heading);
    const names = filesIn(folder);
    expect(lines).toHaveLength(names.length);
    for (const [i, line] of lines.entries()) {
      const description = (parse(readFileSync(join(SCENARIOS, folder, `${names[i]}.yaml`), 'utf8')) as { description?: string }).description;
      const sentence = firstSentence(description ?? '');
      expect(line).toMatch(new RegExp(`^  ${names[i]} +\\S`));
      const shown = line.slice(2 + names[i]!.length).trimStart();
      expect([...line].length).toBeLessThanOrEqual(100);
      if (!shown.endsWith('…')) expect(shown).toBe(sentence);
      else {
        // The whole sentence would not fit; what is shown ends before a space or a comma.
        expect(line.length - shown.length + sentence.length).toBeGreaterThan(100);
        expect(sentence.startsWith(shown.slice(0, -1))).toBe(true);
        expect(sentence[shown.length - 1]).toMatch(/[\s,;:]/);
      }
    }
  });

  it('--json prints the same lists as data, scenarios with their files', async () => {
    const data = JSON.parse(await list(['--json'])) as Listing;
    expect(Object.keys(data)).toEqual(['methods', 'stores', 'backendModes', 'timelineEvents', 'scenarios']);
    expect(data.methods.map((m) => m.name)).toEqual([...METHOD_NAMES]);
    expect(data.methods[1]).toEqual({ name: 'ip-hash', directive: 'ip_hash', description: "nginx ip_hash: sticky by client address (an IPv4 address's /24)" });
    expect(data.stores.map((s) => s.name)).toEqual(['local', 'shared']);
    expect(data.backendModes.map((m) => m.name)).toEqual([...BACKEND_MODES]);
    expect(data.timelineEvents.map((e) => e.name)).toEqual([...TIMELINE_EVENTS]);
    expect(data.scenarios.map((s) => (s.folder === '' ? s.name : `${s.folder}/${s.name}`))).toEqual([...filesIn(''), ...FOLDERS.flatMap((f) => filesIn(f).map((n) => `${f}/${n}`))]);
    expect(data.scenarios.find((s) => s.name === 'intro')).toEqual({
      name: 'intro',
      folder: '',
      description: 'Six-step shopping sessions (home, search, product, add to cart, checkout, pay) over four backends.',
      file: join(SCENARIOS, 'intro.yaml'),
    });
    expect(data.scenarios.find((s) => s.name === 'shop-heavy')).toMatchObject({ folder: 'bench', file: join(SCENARIOS, 'bench', 'shop-heavy.yaml') });
  });
});

describe('firstSentence', () => {
  it.each([
    ['Eight backends behind nginx. A third of the shoppers sit behind NAT.', 'Eight backends behind nginx.'],
    ['Reference workload (WORKLOAD.md), light: 200/s.\nMore.', 'Reference workload (WORKLOAD.md), light: 200/s.'],
    ['Does it break?  Yes.', 'Does it break?'],
    ['No full stop\nacross lines', 'No full stop across lines'],
    ['', ''],
  ])('%j → %j', (text, sentence) => expect(firstSentence(text)).toBe(sentence));
});
