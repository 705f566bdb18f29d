/**
 * What every balancer family's server list needs about names: the index of a server by name (the
 * first one of that name, as outcome reports and cookies name servers) and one shared, frozen
 * `Pick` per server and `via`, so picks allocate nothing.
 */
import type { BackendName } from '../model/index.js';
import type { Pick, PickVia } from './strategy.js';

export class NamedPeers {
  private readonly indexByName = new Map<BackendName, number>();
  private readonly tables = new Map<PickVia, readonly Pick[]>();

  /** `positions[i]`: where server `i` sits in the `PeerSpec` list given to the strategy (default: `i`). */
  constructor(
    private readonly names: readonly BackendName[],
    private readonly positions: readonly number[] = names.map((_, i) => i),
  ) {
    names.forEach((name, i) => {
      if (!this.indexByName.has(name)) this.indexByName.set(name, i);
    });
  }

  /** Index of the first server with this name, or -1. */
  indexOf(name: BackendName): number {
    return this.indexByName.get(name) ?? -1;
  }

  /** The shared `Pick` of every server for one `via`. */
  pickTable(via: PickVia): readonly Pick[] {
    let table = this.tables.get(via);
    if (table === undefined) {
      table = this.names.map((backend, i) => Object.freeze({ backend, via, peer: this.positions[i]! }));
      this.tables.set(via, table);
    }
    return table;
  }
}

/**
 * A cache of `via: 'cookie'` picks by backend name, for decorators that route by a cookie naming
 * any backend (names are not known when the decorator is built).
 */
export function cookiePicks(): (backend: BackendName) => Pick {
  const picks = new Map<BackendName, Pick>();
  return (backend) => {
    let pick = picks.get(backend);
    if (pick === undefined) {
      pick = Object.freeze({ backend, via: 'cookie' as const, peer: -1 });
      picks.set(backend, pick);
    }
    return pick;
  };
}
