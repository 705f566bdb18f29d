/**
 * The balancer over a pool the timeline emptied (every server removed, or only backups left
 * under a method that takes none): nginx answers every request 502 ("no live upstreams") and goes
 * on. A scenario may do this on purpose; the methods themselves refuse to be built over no server,
 * as nginx refuses such a configuration at start-up.
 */
import type { BackendName } from '../model/index.js';
import type { PeerPicker, Strategy } from './strategy.js';

const NOTHING_TO_PICK: PeerPicker = { tries: 0, pick: () => undefined };

export function emptyPoolStrategy(method: string): Strategy {
  return {
    method,
    open: () => NOTHING_TO_PICK,
    usable: () => false,
    setTakenOut: (_backend: BackendName, _takenOut: boolean) => {},
  };
}
