/**
 * Sweeps and replications as jobs: `--emit-jobs DIR` writes one spec per (point, replication) and
 * the cluster templates, `lbsim job DIR INDEX` runs one, and `--merge DIR` writes exactly the bytes
 * of the one-machine command, whatever ran the jobs (here `xargs -P 2`), in whatever order, killed
 * and rerun or not. Runs the built CLI (`npm test` builds first) with the clock fixed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';
import { BIN, FIXED_CLOCK, LBSIM_COMMAND, RUN_FILES, SWEEP_FILES, workspace, type Workspace } from './workspace.js';

/** Set-ups run the CLI several times: on a busy machine, each can take seconds. */
const HOOK_TIMEOUT = 120_000;
const GRID = ['--set', 'stores.shared.roundTrip=1ms,5ms,20ms', '--replications', '2', '--sessions', '150'] as const;

it('needs the built CLI', () => {
  expect(existsSync(BIN), `${BIN} is missing: run "npm run build" (npm test does)`).toBe(true);
});

describe('lbsim sweep --emit-jobs DIR, lbsim job DIR INDEX, lbsim sweep --merge DIR', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    expect(ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--threads', '1', '--out', 'one').code).toBe(0);
    expect(ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--emit-jobs', 'jobs').code).toBe(0);
  }, HOOK_TIMEOUT);
  afterAll(() => ws.remove());

  it('writes one spec per (point, replication), in one-machine order, holding the scenario text\'s sha256', () => {
    expect(ws.list('jobs')).toEqual(['github-actions.yml', 'jobs', 'jobs.json', 'kubernetes-job.yaml', 'slurm.sh']);
    expect(ws.list('jobs/jobs')).toEqual([0, 1, 2, 3, 4, 5].map((i) => `job-00000${i}.json`));
    const spec = JSON.parse(readFileSync(join(ws.dir, 'jobs/jobs/job-000003.json'), 'utf8'));
    const hash = createHash('sha256').update(readFileSync(join(ws.dir, 'scenario.yaml'))).digest('hex');
    expect(spec).toMatchObject({ index: 3, point: 1, replication: 1, replications: 2, seed: '42/rep/1', set: [{ path: 'stores.shared.roundTrip', value: '5ms' }], overrides: { sessions: 150 }, scenario: { file: 'scenario.yaml', path: '../scenario.yaml', sha256: hash } });
  });

  it('writes a Slurm array script, a Kubernetes Indexed Job and a GitHub Actions matrix, each saying what it assumes', () => {
    const slurm = readFileSync(join(ws.dir, 'jobs/slurm.sh'), 'utf8');
    expect(slurm).toContain('#SBATCH --array=0-5\n');
    expect(slurm).toContain('SLURM_ARRAY_TASK_ID');
    expect(slurm).toMatch(/# Assumes: .*shares.*\n# and lbsim .* installed on every node/);
    const manifest = readFileSync(join(ws.dir, 'jobs/kubernetes-job.yaml'), 'utf8');
    expect(manifest).toMatch(/^# .*\n# Assumes: the PersistentVolumeClaim/);
    expect(parse(manifest)).toMatchObject({ spec: { completionMode: 'Indexed', completions: 6, parallelism: 6 } });
    expect(manifest).toContain('$JOB_COMPLETION_INDEX');
    const workflowText = readFileSync(join(ws.dir, 'jobs/github-actions.yml'), 'utf8');
    // Written out in full: no YAML anchors or aliases, which older runners refuse.
    expect(workflowText).not.toMatch(/^\s*-? ?[&*]\w+\s*$/m);
    const workflow = parse(workflowText);
    expect(workflow.jobs.run.strategy.matrix.shard).toEqual([0, 1, 2, 3, 4, 5]);
    expect(workflow.jobs.merge.steps.map((s: { run?: string }) => s.run ?? '').join('\n')).toContain('lbsim sweep --merge jobs');
  });

  it('refuses to merge before the jobs ran, naming every missing job (exit 2, nothing written)', () => {
    const merge = ws.lbsim('sweep', '--merge', 'jobs', '--out', 'early');
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('6 of 6 jobs have no result');
    expect(merge.stderr).toContain('job 5 (point 2, replication 1): missing');
    expect(existsSync(join(ws.dir, 'early'))).toBe(false);
  });

  it('merges jobs run through xargs -P 2 into the bytes of the one-machine lbsim sweep', () => {
    const run = spawnSync('sh', ['-c', `seq 0 5 | xargs -P 2 -I INDEX ${LBSIM_COMMAND} job jobs INDEX`], { cwd: ws.dir, env: { ...process.env, ...FIXED_CLOCK }, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(ws.list('jobs/results')).toEqual([0, 1, 2, 3, 4, 5].map((i) => `job-00000${i}.json`));
    const merge = ws.lbsim('sweep', '--merge', 'jobs', '--out', 'merged');
    expect(merge.code, merge.stderr).toBe(0);
    const one = ws.outputs('one', SWEEP_FILES);
    // SOURCE_DATE_EPOCH stops lbsim's clock: no wall-clock value is left to differ.
    expect(JSON.parse(one['sweep.json']!)).toMatchObject({ generatedAt: '2023-11-14T22:13:20.000Z', runTimeMs: 0 });
    expect(JSON.parse(one['sweep.json']!).points).toHaveLength(3);
    expect(ws.outputs('merged', SWEEP_FILES)).toEqual(one);
  });

  it('emits jobs for a bundled scenario by name that read its file (not a file named like it)', () => {
    expect(ws.lbsim('sweep', 'intro', '--set', 'sessions=50,60', '--emit-jobs', 'bundled').code).toBe(0);
    const job = ws.lbsim('job', 'bundled', '1');
    expect(job.code, job.stderr).toBe(0);
  });

  it('refuses the jobs of lbsim sweep in lbsim run --merge', () => {
    const merge = ws.lbsim('run', '--merge', 'jobs');
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('these are jobs of lbsim sweep: merge them with lbsim sweep --merge jobs');
  });
});

describe('a partial grid, and a scenario changed after the jobs were emitted', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    expect(ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--emit-jobs', 'jobs').code).toBe(0);
    for (const index of [0, 1, 4, 5]) expect(ws.lbsim('job', 'jobs', String(index)).code).toBe(0);
  }, HOOK_TIMEOUT);
  afterAll(() => ws.remove());

  it('refuses a spec whose scenario hash differs from the file\'s (exit 2), and the merge names the job as failed', () => {
    const original = readFileSync(join(ws.dir, 'scenario.yaml'), 'utf8');
    appendFileSync(join(ws.dir, 'scenario.yaml'), '# edited after the jobs were emitted\n');
    const job = ws.lbsim('job', 'jobs', '2');
    expect(job.code).toBe(2);
    expect(job.stderr).toMatch(/scenario\.yaml: the scenario has changed since the jobs were emitted \(its sha256 is [0-9a-f]{64}, job 2's spec says [0-9a-f]{64}\)/);
    expect(existsSync(join(ws.dir, 'jobs/results/job-000002.json'))).toBe(false);
    const merge = ws.lbsim('sweep', '--merge', 'jobs', '--out', 'refused');
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('2 of 6 jobs have no result');
    expect(merge.stderr).toContain('job 2 (point 1, replication 0): failed: scenario.yaml: the scenario has changed');
    expect(merge.stderr).toContain('job 3 (point 1, replication 1): missing');
    expect(existsSync(join(ws.dir, 'refused'))).toBe(false);
    rmSync(join(ws.dir, 'scenario.yaml'));
    appendFileSync(join(ws.dir, 'scenario.yaml'), original);
  });

  it('merges what there is with --partial, the gaps marked in sweep.json, sweep.csv and sweep.html', () => {
    const merge = ws.lbsim('sweep', '--merge', 'jobs', '--partial', '--out', 'partial');
    expect(merge.code, merge.stderr).toBe(0);
    const sweep = JSON.parse(readFileSync(join(ws.dir, 'partial/sweep.json'), 'utf8'));
    expect(sweep.gaps).toEqual([
      { job: 2, values: ['5ms'], replication: 0, seed: '42/rep/0', status: 'failed' },
      { job: 3, values: ['5ms'], replication: 1, seed: '42/rep/1', status: 'missing' },
    ]);
    expect(sweep.points.map((p: { seeds: string[] }) => p.seeds)).toEqual([['42/rep/0', '42/rep/1'], [], ['42/rep/0', '42/rep/1']]);
    const rows = readFileSync(join(ws.dir, 'partial/sweep.csv'), 'utf8').trim().split('\n').slice(1);
    // A point no run reached keeps its rows, with 0 replications and no figures.
    expect(rows.filter((row) => row.startsWith('5ms,')).map((row) => row.split(',').slice(0, 4))).toEqual([['5ms', 'round-robin', '0', ''], ['5ms', 'shared-cache', '0', '']]);
    expect(readFileSync(join(ws.dir, 'partial/sweep.html'), 'utf8')).toContain('A partial sweep: 2 of its 6 runs are missing or failed');
  });

  it('merges the whole grid once the missing jobs are rerun, with no trace of the gaps', () => {
    for (const index of [2, 3]) expect(ws.lbsim('job', 'jobs', String(index)).code).toBe(0);
    expect(ws.lbsim('sweep', '--merge', 'jobs', '--out', 'whole').code).toBe(0);
    expect(ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--threads', '1', '--out', 'one').code).toBe(0);
    expect(ws.outputs('whole', SWEEP_FILES)).toEqual(ws.outputs('one', SWEEP_FILES));
  });
});

describe('lbsim run --replications N --emit-jobs DIR, and lbsim run --merge DIR', () => {
  let ws: Workspace;
  beforeAll(() => (ws = workspace('scenarios/failback.yaml')));
  afterAll(() => ws.remove());

  it('merges the replications into the bytes of the one-machine lbsim run --replications', async () => {
    const args = ['scenario.yaml', '--replications', '3', '--sessions', '400'];
    expect(ws.lbsim('run', ...args, '--threads', '1', '--out', 'one').code).toBe(0);
    expect(ws.lbsim('run', ...args, '--emit-jobs', 'jobs').code).toBe(0);
    // In reverse order, two at once: order does not matter.
    const runs = await Promise.all([2, 1].map((i) => ws.lbsimAsync('job', 'jobs', String(i))));
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(ws.lbsim('job', 'jobs', '0').code).toBe(0);
    const merge = ws.lbsim('run', '--merge', 'jobs', '--out', 'merged');
    expect(merge.code, merge.stderr).toBe(0);
    const one = ws.outputs('one', RUN_FILES);
    expect(JSON.parse(one['summary.json']!).seeds).toEqual(['11/rep/0', '11/rep/1', '11/rep/2']);
    expect(ws.outputs('merged', RUN_FILES)).toEqual(one);
  });

  it('refuses a missing replication, and with --partial combines the others and names the missing seed', () => {
    rmSync(join(ws.dir, 'jobs/results/job-000001.json'));
    const refused = ws.lbsim('run', '--merge', 'jobs', '--out', 'refused');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('job 1 (replication 1): missing');
    expect(ws.lbsim('run', '--merge', 'jobs', '--partial', '--out', 'partial').code).toBe(0);
    const summary = JSON.parse(readFileSync(join(ws.dir, 'partial/summary.json'), 'utf8'));
    expect(summary).toMatchObject({ replications: 2, seeds: ['11/rep/0', '11/rep/2'], missingSeeds: ['11/rep/1'] });
  });
});

describe('a killed job, rerun', () => {
  let ws: Workspace;
  // One job, long enough (a few seconds) to be killed while it runs.
  const args = ['run', 'scenario.yaml', '--sessions', '100000', '--emit-jobs', 'jobs'];
  beforeAll(() => {
    ws = workspace();
    expect(ws.lbsim(...args).code).toBe(0);
  }, HOOK_TIMEOUT);
  afterAll(() => ws.remove());

  /** Starts job `index`, kills it (SIGKILL) after `ms`, and says whether it was still running then. */
  async function killJob(index: number, ms: number): Promise<NodeJS.Signals | null> {
    const child = spawn(process.execPath, [BIN, 'job', 'jobs', String(index), '--threads', '1'], { cwd: ws.dir, env: { ...process.env, ...FIXED_CLOCK }, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    const signal = await ended;
    clearTimeout(timer);
    return signal;
  }

  it('leaves no result, not even part of one, and rerun gives the bytes of a job never killed', async () => {
    expect(ws.lbsim('job', 'jobs', '0').code).toBe(0);
    const result = () => readFileSync(join(ws.dir, 'jobs/results/job-000000.json'), 'utf8');
    const before = result();
    expect(ws.lbsim('run', '--merge', 'jobs', '--out', 'before').code).toBe(0);

    // Killed while rewriting a finished job's result: the old result stands, whole.
    expect(await killJob(0, 1000)).toBe('SIGKILL');
    expect(result()).toBe(before);

    // Killed before its first result: nothing under results/, and the merge names it.
    rmSync(join(ws.dir, 'jobs/results/job-000000.json'));
    expect(await killJob(0, 1000)).toBe('SIGKILL');
    expect(ws.list('jobs/results')).toEqual([]);
    const refused = ws.lbsim('run', '--merge', 'jobs', '--out', 'refused');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('job 0 (replication 0): missing');

    // Rerun: the same result, byte for byte, and the same merged files.
    expect(ws.lbsim('job', 'jobs', '0').code).toBe(0);
    expect(result()).toBe(before);
    expect(ws.lbsim('run', '--merge', 'jobs', '--out', 'after').code).toBe(0);
    expect(ws.outputs('after', RUN_FILES)).toEqual(ws.outputs('before', RUN_FILES));
  }, 180_000);
});

describe('the Kubernetes Indexed Job manifest (validated against the Kubernetes schema; not run here)', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    expect(ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--emit-jobs', 'jobs', '--image', 'registry.example/lbsim:0.1.0', '--volume', 'sweeps', '--parallelism', '4').code).toBe(0);
  }, HOOK_TIMEOUT);
  afterAll(() => ws.remove());

  const manifest = () => parse(readFileSync(join(ws.dir, 'jobs/kubernetes-job.yaml'), 'utf8'));

  it('is a valid batch/v1 Job, with the image, volume and parallelism given', () => {
    const job = manifest();
    expect(() => new Job(job).validate()).not.toThrow();
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 6, parallelism: 4 });
    const pod = job.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.example/lbsim:0.1.0');
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('sweeps');
    expect(pod.containers[0].command.join(' ')).toContain('lbsim job "$0" "$JOB_COMPLETION_INDEX"');
  });

  it('would be refused by the same validation with a field of the wrong kind (the check can fail)', () => {
    const job = manifest();
    job.spec.completionMode = 'ByIndex';
    expect(() => new Job(job).validate()).toThrow(/completionMode/);
  });

  it('refuses a parallelism that is not a whole number of pods (exit 2)', () => {
    const emit = ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--emit-jobs', 'other', '--parallelism', '0');
    expect(emit.code).toBe(2);
    expect(emit.stderr).toContain('--parallelism: expected a whole number of pods, 1 or more, got 0');
  });

  it('refuses to emit into a folder that already holds jobs (exit 2)', () => {
    const emit = ws.lbsim('sweep', 'scenario.yaml', ...GRID, '--emit-jobs', 'jobs');
    expect(emit.code).toBe(2);
    expect(emit.stderr).toContain('jobs: it already holds jobs (jobs.json)');
  });
});

describe('options that do not fit together are refused before anything runs (exit 2)', () => {
  const refusal = async (...argv: string[]) => {
    const run = fakeIo();
    return { code: await main(argv, run.io), stderr: run.stderr(), written: [...run.written.keys()] };
  };

  it.each([
    [['sweep', '--merge', 'jobs', '--set', 'seed=1,2'], 'lbsim: --merge jobs takes no --set: the jobs\' plan in jobs fixes what to merge'],
    [['sweep', 'scenarios/intro.yaml', '--merge', 'jobs'], 'lbsim: --merge jobs takes no scenario'],
    [['run', '--merge', 'jobs', '--replications', '3'], 'lbsim: --merge jobs takes no --replications'],
    [['sweep', 'scenarios/intro.yaml', '--set', 'seed=1,2', '--image', 'x'], 'lbsim: --image goes with --emit-jobs'],
    [['run', 'scenarios/intro.yaml', '--partial'], 'lbsim: --partial goes with --merge'],
    [['run'], 'lbsim: name a scenario file (or --merge DIR, to merge the results of jobs)'],
  ])('lbsim %j', async (argv, message) => {
    const { code, stderr, written } = await refusal(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(written).toEqual([]);
  });
});
