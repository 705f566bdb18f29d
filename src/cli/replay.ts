/**
 * `lbsim replay --nginx FILE --timeline EVENTS.json [REQUESTS.jsonl]`: replays a request log
 * through an nginx upstream while backends change mode, printing nginx's answer per request.
 *
 * A thin adapter over `parseNginxConfig` and `replay` (sim/replay.ts): it reads the files,
 * checks every input line and field, reports problems as `file:line: field: expected ..., got
 * ...` on stderr with exit code 2, and writes one JSON line per request to stdout.
 *
 * Inputs: the nginx text (an `upstream` block, optionally `proxy_next_upstream*` and proxy
 * timeouts); the timeline, a JSON list of `{ "t": seconds, "server": "host:port", "mode": ... }`
 * (or an object with such an `events` list, as the failover recordings have); the requests,
 * JSON Lines of `{ "t": seconds, "client": "ip", "method"?: "GET", ... }` in time order, from
 * the file or standard input. Output: each request with `tried`, `upstream_status`, `status`.
 */
import { BACKEND_MODES, closestMatch, excerpt, formatScenarioErrors, isObject, nestingProblem, parseNginxConfig, type NginxConfig, type ScenarioError } from '../scenario/index.js';
import { parseAddress } from '../model/index.js';
import { httpMethodOf, replay, type ReplayEvent, type ReplayRequest } from '../sim/index.js';
import { FILE_LIMITS, type FileLimit, type Io } from './io.js';

/** Most problems shown at once; the rest are counted. */
const MAX_ERRORS = 20;

type Problems = ScenarioError[];

/** A value from an input line, as an error quotes it: a short excerpt of text, the kind of anything larger. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return excerpt(value);
  if (typeof value !== 'object' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/**
 * An address as nginx would hold it in `$remote_addr`. IPv4 must be plain dotted decimal:
 * the parser behind parseAddress also takes `10.1` or octal `010.0.0.1`, which nginx reads
 * differently or not at all.
 */
function isAddress(text: string): boolean {
  if (text.includes(':')) return parseAddress(text) !== undefined;
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text);
}

async function readText(io: Io, file: string | undefined, what: string, limit: FileLimit, problems: Problems): Promise<string | undefined> {
  try {
    return file === undefined ? await io.readStdin(limit) : await io.readFile(file, limit);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    problems.push({ file: file ?? '<stdin>', path: '', message: `cannot read the ${what}: ${reason}` });
    return undefined;
  }
}

function checkTime(t: unknown, at: { file: string; path: string; line?: number }, problems: Problems): t is number {
  if (typeof t === 'number' && Number.isFinite(t) && t >= 0) return true;
  problems.push({ ...at, path: `${at.path}t`, message: `expected a time in seconds (a number >= 0), got ${show(t)}` });
  return false;
}

function readTimeline(text: string, file: string, config: NginxConfig, problems: Problems): ReplayEvent[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    problems.push({ file, path: '', message: `not valid JSON: ${(error as Error).message}` });
    return [];
  }
  const deep = nestingProblem(document);
  if (deep !== undefined) {
    problems.push({ file, ...deep });
    return [];
  }
  const list = isObject(document) ? document['events'] : document;
  if (!Array.isArray(list)) {
    problems.push({ file, path: '', message: 'expected a list of events [{"t": 5, "server": "host:port", "mode": "refused"}, ...] or {"events": [...]}' });
    return [];
  }
  const servers = config.peers.map((p) => p.name);
  const events: ReplayEvent[] = [];
  list.forEach((event: unknown, k) => {
    const path = `events[${k}]`;
    if (!isObject(event)) return void problems.push({ file, path, message: `expected an object {"t", "server", "mode"}, got ${show(event)}` });
    const { t, server, mode } = event;
    const timeOk = checkTime(t, { file, path: `${path}.` }, problems);
    const serverOk = typeof server === 'string' && servers.includes(server);
    if (!serverOk) {
      const suggestion = typeof server === 'string' ? closestMatch(server, servers) : undefined;
      problems.push({ file, path: `${path}.server`, message: `expected a server of upstream "${config.upstreamName}" (${servers.join(', ')}), got ${show(server)}`, ...(suggestion ? { suggestion } : {}) });
    }
    const modeOk = typeof mode === 'string' && (BACKEND_MODES as readonly string[]).includes(mode);
    if (!modeOk) {
      const suggestion = typeof mode === 'string' ? closestMatch(mode, BACKEND_MODES) : undefined;
      problems.push({ file, path: `${path}.mode`, message: `expected one of ${BACKEND_MODES.join(', ')}, got ${show(mode)}`, ...(suggestion ? { suggestion } : {}) });
    }
    if (timeOk && serverOk && modeOk) events.push({ t, server, mode: mode as ReplayEvent['mode'] });
  });
  return events;
}

