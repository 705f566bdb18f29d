/** Balancing methods behind one protocol: the public face of `strategies/`. */
export type {
  FailureReason,
  PeerPicker,
  PeerSpec,
  Pick,
  PickVia,
  ResponseHeaders,
  Strategy,
} from './strategy.js';
export type { BalancerOptions, BalancerSpec, MethodName, OptionName } from './registry.js';
export type { Affinity, BalancerProblem, MethodDefinition, MethodInput, MethodNeed, RealConfig } from './method.js';
export type { StickySpec, StrategyInputs } from './balancer.js';
export { BALANCER_OPTIONS, METHOD_NAMES, METHODS, OPTION_NAMES, isMethodName, isNginxMethod } from './registry.js';
export { HASH_FUNCTIONS, HASH_TYPES, type HashFunctionName, type HashType } from './haproxy/hash.js';
export { MAX_HAPROXY_WEIGHT } from './haproxy/servers.js';
export { HAPROXY_DEFAULT_RETRIES } from './haproxy/balance.js';
export { balancerAffinity, checkBalancer, checkPeers, createStrategy, methodPeers, strategyNeeds } from './balancer.js';
export type { KeyParse, KeyReader, RequestInput } from './hash-keys.js';
export { nginxAddressText, parseHaproxyHeaderKey, parseNginxKey } from './hash-keys.js';
export type { StickyCookie } from './sticky-cookie.js';
export { withStickyCookie } from './sticky-cookie.js';
export { emptyPoolStrategy } from './empty-pool.js';
