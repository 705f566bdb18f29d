/**
 * `lbsim trace <scenario> --broken [--cause C]`: follows the first session (in arrival order) that
 * any strategy broke, with cause C when given — checked against an independent oracle, tracing
 * session after session from the first. When none broke so, that is an answer, not bad input:
 * a message on stdout (`null` with --json) and exit 0. A bad cause is refused (exit 2) with
 * the list of causes and a did-you-mean.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BREAK_CAUSES } from '../../src/model/index.js';
import { formatScenarioErrors, parseScenarioText, type Scenario } from '../../src/scenario/index.js';
import { traceSession, type SessionTrace } from '../../src/sim/index.js';
import { readFileSync } from 'node:fs';
import { fakeIo } from '../helpers/fake-io.js';

async function lbsim(...argv: string[]) {
  const { io, stdout, stderr } = fakeIo();
  return { code: await main(argv, io), stdout: stdout(), stderr: stderr() };
}

function scenario(file: string, sessions: number): Scenario {
  const loaded = parseScenarioText(readFileSync(file, 'utf8'), file, { sessions });
  if (!loaded.ok) throw new Error(formatScenarioErrors(loaded.errors));
  return loaded.scenario;
}

/** The oracle: trace sessions 1, 2, 3, … until one that some strategy broke (with `cause`). */
function firstBrokenByTracing(s: Scenario, cause?: string): number | undefined {
  for (let index = 0; ; index++) {
    const trace = traceSession(s, index);
    if (trace === undefined) return undefined;
    if (trace.strategies.some((t) => t.outcome === 'broken' && (cause === undefined || t.cause === cause))) return trace.session;
  }
}

describe('lbsim trace --broken', () => {
  it('follows the first broken session, without guessing N', async () => {
    const expected = firstBrokenByTracing(scenario('scenarios/intro.yaml', 200));
    expect(expected).toBeDefined();
    const result = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--broken', '--json');
    expect(result.code).toBe(0);
    const trace = JSON.parse(result.stdout) as SessionTrace;
    expect(trace.session).toBe(expected);
    expect(trace.strategies.some((t) => t.outcome === 'broken')).toBe(true);
    const text = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--broken');
    expect(text.stdout).toMatch(new RegExp(`^Session ${expected} \\(client `));
    expect(text.stdout).toContain('broken at');
  });

  it('--cause C: the first session broken by that cause, which may come after sessions broken otherwise', async () => {
    const shop = scenario('scenarios/shop-basic.yaml', 300);
    const expected = firstBrokenByTracing(shop, 'backend-failed');
    expect(expected).toBeDefined();
    expect(expected).toBeGreaterThan(firstBrokenByTracing(shop)!);
    const result = await lbsim('trace', 'scenarios/shop-basic.yaml', '--sessions', '300', '--broken', '--cause', 'backend-failed', '--json');
    expect(result.code).toBe(0);
    const trace = JSON.parse(result.stdout) as SessionTrace;
    expect(trace.session).toBe(expected);
    expect(trace.strategies.map((t) => t.cause)).toContain('backend-failed');
  }, 120_000);

  it('--cause alone means --broken', async () => {
    const alone = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--cause', 'state-missing', '--json');
    const both = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--broken', '--cause', 'state-missing', '--json');
    expect(alone).toEqual(both);
    expect(alone.code).toBe(0);
  });

  it('says so when no session broke: exit 0, a message on stdout (null with --json)', async () => {
    const none = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--strategy', 'shared-cache', '--broken');
    expect(none).toEqual({ code: 0, stdout: 'no session broke under any strategy of intro: nothing to trace\n', stderr: '' });
    const json = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--strategy', 'shared-cache', '--broken', '--json');
    expect(json).toEqual({ code: 0, stdout: 'null\n', stderr: '' });
    // A cause that broke nothing: and the causes that did.
    const expired = await lbsim('trace', 'scenarios/intro.yaml', '--sessions', '200', '--broken', '--cause', 'expired');
    expect(expired.code).toBe(0);
    expect(expired.stdout).toMatch(/^no session broke with cause expired under any strategy of intro; sessions broke with state-missing \(\d+\)\n$/);
  });

  it('refuses a cause that is not one (exit 2): the closest, and every cause', async () => {
    const result = await lbsim('trace', 'scenarios/intro.yaml', '--broken', '--cause', 'expird');
    expect(result).toEqual({ code: 2, stdout: '', stderr: `command line: --cause: no break cause is named "expird" (did you mean "expired"?); the causes are ${BREAK_CAUSES.join(', ')}\n` });
    expect((await lbsim('trace', 'scenarios/intro.yaml', '--cause', 'nonsense')).stderr).toMatch(/^command line: --cause: no break cause is named "nonsense"; the causes are state-missing, /);
  });

  it('refuses --broken beside --session or --client (exit 2)', async () => {
    for (const other of [['--session', '3'], ['--client', '10.0.0.1']]) {
      expect(await lbsim('trace', 'scenarios/intro.yaml', '--broken', ...other)).toEqual({ code: 2, stdout: '', stderr: 'command line: give one of --session N (1-based, in arrival order), --client IP or --broken [--cause C]\n' });
    }
    expect((await lbsim('trace', 'scenarios/intro.yaml')).code).toBe(2);
  });
});
