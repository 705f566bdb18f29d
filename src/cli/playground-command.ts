/**
 * `lbsim playground [--out FILE]`: writes the playground, one HTML file that runs the simulator
 * in a browser from file:// (see src/playground/). This file only reads what the page inlines
 * (the browser bundles `npm run build` made, Chart.js, the bundled scenarios) and writes it.
 */
import { basename, dirname, join, relative } from 'node:path';
import { renderPlayground, type CatalogEntry } from '../playground/index.js';
import { LIMITS } from '../scenario/index.js';
import { LBSIM_VERSION } from '../version.js';
import { InputError } from './errors.js';
import { FILE_LIMITS, type Io } from './io.js';
import { bundledScenarioFiles, packageRoot, scenariosDir } from './package-files.js';
import { readHtmlAssets } from './report-command.js';

export const PLAYGROUND_FILE = join('reports', 'playground.html');
/** The page's largest size: it is mailed to workshop rooms and opened on phones. */
export const PLAYGROUND_MAX_BYTES = 2 * 1024 * 1024;

const BROWSER_BUNDLE = { bytes: LIMITS.summaryBytes, what: 'a file of the installation' } as const;

async function readBundle(io: Io, name: string): Promise<string> {
  const file = join(packageRoot(), 'dist', 'playground', `${name}.js`);
  try {
    return await io.readFile(file, BROWSER_BUNDLE);
  } catch {
    throw new InputError(file, 'the playground\'s browser bundle is missing: run `npm run build` first');
  }
}

/** The bundled scenarios and workshop lessons (not the bench's). */
async function catalog(io: Io): Promise<CatalogEntry[]> {
  const root = scenariosDir();
  const files = (await bundledScenarioFiles()).filter((f) => ['.', 'workshop'].includes(dirname(relative(root, f))));
  return Promise.all(files.map(async (f) => ({ group: dirname(relative(root, f)) === 'workshop' ? 'Workshop lessons' : 'Scenarios', file: basename(f), text: await io.readFile(f, FILE_LIMITS.scenario) })));
}

export async function playgroundCommand(args: { readonly out: string | undefined }, io: Io): Promise<number> {
  const out = args.out ?? PLAYGROUND_FILE;
  const { chartJs } = await readHtmlAssets(io);
  const html = renderPlayground({ appJs: await readBundle(io, 'app'), workerJs: await readBundle(io, 'worker'), assets: { chartJs }, catalog: await catalog(io), version: LBSIM_VERSION });
  await io.writeFileAtomic(out, html);
  const kb = Math.round(new TextEncoder().encode(html).length / 1024);
  io.stdout.write(`wrote ${out} (${kb} KB): open it in a browser, no network needed\n`);
  return 0;
}
