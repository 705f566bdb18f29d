/**
 * Option values yargs would let through: an option given with no value (yargs reads `--seed` at
 * the end, or `--out --json`, as the empty string), and a number option given a word (yargs makes
 * it NaN, so the word is lost by the time a command sees it).
 */

/**
 * An option typed on the command line with an empty value (`--seed` last, `--out --json`,
 * `--out ''`, `--out=`), as an error to report, or undefined. Positionals are never typed as
 * `--name`, so `lbsim init ''` keeps its own message.
 */
export function missingValueProblem(argv: readonly string[], args: Readonly<Record<string, unknown>>): Error | undefined {
  for (const token of argv) {
    if (token === '--') break;
    const name = /^--([^=]+)=?$/.exec(token)?.[1];
    if (name === undefined) continue;
    const value = args[name];
    if (value === '' || (Array.isArray(value) && value.includes(''))) return new Error(`--${name} needs a value, and was given none`);
  }
  return undefined;
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
