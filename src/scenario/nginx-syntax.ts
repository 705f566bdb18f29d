/**
 * nginx's configuration syntax, shared by the parsers of nginx text: the reader
 * (`ngx_conf_file.c`, `ngx_conf_read_token`: words, quoted strings with `\` escapes, `;`,
 * `{ }`, `#` comments), whole numbers (`ngx_atoi`) and times (`ngx_parse_time`).
 */

import { excerpt } from './errors.js';
import { LIMITS } from './sections/limits.js';

/** A non-negative decimal integer (nginx's ngx_atoi), or undefined. */
export function parseCount(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** One directive as nginx reads it: name, arguments, line, and its `{ ... }` contents if any. */
export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  readonly block?: readonly NginxDirective[];
}

/** nginx's reader (ngx_conf_read_token): words, quoted strings with `\` escapes, `;`, `{`, `}`, `#` comments. */
export function tokenizeNginx(text: string, fail: (line: number, message: string) => void): NginxDirective[] {
  const root: NginxDirective[] = [];
  const stack: { list: NginxDirective[]; line: number }[] = [{ list: root, line: 0 }];
  let words: { text: string; line: number }[] = [];
  let line = 1;
  let i = 0;
  const take = (block?: NginxDirective[]): void => {
    const [head, ...rest] = words;
    const list = (stack[stack.length - 1] as { list: NginxDirective[] }).list;
    if (head === undefined) fail(line, `unexpected ${excerpt(block ? '{' : ';')}`);
    else list.push({ name: head.text, args: rest.map((w) => w.text), line: head.line, ...(block ? { block } : {}) });
    words = [];
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (/\s/.test(ch)) i++;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (ch === ';') {
      take();
      i++;
    } else if (ch === '{') {
      // Readers of the tree recurse into blocks: a depth no configuration has is refused here.
      if (stack.length > LIMITS.nesting) {
        fail(line, `blocks are nested more than ${LIMITS.nesting} deep; at most ${LIMITS.nesting}`);
        return root;
      }
      const block: NginxDirective[] = [];
      take(block);
      stack.push({ list: block, line });
      i++;
    } else if (ch === '}') {
      if (words.length > 0) {
        fail(words[0]?.line ?? line, `directive ${excerpt(words[0]?.text ?? '')} is not terminated by ";"`);
        words = [];
      }
      if (stack.length === 1) fail(line, 'unexpected "}"');
      else stack.pop();
      i++;
    } else {
      const start = line;
      let word = '';
      if (ch === '"' || ch === "'") {
        for (i++; i < text.length && text[i] !== ch; i++) {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          if (text[i] === '\n') line++;
          word += text[i];
        }
        if (i >= text.length) fail(start, 'unterminated quoted string');
        i++;
      } else {
        while (i < text.length && !/[\s;{}]/.test(text[i] as string)) word += text[i++];
      }
      words.push({ text: word, line: start });
    }
  }
  if (words.length > 0) fail(words[0]?.line ?? line, `unexpected end of file: directive ${excerpt(words[0]?.text ?? '')} is not terminated by ";"`);
  if (stack.length > 1) fail((stack[stack.length - 1] as { line: number }).line, 'unexpected end of file: "{" is never closed');
  return root;
}

/** Units in nginx's required order (largest first), in ms; "ms" is only allowed for ms values. */
const TIME_UNITS: readonly (readonly [string, number])[] = [
  ['y', 365 * 86_400_000], ['M', 30 * 86_400_000], ['w', 7 * 86_400_000], ['d', 86_400_000],
  ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1],
];

/**
 * nginx's ngx_parse_time: `1h30m`, `500ms`, a bare number is seconds. `resolution: 's'` is
 * nginx's seconds form (no "ms"); `'ms'` its millisecond form (no "y" or "M"). Returns ms.
 */
export function parseNginxTime(text: string, resolution: 's' | 'ms'): number | undefined {
  const part = /(\d+)(ms|[yMwdhms])?\s*/y;
  let rank = resolution === 's' ? -1 : 1;
  let total = 0;
  let matched = false;
  for (part.lastIndex = 0; part.lastIndex < text.length; ) {
    const m = part.exec(text);
    if (m === null) return undefined;
    matched = true;
    const value = Number(m[1]);
    if (m[2] === undefined) {
      if (part.lastIndex < text.length) return undefined;
      total += value * 1000;
      break;
    }
    const unit = TIME_UNITS.findIndex(([name]) => name === m[2]);
    if (unit <= rank || (unit === 7 && resolution === 's')) return undefined;
    rank = unit;
    total += value * (TIME_UNITS[unit] as readonly [string, number])[1];
  }
  return matched && Number.isSafeInteger(total) ? total : undefined;
}

/** Whether directive `d` has the number of arguments nginx expects; reports it on its line when not. */
export function expectArgs(d: NginxDirective, arity: number | 'some', fail: (line: number, message: string) => void): boolean {
  const ok = arity === 'some' ? d.args.length > 0 : d.args.length === arity;
  if (!ok) fail(d.line, `invalid number of arguments in ${excerpt(d.name)} (expected ${arity === 'some' ? 'at least one' : arity})`);
  return ok;
}

/** `name=value` as [name, value]; a bare word as [word, undefined]. */
export function splitParameter(parameter: string): [string, string | undefined] {
  const eq = parameter.indexOf('=');
  return eq < 0 ? [parameter, undefined] : [parameter.slice(0, eq), parameter.slice(eq + 1)];
}
