import { join } from 'node:path';
import { InputError } from '../../src/cli/errors.js';
import { readFileWithin, type FileLimit, type Io } from '../../src/cli/io.js';

/** A given text held to the limit the command asked for, as a real file would be. */
function within(path: string, text: string, limit: FileLimit): string {
  if (Buffer.byteLength(text) > limit.bytes) throw new InputError(path, `it is larger than the ${limit.bytes} bytes lbsim reads of ${limit.what}`);
  return text;
}

/** An Io that records output and written files, reads real files (or given texts), and has a fixed clock. */
export function fakeIo(options: { files?: Record<string, string>; stdin?: string; isTTY?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    isTTY: options.isTTY ?? false,
    readFile: async (path, limit) => {
      const given = options.files?.[path];
      return given === undefined ? readFileWithin(path, limit) : within(path, given, limit);
    },
    readStdin: async (limit) => within('<stdin>', options.stdin ?? '', limit),
    writeFileAtomic: async (path, data) => void written.set(path, data),
    reserveOutputSet: async (folder) => ({
      publish: async (files) => files.forEach((file) => written.set(join(folder, file.name), file.data)),
      release: async () => undefined,
    }),
    now: () => new Date('2026-11-28T12:00:00Z'),
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), written };
}
