/**
 * A strategy's `balancer`, in one of three forms: a method with its key and options, an nginx
 * `upstream { … }` block (`nginx:`, with `upstream:` to choose among several), or an HAProxy
 * `backend` section (`haproxy:`, with `backend:` to choose). A block is parsed by the same
 * parsers as `lbsim replay` and `lbsim route` (nginx-config.ts, haproxy-config.ts) into a method,
 * its key and options, and its server lines, which set the balancer's view of the backends
 * (weights, `down`, `backup`, `max_fails`, HAProxy ids and cookies) for this strategy.
 *
 * The scenario loader is pure and sees text only: a block is given inline (a YAML block scalar
 * `|` keeps its lines). Its servers must be the scenario's backends, by name (nginx: the
 * address; HAProxy: the server's `ADDR:PORT`): `checkBlockServers` names the block line of
 * a server that is not one, and any backend the block leaves out.
 */
import { z } from 'zod';
import { BALANCER_OPTIONS, METHOD_NAMES, checkBalancer, type BalancerSpec, type MethodName } from '../strategies/index.js';
import { closestMatch } from './did-you-mean.js';
import { strictObject } from '../fields/index.js';
import { parseHaproxyConfig } from './haproxy-config.js';
import { parseNginxConfig } from './nginx-config.js';

/**
 * HAProxy, Envoy and cloud settings of a balancer: the fields the methods declare. Which method
 * takes which, and their rules, is each method's definition (`checkBalancer`, below).
 */
export const balancerOptionsSchema = strictObject(BALANCER_OPTIONS);

/** The balancer as the simulator takes it: a spec, with the block's server lines when it came from one. */
export type BalancerOutput = BalancerSpec & { readonly block?: { readonly kind: 'nginx' | 'haproxy'; readonly serverLines: readonly number[] } };

const FORMS = 'give `method` (with `key` and `options`), `nginx` (an upstream block) or `haproxy` (a backend section)';

/** The `balancer` object of a strategy. */
export const balancerSchema = strictObject({
  method: z.enum(METHOD_NAMES as readonly MethodName[] as [MethodName, ...MethodName[]]).optional(),
  key: z.string().optional(),
  options: balancerOptionsSchema.optional(),
  /** An nginx `upstream NAME { … }` block, as text. */
  nginx: z.string().optional(),
  /** Which upstream block of `nginx` (default: the first). */
  upstream: z.string().optional(),
  /** An HAProxy `backend NAME` section, as text. */
  haproxy: z.string().optional(),
  /** Which backend section of `haproxy` (default: the first). */
  backend: z.string().optional(),
}).transform((b, ctx): BalancerOutput => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const forms = [b.method, b.nginx, b.haproxy].filter((f) => f !== undefined).length;
  if (forms !== 1) {
    issue(forms === 0 ? 'method' : b.method !== undefined ? 'method' : 'haproxy', forms === 0 ? `expected a balancer: ${FORMS}` : `expected one form of balancer: ${FORMS}`);
    return { method: 'round-robin' };
  }
  const method = b.method;
  if (method !== undefined) {
    if (b.upstream !== undefined) issue('upstream', '`upstream` chooses a block of `nginx`');
    if (b.backend !== undefined) issue('backend', '`backend` chooses a section of `haproxy`');
    const spec: BalancerSpec = { method, ...(b.key === undefined ? {} : { key: b.key }), ...(b.options === undefined ? {} : { options: b.options }) };
    for (const problem of checkBalancer(spec)) ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
    return spec;
  }
  if (b.key !== undefined || b.options !== undefined) issue(b.key !== undefined ? 'key' : 'options', 'a configuration block sets the method, key and options itself');
  const field = b.nginx !== undefined ? 'nginx' : 'haproxy';
  const parsed = b.nginx !== undefined
    ? nginxBlock(b.nginx, b.upstream)
    : haproxyBlock(b.haproxy as string, b.backend);
  if (!parsed.ok) {
    for (const e of parsed.errors) issue(field, `line ${e.line}: ${e.message}`);
    return { method: 'round-robin' };
  }
  return parsed.spec;
});

type BlockResult = { ok: true; spec: BalancerOutput } | { ok: false; errors: readonly { line: number; message: string }[] };

function nginxBlock(text: string, upstream: string | undefined): BlockResult {
  const parsed = parseNginxConfig(text, { allMethods: true, first: true, inScenario: true, ...(upstream === undefined ? {} : { upstream }) });
  if (!parsed.ok) return parsed;
  const { method, key, peers, serverLines } = parsed.config;
  return { ok: true, spec: { method, ...(key === undefined ? {} : { key }), servers: peers, block: { kind: 'nginx', serverLines: serverLines ?? [] } } };
}

function haproxyBlock(text: string, backend: string | undefined): BlockResult {
  const parsed = parseHaproxyConfig(text, backend === undefined ? {} : { backend });
  if (!parsed.ok) return parsed;
  const { balancer, peers, serverLines } = parsed.config;
  return { ok: true, spec: { ...balancer, servers: peers, block: { kind: 'haproxy', serverLines } } };
}

/** Problems matching a block's servers to the scenario's backends: `[field, message]` pairs. */
export function checkBlockServers(balancer: BalancerOutput, backendNames: readonly string[]): [string, string][] {
  const servers = balancer.servers;
  const block = balancer.block;
  if (servers === undefined || block === undefined) return [];
  const problems: [string, string][] = [];
  const names = new Set(backendNames);
  const inBlock = new Set(servers.map((s) => s.name));
  const missing = backendNames.filter((n) => !inBlock.has(n));
  servers.forEach((s, k) => {
    if (names.has(s.name)) return;
    // The likely meant backend is one the block leaves out.
    const near = closestMatch(s.name, missing);
    problems.push([block.kind, `line ${block.serverLines[k] ?? '?'}: server ${s.name} is not a backend of the scenario${near === undefined ? '' : ` (did you mean "${near}"?)`}`]);
  });
  if (missing.length > 0) problems.push([block.kind, `the block has no server line for ${missing.map((n) => `"${n}"`).join(', ')}; list every backend of the scenario`]);
  return problems;
}
