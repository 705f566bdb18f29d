/**
 * What `--emit-jobs DIR` writes besides the specs: a Slurm array script, a Kubernetes Indexed Job
 * and a GitHub Actions workflow with a matrix, each running `lbsim job DIR INDEX` once per job and
 * saying, at its top, what it assumes of the machines it runs on.
 */
import { stringify } from 'yaml';
import type { JobPlan } from './job-plan.js';

export const SLURM_FILE = 'slurm.sh';
export const KUBERNETES_FILE = 'kubernetes-job.yaml';
export const GITHUB_FILE = 'github-actions.yml';

/** The Kubernetes Job's settings, from the command line. */
export interface ClusterOptions {
  /** A container image with lbsim on its PATH. */
  readonly image?: string | undefined;
  /** The PersistentVolumeClaim holding the folder the jobs were emitted from. */
  readonly volume?: string | undefined;
  /** Pods at once. */
  readonly parallelism?: number | undefined;
}

export const CLUSTER_DEFAULTS = { image: 'lbsim:latest', volume: 'lbsim-work', parallelism: 10 } as const;
/** Where the Kubernetes pods mount the volume. */
const MOUNT = '/lbsim';
/** GitHub refuses a matrix of more than 256 entries: larger sets of jobs are dealt out to this many shards. */
const GITHUB_MATRIX_MAX = 256;

export interface TemplateInput {
  readonly plan: JobPlan;
  /** The jobs folder as the templates name it: relative to the folder lbsim ran in, where it can be. */
  readonly dir: string;
  /** A name for the batch: lowercase letters, digits and dashes. */
  readonly name: string;
  readonly cluster: ClusterOptions;
}

/** A word for a POSIX shell: as is when it is safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `lbsim sweep --merge DIR`, or `lbsim run --merge DIR`. */
const mergeLine = (input: TemplateInput) => `lbsim ${input.plan.command} --merge ${shellWord(input.dir)}`;

function what(input: TemplateInput): string {
  const { plan } = input;
  return `lbsim ${plan.lbsimVersion}: ${plan.jobs} job${plan.jobs === 1 ? '' : 's'} of \`lbsim ${plan.command}\` over ${plan.scenario.file} (sha256 ${plan.scenario.sha256}), one per (point, replication).`;
}

