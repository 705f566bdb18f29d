/**
 * `npm run bench` (issue 4): lbsim against the hand-tuned V8 loop of ../shared/bench
 * (`js_limit.mjs --impl flat`, "the yardstick") on the reference workload of WORKLOAD.md, and
 * the bundled shop-basic scenario at a million sessions. Never part of `npm test`.
 *
 *   npm run bench [-- --quick] [-- --reps N] [-- --skip-basic] [-- --profile] …   (--help lists all)
 *
 * Every measurement is a separate process under GNU time: lbsim is the real CLI
 * (`node dist/lbsim.js run … --json`), so start-up, parsing, the run, the summary and the
 * files it writes are all counted. lbsim and the yardstick alternate in pairs (the order swapping
 * every repetition), repetition r using seed r for both. The machine is small and shared, so the
 * report gives medians over repetitions and medians of per-pair ratios, never single runs.
 *
 * Output: tables on stdout, the same as JSON in reports/bench/bench-<time>.json and
 * reports/bench/latest.json. docs/benchmark.md explains every column.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gnuTimeProblem, meanWithError, runTimed, spread } from './measure.js';
import { summariseProfile, type ProfileSummary } from './profile.js';
import { checks, render, type ReplicationsReport, type BasicReport, type BenchReport, type CaseReport, type LbsimFigures, type Options, type RunFigures, type SideReport, type Variant } from './report.js';
import { count, mb, sec } from './table.js';
import { renderExtremes, runExtremes } from './extremes.js';
import { renderPlaygroundBench, runPlaygroundBench } from './playground.js';
import { BASELINE_BOUND_PCT, overallRatio, renderBaseline, runBaselineCase } from './baseline.js';
import {
  checkTheoryPort,
  evenPoissonPrediction,
  roundRobinPrediction,
  SHOP_HEAVY,
  SHOP_LIGHT,
  stickyPrediction,
  WORKLOAD_TABLE,
  type BenchWorkload,
} from './theory.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED_BENCH = resolve(ROOT, '..', 'shared', 'bench');
/** lbsim's CLI; `--dist DIR` points it at another build (e.g. a copy of dist/ from before a change). */
let CLI = join(ROOT, 'dist', 'lbsim.js');
/** The same CLI as tsc emits it, one file per module (what `--profile` runs). */
let UNBUNDLED_CLI = join(ROOT, 'dist', 'src', 'cli', 'bin.js');
const NODE = process.execPath;
/** WORKLOAD.md: 1 arrival + 6 service completions + 5 think-time ends per session. */
const MODEL_EVENTS_PER_SESSION = 12;

const WORKLOADS: Record<Variant, BenchWorkload> = { light: SHOP_LIGHT, heavy: SHOP_HEAVY };
/** Issue 4: the mean over a few seeds within 0.5 % (light) and 1 % (heavy) of theory. */
const TOLERANCE_PCT: Record<Variant, number> = { light: 0.5, heavy: 1 };
/** WORKLOAD.md's table, what round robin is compared with. */
const ROUND_ROBIN_THEORY: Record<Variant, { readonly meanRtMs: number; readonly p99RtMs: number; readonly model: string }> = {
  light: WORKLOAD_TABLE.light,
  heavy: WORKLOAD_TABLE.heavyRoundRobin,
};

const HELP = `npm run bench -- [options]

  --reps N            repetitions per case (default 5)
  --quick             one repetition at 100,000 sessions only (no 1M cases, no shop-basic)
  --skip-basic        leave out "shop-basic at 1,000,000 sessions, 4 strategies"
  --basic-reps N      repetitions of the shop-basic case (default: --reps, else 3)
  --skip-replications leave out "lbsim run --replications 8" on 2 threads vs 1 vs 8 separate runs
  --hash V=FILE       also run FILE (a bench scenario whose one strategy hashes the session id;
                      V is light or heavy) and compare with M/M/16 at its measured shares;
                      scenarios/bench/shop-{light,heavy}-hash.yaml are picked up when present
  --profile           also profile lbsim on shop-light (node --cpu-prof) and list the hot spots
  --profile-sessions N  sessions of the profiled run (default 1,000,000; 100,000 with --quick)
  --dist DIR          bench the build in DIR (DIR/lbsim.js) instead of dist/; a copy must sit
                      inside the project so that it finds node_modules
  --extremes          also run the extremes the limits allow (most backends × strategies, most
                      sessions in flight, the largest address file, the most windows; about
                      2 minutes) and check each one's peak RSS is under 1 GB
  --only-extremes     run the extremes and nothing else
  --baseline DIR      only the speed check against an earlier build in DIR (a copy inside the
                      project, as for --dist): shop-light and shop-heavy at 1,000,000 sessions
                      (100,000 with --quick), yardstick, DIR's build and this one interleaved
                      in rotating order, --reps triples (default 9); see baseline.ts
  --playground        only shop-basic in the playground in headless Chromium (--reps runs, default 3)
  --help
`;

