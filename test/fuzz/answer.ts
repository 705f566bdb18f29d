/**
 * One fuzz case through the command line, in this process: the exit code, what was printed, and
 * how long it took. `expectAnswered` is the property every case must have: exit 0, or exit 2
 * with a message on stderr, never exit 1 (a bug), within a time bound.
 */
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

/** No single case may take longer (every case is small: the bench runs the extremes). */
export const CASE_TIME_LIMIT_MS = 10_000;

export interface Answer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export async function answer(argv: readonly string[], files: Record<string, string> = {}, stdin?: string): Promise<Answer> {
  const { io, stdout, stderr } = fakeIo({ files, ...(stdin === undefined ? {} : { stdin }) });
  const started = performance.now();
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr(), ms: performance.now() - started };
}

/** Exit 0, or a typed refusal: exit 2 with its message; never a bug's exit 1; in bounded time. */
export function expectAnswered(result: Answer, what: string): void {
  const shown = `${what}\nexit ${result.code}, ${Math.round(result.ms)} ms\n${result.stderr.slice(0, 2000)}`;
  expect([0, 2], shown).toContain(result.code);
  if (result.code === 2) expect(result.stderr.trim(), shown).not.toBe('');
  expect(result.stderr, shown).not.toMatch(/internal error/);
  expect(result.ms, shown).toBeLessThan(CASE_TIME_LIMIT_MS);
}
