/**
 * HAProxy's `balance roundrobin` (the FWRR scheduler, `fwrr.ts`) and `balance static-rr` (a
 * walk over the server map, `map.ts`), bound to one backend.
 *
 * Reference: HAProxy 2.6 `src/lb_fwrr.c` and `src/lb_map.c` (`map_get_server_rr`); the first
 * 200 picks of both are recorded in test/fixtures/haproxy/roundrobin_*.json and static_rr_*.json.
 * They differ in order, not in shares: weights 3,2,1,4 start `s4 s1 s4 s2 s1` under roundrobin
 * and `s1 s2 s4 s1 s4` under static-rr.
 */
import type { PeerSpec } from '../strategy.js';
import { HaproxyStrategy } from './balance.js';
import { Fwrr } from './fwrr.js';
import { ServerMap } from './map.js';
import type { HaproxyServers } from './servers.js';

/** A walk over the servers: the next one, passing over `avoid` when another is usable. */
interface Rotation {
  nextServer(avoid: number): number;
  /** Server `i` stopped or started running. */
  statusChanged(i: number): void;
}

/** A backend balanced by a rotation that ignores the request. */
abstract class RotatingStrategy extends HaproxyStrategy {
  private readonly rotation: Rotation;

  constructor(specs: readonly PeerSpec[], redispatch: boolean, retries: number | undefined, rotation: (servers: HaproxyServers) => Rotation) {
    super(specs, redispatch, retries);
    this.rotation = rotation(this.servers);
  }

  select(_input: number, avoid: number): number {
    return this.rotation.nextServer(avoid);
  }

  protected statusChanged(i: number): void {
    this.rotation.statusChanged(i);
  }
}

/** HAProxy `balance roundrobin`. */
export class HaproxyRoundRobinStrategy extends RotatingStrategy {
  readonly method = 'haproxy-roundrobin';

  constructor(specs: readonly PeerSpec[], redispatch: boolean, retries?: number) {
    super(specs, redispatch, retries, (servers) => new Fwrr(servers));
  }
}

/** HAProxy `balance static-rr`. */
export class HaproxyStaticRoundRobinStrategy extends RotatingStrategy {
  readonly method = 'haproxy-static-rr';

  constructor(specs: readonly PeerSpec[], redispatch: boolean, retries?: number) {
    super(specs, redispatch, retries, (servers) => new ServerMap(servers));
  }
}
