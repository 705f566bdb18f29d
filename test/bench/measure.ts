/**
 * Running one benchmark process and measuring it: every command runs under GNU time
 * (`/usr/bin/time -f '%e %M %U %S'`, Debian package `time`) for its whole-process wall time, peak
 * RSS and CPU time, and the parent also times it with a monotonic clock (finer than GNU time's 10 ms). Plus
 * the small statistics the bench reports: medians, ranges, means with standard errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/** One finished process. */
export interface Timed {
  /** Whole-process wall time from GNU time's `%e` (10 ms resolution), seconds. */
  readonly processWallSec: number;
  /** The same measured by the parent around spawn (includes GNU time's own exec, ~1 ms), seconds. */
  readonly parentWallSec: number;
  /** Peak resident set size from GNU time's `%M`, MiB. */
  readonly peakRssMb: number;
  /** User + system CPU time from GNU time's `%U` and `%S` (all threads: JIT, GC helpers), seconds. */
  readonly processCpuSec: number;
  /** The 1-minute load average just before the process started: a busy machine shows here. */
  readonly loadAvg1: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Why GNU time cannot be used, or undefined when it can. */
export function gnuTimeProblem(): string | undefined {
  if (!existsSync(GNU_TIME)) return `${GNU_TIME} not found: install GNU time (Debian/Ubuntu: apt-get install time)`;
  const probe = spawnSync(GNU_TIME, ['-f', '%e %M', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0 || !/^\d+(\.\d+)? \d+\s*$/m.test(probe.stderr)) {
    return `${GNU_TIME} is not GNU time (it does not understand -f '%e %M'): install the Debian package "time"`;
  }
  return undefined;
}

/** Runs `command args…` under GNU time in `cwd`; throws with its stderr when it fails. */
export function runTimed(command: string, args: readonly string[], cwd: string): Timed {
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  try {
    const loadAvg1 = loadavg()[0]!;
    const started = process.hrtime.bigint();
    const child = spawnSync(GNU_TIME, ['-f', '%e %M %U %S', '-o', timeFile, command, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    const parentWallSec = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.error) throw child.error;
    if (child.status !== 0) {
      throw new Error(`${[command, ...args].join(' ')} exited with status ${child.status}:\n${child.stderr.slice(-4000)}`);
    }
    // On failure GNU time writes "Command exited with non-zero status N" first; the figures are last.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const match = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(last.trim());
    if (!match) throw new Error(`cannot read GNU time's output: ${JSON.stringify(last)}`);
    return {
      processWallSec: Number(match[1]),
      parentWallSec,
      peakRssMb: Number(match[2]) / 1024,
      processCpuSec: Number(match[3]) + Number(match[4]),
      loadAvg1,
      stdout: child.stdout,
      stderr: child.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median (mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Median, min, max and every value, for the JSON report. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/** Mean and its standard error (0 for a single value). */
export function meanWithError(values: readonly number[]): { readonly mean: number; readonly stdError: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, stdError: 0 };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { mean, stdError: Math.sqrt(variance / n) };
}
