/** Balancing methods behind one protocol: the public face of `strategies/`. */
export type {
  FailureReason,
  PeerPicker,
  PeerSpec,
  Pick,
  PickVia,
  PoolChange,
  ResponseHeaders,
  Strategy,
} from './strategy.js';
export type {
  BalancerOptions,
  BalancerProblem,
  BalancerSpec,
  HashFunctionName,
  HashType,
  MethodDefinition,
  MethodInput,
  MethodName,
  MethodNeed,
  OptionName,
  StickySpec,
  StrategyInputs,
} from './registry.js';
export {
  HASH_FUNCTIONS,
  HASH_TYPES,
  MAX_HAPROXY_WEIGHT,
  METHOD_NAMES,
  METHODS,
  OPTION_NAMES,
  checkBalancer,
  checkPeers,
  createStrategy,
  isMethodName,
  strategyNeeds,
} from './registry.js';
export type { KeyParse, KeyReader, RequestInput } from './hash-keys.js';
export { nginxAddressText, parseHaproxyHeaderKey, parseNginxKey } from './hash-keys.js';
export type { StickyCookie } from './sticky-cookie.js';
export { withStickyCookie } from './sticky-cookie.js';
