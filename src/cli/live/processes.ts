/**
 * The processes `lbsim live` starts, and their end: each runs in the run's private temporary
 * folder on loopback ports picked here, and is stopped by its PID (SIGTERM, then SIGKILL after a
 * grace period) when the command ends, fails or is interrupted. A process the timeline stopped
 * (SIGSTOP) is continued first so that it can take its SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** A loopback port nobody listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the loopback port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The servers' programs, with the Debian package that has each. */
export const PROGRAMS = { nginx: 'nginx', haproxy: 'haproxy', 'redis-server': 'redis-server' } as const;
export type Program = keyof typeof PROGRAMS;

/** The program's path on PATH (or in /usr/sbin, where Debian puts nginx and HAProxy), or undefined. */
export function findProgram(program: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) if (existsSync(join(dir, program))) return join(dir, program);
  return undefined;
}

/** The program's path, or the refusal naming its Debian package. */
export function requireProgram(program: Program): string {
  const path = findProgram(program);
  if (path === undefined) throw new InputError('lbsim live', `${program} is not on PATH; install it (Debian: apt-get install ${PROGRAMS[program]})`);
  return path;
}

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
}

export class ProcessGroup {
  private readonly running = new Map<string, Started>();
  private readonly stopped = new Set<number>();
  private readonly onExit = () => this.killAllNow();

  private constructor(readonly folder: string) {
    process.on('exit', this.onExit);
  }

  static async create(): Promise<ProcessGroup> {
    return new ProcessGroup(await mkdtemp(join(tmpdir(), 'lbsim-live-')));
  }

  /** Every PID started and not yet stopped. */
  pids(): number[] {
    return [...this.running.values()].map((s) => s.child.pid!).filter((pid) => pid !== undefined);
  }

  /** Starts `name` (its output in the folder, `<name>.out`) and waits until `port` accepts connections. */
  async start(name: string, command: string, args: readonly string[], port: number): Promise<Started> {
    if (this.running.has(name)) throw new Error(`${name} is already running`);
    const out = openSync(join(this.folder, `${name}.out`), 'a');
    const child = spawn(command, args, { cwd: this.folder, stdio: ['ignore', out, out] });
    closeSync(out);
    const started = { name, child };
    this.running.set(name, started);
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (this.running.get(name) === started) this.running.delete(name);
    });
    for (let waited = 0; ; waited += 20) {
      if (await accepts(port)) return started;
      if (exited || waited > 10_000) {
        await this.stop(name);
        throw new InputError('lbsim live', `${name} did not start listening on 127.0.0.1:${port} (${exited ? `it exited with ${child.exitCode ?? child.signalCode}` : 'waited 10 s'}); see ${join(this.folder, `${name}.out`)}`);
      }
      await sleep(20);
    }
  }

  /** Sends `signal` to a running process (SIGKILL also forgets it: it is gone). */
  signal(name: string, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGTERM'): void {
    const started = this.running.get(name);
    const pid = started?.child.pid;
    if (pid === undefined) return;
    process.kill(pid, signal);
    if (signal === 'SIGSTOP') this.stopped.add(pid);
    if (signal === 'SIGCONT') this.stopped.delete(pid);
  }

  /** Whether `name` runs. */
  has(name: string): boolean {
    return this.running.has(name);
  }

  /** Stops one process by its PID and waits for it to exit. */
  async stop(name: string, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const started = this.running.get(name);
    if (started === undefined) return;
    const { child } = started;
    const gone = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    try {
      child.kill(signal);
      if (this.stopped.delete(child.pid!)) child.kill('SIGCONT');
    } catch {
      // Already gone.
    }
    const grace = sleep(3000).then(() => 'late' as const);
    if ((await Promise.race([gone.then(() => 'gone' as const), grace])) === 'late') {
      child.kill('SIGKILL');
      await gone;
    }
    this.running.delete(name);
  }

  /** Stops every process, then removes the folder. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name)));
    process.off('exit', this.onExit);
    await rm(this.folder, { recursive: true, force: true });
  }

  /** Last resort on process exit: no waiting is possible there. */
  private killAllNow(): void {
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
