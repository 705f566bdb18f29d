/**
 * Output sets (`lbsim run --out DIR`, `lbsim sweep --out DIR`), replaced whole. A reader of DIR
 * sees the previous set or the new one, never a mix, at every instant (docs/outputs.md):
 *
 *   DIR/summary.json -> .lbsim/run/summary.json     one link per file of the set, made once
 *   DIR/.lbsim/run -> run-<id>                       the set's pointer, replaced by one rename
 *   DIR/.lbsim/run-<id>/summary.json, …              the generation: this run's files
 *   DIR/.lbsim/lock                                  the PID of the writer, while one writes
 *
 * A run writes its generation in full, then renames a new pointer over the old one (the one step
 * that publishes), then removes the previous generation. The same layout Kubernetes uses for the
 * files of a mounted ConfigMap. A signal or a failure before the rename removes the unfinished
 * generation; the lock refuses a second writer and is taken over once its process has ended.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from './errors.js';
import { checkReplaceable, cleanUpOnSignal, ensureFolder, removeEmptyFolders } from './output-paths.js';

/** One file of a set: its name in the folder and its text. */
export interface OutputFile {
  readonly name: string;
  readonly data: string;
}

/** A folder reserved for one set: the lock is held until `release`. */
export interface OutputSet {
  /** Writes the files into a new generation and publishes it in one step. */
  publish(files: readonly OutputFile[]): Promise<void>;
  /** Gives the folder up: removes an unpublished generation, the lock, and folders made for nothing. */
  release(): Promise<void>;
}

/** lbsim's own folder inside an output folder. */
export const STATE_FOLDER = '.lbsim';
const LOCK_FILE = 'lock';

/** Whether process `pid` is running (EPERM: it is, as another user's). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function lockHolder(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const busy = (folder: string, pid: number | undefined) =>
  new InputError(folder, `another lbsim${pid === undefined ? '' : ` (PID ${pid})`} is writing to this folder; wait for it to end, or choose another --out`);

/**
 * Takes `lock` for this process. The lock file appears with its PID already in it (a hard link of a
 * finished file), so a reader never sees it empty. A lock whose process has ended is moved aside
 * under a name of this process's own, and taken over only if what was moved is that same lock.
 */
async function takeLock(lock: string, folder: string): Promise<void> {
  const mine = `${process.pid}\n`;
  const temporary = `${lock}.${process.pid}.tmp`;
  for (let attempt = 0; attempt < 3; attempt++) {
    await writeFile(temporary, mine);
    try {
      await link(temporary, lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    const holder = await lockHolder(lock);
    // This process's own PID in a lock it has not taken is a lock of an earlier life of the PID
    // (a container restarted with the same numbering): stale too.
    if (holder !== undefined && holder !== process.pid && isRunning(holder)) throw busy(folder, holder);
    const aside = `${lock}.${process.pid}.stale`;
    try {
      await rename(lock, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await lockHolder(aside);
    if (moved !== holder) {
      // Another writer took the stale lock over in between: its lock goes back.
      await link(aside, lock).catch(() => undefined);
      await unlink(aside);
      throw busy(folder, moved);
    }
    await unlink(aside);
  }
  throw busy(folder, await lockHolder(lock));
}

/** Test hooks, read only here: pause after each file but the last until a file exists, or fail the Nth write. */
async function testHookBeforeWrite(index: number, path: string): Promise<void> {
  const failAt = process.env['LBSIM_TEST_FAIL_WRITE'];
  if (failAt !== undefined && Number(failAt) === index) throw Object.assign(new Error('ENOSPC: no space left on device (test hook)'), { code: 'ENOSPC', path });
}
async function testHookAfterWrite(name: string, last: boolean): Promise<void> {
  const resume = process.env['LBSIM_TEST_PAUSE_BETWEEN_FILES'];
  if (resume === undefined || last) return;
  process.stderr.write(`lbsim-test: paused after ${name}\n`);
  // Bounded: a test that forgets to resume fails on its own timeout, and lbsim goes on after a minute.
  for (let waited = 0; waited < 60_000 && !existsSync(resume); waited += 20) await new Promise((r) => setTimeout(r, 20));
}

/** The link at `path` points at `target` already. */
function linksTo(path: string, target: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && readlinkSync(path) === target;
  } catch {
    return false;
  }
}

/** Points `path` at `target` by renaming a new link over it (replacing a file or an old link). */
function linkOver(path: string, target: string, temporary: string): void {
  rmSync(temporary, { force: true });
  symlinkSync(target, temporary);
  renameSync(temporary, path);
}

/**
 * Reserves `folder` for set `set` (`run`, `sweep`) of the files `names`: creates it, refuses a
 * name held by a folder or a device, and takes the lock (a second writer: exit 2 naming the PID).
 */
export async function reserveOutputSet(folder: string, set: string, names: readonly string[]): Promise<OutputSet> {
  const state = join(folder, STATE_FOLDER);
  const lock = join(state, LOCK_FILE);
  const generationName = `${set}-${Date.now().toString(36)}-${process.pid}`;
  const generation = join(state, generationName);
  // What this run made, for the cleanup: registered first, so a signal during the checks finds it.
  const made = { folders: [] as string[], lock: false, published: false };
  // Each step on its own: one that fails (a path through a file: ENOTDIR) must not hide the error being reported.
  const remove = (path: string) => {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Nothing of this run's there.
    }
  };
  const cleanUp = () => {
    if (made.lock) remove(lock);
    for (const own of [`${lock}.${process.pid}.tmp`, `${lock}.${process.pid}.stale`]) remove(own);
    if (made.published) return;
    remove(generation);
    removeEmptyFolders(made.folders);
  };
  const done = cleanUpOnSignal(cleanUp);
  try {
    made.folders.push(...(await ensureFolder(folder)));
    for (const name of names) await checkReplaceable(join(folder, name));
    made.folders.push(...(await ensureFolder(state)));
    await takeLock(lock, folder);
    made.lock = true;
  } catch (error) {
    done();
    cleanUp();
    throw error;
  }
  return {
    async publish(files) {
      await mkdir(generation);
      for (const [i, file] of files.entries()) {
        const path = join(generation, file.name);
        await testHookBeforeWrite(i + 1, join(folder, file.name));
        try {
          await writeFile(path, file.data);
        } catch (error) {
          (error as NodeJS.ErrnoException).path = join(folder, file.name);
          throw error;
        }
        await testHookAfterWrite(file.name, i === files.length - 1);
      }
      // From here to the end, synchronous calls: no signal handler can run in between.
      linkOver(join(state, set), generationName, join(state, `.${set}.${process.pid}.tmp`));
      made.published = true;
      for (const { name } of files) {
        const target = join(STATE_FOLDER, set, name);
        if (!linksTo(join(folder, name), target)) linkOver(join(folder, name), target, join(folder, `.${name}.${process.pid}.tmp`));
      }
      // The previous generation, and whatever a writer killed outright (SIGKILL) left of this set.
      const leftover = (entry: string) => (entry.startsWith(`${set}-`) && entry !== generationName) || entry.startsWith(`.${set}.`);
      for (const entry of readdirSync(state)) if (leftover(entry)) rmSync(join(state, entry), { recursive: true, force: true });
    },
    async release() {
      done();
      cleanUp();
    },
  };
}

