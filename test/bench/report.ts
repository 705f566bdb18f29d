/**
 * The bench report: the shapes written to reports/bench/*.json, the issue-4 targets checked
 * against them, and the tables printed on stdout (docs/benchmark.md explains every column).
 */
import type { ExtremeReport } from './extremes.js';
import type { Spread } from './measure.js';
import type { ProfileSummary } from './profile.js';
import { count, mb, ms, pct, ratio, rate, sec, secRange, table } from './table.js';
import type { WORKLOAD_TABLE } from './theory.js';

export type Variant = 'light' | 'heavy';

export interface MemoryFigures {
  readonly rss100kMb: number;
  readonly rss1mMb: number;
  readonly ratio: number;
}

export interface Options {
  readonly quick: boolean;
  readonly reps100k: number;
  readonly reps1m: number;
  readonly basic: boolean;
  readonly basicReps: number;
  /** Time `lbsim run --replications 8` on two threads against one and against 8 separate runs. */
  readonly replications: boolean;
  readonly hash: readonly { readonly variant: Variant; readonly file: string }[];
  readonly profileSessions: number | undefined;
  /** Run the extremes the limits allow (extremes.ts); `only`: nothing else. */
  readonly extremes: 'no' | 'also' | 'only';
  /** Only shop-basic in the playground in headless Chromium (playground.ts). */
  readonly playground: boolean;
  readonly playgroundReps: number;
  /** `--baseline DIR`: DIR's CLI, to compare this build with (baseline.ts); nothing else runs. */
  readonly baseline: string | undefined;
  readonly baselineReps: number;
}

export interface RunFigures {
  readonly seed: number;
  readonly simWallSec: number;
  readonly processWallSec: number;
  readonly parentWallSec: number;
  readonly peakRssMb: number;
  readonly processCpuSec: number;
  readonly loadAvg1: number;
  readonly meanMs: number;
  readonly p99Ms: number;
}

export interface LbsimFigures extends RunFigures {
  readonly requestsPerBackend: readonly number[];
}

/** What `--json` prints; only the fields the bench reads. */
export interface SideReport {
  readonly simWallSec: Spread;
  /** Model events (12 per session) over the median simulation wall time. */
  readonly modelEventsPerSec: number;
  readonly processWallSec: Spread;
  readonly processCpuSec: Spread;
  readonly peakRssMb: Spread;
  readonly meanMs: { readonly mean: number; readonly stdError: number };
  readonly p99Ms: number;
  readonly runs: readonly RunFigures[];
}

