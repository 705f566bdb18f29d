/**
 * The emitted Slurm array script on a real (one-node) Slurm cluster: a sweep of 3 points × 2
 * replications submitted with `sbatch --wait`, merged, and compared byte for byte with the
 * one-machine `lbsim sweep`. Without Slurm (slurm-wlm and munge, as root) the test says so loudly
 * and skips — except under CI=true, where it fails: `.ci/run` installs them.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlurmCluster, slurmMissing, type SlurmCluster } from './slurm-cluster.js';
import { FIXED_CLOCK, LBSIM_COMMAND, SWEEP_FILES, workspace, type Workspace } from './workspace.js';

const execFileAsync = promisify(execFile);
const ci = process.env['CI'] === 'true';
const missing = slurmMissing();
if (missing !== undefined) {
  console.warn(`\n${'!'.repeat(78)}\n!! Slurm cannot run here: ${missing}.\n!! The Slurm test of lbsim's job arrays ${ci ? 'FAILS (CI=true)' : 'is SKIPPED'}.\n${'!'.repeat(78)}\n`);
}

// Always runs, so CI never reports a skip: under CI a missing Slurm is a failure.
describe('Slurm for this test', () => {
  it('can run when running under CI', () => {
    if (ci) expect(missing, '.ci/run installs slurm-wlm and munge (apt-get install -y slurm-wlm munge)').toBeUndefined();
  });
});

describe.runIf(missing === undefined)('a sweep as a Slurm job array on a one-node cluster', () => {
  let cluster: SlurmCluster | undefined;
  let ws: Workspace;
  const grid = ['--set', 'stores.shared.roundTrip=1ms,5ms,20ms', '--replications', '2', '--sessions', '150'];

  beforeAll(async () => {
    ws = workspace();
    cluster = await startSlurmCluster();
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    ws?.remove();
  }, 60_000);

  it('runs the emitted array script with sbatch --wait, and the merge is byte-identical to lbsim sweep on one machine', async () => {
    expect(ws.lbsim('sweep', 'scenario.yaml', ...grid, '--emit-jobs', 'jobs').code).toBe(0);
    const started = Date.now();
    // The array script runs `${LBSIM:-lbsim}`: here, the built CLI (sbatch passes the environment on).
    const env = { ...process.env, ...FIXED_CLOCK, ...cluster!.env, LBSIM: LBSIM_COMMAND };
    try {
      const submitted = await execFileAsync('sbatch', ['--wait', 'jobs/slurm.sh'], { cwd: ws.dir, env, encoding: 'utf8', timeout: 150_000 });
      expect(submitted.stdout).toMatch(/^Submitted batch job \d+/);
    } catch (error) {
      throw new Error(`sbatch --wait failed: ${(error as Error).message}\n${cluster!.logs()}`);
    }
    console.info(`slurm: 6 jobs submitted and finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(ws.list('jobs/results')).toEqual([0, 1, 2, 3, 4, 5].map((i) => `job-00000${i}.json`));
    const log = readFileSync(join(ws.dir, 'jobs', ws.list('jobs').find((name) => name.startsWith('slurm-') && name.endsWith('_5.out'))!), 'utf8');
    expect(log).toContain('job 5 of 6');

    expect(ws.lbsim('sweep', '--merge', 'jobs', '--out', 'merged').code).toBe(0);
    expect(ws.lbsim('sweep', 'scenario.yaml', ...grid, '--threads', '1', '--out', 'one').code).toBe(0);
    expect(ws.outputs('merged', SWEEP_FILES)).toEqual(ws.outputs('one', SWEEP_FILES));
  }, 180_000);
});
