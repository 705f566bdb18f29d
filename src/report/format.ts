/**
 * Number formatting and "which strategy is best on this row", shared by every output (terminal
 * table, HTML report, its explanations) so the same figure reads the same everywhere.
 * English number format regardless of the machine's locale: reports are compared across machines.
 */

/** Whether a lower or a higher value is better for a figure, or neither (a plain count). */
export type Better = 'lower' | 'higher' | 'none';

// Formatters built once: toLocaleString builds one per call, and reports format thousands of figures.
const GROUPED = new Intl.NumberFormat('en-US');
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const AT_MOST_ONE_DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** Rounds to `digits` decimals, for stable, readable JSON (values are deterministic either way). */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A number with separators and at most one decimal: `1,234.5`, `12`. */
export const upToOneDecimal = (value: number): string => AT_MOST_ONE_DECIMAL.format(value);

/** A whole number with thousands separators: `6,000`. */
export const integer = (value: number): string => GROUPED.format(Math.round(value));

/** A ratio in [0, 1] as a percentage with one decimal: `0.4` → `40.0%`. */
export const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Milliseconds with one decimal: `28.0 ms`. */
export const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** A dimensionless ratio with three decimals: `0.682`. */
export const ratio = (value: number): string => value.toFixed(3);

/** An amount of money with two decimals and separators: `1,234.50`. */
export const money = (value: number): string => MONEY.format(value);

/** A duration in the unit that reads best: `20 ms`, `5 s`, `30 min`. */
export function duration(valueMs: number): string {
  const trim = (v: number) => GROUPED.format(Number(v.toFixed(1)));
  if (Math.abs(valueMs) < 1000) return `${trim(valueMs)} ms`;
  if (Math.abs(valueMs) < 120_000) return `${trim(valueMs / 1000)} s`;
  return `${trim(valueMs / 60_000)} min`;
}

/** What a report says about a warm-up (empty without one): measurement began with the system already full. */
export function warmupNote(warmupMs: number | undefined): string {
  if (!warmupMs) return '';
  return `Measured after a warm-up of ${duration(warmupMs)}: sessions were already in flight at time 0, and nothing before it counts in any figure.`;
}

/** Simulated milliseconds as seconds, trimmed: `150000` → `150 s`, `1500` → `1.5 s`. */
export const seconds = (valueMs: number): string => `${GROUPED.format(Number((valueMs / 1000).toFixed(1)))} s`;

/** A share with just enough precision, trailing zeros dropped: `41%`, `12.5%`, `0.35%`. */
export function share(value: number): string {
  const pct = value * 100;
  return `${Number(pct.toFixed(Math.abs(pct) < 1 ? 2 : 1))}%`;
}

/**
 * Indexes of the best values of a row (all of them on a tie). Empty when the row has no better
 * direction, fewer than two values, or every value is equal: nothing stands out then. With
 * `format`, values that print the same count as equal, so a mark never singles out one of two
 * figures the reader sees as identical (CVs of 0.0000012 and 0.0000009 both print `0.000`).
 * With `among`, only those indexes compete (the contenders, `verdict.ts`): fewer than two, and
 * nothing is marked.
 */
export function bestIndexes(values: readonly number[], better: Better, format?: (value: number) => string, among?: ReadonlySet<number>): ReadonlySet<number> {
  const indexes = values.flatMap((_, i) => (among === undefined || among.has(i) ? [i] : []));
  if (better === 'none' || indexes.length < 2) return new Set();
  const competing = indexes.map((i) => values[i]!);
  const best = better === 'lower' ? Math.min(...competing) : Math.max(...competing);
  const same = format ? (v: number) => format(v) === format(best) : (v: number) => v === best;
  if (competing.every(same)) return new Set();
  return new Set(indexes.filter((i) => same(values[i]!)));
}
