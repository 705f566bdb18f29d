/**
 * `--threads`: strategies run in worker threads give exactly the summary of a sequential run.
 * Worker threads need the compiled worker, so this runs the built CLI (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = 'dist/lbsim.js';

function run(threads: number, ...extra: string[]): Record<string, unknown> {
  const out = mkdtempSync(join(tmpdir(), 'lbsim-threads-'));
  execFileSync('node', [BIN, 'run', 'scenarios/shop-basic.yaml', '--sessions', '3000', '--threads', String(threads), '--json', '--out', out, ...extra], { encoding: 'utf8' });
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
  delete summary['generatedAt'];
  delete summary['runTimeMs'];
  return summary;
}

describe('lbsim run --threads', () => {
  it('needs the built CLI', () => {
    expect(existsSync(BIN), `${BIN} is missing: run "npm run build" (npm test does)`).toBe(true);
  });

  it('gives a byte-identical summary with 1 and 2 threads', () => {
    const sequential = run(1);
    expect((sequential['strategies'] as unknown[]).length).toBe(4);
    expect(JSON.stringify(run(2))).toBe(JSON.stringify(sequential));
  });

  it('gives byte-identical replications with 1 and 2 threads (all replications share the pool)', () => {
    const sequential = run(1, '--replications', '3');
    expect(sequential['seeds']).toEqual(['7/rep/0', '7/rep/1', '7/rep/2']);
    expect(JSON.stringify(run(2, '--replications', '3'))).toBe(JSON.stringify(sequential));
  });
});
