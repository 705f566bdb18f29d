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
export type {
  BalancerOptions,
  BalancerSpec,
  HashFunctionName,
  HashType,
  MethodDefinition,
  MethodInput,
  MethodName,
  MethodNeed,
  OptionName,
} from './registry.js';
export type { BalancerProblem, StickySpec, StrategyInputs } from './balancer.js';
export {
  HASH_FUNCTIONS,
  HASH_TYPES,
  MAX_HAPROXY_WEIGHT,
  METHOD_NAMES,
  METHODS,
  OPTION_NAMES,
  isMethodName,
} from './registry.js';
export { checkBalancer, checkPeers, createStrategy, methodPeers, strategyNeeds } from './balancer.js';
export type { KeyParse, KeyReader, RequestInput } from './hash-keys.js';
export { nginxAddressText, parseHaproxyHeaderKey, parseNginxKey } from './hash-keys.js';
export type { StickyCookie } from './sticky-cookie.js';
export { withStickyCookie } from './sticky-cookie.js';
