/**
 * "Did you mean …?" for misspelled keys, method names and backend names. Words are compared with
 * the optimal-string-alignment form of the Damerau–Levenshtein distance (insertions, deletions,
 * substitutions and swaps of two neighbouring letters each cost 1), ignoring case, `-`, `_` and
 * plural endings, so `roundrobin`, `Round_Robin` and `round-robn` all find `round-robin`, and
 * `strategy` finds `strategies`.
 */

/** Case, dashes, underscores and a plural ending never make two names different enough to hide a suggestion. */
function fold(word: string): string {
  return word
    .toLowerCase()
    .replace(/[-_\s]/g, '')
    .replace(/ies$/, 'y')
    .replace(/(?<=.)s$/, '');
}

/**
 * Edit distance between `a` and `b` where swapping two adjacent characters counts as one edit
 * (optimal string alignment). Stops early and returns `limit + 1` once the distance exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rolling rows: two back (for swaps), previous and current.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** How many edits a word of this length may carry and still be recognised: none for one or two letters, then a third of its length (at least 1). */
function tolerance(length: number): number {
  return length <= 2 ? 0 : Math.max(1, Math.floor(length / 3));
}

/**
 * The candidate closest to `word`, or undefined when none is close enough to be a plausible typo
 * (or when `word` is itself a candidate). A word of three letters or more that begins a candidate
 * counts as a match, after any closer typo. Ties go to the earlier candidate, so list the most common
 * names first.
 *
 * @example closestMatch('round-robn', ['round-robin', 'ip-hash']) === 'round-robin'
 * @example closestMatch('sesions', ['name', 'sessions', 'seed']) === 'sessions'
 * @example closestMatch('expo', ['constant', 'exponential']) === 'exponential'
 * @example closestMatch('maglev', ['round-robin', 'ip-hash']) === undefined
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(word);
  const limit = tolerance(folded.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) return undefined;
    const target = fold(candidate);
    // An abbreviation (`expo` for `exponential`) counts as the weakest acceptable match.
    const abbreviation = folded.length >= 3 && target.startsWith(folded) ? limit : Infinity;
    const distance = Math.min(editDistance(folded, target, bestDistance - 1), abbreviation);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `"a", "b", "c"` (or `"a", "b" and "c"` with `lastSeparator = ' and '`), quoting each name; long
 * lists are cut after `max` names with the total count, so an error about one of 500 backends
 * stays on one readable line.
 */
export function listNames(names: readonly string[], max = 8, lastSeparator = ', '): string {
  const quoted = names.slice(0, max).map((n) => JSON.stringify(n));
  if (names.length > max) return `${quoted.join(', ')}, … (${names.length} in all)`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')}${lastSeparator}${quoted.at(-1)}`;
}
