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

/** HAProxy `balance roundrobin`. */
export class HaproxyRoundRobinStrategy extends HaproxyStrategy {
  readonly method = 'haproxy-roundrobin';
  private readonly fwrr: Fwrr;

  constructor(specs: readonly PeerSpec[], redispatch: boolean) {
    super(specs, redispatch);
    this.fwrr = new Fwrr(this.servers);
  }

  select(_input: number, avoid: number): number {
    return this.fwrr.nextServer(avoid);
  }
}

/** HAProxy `balance static-rr`. */
export class HaproxyStaticRoundRobinStrategy extends HaproxyStrategy {
  readonly method = 'haproxy-static-rr';
  private readonly map: ServerMap;

  constructor(specs: readonly PeerSpec[], redispatch: boolean) {
    super(specs, redispatch);
    this.map = new ServerMap(this.servers);
  }

  select(_input: number, avoid: number): number {
    return this.map.nextServer(avoid);
  }
}
