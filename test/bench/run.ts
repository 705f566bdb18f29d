/**
 * `npm run bench` (issue 4): lbsim against the hand-tuned V8 loop of ../shared/bench
 * (`js_limit.mjs --impl flat`, "the yardstick") on the reference workload of WORKLOAD.md, and
 * the bundled shop-basic scenario at a million sessions. Never part of `npm test`.
 *
 *   npm run bench [-- --quick] [-- --reps N] [-- --skip-basic] [-- --profile] …   (--help lists all)
 *
 * Every measurement is a separate process under GNU time: lbsim is the real CLI
 * (`node dist/src/cli/bin.js run … --json`), so start-up, parsing, the run, the summary and the
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
import { gnuTimeProblem, meanWithError, runTimed, spread, type Spread } from './measure.js';
import { summariseProfile, type ProfileSummary } from './profile.js';
import { count, mb, ms, pct, rate, ratio, sec, secRange, table } from './table.js';
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
let CLI = join(ROOT, 'dist', 'src', 'cli', 'bin.js');
const NODE = process.execPath;
/** WORKLOAD.md: 1 arrival + 6 service completions + 5 think-time ends per session. */
const MODEL_EVENTS_PER_SESSION = 12;

type Variant = 'light' | 'heavy';
const WORKLOADS: Record<Variant, BenchWorkload> = { light: SHOP_LIGHT, heavy: SHOP_HEAVY };
/** Issue 4: the mean over a few seeds within 0.5 % (light) and 1 % (heavy) of theory. */
const TOLERANCE_PCT: Record<Variant, number> = { light: 0.5, heavy: 1 };
/** WORKLOAD.md's table, what round robin is compared with. */
const ROUND_ROBIN_THEORY: Record<Variant, { readonly meanRtMs: number; readonly p99RtMs: number; readonly model: string }> = {
  light: WORKLOAD_TABLE.light,
  heavy: WORKLOAD_TABLE.heavyRoundRobin,
};

const HELP = `npm run bench -- [options]

  --reps N            repetitions per case (default 5 at 100,000 sessions, 3 at 1,000,000)
  --quick             one repetition at 100,000 sessions only (no 1M cases, no shop-basic)
  --skip-basic        leave out "shop-basic at 1,000,000 sessions, 4 strategies"
  --basic-reps N      repetitions of the shop-basic case (default: the 1M repetitions)
  --hash V=FILE       also run FILE (a bench scenario whose one strategy hashes the session id;
                      V is light or heavy) and compare with M/M/16 at its measured shares;
                      scenarios/bench/shop-{light,heavy}-hash.yaml are picked up when present
  --profile           also profile lbsim on shop-light (node --cpu-prof) and list the hot spots
  --profile-sessions N  sessions of the profiled run (default 1,000,000; 100,000 with --quick)
  --dist DIR          bench the build in DIR (DIR/src/cli/bin.js) instead of dist/; a copy must sit
                      inside the project so that it finds node_modules
  --help
`;

interface Options {
  readonly quick: boolean;
  readonly reps100k: number;
  readonly reps1m: number;
  readonly basic: boolean;
  readonly basicReps: number;
  readonly hash: readonly { readonly variant: Variant; readonly file: string }[];
  readonly profileSessions: number | undefined;
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
      hash: { type: 'string', multiple: true },
      profile: { type: 'boolean', default: false },
      'profile-sessions': { type: 'string' },
      dist: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (values.dist !== undefined) CLI = join(resolve(values.dist), 'src', 'cli', 'bin.js');
  const reps = positive('reps', values.reps);
  const quick = values.quick;
  const reps1m = reps ?? 3;
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
    basicReps: positive('basic-reps', values['basic-reps']) ?? reps1m,
    hash,
    profileSessions: values.profile ? (positive('profile-sessions', values['profile-sessions']) ?? (quick ? 100_000 : 1_000_000)) : undefined,
  };
}

const log = (text: string) => process.stderr.write(text);

