/**
 * One line of help per choice the scenario format offers besides the balancing methods (whose
 * lines live in the strategies registry, and the timeline's other events' beside their schema in
 * sections/timeline.ts): session stores and backend modes. `lbsim list` prints them and the JSON Schema shows them in editors; each record is
 * keyed by the schema's own list, so a new store or mode without its line does not compile.
 */
import type { BackendMode } from '../model/index.js';
import type { StoreKind } from './sections/stores.js';

/** `strategies[].store`. */
export const STORE_KIND_HELP: Readonly<Record<StoreKind, string>> = {
  local: "each backend's own memory: lost when it dies, absent on any other backend",
  shared: 'one cache every backend reads and writes: a round trip per access',
};

/** `timeline[].mode`: what a backend does from then on, as nginx sees it. */
export const BACKEND_MODE_HELP: Readonly<Record<BackendMode, string>> = {
  up: 'serves normally (a recovery)',
  refused: 'refuses connections: nginx fails over at once',
  blackhole: 'never answers connections: a timeout after proxy.connectTimeout',
  crash: 'accepts the request, then closes the connection',
  reset: 'accepts the request, then resets the connection',
  hang: 'accepts the request and never answers: a timeout after proxy.readTimeout',
};
