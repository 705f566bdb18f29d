/**
 * `npm run bench -- --baseline DIR` (issue 17): is this build as fast as an earlier one? Each
 * repetition runs three processes back to back, the yardstick, the baseline build (DIR/lbsim.js)
 * and this build, in an order that rotates every repetition, so a machine whose speed drifts over
 * minutes drifts under all three alike. Per repetition it takes each build's ratio to the
 * yardstick run beside it; the verdict is the median over repetitions of this ratio ÷ the
 * baseline's (a tie within the bound counts as "no speed lost").
 *
 * Run the two builds one after the other instead and lbsim's own drift on a small shared machine
 * (up to 20% between runs minutes apart, docs/benchmark.md) swamps a 3% bound.
 */
import { median, spread, type Spread } from './measure.js';
import { sec } from './table.js';

/** The bound issue 17 sets: this build within 3% of the one before the change. */
export const BASELINE_BOUND_PCT = 3;

export interface Build {
  readonly label: string;
  readonly cli: string;
}

/** One process's wall and CPU time. */
export interface ProcessTime {
  readonly processWallSec: number;
  readonly processCpuSec: number;
}

export interface BaselineCase {
  readonly id: string;
  readonly reps: number;
  readonly yardstick: { readonly processWallSec: Spread };
  /** Per build: its process times and its per-repetition ratio to the yardstick beside it. */
  readonly builds: readonly { readonly label: string; readonly cli: string; readonly processWallSec: Spread; readonly processCpuSec: Spread; readonly ratioToYardstick: Spread }[];
  /** Per repetition, this build's ratio ÷ the baseline's (wall time), and their median. */
  readonly currentOverBaseline: Spread;
  /** The same on CPU time (user + system), which a busy neighbour disturbs less. */
  readonly currentOverBaselineCpu: Spread;
  readonly withinBound: boolean;
}

export interface BaselineWork {
  readonly runYardstick: (seed: number) => ProcessTime;
  readonly runLbsim: (cli: string, seed: number) => ProcessTime;
}

/** Interleaved triples for one case; `builds` is [baseline, current]. */
export function runBaselineCase(id: string, builds: readonly [Build, Build], reps: number, work: BaselineWork, log: (text: string) => void): BaselineCase {
  const yard: ProcessTime[] = [];
  const perBuild: ProcessTime[][] = [[], []];
  const steps = ['yardstick', 0, 1] as const;
  for (let rep = 0; rep < reps; rep++) {
    const seed = rep + 1;
    log(`${id}, rep ${rep + 1}/${reps} (seed ${seed})\n`);
    for (let k = 0; k < steps.length; k++) {
      const step = steps[(k + rep) % steps.length]!;
      if (step === 'yardstick') {
        const t = work.runYardstick(seed);
        yard.push(t);
        log(`  yardstick ${sec(t.processWallSec)} s wall\n`);
      } else {
        const t = work.runLbsim(builds[step].cli, seed);
        perBuild[step]!.push(t);
        log(`  ${builds[step].label.padEnd(9)} ${sec(t.processWallSec)} s wall, ${sec(t.processCpuSec)} s CPU\n`);
      }
    }
  }
  const ratio = (b: number) => perBuild[b]!.map((t, i) => t.processWallSec / yard[i]!.processWallSec);
  const [baseRatio, curRatio] = [ratio(0), ratio(1)];
  const currentOverBaseline = spread(curRatio.map((r, i) => r / baseRatio[i]!));
  const currentOverBaselineCpu = spread(perBuild[1]!.map((t, i) => t.processCpuSec / perBuild[0]![i]!.processCpuSec));
  return {
    id,
    reps,
    yardstick: { processWallSec: spread(yard.map((t) => t.processWallSec)) },
    builds: builds.map((b, i) => ({
      label: b.label,
      cli: b.cli,
      processWallSec: spread(perBuild[i]!.map((t) => t.processWallSec)),
      processCpuSec: spread(perBuild[i]!.map((t) => t.processCpuSec)),
      ratioToYardstick: spread(ratio(i)),
    })),
    currentOverBaseline,
    currentOverBaselineCpu,
    withinBound: currentOverBaseline.median <= 1 + BASELINE_BOUND_PCT / 100,
  };
}

const x = (v: number) => `${v.toFixed(2)}×`;
const pct = (v: number) => `${v >= 1 ? '+' : '−'}${Math.abs(100 * (v - 1)).toFixed(1)}%`;

export function renderBaseline(cases: readonly BaselineCase[]): string {
  const lines = ['| case | yardstick (median s) | baseline: s, × yardstick | this build: s, × yardstick | this ÷ baseline, wall (median; range) | CPU | within 3% |', '|---|---|---|---|---|---|---|'];
  for (const c of cases) {
    const [base, cur] = c.builds;
    lines.push(
      `| ${c.id}, ${c.reps} triples | ${sec(c.yardstick.processWallSec.median)} | ${sec(base!.processWallSec.median)}, ${x(base!.ratioToYardstick.median)} | ${sec(cur!.processWallSec.median)}, ${x(cur!.ratioToYardstick.median)} | ${pct(c.currentOverBaseline.median)} (${pct(c.currentOverBaseline.min)} … ${pct(c.currentOverBaseline.max)}) | ${pct(c.currentOverBaselineCpu.median)} | ${c.withinBound ? 'yes' : 'NO'} |`,
    );
  }
  lines.push('', `per-triple ratios (this ÷ baseline, wall): ${cases.map((c) => `${c.id}: ${c.currentOverBaseline.runs.map((r) => r.toFixed(3)).join(', ')}`).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** The verdict over all cases: the median of every case's per-triple ratios. */
export function overallRatio(cases: readonly BaselineCase[]): number {
  return median(cases.flatMap((c) => c.currentOverBaseline.runs));
}