export function slurmScript(input: TemplateInput): string {
  const { plan } = input;
  const dir = shellWord(input.dir);
  return [
    '#!/bin/bash',
    `# ${what(input)}`,
    '#',
    `# Assumes: ${input.dir} and the scenario are on a folder that every node shares, at the same path,`,
    `# and lbsim ${plan.lbsimVersion} is installed on every node (npm install -g lbsim@${plan.lbsimVersion}), or LBSIM`,
    '# names the command that runs it. Submit from the folder lbsim ran in:',
    `#   sbatch ${dir}/${SLURM_FILE}            (--wait blocks until every job has ended)`,
    '# then merge the results into the files a one-machine run writes:',
    `#   ${mergeLine(input)}`,
    `# A failed or killed job is rerun alone: sbatch --array=INDEX ${dir}/${SLURM_FILE}`,
    '# Past the cluster\'s MaxArraySize (1001 by default), submit slices: the job index is',
    `# LBSIM_JOB_OFFSET + SLURM_ARRAY_TASK_ID (sbatch --array=0-999 --export=ALL,LBSIM_JOB_OFFSET=1000 ...).`,
    `#SBATCH --job-name=lbsim-${input.name}`,
    `#SBATCH --array=0-${plan.jobs - 1}`,
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --output=${input.dir}/slurm-%A_%a.out`,
    'set -eu',
    `exec \${LBSIM:-lbsim} job ${dir} "$(( \${LBSIM_JOB_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))" --threads "\${SLURM_CPUS_PER_TASK:-1}"`,
    '',
  ].join('\n');
}

/** The Kubernetes Job as an object (the test validates it against the batch/v1 schema). */
export function kubernetesJob(input: TemplateInput): Record<string, unknown> {
  const { plan } = input;
  const image = input.cluster.image ?? CLUSTER_DEFAULTS.image;
  const volume = input.cluster.volume ?? CLUSTER_DEFAULTS.volume;
  const parallelism = Math.min(plan.jobs, input.cluster.parallelism ?? CLUSTER_DEFAULTS.parallelism);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `lbsim-${input.name}`.slice(0, 63).replace(/-+$/, ''), labels: { 'app.kubernetes.io/name': 'lbsim' } },
    spec: {
      completionMode: 'Indexed',
      completions: plan.jobs,
      parallelism,
      // A job that fails is retried twice, on its own: one bad index does not stop the others.
      backoffLimitPerIndex: 2,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'lbsim' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'lbsim',
              image,
              workingDir: MOUNT,
              command: ['sh', '-c', 'exec lbsim job "$0" "$JOB_COMPLETION_INDEX" --threads 1', input.dir],
              resources: { requests: { cpu: '1' }, limits: { cpu: '1' } },
              volumeMounts: [{ name: 'work', mountPath: MOUNT }],
            },
          ],
          volumes: [{ name: 'work', persistentVolumeClaim: { claimName: volume } }],
        },
      },
    },
  };
}

export function kubernetesManifest(input: TemplateInput): string {
  const { plan } = input;
  const job = kubernetesJob(input);
  const name = (job['metadata'] as { name: string }).name;
  const comments = [
    what(input),
    `Assumes: the PersistentVolumeClaim "${input.cluster.volume ?? CLUSTER_DEFAULTS.volume}" (--volume) holds the folder lbsim ran in`,
    `(the scenario and ${input.dir}), mounted read-write by every pod at ${MOUNT}; the image "${input.cluster.image ?? CLUSTER_DEFAULTS.image}" (--image)`,
    `has lbsim ${plan.lbsimVersion} on its PATH; --parallelism sets how many pods run at once.`,
    `Run: kubectl apply -f ${input.dir}/${KUBERNETES_FILE} && kubectl wait --for=condition=complete job/${name} --timeout=24h`,
    `then, with the volume mounted: ${mergeLine(input)}`,
    'lbsim\'s tests validate this manifest against the Kubernetes batch/v1 schema; they do not run it.',
  ];
  return `${comments.map((line) => `# ${line}`).join('\n')}\n${stringify(job, { aliasDuplicateObjects: false })}`;
}

export function githubWorkflow(input: TemplateInput): string {
  const { plan } = input;
  const shards = Math.min(plan.jobs, GITHUB_MATRIX_MAX);
  const dir = shellWord(input.dir);
  const install = [{ uses: 'actions/checkout@v4' }, { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } }, { run: `npm install -g lbsim@${plan.lbsimVersion}` }];
  const workflow = {
    name: `lbsim ${input.name}`,
    on: { workflow_dispatch: {} },
    jobs: {
      run: {
        'runs-on': 'ubuntu-latest',
        strategy: { 'fail-fast': false, matrix: { shard: Array.from({ length: shards }, (_, i) => i) } },
        steps: [
          ...install,
          // Shard k runs jobs k, k + shards, k + 2 × shards, …; one failed job does not stop the rest.
          { name: 'run the jobs of this shard', run: `status=0\nfor i in $(seq \${{ matrix.shard }} ${shards} ${plan.jobs - 1}); do lbsim job ${dir} "$i" || status=1; done\nexit $status` },
          { uses: 'actions/upload-artifact@v4', if: 'always()', with: { name: 'results-${{ matrix.shard }}', path: `${input.dir}/results/` } },
        ],
      },
      merge: {
        needs: 'run',
        if: 'always()',
        'runs-on': 'ubuntu-latest',
        steps: [
          ...install,
          { uses: 'actions/download-artifact@v4', with: { pattern: 'results-*', path: `${input.dir}/results`, 'merge-multiple': true } },
          { run: `${mergeLine(input)} --out merged` },
          { uses: 'actions/upload-artifact@v4', with: { name: 'merged', path: 'merged/' } },
        ],
      },
    },
  };
  const comments = [
    what(input),
    `Assumes: this repository holds the scenario and ${input.dir} (commit them), and lbsim ${plan.lbsimVersion} installs from npm.`,
    `Copy this file to .github/workflows/ and start it by hand (workflow_dispatch). A matrix of ${shards} shard${shards === 1 ? '' : 's'} runs the jobs;`,
    'the merge job downloads their results and uploads the merged files as the "merged" artifact.',
  ];
  return `${comments.map((line) => `# ${line}`).join('\n')}\n${stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
