/**
 * A one-node Slurm cluster for a test, from Debian's slurm-wlm and munge: munged as the `munge`
 * user with a key made for it, then slurmctld and slurmd (as root) on one node named after this
 * machine, on loopback ports found free. Every file (keys, configuration, state, logs, sockets)
 * is in one private temporary folder; the daemons run in the foreground as children of the test
 * and are stopped by their PIDs. Every wait is bounded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The programs the cluster needs. */
export const SLURM_PROGRAMS = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'sinfo'] as const;
/** How long the cluster may take to report its node idle. */
const START_TIMEOUT_MS = 90_000;

/** Why this machine cannot start the cluster, or undefined when it can. */
export function slurmMissing(): string | undefined {
  const missing = SLURM_PROGRAMS.filter((program) => !['/usr/sbin', '/usr/bin'].some((dir) => existsSync(join(dir, program))));
  if (missing.length > 0) return `${missing.join(', ')} not installed (apt-get install -y slurm-wlm munge; .ci/run does)`;
  if (process.getuid?.() !== 0) return 'the one-node cluster runs slurmd as root (SlurmUser=root), and this is not root';
  try {
    execFileSync('id', ['-u', 'munge'], { stdio: 'ignore' });
  } catch {
    return 'there is no munge user (the munge package makes it)';
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SlurmCluster {
  /** The environment Slurm's commands need (SLURM_CONF), to add to a child's. */
  readonly env: Readonly<Record<string, string>>;
  /** The daemons' logs, for a failure's message. */
  logs(): string;
  stop(): Promise<void>;
}

/** Stops a child by its PID: SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), graceMs);
  await ended;
  clearTimeout(timer);
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const root = mkdtempSync(join(tmpdir(), 'lbsim-slurm-'));
  // munged runs as munge: it must reach its folder, and refuses one others may write.
  chmodSync(root, 0o755);
  const mungeDir = join(root, 'munge');
  mkdirSync(mungeDir, { mode: 0o700 });
  for (const dir of ['state', 'spool']) mkdirSync(join(root, dir), { mode: 0o700 });
  const uid = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }).trim());
  const key = join(mungeDir, 'munge.key');
  execFileSync('mungekey', ['--create', '--keyfile', key], { stdio: 'ignore' });
  chownSync(mungeDir, uid, gid);
  chownSync(key, uid, gid);
  chmodSync(key, 0o600);
  const socket = join(mungeDir, 'munge.socket');

  const node = hostname().split('.')[0]!;
  const [controllerPort, nodePort] = [await freePort(), await freePort()];
  const conf = join(root, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=lbsimtest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `SlurmctldPort=${controllerPort}`,
      `SlurmdPort=${nodePort}`,
      `StateSaveLocation=${join(root, 'state')}`,
      `SlurmdSpoolDir=${join(root, 'spool')}`,
      `SlurmctldPidFile=${join(root, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(root, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(root, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(root, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'MpiDefault=none',
      'ReturnToService=2',
      'MailProg=/bin/true',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus().length} State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[], options: { uid?: number; gid?: number } = {}) => {
    const child = spawn(command, args, { ...options, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
    children.push(child);
    return { child, stderr: () => stderr };
  };
  const logs = () =>
    ['slurmctld.log', 'slurmd.log', 'munge/munged.log']
      .map((name) => join(root, name))
      .filter((path) => existsSync(path))
      .map((path) => `--- ${path}\n${readFileSync(path, 'utf8').slice(-3000)}`)
      .join('\n');
  const stop = async () => {
    for (const child of [...children].reverse()) await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const munged = start('munged', ['--foreground', '--force', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(mungeDir, 'munged.pid')}`, `--log-file=${join(mungeDir, 'munged.log')}`, `--seed-file=${join(mungeDir, 'munged.seed')}`], { uid, gid });
    await waitFor(() => existsSync(socket), 15_000, () => `munged did not open its socket: ${munged.stderr()}`);
    start('slurmctld', ['-D', '-c', '-f', conf]);
    start('slurmd', ['-D', '-f', conf, '-N', node]);
    await waitFor(
      () => {
        try {
          return /idle/.test(execFileSync('sinfo', ['-h', '-o', '%T'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }));
        } catch {
          return false;
        }
      },
      START_TIMEOUT_MS,
      () => `the node did not come up idle:\n${logs()}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, logs, stop };
}

async function waitFor(ready: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(why());
    await sleep(250);
  }
}