function readRequests(text: string, file: string, problems: Problems): ReplayRequest[] {
  const requests: ReplayRequest[] = [];
  let lastT = 0;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let request: unknown;
    try {
      request = JSON.parse(raw);
    } catch (error) {
      return void problems.push({ file, line, path: '', message: `not valid JSON: ${(error as Error).message}` });
    }
    const deep = nestingProblem(request);
    if (deep !== undefined) return void problems.push({ file, line, ...deep });
    if (!isObject(request)) return void problems.push({ file, line, path: '', message: `expected an object {"t", "client", "method"?}, got ${show(request)}` });
    const { t, client, method } = request;
    const before = problems.length;
    if (checkTime(t, { file, line, path: '' }, problems)) {
      if (t < lastT) problems.push({ file, line, path: 't', message: `expected requests in time order, got ${t} after ${lastT}` });
      lastT = Math.max(lastT, t);
    }
    if (typeof client !== 'string' || !isAddress(client)) {
      problems.push({ file, line, path: 'client', message: `expected an IPv4 address (four decimal numbers 0-255) or an IPv6 address, got ${show(client)}` });
    }
    if (method !== undefined && (typeof method !== 'string' || httpMethodOf(method) === undefined)) {
      problems.push({ file, line, path: 'method', message: `expected one of GET, HEAD, POST, PUT, PATCH, DELETE, LOCK, got ${show(method)}` });
    }
    if (problems.length === before) requests.push(request as ReplayRequest);
  });
  return requests;
}

/**
 * Runs `lbsim replay`. Returns 0 after writing one JSON line per request to stdout, or 2 after
 * writing every input problem (file, line or field, expectation) to stderr.
 */
export async function replayCommand(args: { nginx: string; timeline: string; requests?: string }, io: Io): Promise<number> {
  const problems: Problems = [];
  const report = (): number => {
    const shown = problems.slice(0, MAX_ERRORS);
    const more = problems.length - shown.length;
    io.stderr.write(formatScenarioErrors(shown) + (more > 0 ? `… and ${more} more problems\n` : ''));
    return 2;
  };

  const nginxText = await readText(io, args.nginx, 'nginx configuration', FILE_LIMITS.config, problems);
  if (nginxText === undefined) return report();
  const parsed = parseNginxConfig(nginxText);
  if (!parsed.ok) {
    for (const e of parsed.errors) problems.push({ file: args.nginx, line: e.line, path: '', message: e.message });
    return report();
  }
  const timelineText = await readText(io, args.timeline, 'timeline', FILE_LIMITS.config, problems);
  const requestsText = await readText(io, args.requests, 'requests', FILE_LIMITS.requests, problems);
  if (timelineText === undefined || requestsText === undefined) return report();
  const events = readTimeline(timelineText, args.timeline, parsed.config, problems);
  const requests = readRequests(requestsText, args.requests ?? '<stdin>', problems);
  if (problems.length > 0) return report();

  let chunk = '';
  for (const result of replay(parsed.config, events, requests)) {
    chunk += `${JSON.stringify(result)}\n`;
    if (chunk.length > 1 << 16) {
      io.stdout.write(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') io.stdout.write(chunk);
  return 0;
}
