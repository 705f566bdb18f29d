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
export type { MethodDefinition, MethodName, MethodNeed, StickySpec } from './registry.js';
export { METHOD_NAMES, METHODS, createStrategy, isMethodName, strategyNeeds } from './registry.js';
export type { StickyCookie } from './sticky-cookie.js';
export { withStickyCookie } from './sticky-cookie.js';
