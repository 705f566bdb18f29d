/**
 * What the nginx and HAProxy block parsers share, with the scenario's backends: how they report a
 * problem on a line, their did-you-mean, and what a server's port may be.
 */
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

/** The highest TCP port. */
const MAX_PORT = 65_535;

/** Why the port of `hostPort` (`10.0.0.1:8080`, `[::1]:80`) is no TCP port, or undefined. */
export function portProblem(hostPort: string): string | undefined {
  const port = Number(/:(\d+)$/.exec(hostPort)?.[1]);
  return port >= 1 && port <= MAX_PORT ? undefined : `a port is 1 to ${MAX_PORT}`;
}
