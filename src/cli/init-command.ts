/**
 * `lbsim init [name]`: writes the commented starter scenario (scenario/starter.ts) to
 * `<name>.yaml`, never over an existing file unless `--force`, atomically.
 */
import { basename, join } from 'node:path';
import { COMMAND_LINE, starterScenarioJson, starterScenarioYaml } from '../scenario/index.js';
import { FILE_LIMITS, type Io } from './io.js';
import { schemaReferenceFrom } from './package-files.js';

export interface InitArgs {
  /** A file name, with or without `.yaml`, `.yml` or `.json`; undefined: `my-scenario`. */
  readonly name: string | undefined;
  /** The folder to write into; undefined: the current one. */
  readonly out: string | undefined;
  readonly force: boolean;
}

export const DEFAULT_STARTER_NAME = 'my-scenario';
const EXTENSION = /\.(ya?ml|json)$/i;

/** The file to write and the scenario's name, or what is wrong with the name given. */
export function starterTarget(args: Pick<InitArgs, 'name' | 'out'>): { readonly file: string; readonly name: string } | string {
  const given = args.name ?? DEFAULT_STARTER_NAME;
  const file = EXTENSION.test(given) ? given : `${given}.yaml`;
  const name = basename(file).replace(EXTENSION, '');
  if (given.trim() === '' || name.trim() === '' || given.endsWith('/') || given.endsWith('\\')) {
    return `${COMMAND_LINE}: init: expected a file name such as "${DEFAULT_STARTER_NAME}" or "${DEFAULT_STARTER_NAME}.yaml", got ${JSON.stringify(given)}`;
  }
  return { file: args.out === undefined ? file : join(args.out, file), name };
}

/** Whether a file (or anything else) exists at `path`, asked through the Io so tests can fake it. */
async function exists(path: string, io: Io): Promise<boolean> {
  try {
    await io.readFile(path, FILE_LIMITS.scenario);
    return true;
  } catch (error) {
    // ENOTDIR: the folder is a file or a device, which writing says.
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

export async function initCommand(args: InitArgs, io: Io): Promise<number> {
  const target = starterTarget(args);
  if (typeof target === 'string') {
    io.stderr.write(`${target}\n`);
    return 2;
  }
  const { file, name } = target;
  if (!args.force && (await exists(file, io))) {
    io.stderr.write(`${file}: already exists; lbsim init does not overwrite a file. Give another name (lbsim init NAME), or --force to replace it.\n`);
    return 2;
  }
  const options = { name, schema: schemaReferenceFrom(file) };
  await io.writeFileAtomic(file, /\.json$/i.test(file) ? starterScenarioJson(options) : starterScenarioYaml(options));
  io.stdout.write(`wrote ${file}, a starter scenario; change what differs in your setup, then:\n  lbsim validate ${file}\n  lbsim run ${file}\n`);
  return 0;
}
