/**
 * What the command line answers when yargs refuses the arguments: the error once, a did-you-mean
 * for a mistyped command or option, and the short usage line of the command (not the whole help,
 * which buries the error). Pure: main.ts passes what yargs declared.
 */
import { closestMatch } from '../scenario/index.js';

/** A declared command: its name and its yargs declaration (`run <scenario>`). */
export interface CommandUsage {
  readonly name: string;
  readonly declaration: string;
}

/** What yargs knew when it refused: the commands, and the options of the command being parsed. */
export interface ParseContext {
  readonly argv: readonly string[];
  readonly commands: readonly CommandUsage[];
  /** Declared option names (long forms; yargs' camelCase copies and one-letter aliases are ignored). */
  readonly options: readonly string[];
}

const UNKNOWN = /^Unknown arguments?: (.+)$/;
const RECOMMENDED = /^Did you mean (\S+)\?$/;

/** The command the arguments name, if any: the first word that is a command. */
export function commandOf(argv: readonly string[], commands: readonly CommandUsage[]): CommandUsage | undefined {
  const first = argv.find((word) => !word.startsWith('-'));
  return commands.find((c) => c.name === first);
}

/** `session-id` → `sessionId`, the copy yargs adds of every kebab-case name. */
const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Names without yargs' camelCase copies of the kebab-case ones among them. */
function withoutCopies(names: readonly string[]): string[] {
  const copies = new Set(names.filter((n) => n.includes('-')).map(camelCase));
  return names.filter((n) => !copies.has(n));
}

/** Long option names worth suggesting: not yargs' camelCase copies, not one-letter aliases. */
const suggestable = (options: readonly string[]): string[] => withoutCopies(options).filter((o) => o.length > 1);

/** One refused word: an unknown option (with the closest declared one) or an unexpected word. */
function unknownWord(word: string, context: ParseContext): string {
  const given = context.argv.find((arg) => arg.replace(/^-+/, '').split('=')[0] === word && arg.startsWith('-'));
  if (given === undefined) return `unexpected argument ${JSON.stringify(word)}`;
  const guess = closestMatch(word, suggestable(context.options));
  return `unknown option ${given.split('=')[0]}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`;
}

/** The first line of the answer: what was wrong, with a did-you-mean when one is close. */
export function errorLine(message: string, context: ParseContext): string {
  const command = commandOf(context.argv, context.commands);
  const first = context.argv.find((word) => !word.startsWith('-'));
  const names = context.commands.map((c) => c.name);
  if (command === undefined && first !== undefined && (UNKNOWN.test(message) || RECOMMENDED.test(message))) {
    const guess = RECOMMENDED.exec(message)?.[1] ?? closestMatch(first, names);
    return `unknown command ${JSON.stringify(first)}${guess === undefined ? '' : ` (did you mean ${guess}?)`}; the commands are ${names.join(', ')}`;
  }
  const unknown = UNKNOWN.exec(message);
  if (unknown) return withoutCopies(unknown[1]!.split(', ')).map((word) => unknownWord(word, context)).join('; ');
  return message;
}

/** The whole answer to refused arguments, ending with a newline: the error, then how to use the command. */
export function usageError(message: string, context: ParseContext): string {
  const command = commandOf(context.argv, context.commands);
  const usage = command === undefined ? 'lbsim <command> [options]' : `lbsim ${command.declaration} [options]`;
  const help = command === undefined ? 'lbsim --help lists the commands' : `lbsim ${command.name} --help for all options`;
  return `lbsim: ${errorLine(message, context)}\nUsage: ${usage}\n${help}\n`;
}

/** Arguments that do not fit together, found when a command reads them: refused like a parse error, with the command's usage line. */
export class UsageProblem extends Error {}
