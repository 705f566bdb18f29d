/**
 * `lbsim route`: where does this client go? A thin shell over `routeKeys` (src/sim/route.ts),
 * which builds balancers with `createStrategy`, as simulations do. Two sources of balancers:
 *
 * - `--nginx FILE [--upstream NAME]` or `--haproxy FILE [--backend NAME]`: one configuration
 *   block; each key (arguments, else stdin lines) prints `KEY<TAB>SERVER`, the server as the
 *   configuration names it (nginx: its address; HAProxy: its name);
 * - a scenario file: every strategy (or `--strategy NAME`), over the scenario's backends, with
 *   the backends the timeline has down at `--at` seconds failing (default: the time of the
 *   first failure in the timeline); a request that meets one prints its chain.
 *
 * Keys are what the method's key reads (the client address for `ip_hash`, the value of the
 * cookie or header otherwise); `--client IP` (repeatable), `--session-id` and `--cookie
 * NAME=VALUE` build requests explicitly instead. A key the method cannot read (`not-an-ip` for
 * `ip_hash`) is reported on stderr and skipped; the others are answered and the exit code is 2.
 */
import { COMMAND_LINE, excerpt, formatScenarioErrors, parseHaproxyConfig, parseNginxConfig, parseScenarioText, type Scenario } from '../scenario/index.js';
import { createRandomStream } from '../engine/index.js';
import { isClientAddress, keyInputOf, requestForKey, routeKeys, runRng, type RouteRequest, type RouteSetup } from '../sim/index.js';
import type { BackendName } from '../model/index.js';
import { FILE_LIMITS, readAuxiliaryFile, type FileLimit, type Io } from './io.js';

export interface RouteArgs {
  /** The scenario file (scenario mode), then keys; in configuration mode, keys only. */
  readonly inputs: readonly string[];
  readonly nginx?: string | undefined;
  readonly upstream?: string | undefined;
  readonly haproxy?: string | undefined;
  readonly backend?: string | undefined;
  readonly strategy?: string | undefined;
  readonly clients?: readonly string[] | undefined;
  readonly sessionId?: string | undefined;
  readonly cookies?: readonly string[] | undefined;
  /** Seconds into the scenario, as typed. */
  readonly at?: string | number | undefined;
  readonly seed?: string | undefined;
  readonly json: boolean;
}

/** One balancer to route through, and how its servers are shown. */
interface Target {
  readonly label: string | undefined;
  readonly setup: RouteSetup;
  readonly show: (backend: BackendName) => string;
}

/** One line of output. */
interface Routed {
  readonly strategy?: string;
  readonly key: string;
  readonly server: string | null;
  readonly chain?: readonly string[];
}

const failures = (io: Io, file: string, errors: readonly { line: number; message: string }[]) => {
  for (const e of errors) io.stderr.write(`${file}:${e.line}: ${e.message}\n`);
  return 2;
};