/** DIR's CLI: the bundled entry, or the unbundled one of a build from before the bundle. */
function baselineCli(dir: string): string {
  const bundled = join(resolve(dir), 'lbsim.js');
  const cli = existsSync(bundled) ? bundled : join(resolve(dir), 'src', 'cli', 'bin.js');
  if (!existsSync(cli)) throw new Error(`--baseline: no build in ${dir} (neither lbsim.js nor src/cli/bin.js)`);
  return cli;
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a whole number ≥ 1, got ${JSON.stringify(text)}`);
  return n;
}

function readOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'skip-basic': { type: 'boolean', default: false },
      'basic-reps': { type: 'string' },
      'skip-replications': { type: 'boolean', default: false },
      hash: { type: 'string', multiple: true },
      profile: { type: 'boolean', default: false },
      'profile-sessions': { type: 'string' },
      dist: { type: 'string' },
      baseline: { type: 'string' },
      extremes: { type: 'boolean', default: false },
      'only-extremes': { type: 'boolean', default: false },
      playground: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (values.dist !== undefined) {
    UNBUNDLED_CLI = join(resolve(values.dist), 'src', 'cli', 'bin.js');
    // A build from before the CLI was bundled has only the unbundled entry.
    const bundled = join(resolve(values.dist), 'lbsim.js');
    CLI = existsSync(bundled) ? bundled : UNBUNDLED_CLI;
  }
  const reps = positive('reps', values.reps);
  const quick = values.quick;
  // Five pairs at 1M: the speed target is a median of pairs, and on this shared 2-core machine one
  // pair in three can be off by 20%.
  const reps1m = reps ?? 5;
  const hash: { variant: Variant; file: string }[] = (values.hash ?? []).map((spec) => {
    const m = /^(light|heavy)=(.+)$/.exec(spec);
    if (!m) throw new Error(`--hash: expected light=FILE or heavy=FILE, got ${JSON.stringify(spec)}`);
    return { variant: m[1] as Variant, file: resolve(m[2]!) };
  });
  for (const variant of ['light', 'heavy'] as const) {
    const file = join(ROOT, 'scenarios', 'bench', `shop-${variant}-hash.yaml`);
    if (existsSync(file) && !hash.some((h) => h.file === file)) hash.push({ variant, file });
  }
  return {
    quick,
    reps100k: quick ? 1 : (reps ?? 5),
    reps1m,
    basic: !quick && !values['skip-basic'],
    basicReps: positive('basic-reps', values['basic-reps']) ?? reps ?? 3,
    replications: !quick && !values['skip-replications'],
    hash,
    profileSessions: values.profile ? (positive('profile-sessions', values['profile-sessions']) ?? (quick ? 100_000 : 1_000_000)) : undefined,
    extremes: values['only-extremes'] ? 'only' : values.extremes ? 'also' : 'no',
    playground: values.playground,
    playgroundReps: reps ?? 3,
    baselineReps: reps ?? 9,
    baseline: values.baseline === undefined ? undefined : baselineCli(values.baseline),
  };
}

const log = (text: string) => process.stderr.write(text);
const runLine = (r: RunFigures) =>
  `${sec(r.simWallSec)} s sim, ${sec(r.processWallSec)} s process, ${sec(r.processCpuSec)} s CPU, ${mb(r.peakRssMb)} MB (load ${r.loadAvg1.toFixed(2)})`;

/** One process's figures. */
interface SummaryJson {
  readonly runTimeMs: number;
  readonly strategies: readonly {
    readonly name: string;
    readonly sessions: { readonly total: number; readonly completed: number };
    readonly requests: { readonly total: number; readonly completed: number };
    readonly latencyMs: { readonly mean: number; readonly p99: number };
    readonly backends: readonly { readonly requests: number }[];
  }[];
}

function runLbsim(scenario: string, sessions: number, seed: number | undefined, extra: readonly string[], cli = CLI): { figures: LbsimFigures; summary: SummaryJson } {
  const out = mkdtempSync(join(tmpdir(), 'lbsim-bench-out-'));
  try {
    const args = [cli, 'run', scenario, '--sessions', String(sessions), '--json', '--out', out, ...(seed === undefined ? [] : ['--seed', String(seed)]), ...extra];
    const t = runTimed(NODE, args, ROOT);
    const summary = JSON.parse(t.stdout) as SummaryJson;
    const s = summary.strategies[0]!;
    return {
      summary,
      figures: {
        seed: seed ?? NaN,
        simWallSec: summary.runTimeMs / 1000,
        processWallSec: t.processWallSec,
        parentWallSec: t.parentWallSec,
        peakRssMb: t.peakRssMb,
        processCpuSec: t.processCpuSec,
        loadAvg1: t.loadAvg1,
        meanMs: s.latencyMs.mean,
        p99Ms: s.latencyMs.p99,
        requestsPerBackend: s.backends.map((b) => b.requests),
      },
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The yardstick's --json line; only the fields the bench reads. */
interface YardstickJson {
  readonly wallSec: number;
  readonly meanRtSec: number;
  readonly p99RtSec: number;
  readonly requests: number;
}

function runYardstick(variant: Variant, sessions: number, seed: number, routing: 'rr' | 'sticky'): RunFigures {
  const args = [join(SHARED_BENCH, 'js_limit.mjs'), '--impl', 'flat', '--sessions', String(sessions), '--scenario', join(SHARED_BENCH, 'scenarios', `shop-${variant}.json`), '--routing', routing, '--seed', String(seed), '--json'];
  const t = runTimed(NODE, args, ROOT);
  const y = JSON.parse(t.stdout) as YardstickJson;
  if (y.requests !== sessions * 6) throw new Error(`yardstick answered ${y.requests} requests, expected ${sessions * 6}`);
  return { seed, simWallSec: y.wallSec, processWallSec: t.processWallSec, parentWallSec: t.parentWallSec, peakRssMb: t.peakRssMb, processCpuSec: t.processCpuSec, loadAvg1: t.loadAvg1, meanMs: y.meanRtSec * 1000, p99Ms: y.p99RtSec * 1000 };
}

function side(runs: readonly RunFigures[], sessions: number): SideReport {
  const simWallSec = spread(runs.map((r) => r.simWallSec));
  return {
    simWallSec,
    modelEventsPerSec: (sessions * MODEL_EVENTS_PER_SESSION) / simWallSec.median,
    processWallSec: spread(runs.map((r) => r.processWallSec)),
    processCpuSec: spread(runs.map((r) => r.processCpuSec)),
    peakRssMb: spread(runs.map((r) => r.peakRssMb)),
    meanMs: meanWithError(runs.map((r) => r.meanMs)),
    p99Ms: runs.reduce((s, r) => s + r.p99Ms, 0) / runs.length,
    runs,
  };
}

interface Context {
  readonly yardstick: boolean;
  readonly threadsFlag: readonly string[];
}

function runCase(ctx: Context, variant: Variant, sessions: number, reps: number, scenarioFile: string, routing: 'round-robin' | 'session-hash'): CaseReport {
  const scenario = scenarioFile.startsWith(`${ROOT}/`) ? scenarioFile.slice(ROOT.length + 1) : scenarioFile;
  const id = `shop-${variant}${routing === 'session-hash' ? '-hash' : ''} ${count(sessions)}`;
  const lbsimRuns: LbsimFigures[] = [];
  const yardRuns: RunFigures[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const seed = rep + 1;
    const doLbsim = () => {
      const { figures, summary } = runLbsim(scenario, sessions, seed, ctx.threadsFlag);
      const s = summary.strategies[0]!;
      if (s.sessions.completed !== sessions || s.requests.completed !== sessions * 6) {
        throw new Error(`${scenario}: ${s.sessions.completed} of ${sessions} sessions and ${s.requests.completed} of ${sessions * 6} requests completed; the bench workload must complete them all`);
      }
      lbsimRuns.push(figures);
      log(`  lbsim     ${runLine(figures)}\n`);
    };
    const doYard = () => {
      const y = runYardstick(variant, sessions, seed, routing === 'round-robin' ? 'rr' : 'sticky');
      yardRuns.push(y);
      log(`  yardstick ${runLine(y)}\n`);
    };
    log(`${id} sessions, rep ${rep + 1}/${reps} (seed ${seed})\n`);
    if (!ctx.yardstick) doLbsim();
    else if (rep % 2 === 0) {
      doLbsim();
      doYard();
    } else {
      doYard();
      doLbsim();
    }
  }
  const lbsim = side(lbsimRuns, sessions);
  const yardstick = ctx.yardstick ? side(yardRuns, sessions) : undefined;
  const ratios = ctx.yardstick
    ? {
        simWall: spread(lbsimRuns.map((r, i) => r.simWallSec / yardRuns[i]!.simWallSec)),
        processWall: spread(lbsimRuns.map((r, i) => r.processWallSec / yardRuns[i]!.processWallSec)),
        processCpu: spread(lbsimRuns.map((r, i) => r.processCpuSec / yardRuns[i]!.processCpuSec)),
      }
    : undefined;
  const workload = WORKLOADS[variant];
  let theory: { readonly meanRtMs: number; readonly p99RtMs: number; readonly model: string };
  if (routing === 'round-robin') theory = ROUND_ROBIN_THEORY[variant];
  else {
    // Each run's own shares (a hash of the session id need not split alike for every seed).
    const per = lbsimRuns.map((r) => stickyPrediction(workload, r.requestsPerBackend));
    if (per.some((p) => p === undefined)) throw new Error(`${scenario}: a backend is overloaded at its measured share`);
    theory = {
      model: per[0]!.model,
      meanRtMs: per.reduce((s, p) => s + p!.meanRtMs, 0) / per.length,
      p99RtMs: per.reduce((s, p) => s + p!.p99RtMs, 0) / per.length,
    };
  }
  const meanDiffPct = (100 * (lbsim.meanMs.mean - theory.meanRtMs)) / theory.meanRtMs;
  return {
    id,
    scenario,
    variant,
    routing,
    sessions,
    reps,
    modelEvents: sessions * MODEL_EVENTS_PER_SESSION,
    lbsim,
    yardstick,
    ratios,
    accuracy: {
      theoryModel: theory.model,
      theoryMeanMs: theory.meanRtMs,
      theoryP99Ms: theory.p99RtMs,
      meanDiffPct,
      p99DiffPct: (100 * (lbsim.p99Ms - theory.p99RtMs)) / theory.p99RtMs,
      tolerancePct: TOLERANCE_PCT[variant],
      withinTolerance: Math.abs(meanDiffPct) <= TOLERANCE_PCT[variant],
    },
  };
}

function runBasic(reps: number, hasThreads: boolean): BasicReport {
  const scenario = 'scenarios/shop-basic.yaml';
  const sessions = 1_000_000;
  const variants = hasThreads ? ['default', '1', '2'] : ['default'];
  const runs = new Map(variants.map((v) => [v, [] as RunFigures[]]));
  for (let rep = 0; rep < reps; rep++) {
    // Rotate the order each repetition so no variant always runs first.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + rep) % variants.length]!;
      log(`shop-basic 1,000,000 sessions, threads ${v}, rep ${rep + 1}/${reps}\n`);
      const { figures, summary } = runLbsim(scenario, sessions, undefined, v === 'default' ? [] : ['--threads', v]);
      if (summary.strategies.length !== 4) throw new Error(`${scenario}: expected 4 strategies, got ${summary.strategies.length}`);
      runs.get(v)!.push(figures);
      log(`  ${runLine(figures)}\n`);
    }
  }
  return {
    scenario,
    sessions,
    reps,
    variants: variants.map((threads) => {
      const r = runs.get(threads)!;
      return { threads, processWallSec: spread(r.map((x) => x.processWallSec)), processCpuSec: spread(r.map((x) => x.processCpuSec)), simWallSec: spread(r.map((x) => x.simWallSec)), peakRssMb: spread(r.map((x) => x.peakRssMb)) };
    }),
  };
}

/**
 * Issue 9: `--replications 8` shares the worker pool. shop-basic at 25,000 sessions (4 strategies)
 * × 8 seeds, three ways, the order rotating every repetition.
 */
function runReplications(reps: number): ReplicationsReport {
  const scenario = 'scenarios/shop-basic.yaml';
  const sessions = 25_000;
  const replications = 8;
  const seed = 7; // shop-basic's own seed: replication i runs with "7/rep/i"
  const timed = (label: string, argsList: readonly (readonly string[])[]) => {
    const out = mkdtempSync(join(tmpdir(), 'lbsim-bench-rep-'));
    try {
      const runs = argsList.map((extra) => runTimed(NODE, [CLI, 'run', scenario, '--sessions', String(sessions), '--json', '--out', out, ...extra], ROOT));
      const wall = runs.reduce((s, r) => s + r.processWallSec, 0);
      const cpu = runs.reduce((s, r) => s + r.processCpuSec, 0);
      log(`  ${label}: ${sec(wall)} s wall, ${sec(cpu)} s CPU\n`);
      return { wall, cpu };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  const ways: readonly { readonly label: string; readonly args: readonly (readonly string[])[] }[] = [
    { label: `--replications ${replications} --threads 2`, args: [['--replications', String(replications), '--threads', '2']] },
    { label: `--replications ${replications} --threads 1`, args: [['--replications', String(replications), '--threads', '1']] },
    { label: `${replications} separate runs, --threads 1`, args: Array.from({ length: replications }, (_, i) => ['--seed', `${seed}/rep/${i}`, '--threads', '1']) },
  ];
  const results = ways.map(() => [] as { wall: number; cpu: number }[]);
  for (let rep = 0; rep < reps; rep++) {
    log(`replications: rep ${rep + 1}/${reps}\n`);
    for (let k = 0; k < ways.length; k++) {
      const w = (k + rep) % ways.length;
      results[w]!.push(timed(ways[w]!.label, ways[w]!.args));
    }
  }
  return {
    scenario,
    sessions,
    replications,
    reps,
    variants: ways.map((way, w) => ({ label: way.label, processWallSec: spread(results[w]!.map((r) => r.wall)), processCpuSec: spread(results[w]!.map((r) => r.cpu)) })),
  };
}

function runProfile(sessions: number, threadsFlag: readonly string[]): ProfileSummary {
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-bench-prof-'));
  const out = join(dir, 'out');
  try {
    log(`profiling lbsim on shop-light at ${count(sessions)} sessions (node --cpu-prof)\n`);
    // The unbundled build of the same code: its profile names lbsim's source files, where the bundle's would name one chunk.
    runTimed(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, UNBUNDLED_CLI, 'run', 'scenarios/bench/shop-light.yaml', '--sessions', String(sessions), '--json', '--out', out, ...threadsFlag], ROOT);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return summariseProfile(join(dir, file), ROOT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function git(args: readonly string[]): string {
  const r = spawnSync('git', [...args], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function main(): number {
  let options: Options | undefined;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    log(`bench: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(HELP);
    return 0;
  }
  const timeProblem = gnuTimeProblem();
  if (timeProblem) {
    log(`bench: ${timeProblem}. The bench needs it for whole-process wall time and peak RSS.\n`);
    return 2;
  }
  if (!existsSync(CLI)) {
    log(`bench: ${CLI} is missing: run "npm run build" first (npm run bench does).\n`);
    return 2;
  }
  const yardstickAvailable = existsSync(join(SHARED_BENCH, 'js_limit.mjs'));
  const yardstickNote = yardstickAvailable ? 'js_limit.mjs --impl flat' : `YARDSTICK NOT FOUND: ${SHARED_BENCH}/js_limit.mjs is missing, so the yardstick columns and ratios are empty. Put the shared bench folder at ../shared/bench relative to the project.`;
  if (!yardstickAvailable) log(`\n!!!!!!!!\n!! ${yardstickNote}\n!!!!!!!!\n\n`);

  const portProblems = checkTheoryPort();
  if (portProblems.length > 0) log(`bench: WARNING: the theory port disagrees with WORKLOAD.md:\n  ${portProblems.join('\n  ')}\n`);

  if (options.extremes === 'only') return onlyExtremes();
  if (options.baseline !== undefined) return onlyBaseline(options.baseline, options.quick ? 100_000 : 1_000_000, options.baselineReps, yardstickAvailable);

  const help = spawnSync(NODE, [CLI, 'run', '--help'], { cwd: ROOT, encoding: 'utf8' });
  const hasThreads = /--threads\b/.test(help.stdout + help.stderr);
  const threadsFlag = hasThreads ? ['--threads', '1'] : [];
  const ctx: Context = { yardstick: yardstickAvailable, threadsFlag };
  const started = new Date();
  // The project's commit when the bench started (with --dist, the build benched may be another).
  const gitAtStart = { commit: git(['rev-parse', 'HEAD']), srcDirty: git(['status', '--porcelain', '--', 'src']) !== '' };
  const loadAvgStart = loadavg();

  // Warm the file cache and the compile cache; not measured.
  log('warm-up (not measured)\n');
  runLbsim('scenarios/bench/shop-light.yaml', 10_000, 1, threadsFlag);
  if (yardstickAvailable) runYardstick('light', 10_000, 1, 'rr');

  const cases: CaseReport[] = [];
  // A case that fails (a crash, a build changing under the bench) is reported and the rest still run.
  const errors: { readonly case: string; readonly message: string }[] = [];
  const attempt = <T>(label: string, work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      const message = (error as Error).message;
      errors.push({ case: label, message });
      log(`!! ${label} FAILED: ${message}\n`);
      return undefined;
    }
  };
  const sizes = options.quick ? [100_000] : [100_000, 1_000_000];
  for (const sessions of sizes) {
    for (const variant of ['light', 'heavy'] as const) {
      const c = attempt(`shop-${variant} ${count(sessions)}`, () => runCase(ctx, variant, sessions, sessions >= 1_000_000 ? options.reps1m : options.reps100k, join(ROOT, 'scenarios', 'bench', `shop-${variant}.yaml`), 'round-robin'));
      if (c) cases.push(c);
    }
  }
  for (const h of options.hash) {
    const c = attempt(`${h.file} ${count(100_000)}`, () => runCase(ctx, h.variant, 100_000, options.reps100k, h.file, 'session-hash'));
    if (c) cases.push(c);
  }

  const memory: BenchReport['memory'] = {};
  for (const variant of ['light', 'heavy'] as const) {
    const small = cases.find((c) => c.routing === 'round-robin' && c.variant === variant && c.sessions === 100_000);
    const big = cases.find((c) => c.routing === 'round-robin' && c.variant === variant && c.sessions === 1_000_000);
    memory[variant] = small && big ? { rss100kMb: small.lbsim.peakRssMb.median, rss1mMb: big.lbsim.peakRssMb.median, ratio: big.lbsim.peakRssMb.median / small.lbsim.peakRssMb.median } : undefined;
  }
  const shopBasic = options.basic ? attempt('shop-basic', () => runBasic(options.basicReps, hasThreads)) : undefined;
  const replications = options.replications ? attempt('replications', () => runReplications(options.basicReps)) : undefined;
  const profileSessions = options.profileSessions;
  const profileSummary = profileSessions !== undefined ? attempt('profile', () => runProfile(profileSessions, threadsFlag)) : undefined;
  const profile = profileSessions !== undefined && profileSummary ? { sessions: profileSessions, summary: profileSummary } : undefined;
  const extremes = options.extremes === 'also' ? attempt('extremes', () => runExtremes(NODE, [CLI], ROOT, log)) : undefined;

  const cpu = cpus();
  const report: BenchReport = {
    schemaVersion: 1,
    generatedAt: started.toISOString(),
    durationSec: (Date.now() - started.getTime()) / 1000,
    git: gitAtStart,
    machine: { node: process.versions.node, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? '?', loadAvgStart, loadAvgEnd: loadavg() },
    options,
    lbsimCli: CLI,
    lbsimThreadsFlag: threadsFlag,
    yardstick: { available: yardstickAvailable, path: SHARED_BENCH, note: yardstickNote },
    theory: {
      table: WORKLOAD_TABLE,
      computed: {
        lightErlangC: evenPoissonPrediction(SHOP_LIGHT),
        heavyRoundRobin: roundRobinPrediction(SHOP_HEAVY),
        heavyErlangC: evenPoissonPrediction(SHOP_HEAVY),
      },
      portProblems,
    },
    cases,
    memory,
    shopBasic,
    replications,
    errors,
    profile,
    extremes,
    checks: checks(cases, shopBasic, memory, replications),
  };
  const text = render(report, ROOT);
  process.stdout.write(`\n${text}`);
  if (extremes) process.stdout.write(`\n${renderExtremes(extremes)}`);
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(dir, `bench-${report.generatedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(join(dir, 'latest.json'), json);
  process.stdout.write(`\nwrote ${file.slice(ROOT.length + 1)} and reports/bench/latest.json (${sec(report.durationSec)} s)\n`);
  return 0;
}

/** `--only-extremes`: the extremes, their table, and reports/bench/extremes-latest.json. */
function onlyExtremes(): number {
  const extremes = runExtremes(NODE, [CLI], ROOT, log);
  process.stdout.write(`\n${renderExtremes(extremes)}`);
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'extremes-latest.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), lbsimCli: CLI, extremes }, null, 2)}\n`);
  return extremes.every((e) => e.underLimit) ? 0 : 1;
}

