/**
 * Finds where and why a JSON text is malformed, for files that `JSON.parse` refused. Node's own
 * messages vary between versions and often omit the position (`Unexpected token ']'` for a
 * trailing comma), so this small recursive-descent checker walks RFC 8259's grammar and names
 * the first mistake the way a person would: trailing comma, unquoted key, comment, missing comma.
 * It runs only after a failed parse, so its speed does not matter.
 */

/** The first syntax error: its offset in the text (0-based) and a one-line explanation. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;

class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

/** Returns the first syntax error in `text`, or undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const stop = (message: string, at = i): never => {
    throw new Stop({ offset: at, message });
  };
  const describe = (at: number) => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));

  const space = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) stop('comments are not allowed in JSON');
      else return;
    }
  };
  const string = () => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') stop('unterminated string (missing closing ")', start);
      if (c === '"') return void i++;
      if (c === '\\') i++;
      i++;
    }
  };
  const word = () => {
    WORD.lastIndex = i;
    const found = WORD.exec(text)?.[0] ?? '';
    if (found !== 'true' && found !== 'false' && found !== 'null') stop(`unexpected ${JSON.stringify(found)} (JSON knows only true, false and null; text needs double quotes)`);
    i += found.length;
  };
  const collection = (close: '}' | ']', depth: number, member: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') stop(`expected "," or "${close}" after a value, found ${describe(i)}`);
      const comma = i++;
      space();
      if (text[i] === close) stop(`trailing comma before "${close}" (JSON allows none)`, comma);
      if (depth > MAX_DEPTH) stop('nested too deeply');
    }
  };
  const value = (depth: number): void => {
    space();
    const c = text[i];
    if (depth > MAX_DEPTH) stop('nested too deeply');
    if (c === '{') {
      return collection('}', depth, () => {
        space();
        if (text[i] === "'") stop('keys in JSON need double quotes, not single quotes');
        if (text[i] !== '"') stop(text[i] !== undefined && /[\w$]/.test(text[i]!) ? 'keys in JSON need double quotes' : `expected a key in double quotes, found ${describe(i)}`);
        string();
        space();
        if (text[i] !== ':') stop(`expected ":" after the key, found ${describe(i)}`);
        i++;
        value(depth + 1);
      });
    }
    if (c === '[') return collection(']', depth, () => value(depth + 1));
    if (c === '"') return string();
    if (c === "'") stop('strings in JSON need double quotes, not single quotes');
    if (c !== undefined && /[A-Za-z_$]/.test(c)) return word();
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text)?.[0];
    if (number) return void (i += number.length);
    stop(c === undefined ? 'unexpected end of the file (a value, "]" or "}" is missing)' : `unexpected ${describe(i)}`);
  };

  try {
    value(0);
    space();
    if (i < text.length) stop(`unexpected ${describe(i)} after the end of the JSON value`);
    return undefined;
  } catch (caught) {
    if (caught instanceof Stop) return caught.error;
    throw caught;
  }
}

/** 1-based line and column of a 0-based offset. */
export function lineAndColumn(text: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The first key that appears twice in one object of a valid JSON text (JSON.parse keeps the last
 * silently; YAML refuses it, and so does lbsim). Iterative, so any depth is safe.
 */
export function findDuplicateJsonKey(text: string): { readonly offset: number; readonly key: string } | undefined {
  const frames: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = frames[frames.length - 1];
    if (c === '{') frames.push({ keys: new Set(), expectKey: true });
    else if (c === '[') frames.push({ keys: null, expectKey: false });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && top?.keys) top.expectKey = true;
    else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return { offset: start, key };
        top.keys.add(key);
        top.expectKey = false;
      }
    }
  }
  return undefined;
}
