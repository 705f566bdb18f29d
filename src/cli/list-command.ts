/**
 * `lbsim list`: what a scenario can name, one line each: the balancing methods (from the
 * strategies registry), the session stores, the backend modes and other timeline events (from
 * the scenario format), and the bundled scenarios with the first sentence of their description.
 * `--json` prints the same as data.
 */
import { dirname, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { BACKEND_MODE_HELP, STORE_KIND_HELP, TIMELINE_EVENT_HELP } from '../scenario/index.js';
import { METHOD_NAMES, METHODS } from '../strategies/index.js';
import { FILE_LIMITS, type Io } from './io.js';
import { bundledScenarioFiles, scenariosDir } from './package-files.js';

export interface ListEntry {
  readonly name: string;
  readonly description: string;
}

export interface Listing {
  readonly methods: readonly (ListEntry & { readonly directive: string })[];
  readonly stores: readonly ListEntry[];
  readonly backendModes: readonly ListEntry[];
  readonly timelineEvents: readonly ListEntry[];
  /** `folder` is the subfolder of scenarios/ (`bench`; '' for the top); `file` is absolute. */
  readonly scenarios: readonly (ListEntry & { readonly folder: string; readonly file: string })[];
}

/** Lines are cut to this many columns. */
export const LIST_WIDTH = 100;

/** The first sentence of `text` (up to a `.`, `!` or `?` followed by a space or the end), on one line. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s|$)/.exec(flat);
  return end === null ? flat : flat.slice(0, end.index + 1);
}

const entries = (help: Readonly<Record<string, string>>): ListEntry[] => Object.entries(help).map(([name, description]) => ({ name, description }));

async function bundledScenarios(io: Io): Promise<Listing['scenarios']> {
  const root = scenariosDir();
  return Promise.all(
    (await bundledScenarioFiles()).map(async (file) => {
      const folder = relative(root, dirname(file)).split(sep).join('/');
      let name: string;
      let description: string;
      try {
        const document = parse(await io.readFile(file, FILE_LIMITS.scenario)) as { name?: unknown; description?: unknown } | null;
        name = typeof document?.name === 'string' ? document.name : '(no name)';
        description = typeof document?.description === 'string' ? firstSentence(document.description) : '';
      } catch (error) {
        name = relative(root, file);
        description = `(unreadable: ${(error as Error).message.split('\n')[0]})`;
      }
      return { name, folder, description, file };
    }),
  );
}

/** Everything `lbsim list` shows. */
export async function listing(io: Io): Promise<Listing> {
  return {
    methods: METHOD_NAMES.map((name) => ({ name, directive: METHODS[name].directive, description: METHODS[name].description })),
    stores: entries(STORE_KIND_HELP),
    backendModes: entries(BACKEND_MODE_HELP),
    timelineEvents: entries(TIMELINE_EVENT_HELP),
    scenarios: await bundledScenarios(io),
  };
}

/**
 * The listing as sections of `  name  description` lines (names aligned per section), no line
 * wider than LIST_WIDTH; bundled scenarios in a section per folder.
 */
export function renderListing(list: Listing, scenariosFolder: string): string {
  const folders = [...new Set(list.scenarios.map((s) => s.folder))];
  const sections: [string, readonly ListEntry[]][] = [
    ['Balancing methods (strategies[].balancer.method)', list.methods],
    ['Session stores (strategies[].store)', list.stores],
    ['Backend modes (timeline[].mode)', list.backendModes],
    ['Other timeline events (timeline[].event)', list.timelineEvents],
    ...folders.map((folder): [string, readonly ListEntry[]] => {
      const path = folder === '' ? scenariosFolder : `${scenariosFolder}/${folder}`;
      return [`Bundled scenarios${folder === '' ? '' : ` in ${folder}/`} (lbsim run NAME, or ${path}/NAME.yaml)`, list.scenarios.filter((s) => s.folder === folder)];
    }),
  ];
  // A description too long for the line is cut at a word, with an ellipsis.
  const fit = (line: string, width: number) => {
    if (line.length <= LIST_WIDTH) return line;
    const cut = line.slice(0, LIST_WIDTH - 1);
    const space = cut.lastIndexOf(' ');
    return `${(space > width + 4 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
  };
  return sections
    .map(([heading, rows]) => {
      const width = Math.max(0, ...rows.map((row) => row.name.length));
      return [heading, ...rows.map((row) => fit(`  ${row.name.padEnd(width)}  ${row.description}`.trimEnd(), width))].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export async function listCommand(args: { readonly json: boolean }, io: Io): Promise<number> {
  const list = await listing(io);
  // The folder as the user would type it: relative to the current one when that is shorter.
  const folder = [scenariosDir(), relative(process.cwd(), scenariosDir())].reduce((a, b) => (b.length < a.length ? b : a));
  io.stdout.write(args.json ? `${JSON.stringify(list, null, 2)}\n` : renderListing(list, folder));
  return 0;
}