/** One process's figures. */
interface RunFigures {
  readonly seed: number;
  readonly simWallSec: number;
  readonly processWallSec: number;
  readonly parentWallSec: number;
  readonly peakRssMb: number;
  readonly meanMs: number;
  readonly p99Ms: number;
}

interface LbsimFigures extends RunFigures {
  readonly requestsPerBackend: readonly number[];
}

/** What `--json` prints; only the fields the bench reads. */
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

function runLbsim(scenario: string, sessions: number, seed: number | undefined, extra: readonly string[]): { figures: LbsimFigures; summary: SummaryJson } {
  const out = mkdtempSync(join(tmpdir(), 'lbsim-bench-out-'));
  try {
    const args = [CLI, 'run', scenario, '--sessions', String(sessions), '--json', '--out', out, ...(seed === undefined ? [] : ['--seed', String(seed)]), ...extra];
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
  return { seed, simWallSec: y.wallSec, processWallSec: t.processWallSec, parentWallSec: t.parentWallSec, peakRssMb: t.peakRssMb, meanMs: y.meanRtSec * 1000, p99Ms: y.p99RtSec * 1000 };
}

interface SideReport {
  readonly simWallSec: Spread;
  /** Model events (12 per session) over the median simulation wall time. */
  readonly modelEventsPerSec: number;
  readonly processWallSec: Spread;
  readonly peakRssMb: Spread;
  readonly meanMs: { readonly mean: number; readonly stdError: number };
  readonly p99Ms: number;
  readonly runs: readonly RunFigures[];
}

function side(runs: readonly RunFigures[], sessions: number): SideReport {
  const simWallSec = spread(runs.map((r) => r.simWallSec));
  return {
    simWallSec,
    modelEventsPerSec: (sessions * MODEL_EVENTS_PER_SESSION) / simWallSec.median,
    processWallSec: spread(runs.map((r) => r.processWallSec)),
    peakRssMb: spread(runs.map((r) => r.peakRssMb)),
    meanMs: meanWithError(runs.map((r) => r.meanMs)),
    p99Ms: runs.reduce((s, r) => s + r.p99Ms, 0) / runs.length,
    runs,
  };
}

interface CaseReport {
  readonly id: string;
  readonly scenario: string;
  readonly variant: Variant;
  readonly routing: 'round-robin' | 'session-hash';
  readonly sessions: number;
  readonly reps: number;
  readonly modelEvents: number;
  readonly lbsim: SideReport;
  readonly yardstick: SideReport | undefined;
  /** Medians of the per-pair ratios lbsim / yardstick. */
  readonly ratios: { readonly simWall: Spread; readonly processWall: Spread } | undefined;
  readonly accuracy: {
    readonly theoryModel: string;
    readonly theoryMeanMs: number;
    readonly theoryP99Ms: number;
    readonly meanDiffPct: number;
    readonly p99DiffPct: number;
    readonly tolerancePct: number;
    readonly withinTolerance: boolean;
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
      log(`  lbsim     ${sec(figures.simWallSec)} s sim, ${sec(figures.processWallSec)} s process, ${mb(figures.peakRssMb)} MB\n`);
    };
    const doYard = () => {
      const y = runYardstick(variant, sessions, seed, routing === 'round-robin' ? 'rr' : 'sticky');
      yardRuns.push(y);
      log(`  yardstick ${sec(y.simWallSec)} s sim, ${sec(y.processWallSec)} s process, ${mb(y.peakRssMb)} MB\n`);
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

interface BasicReport {
  readonly scenario: string;
  readonly sessions: number;
  readonly reps: number;
  readonly variants: readonly {
    readonly threads: string;
    readonly processWallSec: Spread;
    readonly simWallSec: Spread;
    readonly peakRssMb: Spread;
  }[];
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
      log(`  ${sec(figures.simWallSec)} s sim, ${sec(figures.processWallSec)} s process, ${mb(figures.peakRssMb)} MB\n`);
    }
  }
  return {
    scenario,
    sessions,
    reps,
    variants: variants.map((threads) => {
      const r = runs.get(threads)!;
      return { threads, processWallSec: spread(r.map((x) => x.processWallSec)), simWallSec: spread(r.map((x) => x.simWallSec)), peakRssMb: spread(r.map((x) => x.peakRssMb)) };
    }),
  };
}

function runProfile(sessions: number, threadsFlag: readonly string[]): ProfileSummary {
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-bench-prof-'));
  const out = join(dir, 'out');
  try {
    log(`profiling lbsim on shop-light at ${count(sessions)} sessions (node --cpu-prof)\n`);
    runTimed(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, CLI, 'run', 'scenarios/bench/shop-light.yaml', '--sessions', String(sessions), '--json', '--out', out, ...threadsFlag], ROOT);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return summariseProfile(join(dir, file), ROOT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Check {
  readonly target: string;
  readonly measured: string;
  readonly status: 'pass' | 'FAIL' | 'not measured';
}

function checks(cases: readonly CaseReport[], basic: BasicReport | undefined, memory: Record<string, { rss100kMb: number; rss1mMb: number; ratio: number } | undefined>): Check[] {
  const out: Check[] = [];
  const status = (ok: boolean | undefined): Check['status'] => (ok === undefined ? 'not measured' : ok ? 'pass' : 'FAIL');
  for (const c of cases) {
    out.push({
      target: `${c.id}: mean response within ${c.accuracy.tolerancePct}% of theory (${ms(c.accuracy.theoryMeanMs, 2)} ms)`,
      measured: `${ms(c.lbsim.meanMs.mean)} ms over ${c.reps} seed(s), ${pct(c.accuracy.meanDiffPct)}`,
      status: status(c.accuracy.withinTolerance),
    });
  }
  const light1m = cases.find((c) => c.routing === 'round-robin' && c.variant === 'light' && c.sessions === 1_000_000);
  out.push({
    target: 'shop-light 1,000,000, round robin, one thread: lbsim process wall ≤ 3× the yardstick (median of pairs)',
    measured: light1m?.ratios ? `${ratio(light1m.ratios.processWall.median)} (${sec(light1m.lbsim.processWallSec.median)} s vs ${sec(light1m.yardstick?.processWallSec.median)} s)` : '—',
    status: status(light1m?.ratios ? light1m.ratios.processWall.median <= 3 : undefined),
  });
  for (const variant of ['light', 'heavy'] as const) {
    const m = memory[variant];
    out.push({
      target: `shop-${variant} 1,000,000: peak RSS < 300 MB and ≤ 1.5× the 100,000-session figure`,
      measured: m ? `${mb(m.rss1mMb)} MB, ${ratio(m.ratio)} of ${mb(m.rss100kMb)} MB` : '—',
      status: status(m ? m.rss1mMb < 300 && m.ratio <= 1.5 : undefined),
    });
  }
  const def = basic?.variants.find((v) => v.threads === 'default');
  out.push({
    target: 'shop-basic 1,000,000, 4 strategies: process wall < 30 s (default threads)',
    measured: def ? `${sec(def.processWallSec.median)} s` : '—',
    status: status(def ? def.processWallSec.median < 30 : undefined),
  });
  const t1 = basic?.variants.find((v) => v.threads === '1');
  const t2 = basic?.variants.find((v) => v.threads === '2');
  out.push({
    target: 'shop-basic 1,000,000: --threads 2 clearly faster than --threads 1 (≤ 0.8× its process wall)',
    measured: t1 && t2 ? `${sec(t2.processWallSec.median)} s vs ${sec(t1.processWallSec.median)} s (${ratio(t2.processWallSec.median / t1.processWallSec.median)})` : basic ? 'lbsim run has no --threads option' : '—',
    status: status(t1 && t2 ? t2.processWallSec.median <= 0.8 * t1.processWallSec.median : undefined),
  });
  return out;
}

function git(args: readonly string[]): string {
  const r = spawnSync('git', [...args], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function render(report: BenchReport): string {
  const parts: string[] = [];
  const m = report.machine;
  parts.push(`lbsim bench — ${report.generatedAt}, commit ${report.git.commit.slice(0, 10)}${report.git.srcDirty ? ' (src/ has uncommitted changes)' : ''}`);
  const cli = report.lbsimCli.startsWith(`${ROOT}/`) ? report.lbsimCli.slice(ROOT.length + 1) : report.lbsimCli;
  parts.push(`Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load ${m.loadAvgStart.map((x) => x.toFixed(2)).join(' ')}; lbsim ${cli} ${report.lbsimThreadsFlag.length ? report.lbsimThreadsFlag.join(' ') : '(no --threads option: one thread)'}`);
  if (!report.yardstick.available) parts.push(`!! ${report.yardstick.note}`);
  parts.push('');
  parts.push('Speed (medians over repetitions; ratios are medians of per-pair lbsim / yardstick)');
  parts.push(
    table(
      ['case', 'reps', 'sim wall s', 'yardstick s', 'ratio', 'model ev/s', 'yardstick', 'process s', 'yardstick s', 'ratio'],
      report.cases.map((c) => [
        c.id,
        String(c.reps),
        secRange(c.lbsim.simWallSec),
        sec(c.yardstick?.simWallSec.median),
        ratio(c.ratios?.simWall.median),
        rate(c.lbsim.modelEventsPerSec),
        rate(c.yardstick?.modelEventsPerSec),
        secRange(c.lbsim.processWallSec),
        sec(c.yardstick?.processWallSec.median),
        ratio(c.ratios?.processWall.median),
      ]),
    ),
  );
  parts.push('Memory (peak RSS of the whole process, MB, medians)');
  parts.push(
    table(
      ['case', 'lbsim', 'yardstick'],
      report.cases.map((c) => [c.id, mb(c.lbsim.peakRssMb.median), mb(c.yardstick?.peakRssMb.median)]),
    ),
  );
  const mem = Object.entries(report.memory).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  if (mem.length > 0) parts.push(mem.map(([v, x]) => `  shop-${v}: 1,000,000 / 100,000 sessions RSS = ${mb(x.rss1mMb)} / ${mb(x.rss100kMb)} MB = ${ratio(x.ratio)}`).join('\n') + '\n');
  parts.push('Accuracy (response time over all requests; mean ± standard error over the seeds, p99 averaged)');
  parts.push(
    table(
      ['case', 'seeds', 'mean ms', 'theory', 'diff', 'tol', 'p99 ms', 'theory', 'yardstick mean / p99', 'theory model'],
      report.cases.map((c) => [
        c.id,
        String(c.reps),
        `${ms(c.lbsim.meanMs.mean)} ± ${ms(c.lbsim.meanMs.stdError)}`,
        ms(c.accuracy.theoryMeanMs, 2),
        pct(c.accuracy.meanDiffPct),
        `${c.accuracy.tolerancePct}%`,
        ms(c.lbsim.p99Ms, 1),
        ms(c.accuracy.theoryP99Ms, 1),
        c.yardstick ? `${ms(c.yardstick.meanMs.mean)} / ${ms(c.yardstick.p99Ms, 1)}` : '—',
        c.accuracy.theoryModel,
      ]),
    ),
  );
  if (report.shopBasic) {
    const b = report.shopBasic;
    parts.push(`${b.scenario} at ${count(b.sessions)} sessions, 4 strategies (${b.reps} rep(s); medians [min–max])`);
    parts.push(table(['threads', 'process wall s', 'sim wall s', 'peak RSS MB'], b.variants.map((v) => [v.threads, secRange(v.processWallSec), secRange(v.simWallSec), mb(v.peakRssMb.median)])));
  }
  if (report.profile) {
    const p = report.profile;
    parts.push(`Profile: lbsim on shop-light, ${count(p.sessions)} sessions, ${sec(p.summary.totalMs / 1000)} s sampled; self time by file`);
    parts.push(table(['file', 'self ms', '%'], p.summary.byFile.slice(0, 12).map((l) => [l.name, l.selfMs.toFixed(0), l.selfPct.toFixed(1)])));
    parts.push('hottest functions (self time)');
    parts.push(table(['function', 'self ms', '%'], p.summary.topFunctions.slice(0, 20).map((l) => [l.name, l.selfMs.toFixed(0), l.selfPct.toFixed(1)])));
  }
  parts.push('Issue 4 targets');
  parts.push(table(['target', 'measured', ''], report.checks.map((c) => [c.target, c.measured, c.status])));
  return parts.join('\n');
}

interface BenchReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly durationSec: number;
  readonly git: { readonly commit: string; readonly srcDirty: boolean };
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpuModel: string; readonly loadAvgStart: readonly number[]; readonly loadAvgEnd: readonly number[] };
  readonly options: Options;
  readonly lbsimCli: string;
  readonly lbsimThreadsFlag: readonly string[];
  readonly yardstick: { readonly available: boolean; readonly path: string; readonly note: string };
  readonly theory: { readonly table: typeof WORKLOAD_TABLE; readonly computed: Record<string, unknown>; readonly portProblems: readonly string[] };
  readonly cases: readonly CaseReport[];
  readonly memory: Record<string, { rss100kMb: number; rss1mMb: number; ratio: number } | undefined>;
  readonly shopBasic: BasicReport | undefined;
  readonly profile: { readonly sessions: number; readonly summary: ProfileSummary } | undefined;
  readonly checks: readonly Check[];
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

  const help = spawnSync(NODE, [CLI, 'run', '--help'], { cwd: ROOT, encoding: 'utf8' });
  const hasThreads = /--threads\b/.test(help.stdout + help.stderr);
  const threadsFlag = hasThreads ? ['--threads', '1'] : [];
  const ctx: Context = { yardstick: yardstickAvailable, threadsFlag };
  const started = new Date();
  const loadAvgStart = loadavg();

  // Warm the file cache and the compile cache; not measured.
  log('warm-up (not measured)\n');
  runLbsim('scenarios/bench/shop-light.yaml', 10_000, 1, threadsFlag);
  if (yardstickAvailable) runYardstick('light', 10_000, 1, 'rr');

  const cases: CaseReport[] = [];
  const sizes = options.quick ? [100_000] : [100_000, 1_000_000];
  for (const sessions of sizes) {
    for (const variant of ['light', 'heavy'] as const) {
      cases.push(runCase(ctx, variant, sessions, sessions >= 1_000_000 ? options.reps1m : options.reps100k, join(ROOT, 'scenarios', 'bench', `shop-${variant}.yaml`), 'round-robin'));
    }
  }
  for (const h of options.hash) cases.push(runCase(ctx, h.variant, 100_000, options.reps100k, h.file, 'session-hash'));

  const memory: BenchReport['memory'] = {};
  for (const variant of ['light', 'heavy'] as const) {
    const small = cases.find((c) => c.routing === 'round-robin' && c.variant === variant && c.sessions === 100_000);
    const big = cases.find((c) => c.routing === 'round-robin' && c.variant === variant && c.sessions === 1_000_000);
    memory[variant] = small && big ? { rss100kMb: small.lbsim.peakRssMb.median, rss1mMb: big.lbsim.peakRssMb.median, ratio: big.lbsim.peakRssMb.median / small.lbsim.peakRssMb.median } : undefined;
  }
  const shopBasic = options.basic ? runBasic(options.basicReps, hasThreads) : undefined;
  const profile = options.profileSessions !== undefined ? { sessions: options.profileSessions, summary: runProfile(options.profileSessions, threadsFlag) } : undefined;

  const cpu = cpus();
  const report: BenchReport = {
    schemaVersion: 1,
    generatedAt: started.toISOString(),
    durationSec: (Date.now() - started.getTime()) / 1000,
    git: { commit: git(['rev-parse', 'HEAD']), srcDirty: git(['status', '--porcelain', '--', 'src']) !== '' },
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
    profile,
    checks: checks(cases, shopBasic, memory),
  };
  const text = render(report);
  process.stdout.write(`\n${text}`);
  const dir = join(ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = join(dir, `bench-${report.generatedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(join(dir, 'latest.json'), json);
  process.stdout.write(`\nwrote ${file.slice(ROOT.length + 1)} and reports/bench/latest.json (${sec(report.durationSec)} s)\n`);
  return 0;
}

process.exitCode = main();
