/**
 * A private folder holding a copy of a bundled scenario, where the built CLI runs as a user would
 * (relative paths, the folder as its working directory), with the clock fixed by SOURCE_DATE_EPOCH
 * so that the outputs of two ways of running the same work can be compared byte for byte.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const BIN = resolve('dist/lbsim.js');
/** 2023-11-14T22:13:20Z: any fixed time will do. */
export const FIXED_CLOCK = { SOURCE_DATE_EPOCH: '1700000000' };
/** How to run the built CLI from a shell or a job script (LBSIM in the templates). */
export const LBSIM_COMMAND = `${process.execPath} ${BIN}`;

const execFileAsync = promisify(execFile);

export interface Workspace {
  readonly dir: string;
  /** Runs `lbsim ARGS` here; its exit code and output. */
  lbsim(...args: string[]): { readonly code: number; readonly stdout: string; readonly stderr: string };
  /** The same, without blocking the test's event loop. */
  lbsimAsync(...args: string[]): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;
  /** The bytes of the output files of a folder, by name. */
  outputs(folder: string, names: readonly string[]): Record<string, string>;
  /** The files in a folder, hidden ones too. */
  list(folder: string): string[];
  remove(): void;
}

export function workspace(scenario = 'scenarios/intro.yaml'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-jobs-'));
  copyFileSync(scenario, join(dir, 'scenario.yaml'));
  const env = { ...process.env, ...FIXED_CLOCK };
  return {
    dir,
    lbsim: (...args) => {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
      return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
    },
    lbsimAsync: async (...args) => {
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    },
    outputs: (folder, names) => Object.fromEntries(names.map((name) => [name, readFileSync(join(dir, folder, name), 'utf8')])),
    list: (folder) => readdirSync(join(dir, folder)).sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const SWEEP_FILES = ['sweep.csv', 'sweep.json', 'sweep.html'] as const;
export const RUN_FILES = ['summary.json', 'summary.csv', 'timeseries.csv', 'report.html'] as const;
