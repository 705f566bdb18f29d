/** Plain-text tables and number formats for the bench's stdout report. */

/** Renders rows under headers; columns after the first are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

const isNum = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

/** Seconds: three decimals below 10 s, two above. */
export const sec = (x: number | undefined): string => (isNum(x) ? x.toFixed(x < 10 ? 3 : 2) : '—');

/** A rate per second as "6.19 M" or "243 k". */
export const rate = (x: number | undefined): string =>
  !isNum(x) ? '—' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`;

export const ratio = (x: number | undefined): string => (isNum(x) ? `${x.toFixed(x < 10 ? 2 : 1)}×` : '—');

export const mb = (x: number | undefined): string => (isNum(x) ? x.toFixed(1) : '—');

export const ms = (x: number | undefined, digits = 3): string => (isNum(x) ? x.toFixed(digits) : '—');

export const pct = (x: number | undefined): string => (isNum(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}%` : '—');

export const count = (x: number): string => x.toLocaleString('en');

/** "4.940 [4.81–5.12]": median and range of a spread of seconds. */
export const secRange = (s: { readonly median: number; readonly min: number; readonly max: number } | undefined): string =>
  s === undefined ? '—' : s.min === s.max ? sec(s.median) : `${sec(s.median)} [${sec(s.min)}–${sec(s.max)}]`;
