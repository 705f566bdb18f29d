/**
 * Option values yargs would let through: an option given with no value (yargs reads `--seed` at
 * the end, or `--out --json`, as the empty string), and a number option given a word (yargs makes
 * it NaN, so the word is lost by the time a command sees it).
 */

/** yargs' `getOptions()`, which @types/yargs leaves out: the options declared so far, by kind. */
export interface DeclaredOptions {
  getOptions(): { readonly array: readonly string[]; readonly string: readonly string[] };
}

/** The message for an option given without a value (`--seed`, `--out ''`), or undefined. */
export function missingValueProblem(argv: Readonly<Record<string, unknown>>, declared: DeclaredOptions): string | undefined {
  const strings = new Set(declared.getOptions().string);
  // Keys as typed on the command line: yargs adds a camelCase copy of `--session-id`.
  const empty = Object.keys(argv).find((key) => strings.has(key) && !/[A-Z]/.test(key) && (argv[key] === '' || (Array.isArray(argv[key]) && (argv[key] as unknown[]).includes(''))));
  return empty === undefined ? undefined : `--${empty} needs a value, and was given none`;
}

/** A yargs `coerce` for a number option read as text: a number, or an error quoting what was given. */
export function numberOption(option: string): (text: string | readonly string[]) => number {
  return (text) => {
    if (Array.isArray(text)) throw new Error(`--${option} is given more than once; give it once`);
    if ((text as string).trim() === '') throw new Error(`--${option} needs a number, and was given none`);
    const value = Number(text);
    if (Number.isNaN(value)) throw new Error(`--${option}: ${JSON.stringify(text)} is not a number`);
    return value;
  };
}
