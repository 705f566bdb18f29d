/**
 * Everything the CLI needs from the outside world, behind one interface so tests can pass a fake:
 * streams, terminal detection, files (single files written atomically, output sets replaced
 * whole) and the wall clock.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { LIMITS } from '../scenario/index.js';
import { InputError } from './errors.js';
import { writeFileAtomic } from './output-paths.js';
import { reserveOutputSet, type OutputSet } from './output-set.js';

export interface OutputStream {
  write(text: string): unknown;
}

/** How much of a kind of file lbsim reads, and the kind's name in the refusal. */
export interface FileLimit {
  readonly bytes: number;
  readonly what: string;
}

/** Every kind of file lbsim reads, with its limit from LIMITS: past it, the file is refused unread. */
export const FILE_LIMITS = {
  scenario: { bytes: LIMITS.scenarioBytes, what: 'a scenario file' },
  config: { bytes: LIMITS.configBytes, what: 'a configuration or timeline file' },
  addressFile: { bytes: LIMITS.addressFileBytes, what: 'an address file' },
  requests: { bytes: LIMITS.requestLogBytes, what: 'requests or keys' },
  summary: { bytes: LIMITS.summaryBytes, what: 'a summary' },
  /** lbsim's own files (the chart libraries the report embeds). */
  packaged: { bytes: LIMITS.summaryBytes, what: 'a file of the installation' },
} as const satisfies Record<string, FileLimit>;

export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Whether stderr is a terminal (progress is shown only then). */
  readonly isTTY: boolean;
  /** Reads a file as UTF-8; one longer than `limit` throws InputError before it is all read. */
  readFile(path: string, limit: FileLimit): Promise<string>;
  /** Reads standard input to its end, within `limit`. */
  readStdin(limit: FileLimit): Promise<string>;
  /** Writes to a temporary name beside `path`, then renames: readers never see half a file. */
  writeFileAtomic(path: string, data: string): Promise<void>;
  /**
   * Reserves `folder` for a set of files (`run`, `sweep`) named `names`, replaced whole when
   * published (output-set.ts); throws InputError for a path that cannot be one, or a second writer.
   */
  reserveOutputSet(folder: string, set: string, names: readonly string[]): Promise<OutputSet>;
  /** Wall clock, for the run time shown to users and `generatedAt` only. */
  now(): Date;
}

const megabytes = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;

/** The refusal of a file past its limit. */
function tooLarge(path: string, limit: FileLimit): InputError {
  return new InputError(path, `it is larger than ${megabytes(limit.bytes)}, the most lbsim reads of ${limit.what}`);
}

/** Reads at most `limit.bytes` (+1, to know there is more): a device such as /dev/zero ends here too. */
export async function readFileWithin(path: string, limit: FileLimit): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(1 << 20, limit.bytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit.bytes) throw tooLarge(path, limit);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function readStdin(limit: FileLimit): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > limit.bytes) throw tooLarge('<stdin>', limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The wall clock, or the fixed time `SOURCE_DATE_EPOCH` gives (whole seconds since 1970, the
 * reproducible-builds convention): outputs then hold no value of the wall clock, so the same work
 * run twice, or run as jobs on other machines and merged, gives the same bytes.
 */
function wallClock(): () => Date {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  if (epoch === undefined || !/^\d{1,12}$/.test(epoch)) return () => new Date();
  const fixed = new Date(Number(epoch) * 1000);
  return () => fixed;
}

/** The real process's Io. */
export function nodeIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    readFile: readFileWithin,
    readStdin,
    writeFileAtomic,
    reserveOutputSet,
    now: wallClock(),
  };
}

/**
 * Files a scenario names (its address file), read synchronously for the pure loader, at most
 * `maxBytes`: the text, or why not.
 */
export function readAuxiliaryFile(path: string, maxBytes: number): string | { readonly refused: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { refused: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'it cannot be opened' };
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return { refused: tooLarge(path, { bytes: maxBytes, what: 'an address file' }).message };
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return { refused: 'it cannot be read' };
  } finally {
    closeSync(fd);
  }
}
