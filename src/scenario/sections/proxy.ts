/**
 * `proxy`: the retries and timeouts of the proxy in front of the backends, with nginx's names
 * and defaults (`proxy_next_upstream`, `proxy_next_upstream_tries`, the two timeouts), the time
 * a request spends between balancer and backend (`hop`), and its normaliser, which turns the
 * `proxy_next_upstream` words into the flags the attempt loop reads.
 */
import { z } from 'zod';
import { count, distribution, durationMs, strictObject } from '../../fields/index.js';
import { defaultsOf, LIMITS } from './limits.js';

const proxyFields = strictObject({
  nextUpstream: z.union([z.literal('off'), z.array(z.enum(['error', 'timeout', 'non_idempotent']))]).default(['error', 'timeout']),
  tries: count(LIMITS.tries, 'tries').default(0),
  connectTimeout: durationMs().default(60_000),
  readTimeout: durationMs().default(60_000),
  hop: distribution(durationMs).describe('Time between balancer and backend, there and back: paid by every attempt that reaches the backend (half each way), and half by a refused connection. A duration or a distribution; default 0').default({ kind: 'constant', value: 0 }),
});

export const proxySchema = proxyFields.describe("Retries and timeouts of the proxy, with nginx's names and defaults").default(defaultsOf(proxyFields));

export function normalizeProxy(proxy: z.output<typeof proxySchema>) {
  const words = proxy.nextUpstream;
  return {
    nextUpstream: words === 'off' ? { error: false, timeout: false, nonIdempotent: false } : { error: words.includes('error'), timeout: words.includes('timeout'), nonIdempotent: words.includes('non_idempotent') },
    tries: proxy.tries,
    connectTimeoutMs: proxy.connectTimeout,
    readTimeoutMs: proxy.readTimeout,
    /** Undefined when there is no hop (the default): the attempt loop then schedules nothing for it. */
    hopMs: proxy.hop.kind === 'constant' && proxy.hop.value === 0 ? undefined : proxy.hop,
  };
}
