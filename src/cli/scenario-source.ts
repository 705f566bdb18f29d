/**
 * Where a scenario argument's text comes from: the file of that name, or else, for a bare name
 * (`shop-basic`, no folder), the bundled scenario of that name, so `lbsim run shop-basic` works
 * from any folder. An unknown name is answered with the bundled names and a did-you-mean.
 */
import { basename } from 'node:path';
import { closestMatch, type ScenarioError } from '../scenario/index.js';
import { FILE_LIMITS, type Io } from './io.js';
import { bundledScenarioFiles } from './package-files.js';

/** A scenario's text and the file it was read from (the bundled file's path for a name). */
export interface ScenarioSource {
  readonly text: string;
  readonly file: string;
}

const SCENARIO_EXTENSION = /\.(ya?ml|json)$/;

/** A bundled scenario's name: its file name without the extension. */
export const bundledName = (file: string): string => basename(file).replace(SCENARIO_EXTENSION, '');

/** The bundled scenario files by name (the top folder's first, when two folders hold one name). */
export async function bundledScenarios(): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const file of await bundledScenarioFiles()) if (!byName.has(bundledName(file))) byName.set(bundledName(file), file);
  return byName;
}

/** Whether an argument can name a bundled scenario: a bare name, no folder in it. */
const isBareName = (argument: string): boolean => argument !== '' && !/[\\/]/.test(argument);

/** The scenario text for the argument `file`, or the error of reading it. */
export async function readScenarioText(file: string, io: Io): Promise<ScenarioSource | readonly ScenarioError[]> {
  try {
    return { text: await io.readFile(file, FILE_LIMITS.scenario), file };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && isBareName(file)) return readBundled(file, io);
    return [{ file, path: '', message: `cannot read the scenario: ${missing ? 'no such file' : (error as Error).message}` }];
  }
}

async function readBundled(argument: string, io: Io): Promise<ScenarioSource | readonly ScenarioError[]> {
  const bundled = await bundledScenarios();
  const name = argument.replace(SCENARIO_EXTENSION, '');
  const file = bundled.get(name);
  if (file !== undefined) return { text: await io.readFile(file, FILE_LIMITS.scenario), file };
  const names = [...bundled.keys()];
  const guess = closestMatch(name, names);
  const hint = guess === undefined ? '' : ` (did you mean ${JSON.stringify(guess)}?)`;
  return [{ file: argument, path: '', message: `no such file, nor a bundled scenario of that name${hint}; the bundled scenarios are ${names.join(', ')} (lbsim list describes them)` }];
}
