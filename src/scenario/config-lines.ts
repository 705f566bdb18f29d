/** What the nginx and HAProxy block parsers share: how they report a problem on a line, and their did-you-mean. */
import { closestMatch } from './did-you-mean.js';

/** A problem in a balancer's configuration text (nginx or HAProxy); `line` is 1-based. */
export interface ConfigLineError {
  readonly line: number;
  readonly message: string;
}

/** A parsed configuration, or every problem found. */
export type ConfigResult<Config> = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly errors: readonly ConfigLineError[] };

/** ` (did you mean "x"?)` when a candidate is close to `word`, else nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
