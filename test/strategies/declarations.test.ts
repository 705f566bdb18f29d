/**
 * Each balancing method declares itself once, in its family's file under src/strategies/methods/:
 * its options (as zod fields), its rules and its affinity. The scenario schema and the generic
 * checks are composed from those declarations, so they name no option themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { balancerAffinity, METHOD_NAMES, METHODS, OPTION_NAMES, type MethodName } from '../../src/strategies/index.js';

const METHODS_DIR = 'src/strategies/methods';
const family = (file: string) => readFileSync(join(METHODS_DIR, file), 'utf8');
const FAMILIES = readdirSync(METHODS_DIR).filter((f) => f.endsWith('.ts'));

describe('method declarations', () => {
  it.each(OPTION_NAMES)('option %s is declared as a field in one family file (cookie and retries: HAProxy\'s and Envoy\'s, one name for two directives)', (name) => {
    const declaring = FAMILIES.filter((file) => new RegExp(`[{\\s]${name}: (z\\.|cookieName\\(|count\\(|durationMs\\(|explained\\()`).test(family(file)));
    expect(declaring).toEqual(name === 'cookie' || name === 'retries' ? ['envoy.ts', 'haproxy.ts'] : [expect.any(String)]);
  });

  it('the generic layers name no option: the scenario schema, the checks and the registry compose the declarations', () => {
    const generic = ['src/scenario/balancer-schema.ts', 'src/strategies/balancer.ts', 'src/strategies/registry.ts', 'src/strategies/method.ts'];
    for (const file of generic) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      // Declared as a field, read from the options, or quoted as a name ('cookie' is also a request input, so not that one).
      const named = OPTION_NAMES.filter((name) => new RegExp(`\\b${name}: (z\\.|cookieName\\(|count\\(|durationMs\\(|explained\\()|options\\??\\.${name}\\b${name === 'cookie' ? '' : `|'${name}'`}`).test(text));
      expect(named, file).toEqual([]);
    }
  });

  it('every method takes only options the scenario knows, and lists them in documented order', () => {
    for (const name of METHOD_NAMES) {
      const own = Object.keys(METHODS[name].options);
      expect(own.every((o) => (OPTION_NAMES as readonly string[]).includes(o)), name).toBe(true);
    }
  });

  it('affinity: by address for methods that read the client address, by key for keyed ones, by cookie for cookie inserts', () => {
    const byAffinity = (affinity: string) => METHOD_NAMES.filter((m) => METHODS[m].affinity === affinity);
    expect(byAffinity('address')).toEqual(['ip-hash', 'haproxy-source', 'k8s-client-ip']);
    expect(byAffinity('key')).toEqual(METHOD_NAMES.filter((m) => METHODS[m].key !== undefined));
    expect(byAffinity('cookie')).toEqual(['haproxy-cookie', 'alb-duration-cookie', 'alb-app-cookie']);
    // A key that reads the client address pins by address; one that reads a cookie or the session id, by key.
    const keyed = (method: MethodName, key: string) => balancerAffinity({ method, key });
    expect(keyed('hash', '$remote_addr')).toBe('address');
    expect(keyed('hash-consistent', '$session_id')).toBe('key');
    expect(keyed('hash', '$cookie_sid')).toBe('key');
    expect(keyed('envoy-ring-hash', 'source_ip')).toBe('address');
    expect(balancerAffinity({ method: 'round-robin' })).toBe('none');
  });
});
