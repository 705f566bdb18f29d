/**
 * One line of help per choice the scenario format offers besides the balancing methods (whose
 * lines live in the strategies registry): session stores, backend modes and other timeline
 * events. `lbsim list` prints them and the JSON Schema shows them in editors; each record is
 * keyed by the schema's own list, so a new store, mode or event without its line does not compile.
 */
import type { BackendMode } from '../model/index.js';
import type { StoreKind } from './sections/stores.js';
import type { TimelineEventName } from './sections/timeline.js';

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

/** `timeline[].event`: every other change during a run. */
export const TIMELINE_EVENT_HELP: Readonly<Record<TimelineEventName, string>> = {
  slow: 'the backend serves at `speed` (a noisy neighbour, a GC storm)',
  errors: 'the backend answers every request with HTTP 500 (a bad deploy)',
  'cache-outage': 'the shared cache is unreachable (stores.shared.onOutage)',
  'cache-latency': "the shared cache's round trip becomes `roundTrip`",
  'cache-flush': 'the shared cache loses every session',
  'add-backend': 'a standby backend joins the pool (a reload: hashing methods remap)',
  'remove-backend': 'the backend leaves the pool abruptly (a reload)',
  drain: 'sticky-bound users stay, nobody new is placed; then it leaves the pool',
  'rolling-deploy': 'every backend restarts in turn (`downtime`, `pause`, optional `drain`)',
};