export interface CaseReport {
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
  readonly ratios: { readonly simWall: Spread; readonly processWall: Spread; readonly processCpu: Spread } | undefined;
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

export interface BasicReport {
  readonly scenario: string;
  readonly sessions: number;
  readonly reps: number;
  readonly variants: readonly {
    readonly threads: string;
    readonly processWallSec: Spread;
    readonly processCpuSec: Spread;
    readonly simWallSec: Spread;
    readonly peakRssMb: Spread;
  }[];
}

/** `--replications 8` on the worker pool against the same eight runs one after another. */
export interface ReplicationsReport {
  readonly scenario: string;
  readonly sessions: number;
  readonly replications: number;
  readonly reps: number;
  /** `--replications N --threads 2`, `--replications N --threads 1`, and N separate `lbsim run --seed <seed>/rep/<i> --threads 1` processes (their walls summed). */
  readonly variants: readonly { readonly label: string; readonly processWallSec: Spread; readonly processCpuSec: Spread }[];
}

export interface Check {
  readonly target: string;
  readonly measured: string;
  readonly status: 'pass' | 'FAIL' | 'not measured';
}

/** Issue 4's targets against what was measured; a target whose case did not run is "not measured". */
export function checks(cases: readonly CaseReport[], basic: BasicReport | undefined, memory: BenchReport['memory'], replications?: ReplicationsReport): Check[] {
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
  const pooled = replications?.variants[0];
  const separate = replications?.variants[2];
  out.push({
    target: `lbsim run --replications 8 (2 threads): clearly less wall time than 8 sequential runs (≤ 0.8×; issue 9)`,
    measured: pooled && separate ? `${sec(pooled.processWallSec.median)} s vs ${sec(separate.processWallSec.median)} s (${ratio(pooled.processWallSec.median / separate.processWallSec.median)})` : '—',
    status: status(pooled && separate ? pooled.processWallSec.median <= 0.8 * separate.processWallSec.median : undefined),
  });
  return out;
}

/** The stdout report: speed, memory, accuracy, shop-basic, profile and the issue's targets. */
export function render(report: BenchReport, root: string): string {
  const parts: string[] = [];
  const m = report.machine;
  parts.push(`lbsim bench — ${report.generatedAt}, commit ${report.git.commit.slice(0, 10)}${report.git.srcDirty ? ' (src/ has uncommitted changes)' : ''}`);
  const cli = report.lbsimCli.startsWith(`${root}/`) ? report.lbsimCli.slice(root.length + 1) : report.lbsimCli;
  parts.push(`Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load ${m.loadAvgStart.map((x) => x.toFixed(2)).join(' ')}; lbsim ${cli} ${report.lbsimThreadsFlag.length ? report.lbsimThreadsFlag.join(' ') : '(no --threads option: one thread)'}`);
  if (!report.yardstick.available) parts.push(`!! ${report.yardstick.note}`);
  const loads = report.cases.flatMap((c) => [...c.lbsim.runs, ...(c.yardstick?.runs ?? [])].map((r) => r.loadAvg1)).sort((a, b) => a - b);
  const typicalLoad = loads[loads.length >> 1];
  if (typicalLoad !== undefined && typicalLoad > m.cpus) {
    parts.push(`!! The machine was busy: median 1-minute load ${typicalLoad.toFixed(2)} on ${m.cpus} cores before the runs (the bench adds about 1).`);
    parts.push('!! Wall times are inflated by waiting for a core; CPU times and the CPU ratio are the steadier figures.');
  }
  parts.push('');
  parts.push('Speed (medians over repetitions; ratios are medians of per-pair lbsim / yardstick)');
  parts.push(
    table(
      ['case', 'reps', 'sim wall s', 'yardstick s', 'ratio', 'model ev/s', 'yardstick', 'process s', 'yardstick s', 'ratio', 'CPU s', 'ratio'],
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
        sec(c.lbsim.processCpuSec.median),
        ratio(c.ratios?.processCpu.median),
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
    parts.push(table(['threads', 'process wall s', 'sim wall s', 'process CPU s', 'peak RSS MB'], b.variants.map((v) => [v.threads, secRange(v.processWallSec), secRange(v.simWallSec), sec(v.processCpuSec.median), mb(v.peakRssMb.median)])));
  }
  if (report.replications) {
    const r = report.replications;
    parts.push(`${r.scenario} at ${count(r.sessions)} sessions × ${r.replications} replications (${r.reps} rep(s); medians [min–max])`);
    parts.push(table(['how', 'process wall s', 'process CPU s'], r.variants.map((v) => [v.label, secRange(v.processWallSec), sec(v.processCpuSec.median)])));
  }
  if (report.profile) {
    const p = report.profile;
    parts.push(`Profile: lbsim on shop-light, ${count(p.sessions)} sessions, ${sec(p.summary.totalMs / 1000)} s sampled; self time by file`);
    parts.push(table(['file', 'self ms', '%'], p.summary.byFile.slice(0, 12).map((l) => [l.name, l.selfMs.toFixed(0), l.selfPct.toFixed(1)])));
    parts.push('hottest functions (self time)');
    parts.push(table(['function', 'self ms', '%'], p.summary.topFunctions.slice(0, 20).map((l) => [l.name, l.selfMs.toFixed(0), l.selfPct.toFixed(1)])));
  }
  if (report.errors.length > 0) {
    parts.push('FAILED CASES');
    parts.push(report.errors.map((e) => `  ${e.case}: ${e.message.split('\n').slice(0, 6).join('\n    ')}`).join('\n') + '\n');
  }
  parts.push('Issue 4 targets');
  parts.push(table(['target', 'measured', ''], report.checks.map((c) => [c.target, c.measured, c.status])));
  return parts.join('\n');
}

export interface BenchReport {
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
  /** Per variant: median peak RSS at 100,000 and 1,000,000 sessions and their ratio. */
  readonly memory: Record<string, MemoryFigures | undefined>;
  readonly shopBasic: BasicReport | undefined;
  readonly replications?: ReplicationsReport | undefined;
  readonly profile: { readonly sessions: number; readonly summary: ProfileSummary } | undefined;
  /** The extremes the limits allow, with their peak RSS (`--extremes`). */
  readonly extremes?: readonly ExtremeReport[] | undefined;
  /** Cases that failed, with the error; their targets read "not measured". */
  readonly errors: readonly { readonly case: string; readonly message: string }[];
  readonly checks: readonly Check[];
}
