/**
 * Where the time goes: summarises a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file) by
 * self time per function and per source file, the way DevTools' "Bottom-up" view does. A sample
 * is charged to the node that was on top of the stack; `timeDeltas[i]` is the time before
 * sample i, so each sample's duration is the next delta.
 */
import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileLine {
  readonly name: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly topFunctions: readonly ProfileLine[];
  readonly byFile: readonly ProfileLine[];
}

/** `url` relative to the project (file:///…/dist/src/x.js → dist/src/x.js); V8 internals as named. */
function shortUrl(url: string, root: string): string {
  if (url === '') return '(native / V8)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path.replace(/^.*\/node_modules\//, 'node_modules/');
}

/** Reads a .cpuprofile and returns the `top` heaviest functions and files by self time. */
export function summariseProfile(file: string, root: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const where = shortUrl(node.callFrame.url, root);
    const name = `${node.callFrame.functionName || '(anonymous)'}  ${where}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    files.set(where, (files.get(where) ?? 0) + us);
  }
  const lines = (m: Map<string, number>): ProfileLine[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, selfPct: (100 * us) / totalUs }));
  return { totalMs: totalUs / 1000, topFunctions: lines(fn), byFile: lines(files) };
}
