/**
 * What the report compares: one column per strategy of each summary given (one summary for
 * `lbsim run`, several for `lbsim report a.json b.json`), each with a label and a look that stays
 * the same in every chart and table. Colours are the Okabe–Ito palette (Okabe & Ito, "Color
 * Universal Design", 2008), which readers with the common colour-vision deficiencies can tell
 * apart; a strategy keeps its colour across runs, and runs after the first are told apart by
 * line dashes and lighter bars, so colour is never the only cue.
 */
import type { StrategySummary, Summary } from '../summary.js';

/** Okabe–Ito, reordered so that the first strategies get the most distinct hues. */
export const STRATEGY_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

/**
 * Paul Tol's "muted" scheme (colour-blind safe, https://personal.sron.nl/~pault/), for
 * categories that are not strategies (break causes, backends), so they are not mistaken for one.
 */
export const CATEGORY_COLOURS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#BBBBBB'] as const;

/** Marker shapes per strategy in line charts: a second cue besides colour. */
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross'] as const;
/** The colour and marker shape of the strategy drawn `index`-th (in first-seen order), the same in every chart. */
export function strategyLook(index: number): { readonly colour: string; readonly pointStyle: (typeof POINT_STYLES)[number] } {
  return { colour: STRATEGY_COLOURS[index % STRATEGY_COLOURS.length]!, pointStyle: POINT_STYLES[index % POINT_STYLES.length]! };
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
  readonly pointStyle: (typeof POINT_STYLES)[number];
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
  const styleOf = new Map<string, number>();
  const runs = summaries.map((summary, index): Run => ({ index, summary, title: `${summary.scenario.name}, seed ${summary.seed}`, tag: runTag(summary, index, summaries) }));
  const columns = runs.flatMap((run) =>
    run.summary.strategies.map((strategy, strategyIndex): Column => {
      if (!styleOf.has(strategy.name)) styleOf.set(strategy.name, styleOf.size);
      const { colour, pointStyle } = strategyLook(styleOf.get(strategy.name)!);
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
