/**
 * What the report compares: one column per strategy of each summary given (one summary for
 * `lbsim run`, several for `lbsim report a.json b.json`), each with a label and a look that stays
 * the same in every chart and table (`colours.ts`: a known strategy name has one colour on every
 * page); runs after the first are told apart by line dashes and lighter bars, so colour is never
 * the only cue.
 */
import type { StrategySummary, Summary } from '../summary.js';
import { strategyLooks, type PointStyle } from './colours.js';

export { CATEGORY_COLOURS } from './colours.js';

/** The colour and marker shape of the strategy drawn `index`-th among `names` (the sweep page's order). */
export function strategyLook(index: number, names: readonly string[]): { readonly colour: string; readonly pointStyle: PointStyle } {
  return strategyLooks(names).get(names[index]!)!;
}

/** Line dashes per run (the first run solid). */
const RUN_DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

/** One summary file's run: its position in the page and how it is named there. */
export interface Run {
  readonly index: number;
  readonly summary: Summary;
  /** `shop-basic, seed 7`. */
  readonly title: string;
  /** What tells this run apart from the others (`seed 8`), empty when it is the only run. */
  readonly tag: string;
}

/** One strategy of one run, as charted. */
export interface Column {
  readonly run: Run;
  /** Position of the strategy within its run's summary. */
  readonly strategyIndex: number;
  readonly strategy: StrategySummary;
  /** The strategy name, followed by ` · ` and the run’s tag when the page compares several runs. */
  readonly label: string;
  readonly colour: string;
  /** Bar fill: the colour itself for the first run, a translucent tint for later runs. */
  readonly fill: string;
  readonly dash: readonly number[];
  readonly pointStyle: PointStyle;
}

/** The runs and columns of a page, in the order the summaries and their strategies were given. */
export interface Comparison {
  readonly runs: readonly Run[];
  readonly columns: readonly Column[];
}

function runTag(summary: Summary, index: number, all: readonly Summary[]): string {
  if (all.length < 2) return '';
  const parts: string[] = [];
  if (new Set(all.map((s) => s.scenario.name)).size > 1) parts.push(summary.scenario.name);
  if (new Set(all.map((s) => s.seed)).size > 1) parts.push(`seed ${summary.seed}`);
  return parts.length > 0 && new Set(all.map((s) => `${s.scenario.name}\u0000${s.seed}`)).size === all.length ? parts.join(', ') : `run ${index + 1}`;
}

/** Lays out the comparison of `summaries` (at least one). */
export function compare(summaries: readonly Summary[]): Comparison {
  const looks = strategyLooks(summaries.flatMap((s) => s.strategies.map((x) => x.name)));
  const runs = summaries.map((summary, index): Run => ({ index, summary, title: `${summary.scenario.name}, seed ${summary.seed}`, tag: runTag(summary, index, summaries) }));
  const columns = runs.flatMap((run) =>
    run.summary.strategies.map((strategy, strategyIndex): Column => {
      const { colour, pointStyle } = looks.get(strategy.name)!;
      return {
        run,
        strategyIndex,
        strategy,
        label: run.tag ? `${strategy.name} · ${run.tag}` : strategy.name,
        colour,
        fill: run.index === 0 ? colour : `${colour}80`,
        dash: RUN_DASHES[run.index % RUN_DASHES.length]!,
        pointStyle,
      };
    }),
  );
  return { runs, columns };
}

/** Names in first-seen order over several lists (journey steps of several runs). */
export function unionInOrder(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}
