import { readFile } from 'node:fs/promises';
import type { Io } from '../../src/cli/io.js';

/** An Io that records output and written files, reads real files (or given texts), and has a fixed clock. */
export function fakeIo(options: { files?: Record<string, string>; stdin?: string; isTTY?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    isTTY: options.isTTY ?? false,
    readFile: async (path) => options.files?.[path] ?? readFile(path, 'utf8'),
    readStdin: async () => options.stdin ?? '',
    writeFileAtomic: async (path, data) => void written.set(path, data),
    now: () => new Date('2026-11-28T12:00:00Z'),
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), written };
}
