/**
 * Files lbsim ships beside its code: the bundled scenarios and the scenario JSON Schema. They are
 * found from this module's own location, so they are the package's whether lbsim runs from
 * the bundle `dist/lbsim.js` (an install, `npm link`), from `dist/src/cli/` or from `src/cli/`
 * (the tests, tsx).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCENARIO_JSON_SCHEMA_FILE } from '../scenario/index.js';

/** lbsim's top folder: the nearest folder above this module that holds a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find lbsim's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** The bundled scenarios folder. */
export const scenariosDir = (): string => join(packageRoot(), 'scenarios');

/** The scenario JSON Schema file. */
export const schemaFile = (): string => join(packageRoot(), ...SCENARIO_JSON_SCHEMA_FILE.split('/'));

/**
 * How a scenario file at `file` names the schema: a relative path with forward slashes when the
 * two share a folder below the file system's root (what the bundled files use, and what survives
 * moving a project that has lbsim in node_modules), else a file URL (lbsim installed globally,
 * another drive).
 */
export function schemaReferenceFrom(file: string): string {
  const schema = schemaFile();
  const from = resolve(dirname(file));
  const path = relative(from, schema);
  const up = path.split(sep).filter((segment) => segment === '..').length;
  const depth = from.split(sep).filter(Boolean).length;
  return isAbsolute(path) || up >= depth ? pathToFileURL(schema).href : path.split(sep).join('/');
}

/** The bundled scenario files: `scenarios/*.yaml`, then `scenarios/FOLDER/*.yaml` folder by folder, each sorted by name. */
export async function bundledScenarioFiles(): Promise<string[]> {
  const root = scenariosDir();
  const entries = await readdir(root, { withFileTypes: true });
  const yaml = /\.ya?ml$/;
  // By name without the extension: shop-heavy before shop-heavy-hash.
  const byName = (a: string, b: string) => (a.replace(yaml, '') < b.replace(yaml, '') ? -1 : 1);
  const filesIn = async (folder: string) =>
    (await readdir(join(root, folder), { withFileTypes: true })).filter((e) => e.isFile() && yaml.test(e.name)).map((e) => e.name).sort(byName).map((name) => join(root, folder, name));
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return [...(await filesIn('')), ...(await Promise.all(folders.map(filesIn))).flat()];
}
