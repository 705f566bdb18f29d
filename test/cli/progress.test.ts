/**
 * The progress line: one line for a whole run or sweep, with a bar, the share done and an ETA
 * from the pace so far — rendered by pure functions, checked here on hand-computed cases — and
 * shown only on a terminal, never with --json.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runFraction, type runScenariosThreaded } from '../../src/cli/parallel.js';
import { replications } from '../../src/sim/index.js';
import { etaText, formatDuration, progressLine, progressPrinter } from '../../src/cli/progress.js';
import { formatScenarioErrors, parseScenarioText } from '../../src/scenario/index.js';
import { fakeIo } from '../helpers/fake-io.js';
import { readFileSync } from 'node:fs';

describe('the progress line, as a pure function', () => {
  it('draws the share done as a 24-character bar and a whole percentage', () => {
    expect(progressLine({ fraction: 0, done: 0, total: 8, elapsedMs: 0 })).toBe('[........................]   0%  0/8 runs  0.0 s, ETA …');
    expect(progressLine({ fraction: 0.375, done: 3, total: 8, elapsedMs: 4100 })).toBe('[#########...............]  37%  3/8 runs  4.1 s, ETA 7 s');
    expect(progressLine({ fraction: 1, done: 8, total: 8, elapsedMs: 12_000 })).toBe('[########################] 100%  8/8 runs  12.0 s, done');
  });

  it('estimates the time left from the pace so far: elapsed × (1 − f) / f', () => {
    // A quarter done in 10 s: 30 s to go. Half in 90 s: 90 s. A tenth in 2 min: 18 min.
    expect(etaText(0.25, 10_000)).toBe('ETA 30 s');
    expect(etaText(0.5, 90_000)).toBe('ETA 1 min 30 s');
    expect(etaText(0.1, 120_000)).toBe('ETA 18 min 00 s');
    expect(etaText(0.01, 60_000)).toBe('ETA 1 h 39 min');
  });

  it('gives no estimate before anything is measured, and none once done', () => {
    expect(etaText(0, 5000)).toBe('ETA …');
    expect(etaText(0.5, 500)).toBe('ETA …');
    expect(etaText(1, 5000)).toBe('done');
  });

  it('writes durations for people', () => {
    expect([0, 400, 59_400, 60_000, 61_000, 3_599_000, 3_600_000, 7_380_000].map(formatDuration)).toEqual(['0 s', '0 s', '59 s', '1 min 00 s', '1 min 01 s', '59 min 59 s', '1 h 00 min', '2 h 03 min']);
  });
});

describe('the share of one strategy run done', () => {
  const load = (extra: string) => {
    const loaded = parseScenarioText(`name: p\n${extra}arrivals: { rate: 100/s }\nbackends: [{ name: "a:80" }]\nstrategies: [{ name: rr, balancer: { method: round-robin }, store: local }]\n`, 'p.yaml', {});
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    return loaded.scenario;
  };

  it('counts sessions arrived, the warm-up\'s by the clock', () => {
    // 1,000 measured sessions after a 10 s warm-up at 100/s: 2,000 in all.
    const warm = load('sessions: 1000\nwarmup: 10s\n');
    expect(runFraction(warm, 0, -7500)).toBeCloseTo(250 / 2000);
    expect(runFraction(warm, 500, 1000)).toBeCloseTo(1500 / 2000);
    expect(runFraction(load('sessions: 1000\n'), 250, 0)).toBeCloseTo(0.25);
  });

  it('stays below 1 until the run has ended', () => {
    expect(runFraction(load('sessions: 1000\n'), 1000, 0)).toBe(0.99);
  });
});

describe('the progress printer', () => {
  it('draws one line, in place, for every task of the run, and ends it once all are done', () => {
    const { io, stderr } = fakeIo();
    let ms = 0;
    const clock = { ...io, now: () => new Date(ms) };
    const progress = progressPrinter(clock, new Date(0));
    progress.start(4);
    ms = 1000;
    progress.advanced(0, 0.5); // 0.5 of 4 tasks: 12%, ETA 1 s × 0.875 / 0.125 = 7 s
    progress.advanced(1, 0.5); // within a quarter second of the last line: not drawn
    ms = 2000;
    progress.done(0); // 1 + 0.5 of 4: 37%
    ms = 2100;
    progress.advanced(1, 0.9); // within a quarter second of the last line: not drawn
    ms = 4000;
    progress.done(1); // 2 of 4: 50%, ETA 4 s
    progress.done(2); // not drawn
    ms = 5000;
    progress.done(3); // the last: always drawn, and the line ended
    progress.advanced(3, 0.5); // after its end: ignored
    expect(stderr().split('\r\u001b[K')).toEqual([
      '',
      '[........................]   0%  0/4 runs  0.0 s, ETA …',
      '[###.....................]  12%  0/4 runs  1.0 s, ETA 7 s',
      '[#########...............]  37%  1/4 runs  2.0 s, ETA 3 s',
      '[############............]  50%  2/4 runs  4.0 s, ETA 4 s',
      '[########################] 100%  4/4 runs  5.0 s, done\n',
    ]);
  });
});

describe('progress in lbsim run and sweep', () => {
  it('is one line for every strategy and replication, threaded or not', async () => {
    for (const threads of ['1', '2']) {
      const tty = fakeIo({ isTTY: true });
      expect(await main(['run', 'scenarios/intro.yaml', '--sessions', '200', '--replications', '3', '--threads', threads], tty.io)).toBe(0);
      const lines = tty.stderr().split('\n');
      // The header line (the strategies and seeds), the progress line, and nothing after it.
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/\[#{24}\] 100%  6\/6 runs  0\.0 s, done$/);
      expect(lines[1]!.split('\r\u001b[K').slice(1).every((draw) => /^\[[#.]{24}\] +\d+%  \d\/6 runs /.test(draw))).toBe(true);
    }
  });

  it('is not shown with --json, nor when stderr is not a terminal', async () => {
    for (const [argv, isTTY] of [
      [['run', 'scenarios/intro.yaml', '--sessions', '200', '--json'], true],
      [['run', 'scenarios/intro.yaml', '--sessions', '200'], false],
      [['sweep', 'scenarios/intro.yaml', '--set', 'seed=1,2', '--sessions', '100', '--json', '--threads', '1'], true],
      [['sweep', 'scenarios/intro.yaml', '--set', 'seed=1,2', '--sessions', '100', '--threads', '1'], false],
    ] as const) {
      const { io, stderr } = fakeIo({ isTTY });
      expect(await main([...argv], io)).toBe(0);
      expect(stderr()).toBe('');
    }
  });
});

describe('progress from worker threads', () => {
  // Worker threads need the compiled worker: this uses the build (`npm test` builds first).
  const built = resolve('dist/src/cli/parallel.js');

  it('reports every task\'s advance from inside the workers, and each end once', async () => {
    expect(existsSync(built), `${built} is missing: run npm run build first`).toBe(true);
    const { runScenariosThreaded: threaded } = (await import(pathToFileURL(built).href)) as { runScenariosThreaded: typeof runScenariosThreaded };
    const loaded = parseScenarioText(readFileSync('scenarios/intro.yaml', 'utf8'), 'scenarios/intro.yaml', { sessions: 9000 });
    if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
    const advanced = new Map<number, number[]>();
    const done: number[] = [];
    let started = 0;
    await threaded(replications(loaded.scenario, 2), 2, {
      start: (tasks) => (started = tasks),
      advanced: (task, fraction) => advanced.set(task, [...(advanced.get(task) ?? []), fraction]),
      done: (task) => done.push(task),
    });
    expect(started).toBe(4);
    expect(done.sort()).toEqual([0, 1, 2, 3]);
    // 9,000 sessions report at the 4,096th and the 8,192nd arrival: 46% and 91% of each run.
    for (const task of [0, 1, 2, 3]) expect(advanced.get(task)?.map((f) => Math.round(f * 100))).toEqual([46, 91]);
  }, 120_000);
});
