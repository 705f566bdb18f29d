/**
 * Range checks of the Envoy and cloud balancer options, beyond the shape the scenario schema
 * checks: the limits each real balancer enforces (Envoy's ring sizes, Maglev's prime table,
 * `choice_count`; ALB's stickiness duration; Kubernetes' affinity timeout) and options that only
 * make sense together.
 */
import { MAX_ALB_DURATION_MS } from './cloud/alb.js';
import { MAX_AFFINITY_TIMEOUT_MS } from './cloud/kubernetes.js';
import { MAX_MAGLEV_TABLE_SIZE, isPrime } from './envoy/maglev.js';
import { DEFAULT_MAX_RING_SIZE, MAX_ENVOY_RING } from './envoy/ring-hash.js';
import type { BalancerProblem } from './balancer.js';
import type { BalancerOptions, OptionName } from './registry.js';

/** Range checks of the Envoy and cloud options (shape is the schema's). */
export function optionProblems(options: BalancerOptions): BalancerProblem[] {
  const problems: BalancerProblem[] = [];
  const bad = (name: OptionName, message: string) => problems.push({ path: ['options', name], message });
  const { minRingSize, maxRingSize, tableSize, choiceCount, duration, timeout, strict, cookie, appCookie } = options;
  if (minRingSize !== undefined && !(Number.isInteger(minRingSize) && minRingSize >= 1 && minRingSize <= MAX_ENVOY_RING)) bad('minRingSize', `expected a whole number from 1 to ${MAX_ENVOY_RING} (lbsim's largest ring)`);
  if (maxRingSize !== undefined && !(Number.isInteger(maxRingSize) && maxRingSize >= 1 && maxRingSize <= DEFAULT_MAX_RING_SIZE)) bad('maxRingSize', `expected a whole number from 1 to ${DEFAULT_MAX_RING_SIZE} (Envoy's limit)`);
  if (minRingSize !== undefined && maxRingSize !== undefined && minRingSize > maxRingSize) bad('minRingSize', `ring hash: minimum_ring_size (${minRingSize}) > maximum_ring_size (${maxRingSize})`);
  if (tableSize !== undefined && !(isPrime(tableSize) && tableSize <= MAX_MAGLEV_TABLE_SIZE)) bad('tableSize', `expected a prime number up to ${MAX_MAGLEV_TABLE_SIZE} (Envoy's rule), e.g. 65537, got ${tableSize}`);
  if (choiceCount !== undefined && !(Number.isInteger(choiceCount) && choiceCount >= 2)) bad('choiceCount', `expected a whole number of at least 2 (Envoy's rule), got ${choiceCount}`);
  if (duration !== undefined && !(duration >= 1000 && duration <= MAX_ALB_DURATION_MS)) bad('duration', 'expected a duration from 1s to 7d (ALB\'s range)');
  if (timeout !== undefined && !(timeout >= 1000 && timeout <= MAX_AFFINITY_TIMEOUT_MS)) bad('timeout', 'expected a duration from 1s to 86400s (Kubernetes\' range)');
  if (strict !== undefined && cookie === undefined) bad('strict', 'strict mode needs the stateful session cookie: give options.cookie');
  if (options.cookieTtl !== undefined && cookie === undefined) bad('cookieTtl', 'a cookie ttl needs the stateful session cookie: give options.cookie');
  if (appCookie !== undefined && /^AWSALB/i.test(appCookie)) bad('appCookie', 'AWSALB, AWSALBAPP and AWSALBTG are reserved by the load balancer');
  return problems;
}