async function read(io: Io, file: string, limit: FileLimit): Promise<string | undefined> {
  try {
    return await io.readFile(file, limit);
  } catch (error) {
    io.stderr.write(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return undefined;
  }
}

/** The balancers of a configuration file, or an exit code after reporting its errors. */
async function configTargets(args: RouteArgs, io: Io): Promise<Target[] | number> {
  const rng = createRandomStream(args.seed ?? '1', 'route');
  if (args.nginx !== undefined) {
    const text = await read(io, args.nginx, FILE_LIMITS.config);
    if (text === undefined) return 2;
    const parsed = parseNginxConfig(text, { allMethods: true, first: true, anyHeader: true, ...(args.upstream === undefined ? {} : { upstream: args.upstream }) });
    if (!parsed.ok) return failures(io, args.nginx, parsed.errors);
    const { method, key, peers } = parsed.config;
    return [{ label: undefined, setup: { balancer: { method, key }, peers, inputs: { rng } }, show: (b) => b }];
  }
  const file = args.haproxy as string;
  const text = await read(io, file, FILE_LIMITS.config);
  if (text === undefined) return 2;
  const parsed = parseHaproxyConfig(text, { anyHeader: true, ...(args.backend === undefined ? {} : { backend: args.backend }) });
  if (!parsed.ok) return failures(io, file, parsed.errors);
  const { balancer, peers, serverNames } = parsed.config;
  const names = new Map(peers.map((p, i) => [p.name, serverNames[i] as string]));
  return [{ label: undefined, setup: { balancer, peers, inputs: { rng } }, show: (b) => names.get(b) ?? b }];
}

/** The backends the timeline has failing at `atMs`, and those not in the pool then (added later, or removed). */
function stateAt(scenario: Scenario, atMs: number): { dead: Set<BackendName>; out: Set<BackendName> } {
  const dead = new Set<BackendName>(scenario.backends.filter((b) => b.down).map((b) => b.name));
  const out = new Set<BackendName>(scenario.timeline.flatMap((e) => (e.kind === 'add-backend' ? [e.backend] : [])));
  for (const e of scenario.timeline) {
    if (e.atMs > atMs) break;
    if (e.kind === 'add-backend') out.delete(e.backend);
    else if (e.kind === 'remove-backend') out.add(e.backend);
    else if (e.kind === 'mode' || e.kind === 'errors') {
      const over = e.durationMs !== undefined && e.atMs + e.durationMs <= atMs;
      if ((e.kind === 'mode' && e.mode === 'up') || over) dead.delete(e.backend);
      else dead.add(e.backend);
    }
  }
  return { dead, out };
}

/** `--at` in seconds and `--cookie NAME=VALUE` pairs, or the option that is neither. */
function readOptions(args: RouteArgs): { atSeconds: number | undefined; cookies: Map<string, string> } | string {
  const atSeconds = args.at === undefined ? undefined : Number(args.at);
  if (atSeconds !== undefined && !(Number.isFinite(atSeconds) && atSeconds >= 0 && String(args.at).trim() !== '')) return `${COMMAND_LINE}: --at: expected a time in seconds, 0 or more, got ${String(args.at)}`;
  const cookies = new Map<string, string>();
  for (const cookie of args.cookies ?? []) {
    const equals = cookie.indexOf('=');
    if (equals < 1) return `${COMMAND_LINE}: --cookie: expected NAME=VALUE, got ${JSON.stringify(cookie)}`;
    cookies.set(cookie.slice(0, equals), cookie.slice(equals + 1));
  }
  return { atSeconds, cookies };
}

/** Runs `lbsim route`; 0 when every key was answered, 2 on bad input (reported on stderr). */
export async function routeCommand(args: RouteArgs, io: Io): Promise<number> {
  const options = readOptions(args);
  if (typeof options === 'string') return io.stderr.write(`${options}\n`), 2;
  const configMode = args.nginx !== undefined || args.haproxy !== undefined;
  if (args.nginx !== undefined && args.haproxy !== undefined) return io.stderr.write('lbsim route: give --nginx or --haproxy, not both\n'), 2;
  let inputs = [...args.inputs];
  let targets: Target[] | number;
  let atMs = 0;
  let dead = new Set<BackendName>();
  if (configMode) targets = await configTargets(args, io);
  else {
    const file = inputs.shift();
    if (file === undefined) return io.stderr.write('lbsim route: name a scenario file, or give --nginx FILE or --haproxy FILE\n'), 2;
    const text = await read(io, file, FILE_LIMITS.scenario);
    if (text === undefined) return 2;
    const loaded = parseScenarioText(text, file, { strategy: args.strategy }, readAuxiliaryFile);
    if (!loaded.ok) return io.stderr.write(formatScenarioErrors(loaded.errors)), 2;
    const scenario = loaded.scenario;
    const firstFailure = scenario.timeline.find((e) => (e.kind === 'mode' && e.mode !== 'up') || e.kind === 'errors');
    atMs = options.atSeconds !== undefined ? options.atSeconds * 1000 : (firstFailure?.atMs ?? 0);
    const state = stateAt(scenario, atMs);
    dead = state.dead;
    const peers = scenario.backends.filter((b) => !state.out.has(b.name)).map((b) => ({ name: b.name, weight: b.weight, down: b.down, backup: b.backup, maxConns: b.maxConns, maxFails: b.maxFails, failTimeoutMs: b.failTimeoutMs }));
    const root = runRng(args.seed ?? scenario.seed).root;
    targets = scenario.strategies.map((s) => {
      const cookie = s.sticky?.cookie;
      const sticky = cookie === undefined ? undefined : { cookie: cookie.maxAge === undefined ? { name: cookie.name } : { name: cookie.name, maxAgeMs: cookie.maxAge } };
      return { label: s.name, setup: { balancer: s.balancer, sticky, peers, inputs: { rng: root.fork(`balancer/${s.name}`) } }, show: (b: BackendName) => b };
    });
  }
  if (typeof targets === 'number') return targets;

  const explicit = (args.clients ?? []).length > 0;
  if (!explicit && inputs.length === 0) inputs = (await io.readStdin(FILE_LIMITS.requests)).split('\n');
  if (!explicit && inputs.at(-1) === '') inputs.pop();
  const cookies = options.cookies;
  let status = 0;
  const lines: Routed[] = [];
  for (const target of targets) {
    const requests: { key: string; request: RouteRequest }[] = [];
    if (explicit) {
      for (const client of args.clients ?? []) {
        if (!isClientAddress(client)) status = badKey(io, client, 'expected an IPv4 or IPv6 address for --client');
        else requests.push({ key: client, request: { client, ...(args.sessionId === undefined ? {} : { sessionId: args.sessionId }), cookies } });
      }
    } else {
      const input = keyInputOf(target.setup.balancer);
      for (const key of inputs) {
        if (input.kind === 'client' && !isClientAddress(key)) status = badKey(io, key, `${target.setup.balancer.method} reads the client address: expected an IPv4 or IPv6 address`);
        else requests.push({ key, request: requestForKey(input, key) });
      }
    }
    const results = routeKeys(target.setup, requests.map((r) => r.request), { dead, atMs });
    results.forEach((r, k) => {
      const chain = r.chain.map(target.show);
      lines.push({ ...(target.label === undefined ? {} : { strategy: target.label }), key: requests[k]?.key ?? '', server: r.backend === undefined ? null : target.show(r.backend), ...(chain.length > 1 || r.backend === undefined ? { chain } : {}) });
    });
  }
  io.stdout.write(args.json ? `${JSON.stringify(lines, null, 2)}\n` : render(lines, configMode, dead));
  return status;
}

function badKey(io: Io, key: string, message: string): number {
  io.stderr.write(`lbsim route: ${excerpt(key)}: ${message}\n`);
  return 2;
}

function render(lines: readonly Routed[], configMode: boolean, dead: ReadonlySet<string>): string {
  let text = !configMode && dead.size > 0 ? `# down: ${[...dead].join(', ')}\n` : '';
  let strategy: string | undefined;
  for (const l of lines) {
    if (!configMode && l.strategy !== strategy) {
      strategy = l.strategy;
      text += `# ${strategy}\n`;
    }
    const chain = l.chain === undefined ? '' : `\t(tried ${l.chain.join(' -> ') || 'nothing'})`;
    text += `${l.key}\t${l.server ?? '-'}${chain}\n`;
  }
  return text;
}