/** `--baseline DIR`: this build against DIR's, interleaved with the yardstick (baseline.ts). */
function onlyBaseline(baselineCliPath: string, sessions: number, reps: number, yardstickAvailable: boolean): number {
  if (!yardstickAvailable) {
    log('bench: --baseline needs the yardstick (../shared/bench/js_limit.mjs) to pair each run with\n');
    return 2;
  }
  const builds = [
    { label: 'baseline', cli: baselineCliPath },
    { label: 'this', cli: CLI },
  ] as const;
  const started = new Date();
  const loadAvgStart = loadavg();
  log('warm-up (not measured)\n');
  for (const b of builds) runLbsim('scenarios/bench/shop-light.yaml', 10_000, 1, ['--threads', '1'], b.cli);
  runYardstick('light', 10_000, 1, 'rr');
  const cases = (['light', 'heavy'] as const).map((variant) =>
    runBaselineCase(
      `shop-${variant} ${count(sessions)}`,
      builds,
      reps,
      {
        runYardstick: (seed) => runYardstick(variant, sessions, seed, 'rr'),
        runLbsim: (cli, seed) => runLbsim(`scenarios/bench/shop-${variant}.yaml`, sessions, seed, ['--threads', '1'], cli).figures,
      },
      log,
    ),
  );
  const overall = overallRatio(cases);
  const text = `${renderBaseline(cases)}\nthis build ÷ baseline over every triple: median ${overall.toFixed(3)} (bound ${1 + BASELINE_BOUND_PCT / 100})\n`;
  process.stdout.write(`\n${text}`);
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const report = { generatedAt: started.toISOString(), durationSec: (Date.now() - started.getTime()) / 1000, git: git(['rev-parse', 'HEAD']), machine: { node: process.versions.node, cpus: cpus().length, loadAvgStart, loadAvgEnd: loadavg() }, builds, sessions, reps, cases, overall };
  writeFileSync(join(dir, 'baseline-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write('wrote reports/bench/baseline-latest.json\n');
  return overall <= 1 + BASELINE_BOUND_PCT / 100 ? 0 : 1;
}

/** `--playground`: only the playground case (asynchronous: it drives a browser). */
async function onlyPlayground(reps: number): Promise<number> {
  const result = await runPlaygroundBench(NODE, CLI, reps, log);
  process.stdout.write(renderPlaygroundBench(result));
  return result.underTarget ? 0 : 1;
}

const playgroundOptions = process.argv.includes('--playground') ? readOptions(process.argv.slice(2)) : undefined;
process.exitCode = playgroundOptions ? await onlyPlayground(playgroundOptions.playgroundReps) : main();
