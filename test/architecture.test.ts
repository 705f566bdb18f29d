/**
 * The shape of the code, checked: dependencies point inward (cli → report → sim → scenario →
 * strategies / analyzers → model → engine), another folder is imported only through its
 * index.ts, and ambient time, randomness, the process and the file system appear only in cli/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
/** Node's built-in modules, for imports written without the `node:` prefix. */
const BUILTINS: ReadonlySet<string> = new Set(builtinModules);
/** The shells: the command line, and the playground page in a browser (the wall clock is theirs). */
const SHELLS: readonly string[] = ['cli', 'playground'];

/** What each folder may import (besides itself and the root's version.ts). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  engine: [],
  fields: ['engine'],
  model: ['engine'],
  strategies: ['fields', 'model', 'engine'],
  analyzers: ['model', 'engine'],
  scenario: ['fields', 'strategies', 'model', 'engine'],
  sim: ['scenario', 'strategies', 'analyzers', 'model', 'engine'],
  report: ['sim', 'scenario', 'analyzers', 'model', 'engine'],
  playground: ['report', 'sim', 'scenario', 'engine'],
  cli: ['playground', 'report', 'sim', 'scenario', 'fields', 'strategies', 'analyzers', 'model', 'engine'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const folderOf = (rel: string) => (rel.includes('/') ? rel.split('/')[0]! : '');
const importsOf = (text: string) => [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);

describe('architecture', () => {
  it('every source folder is a known layer', () => {
    const folders = new Set(files.map((f) => folderOf(f.rel)).filter(Boolean));
    expect([...folders].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('imports only point inward, and cross-folder imports go through index.ts', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file.rel);
      for (const specifier of importsOf(file.text)) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(file.path), specifier));
        const to = folderOf(target);
        if (to === from || target === 'version.js' || from === '') continue;
        if (!ALLOWED[from]!.includes(to)) violations.push(`${file.rel} imports ${target} (${from} may not depend on ${to})`);
        else if (!target.endsWith('/index.js')) violations.push(`${file.rel} imports ${target}: go through ${to}/index.ts`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('Node.js built-ins are imported only under cli/: the rest runs in a browser too', () => {
    const offenders = files.filter((f) => folderOf(f.rel) !== 'cli').flatMap((f) => importsOf(f.text).filter((s) => s.startsWith('node:') || BUILTINS.has(s)).map((s) => `${f.rel} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('ambient time and randomness appear only in the shells (cli/, playground/); the process and the file system only under cli/', () => {
    const ambient = /\bMath\.random\b|\bnew Date\b|\bDate\.now\b|\bperformance\.now\b|\bprocess\.|from 'node:fs|from 'fs/;
    const offenders = files.filter((f) => !SHELLS.includes(folderOf(f.rel)) && ambient.test(f.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))).map((f) => f.rel);
    expect(offenders).toEqual([]);
    // The playground is the browser's shell: it may read the wall clock, never the process or files.
    const processOrFiles = /\bprocess\.|from 'node:fs|from 'fs/;
    expect(files.filter((f) => folderOf(f.rel) === 'playground' && processOrFiles.test(f.text)).map((f) => f.rel)).toEqual([]);
  });

  it('the core computes transcendental functions with engine/math.ts, the same bits in every JavaScript engine', () => {
    // Math.exp & co. may differ by an ulp between V8 versions; `**` is Math.pow (whole powers of 2 and 10 are exact).
    const inexact = /\bMath\.(?:exp|expm1|log|log1p|log2|log10|pow|cos|sin|tan|acos|asin|atan|atan2|cosh|sinh|tanh|acosh|asinh|atanh|cbrt|hypot)\b|(?<!\b(?:2|10) )\*\*(?![*/])|\b(?:2|10) \*\* \([^)]*[/.]/;
    const offenders = files.filter((f) => folderOf(f.rel) !== 'cli' && inexact.test(f.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))).map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('browser-only code lives in playground/: only there may a file take the DOM’s types', () => {
    // tsconfig's lib has no DOM: the DOM's types come only from this reference, which marks browser code.
    const offenders = files.filter((f) => folderOf(f.rel) !== 'playground' && /^\/\/\/ <reference lib="dom/m.test(f.text)).map((f) => f.rel);
    expect(offenders).toEqual([]);
    expect(files.filter((f) => folderOf(f.rel) === 'playground' && /^\/\/\/ <reference lib="dom"/m.test(f.text)).length).toBeGreaterThan(0);
  });

  it('keeps lbsim’s version in step with package.json', async () => {
    const { LBSIM_VERSION } = await import('../src/version.js');
    expect(LBSIM_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
