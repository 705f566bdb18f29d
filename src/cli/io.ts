/**
 * Everything the CLI needs from the outside world, behind one interface so tests can pass a fake:
 * streams, terminal detection, files (written atomically) and the wall clock.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export interface OutputStream {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Whether stderr is a terminal (progress is shown only then). */
  readonly isTTY: boolean;
  readFile(path: string): Promise<string>;
  /** Reads standard input to its end. */
  readStdin(): Promise<string>;
  /** Writes to a temporary name beside `path`, then renames: readers never see half a file. */
  writeFileAtomic(path: string, data: string): Promise<void>;
  /** Wall clock, for the run time shown to users and `generatedAt` only. */
  now(): Date;
}

async function writeFileAtomic(path: string, data: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    // Name the file the user asked for, not the temporary one.
    (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process's Io. */
export function nodeIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    readFile: (path) => readFile(path, 'utf8'),
    readStdin,
    writeFileAtomic,
    now: () => new Date(),
  };
}

/** Files a scenario names (its address file), read synchronously for the pure loader; undefined when unreadable. */
export function readAuxiliaryFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
