/**
 * Colours that mean the same on every page: a strategy the bundled scenarios and the workshop
 * name keeps its colour wherever it appears (shared-cache is blue in every lesson), and so does
 * each break cause. Strategy colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal
 * Design", 2008); cause colours Paul Tol's "muted" and "light" schemes
 * (https://personal.sron.nl/~pault/): both are told apart by readers with the common
 * colour-vision deficiencies, and the two sets are kept apart so a cause is not mistaken for a
 * strategy. Marker shapes and dashes add a second cue, so colour is never the only one.
 */
import type { BreakCause } from '../../model/index.js';

/** Okabe–Ito, in the order unknown names take them. */
export const STRATEGY_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

/** The colour of each strategy name the bundled scenarios and the workshop use. */
const KNOWN_STRATEGIES: Readonly<Record<string, (typeof STRATEGY_PALETTE)[number]>> = {
  'shared-cache': '#0072B2',
  cookie: '#E69F00',
  sticky: '#E69F00',
  'ip-hash': '#009E73',
  'round-robin': '#D55E00',
  'modulo-hash': '#CC79A7',
  'shared-cache-locked': '#56B4E9',
  'consistent-hash': '#000000',
  'session-hash': '#000000',
  maglev: '#F0E442',
};

/** Marker shapes, a cue besides colour: past the palette, names that share a colour differ here. */
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross'] as const;
export type PointStyle = (typeof POINT_STYLES)[number];

export interface Look {
  readonly colour: string;
  readonly pointStyle: PointStyle;
}

/**
 * The look of each strategy name of one page, in first-seen order: a known name's own colour
 * unless another name of the page took it, else the first palette colour no name of the page
 * has. Past the palette colours repeat, with another marker shape.
 */
export function strategyLooks(names: readonly string[]): ReadonlyMap<string, Look> {
  const unique = [...new Set(names)];
  const taken = new Set<string>();
  const colours = new Map<string, string>();
  for (const name of unique) {
    const known = KNOWN_STRATEGIES[name];
    if (known !== undefined && !taken.has(known)) {
      colours.set(name, known);
      taken.add(known);
    }
  }
  let spare = 0;
  for (const name of unique) {
    if (colours.has(name)) continue;
    const free = STRATEGY_PALETTE.find((c) => !taken.has(c));
    const colour = free ?? STRATEGY_PALETTE[spare++ % STRATEGY_PALETTE.length]!;
    taken.add(colour);
    colours.set(name, colour);
  }
  return new Map(unique.map((name, i) => [name, { colour: colours.get(name)!, pointStyle: POINT_STYLES[i % POINT_STYLES.length]! }]));
}

/** Each break cause's colour, the same on every page (every cause listed: a new one does not compile without its colour). */
export const CAUSE_COLOURS: Readonly<Record<BreakCause, string>> = {
  'state-missing': '#332288',
  'state-stale': '#EE8866',
  expired: '#77AADD',
  evicted: '#FFAABB',
  'not-serializable': '#BBCC33',
  'coupled-moved': '#AA4499',
  'store-down': '#882255',
  'backend-failed': '#88CCEE',
  remapped: '#44AA99',
  failback: '#117733',
  'ip-changed': '#999933',
  'request-failed': '#DDCC77',
  'lost-update': '#CC6677',
};

/** Colours for other categories (backends): Tol's muted scheme, which no strategy or cause uses in this order. */
export const CATEGORY_COLOURS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#BBBBBB'] as const;
