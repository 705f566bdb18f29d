/**
 * The paths lbsim writes to, checked before anything is written: folders created one level at a
 * time (a path that cannot be a folder is refused, naming what it is), a single file replaced
 * through a temporary name, and the cleanup of what an interrupted write leaves when SIGINT or
 * SIGTERM arrives.
 */
import { rmdirSync, rmSync, type Stats } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile, lstat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors.js';

/** What a path that is not a folder (or not a plain file) is, in words. */
export function kindOfEntry(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFile()) return 'a file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file or a folder';
}

/** System errors of creating folders, in words. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
  // procfs and sysfs answer ENOENT to mkdir even once the parent exists.
  ENOENT: 'the file system there does not allow new folders',
};
const reasonOf = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  return (code === undefined ? undefined : REASONS[code]) ?? `${code ?? (error as Error).message}`;
};

/** The entry at `path` (symbolic links followed), or undefined when there is none. */
async function entryAt(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file stands where a folder of the path should be; the walk up names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(path, `cannot be looked at: ${reasonOf(error)}`);
  }
}

/**
 * Makes `folder` exist, creating the missing levels one at a time: the folders created, outermost
 * first. Node's `mkdir({ recursive: true })` is not used: where mkdir answers ENOENT although the
 * parent exists (/proc), it creates the parent and retries the child without end.
 */
export async function ensureFolder(folder: string): Promise<string[]> {
  if (folder === '') throw new InputError('--out', 'expected a folder, got an empty name');
  const missing: string[] = [];
  for (let at = folder; ; ) {
    const entry = await entryAt(at);
    if (entry?.isDirectory()) break;
    if (entry !== undefined) throw new InputError(at, `this is ${kindOfEntry(entry)}, not a folder`);
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const created: string[] = [];
  for (const level of missing) {
    try {
      await mkdir(level);
      created.push(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await entryAt(level))?.isDirectory()) continue;
      removeEmptyFolders(created);
      throw new InputError(level, `cannot create this folder: ${reasonOf(error)}`);
    }
  }
  return created;
}

/** Removes folders lbsim created (innermost first) that are still empty; others stay. */
export function removeEmptyFolders(created: readonly string[]): void {
  for (const folder of [...created].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
  }
}

/** Refuses to replace anything at `path` but a plain file or a link (a folder, a device such as /dev/null). */
export async function checkReplaceable(path: string): Promise<void> {
  let entry: Stats;
  try {
    entry = await lstat(path);
  } catch {
    return;
  }
  if (entry.isFile() || entry.isSymbolicLink()) return;
  throw new InputError(path, entry.isDirectory() ? 'a folder of that name is in the way' : `this is ${kindOfEntry(entry)}, which lbsim does not replace`);
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof SIGNAL_EXIT_CODES;
const cleanups = new Set<() => void>();

function onSignal(signal: Signal): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: the next writer takes over what is left (a stale lock, an unpublished generation).
    }
  }
  process.stderr.write(`lbsim: stopped by ${signal}; the outputs are as they were before this run\n`);
  process.exit(SIGNAL_EXIT_CODES[signal]);
}
const handlers: Readonly<Record<Signal, () => void>> = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };

/**
 * Runs `cleanup` (synchronous: it runs in a signal handler) if SIGINT or SIGTERM arrives before
 * the returned function is called; the process then exits with 130 or 143.
 */
export function cleanUpOnSignal(cleanup: () => void): () => void {
  if (cleanups.size === 0) for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  };
}

/** Writes one file under a temporary name beside it, then renames: readers see the old file or the new one. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  if (path === '' || basename(path) === '' || /[\\/]$/.test(path)) throw new InputError(path === '' ? '--out' : path, 'expected a file name');
  const created = await ensureFolder(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const done = cleanUpOnSignal(() => {
    rmSync(temporary, { force: true });
    removeEmptyFolders(created);
  });
  try {
    await checkReplaceable(path);
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    removeEmptyFolders(created);
    // Name the file the user asked for, not the temporary one.
    if (!(error instanceof InputError)) (error as NodeJS.ErrnoException).path = path;
    throw error;
  } finally {
    done();
  }
}
