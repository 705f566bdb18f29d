/**
 * examples/README.md stays true: every ```console command on it (`$ lbsim …`, with `< FILE` as
 * standard input) runs with exit 0 and prints every line the block shows (`…` stands for lines
 * left out). The samples are the package's, so the commands are the ones a new user copies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';

const PAGE = 'examples/README.md';

interface Example {
  readonly argv: string[];
  readonly stdin: string | undefined;
  readonly shown: string[];
}

function examples(page: string): Example[] {
  return [...page.matchAll(/^```console\n\$ lbsim ([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => {
    const [command, input] = m[1]!.split(' < ');
    return {
      argv: command!.trim().split(/\s+/),
      stdin: input === undefined ? undefined : readFileSync(input.trim(), 'utf8'),
      shown: m[2]!.split('\n').filter((line) => line !== '' && line !== '…'),
    };
  });
}

const list = examples(readFileSync(PAGE, 'utf8'));

describe(PAGE, () => {
  it('shows route and replay, on the sample files, from a file and from standard input', () => {
    expect(list.map((e) => e.argv[0])).toEqual(['route', 'replay', 'replay']);
    expect(list.some((e) => e.stdin !== undefined)).toBe(true);
    for (const file of ['examples/upstream.conf', 'examples/events.json', 'examples/requests.jsonl']) expect(list.some((e) => e.argv.includes(file) || e.stdin === readFileSync(file, 'utf8'))).toBe(true);
  });

  it.each(list.map((e) => [e.argv.join(' '), e] as const))('lbsim %s: exit 0, and prints what the page shows', async (_, example) => {
    const { io, stdout, stderr } = fakeIo(example.stdin === undefined ? {} : { stdin: example.stdin });
    expect(await main(example.argv, io)).toBe(0);
    expect(stderr()).toBe('');
    const lines = stdout().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of example.shown) expect(lines).toContain(line);
  });

  it('replays the same from a file as from standard input: the crash retried on app1, app2 taken back after fail_timeout', async () => {
    const [, fromFile, fromStdin] = list;
    const file = fakeIo();
    const stdin = fakeIo({ stdin: fromStdin!.stdin! });
    expect(await main(fromFile!.argv, file.io)).toBe(0);
    expect(await main(fromStdin!.argv, stdin.io)).toBe(0);
    expect(stdin.stdout()).toBe(file.stdout());
    const replies = file.stdout().trim().split('\n').map((line) => JSON.parse(line) as { status: number; tried: string[] });
    expect(replies).toHaveLength(28);
    expect(replies.filter((r) => r.tried.length > 1)).toHaveLength(1);
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
