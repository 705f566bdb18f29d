/**
 * docs/workshop.md stays true: every ```console block that starts with `$ lbsim …` is run
 * in-process and must print exactly what the block shows (the run time on the "wrote …" line is
 * the only wall-clock figure, and is not compared). The figures each lesson's answer quotes in
 * backticks must be among what its commands print, every lesson's scenario is run by its lesson,
 * and lesson 1 follows one shopper with `lbsim trace`.
 *
 * When the output changes on purpose, regenerate the blocks from real runs:
 *
 *     UPDATE_WORKSHOP=1 npx vitest run test/docs/workshop.test.ts
 *
 * then read the diff of docs/workshop.md and fix any answer whose figures moved (a plain rerun
 * names them). Files the commands write are kept in memory: the test leaves reports/ alone.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const DOC = 'docs/workshop.md';
const UPDATE = process.env['UPDATE_WORKSHOP'] === '1';
const REGENERATE = 'UPDATE_WORKSHOP=1 npx vitest run test/docs/workshop.test.ts';
const text = readFileSync(DOC, 'utf8');

interface ConsoleBlock {
  /** 1-based, in the order of the page. */
  readonly number: number;
  /** The heading of the section it sits in ("Lesson 3 — ip_hash and NAT skew"). */
  readonly section: string;
  /** The command line after `$ `, starting with `lbsim`. */
  readonly command: string;
  /** What the block shows the command printing (without the block's indentation, in a list item). */
  readonly output: string;
  /** The block's indentation. */
  readonly indent: string;
  /** Where the output sits in the page (offsets of its first character and just past its end). */
  readonly start: number;
  readonly end: number;
}

function consoleBlocks(page: string): ConsoleBlock[] {
  const headings = [...page.matchAll(/^#{2,3} (.+)$/gm)].map((m) => ({ at: m.index, title: m[1]! }));
  return [...page.matchAll(/^( *)```console\n\1\$ (lbsim [^\n]*)\n([\s\S]*?)^\1```$/gm)].map((m, i) => {
    const indent = m[1]!;
    const start = m.index + m[0].length - m[3]!.length - indent.length - 3;
    return {
      number: i + 1,
      section: headings.filter((h) => h.at < m.index).at(-1)?.title ?? '(before the first heading)',
      command: m[2]!,
      output: m[3]!.replace(new RegExp(`^${indent}`, 'gm'), ''),
      indent,
      start,
      end: start + m[3]!.length,
    };
  });
}

/** `output` as it sits in a block indented by `indent` (blank lines stay empty). */
const indented = (output: string, indent: string) => output.replace(/^(?=.)/gm, indent);

const BLOCKS = consoleBlocks(text);

/** The run time on the "wrote …" line is the wall clock's: not compared. */
const comparable = (output: string) => output.replace(/^(wrote .*) \(\d+(\.\d+)? s\)$/gm, '$1 (… s)');

/** Runs `lbsim ARGS` in-process, with the real clock (for the run time) and files kept in memory. */
async function lbsim(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (/["'\\]/.test(command)) throw new Error(`${DOC}: \`${command}\`: quoting is not supported in console blocks`);
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    isTTY: false,
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: async () => '',
    writeFileAtomic: async () => undefined,
    reserveOutputSet: async () => ({ publish: async () => undefined, release: async () => undefined }),
    now: () => new Date(),
  };
  const code = await main(command.split(/\s+/).slice(1), io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const regenerated = new Map<ConsoleBlock, string>();

afterAll(() => {
  if (!UPDATE || regenerated.size === 0) return;
  let page = text;
  for (const block of [...regenerated.keys()].sort((a, b) => b.start - a.start)) page = page.slice(0, block.start) + indented(regenerated.get(block)!, block.indent) + page.slice(block.end);
  writeFileSync(DOC, page);
});

describe(`${DOC}: every console block prints what it shows`, () => {
  it('has console blocks to check', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(7);
  });

  it.each(BLOCKS.map((b) => [b.number, b.command, b] as const))('block %i: `%s`', async (number, command, block) => {
    const run = await lbsim(command);
    const where = `${DOC} block ${number} (\`${command}\`, in "${block.section}")`;
    expect(run.stderr, `${where} wrote to stderr`).toBe('');
    expect(run.code, `${where} exited with ${run.code}`).toBe(0);
    if (UPDATE) {
      regenerated.set(block, run.stdout);
      return;
    }
    expect(comparable(run.stdout), `${where} no longer matches what the command prints; regenerate with ${REGENERATE}, then check the figures the lesson quotes`).toBe(comparable(block.output));
  });
});

/** The sections of the page that teach a lesson, by number. */
function lessons(page: string): Map<number, { title: string; body: string }> {
  const sections = page.split(/^(?=## )/m);
  return new Map(
    sections.flatMap((section) => {
      const m = /^## Lesson (\d+) — (.+)$/m.exec(section);
      return m ? [[Number(m[1]), { title: `Lesson ${m[1]} — ${m[2]}`, body: section }] as const] : [];
    }),
  );
}

const LESSONS = lessons(text);
const SCENARIOS = readdirSync('scenarios/workshop').filter((f) => f.endsWith('.yaml')).sort();

describe(`${DOC}: the lessons`, () => {
  it('has one lesson per workshop scenario, in order, each running its own scenario', () => {
    expect([...LESSONS.keys()]).toEqual(SCENARIOS.map((_, i) => i + 1));
    SCENARIOS.forEach((file, i) => {
      const lesson = LESSONS.get(i + 1)!;
      const commands = consoleBlocks(lesson.body).map((b) => b.command);
      expect(commands, `${lesson.title} must show \`lbsim run scenarios/workshop/${file}\` and its output`).toContain(`lbsim run scenarios/workshop/${file}`);
    });
  });

  it('follows one shopper with lbsim trace in lesson 1', () => {
    expect(consoleBlocks(LESSONS.get(1)!.body).some((b) => b.command.startsWith('lbsim trace scenarios/workshop/01-'))).toBe(true);
  });

  it('gives every lesson a question, a command, an answer and exercises', () => {
    for (const { title, body } of LESSONS.values()) {
      for (const part of ['**Ask.**', '**Run.**', '**Answer.**', '**Exercises.**']) expect(body, `${title} has no ${part} paragraph`).toContain(part);
    }
  });

  it.each([...LESSONS.entries()].map(([n, lesson]) => [n, lesson.title, lesson] as const))(
    'lesson %i quotes in its answer only figures its commands print (%s)',
    (_, title, lesson) => {
      const printed = consoleBlocks(lesson.body).map((b) => b.output).join('\n');
      const answer = /\*\*Answer\.\*\*[\s\S]*?(?=\n\*\*[A-Z][^*\n]*\.\*\*|$)/.exec(lesson.body)![0];
      const figures = [...answer.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((code) => /^\d[\d,]*(\.\d+)?( ?%| ms| s)?$/.test(code));
      expect(figures.length, `${title}: the answer quotes no figure in backticks`).toBeGreaterThan(0);
      const missing = figures.filter((figure) => !new RegExp(`(^|[^\\d.,])${figure.replace(/[.]/g, '\\.')}(?![\\d]|[.,]\\d)`).test(printed));
      expect(missing, `${title}: the answer quotes figures its commands no longer print; update the answer`).toEqual([]);
    },
  );
});
