/**
 * nginx's `hash KEY` (modulo over weight slots) and `hash KEY consistent` (a ketama ring).
 *
 * Reference: nginx 1.22.1 `src/http/modules/ngx_http_upstream_hash_module.c`
 * (`ngx_http_upstream_get_hash_peer`, `ngx_http_upstream_init_chash`,
 * `ngx_http_upstream_get_chash_peer`), described in test/fixtures/nginx/ALGORITHMS.md:
 *
 * - `hash`: attempt r adds bits 16..30 of CRC-32(`r` in decimal, when r > 0, then the key) to a
 *   running unsigned 32-bit sum and slot-walks the sum modulo the total weight (down peers keep
 *   their slots). A removed or added server changes the modulus: most keys move.
 * - `hash … consistent`: 160 points per unit of weight per server, point j being
 *   CRC-32(host "\0" port, then point j-1 as 4 little-endian bytes); a key starts at the first
 *   point at or after CRC-32(key) and walks clockwise past points whose server is not eligible.
 *   Only the keys of a removed server move.
 * - both: a tried, down, failed or full choice leads to the next attempt; after 21 of them, and
 *   for an empty key or a single server, nginx takes a round-robin pick. A retry continues where
 *   the request's last pick stopped, with the same attempt counter. `backup` is refused.
 */
import type { SimTime } from '../../engine/index.js';
import type { Request } from '../../model/index.js';
import { crc32Continue, crc32Text } from '../hash-functions.js';
import type { KeyReader } from '../hash-keys.js';
import { HashRing } from '../ring.js';
import type { PeerPicker, PeerSpec, Pick } from '../strategy.js';
import { refuseBackups, type NginxPeers } from './peers.js';
import { ChoiceLoopPicker, NginxStrategy } from './round-robin.js';

/** Most ring points lbsim builds (nginx allocates 160 × total weight). */
export const MAX_RING_POINTS = 2 ** 24;

/** Per-request state shared by the two hash pickers: the key. */
abstract class KeyedPicker extends ChoiceLoopPicker {
  constructor(
    peers: NginxPeers,
    protected readonly key: string,
    hashPicks: readonly Pick[],
  ) {
    super(peers, hashPicks);
  }

  protected override placeable(): boolean {
    return this.key.length > 0;
  }
}

class HashPicker extends KeyedPicker {
  private sum = 0;
  private rehash = 0;

  protected attempt(nowSec: number): number {
    const peers = this.peers;
    const prefix = this.rehash > 0 ? crc32Text(String(this.rehash)) : 0;
    const crc = crc32Text(this.key, prefix);
    this.sum = (this.sum + ((crc >>> 16) & 0x7fff)) >>> 0;
    this.rehash++;
    const p = peers.slotOwner(this.sum % peers.totalWeight);
    if (this.hasTried(p) || !peers.available(p, nowSec)) return -1;
    peers.claim(this, p, nowSec);
    return p;
  }
}

/** nginx `hash KEY` bound to one upstream's peers. */
export class HashStrategy extends NginxStrategy {
  readonly method: string = 'hash';
  protected readonly hashPicks: readonly Pick[];

  constructor(
    specs: readonly PeerSpec[],
    protected readonly key: KeyReader,
  ) {
    refuseBackups(specs, 'hash');
    super(specs);
    this.hashPicks = this.peers.pickTable('hash');
  }

  open(request: Request, _now: SimTime): PeerPicker {
    return new HashPicker(this.peers, this.key.read(request) ?? '', this.hashPicks);
  }
}

/** The ring, and for each point's server the peers written with that name (usually one). */
interface Ketama {
  readonly ring: HashRing;
  readonly members: readonly Int32Array[];
}

class ConsistentHashPicker extends KeyedPicker {
  private point: number;

  constructor(
    peers: NginxPeers,
    key: string,
    hashPicks: readonly Pick[],
    private readonly ketama: Ketama,
  ) {
    super(peers, key, hashPicks);
    this.point = key.length === 0 ? 0 : ketama.ring.lowerBound(crc32Text(key));
  }

  protected attempt(nowSec: number): number {
    const { ring, members } = this.ketama;
    const server = ring.owners[this.point % ring.size] as number;
    const i = this.peers.stepAmong(this, members[server] as Int32Array, nowSec);
    if (i < 0) this.point++;
    return i;
  }
}

/** nginx `hash KEY consistent` bound to one upstream's peers. */
export class ConsistentHashStrategy extends HashStrategy {
  override readonly method: string = 'hash-consistent';
  private readonly ketama: Ketama;

  constructor(specs: readonly PeerSpec[], key: KeyReader) {
    super(specs, key);
    this.ketama = buildKetama(this.peers);
  }

  override open(request: Request, _now: SimTime): PeerPicker {
    return new ConsistentHashPicker(this.peers, this.key.read(request) ?? '', this.hashPicks, this.ketama);
  }
}

/** nginx's split of a `server` name into host and port (the port: all digits after the last `:`). */
export function ketamaBase(name: string): string {
  if (name.slice(0, 5).toLowerCase() === 'unix:') return `${name.slice(5)}\0`;
  const match = /^(.*):(\d*)$/s.exec(name);
  return match === null ? `${name}\0` : `${match[1]}\0${match[2]}`;
}

function buildKetama(peers: NginxPeers): Ketama {
  const points = 160 * peers.totalWeight;
  if (points > MAX_RING_POINTS) {
    throw new RangeError(`hash consistent would need ${points} ring points; lbsim supports up to ${MAX_RING_POINTS} (160 per unit of weight)`);
  }
  const keys = new Uint32Array(points);
  const owners = new Int32Array(points);
  const previous = new Uint8Array(4);
  const view = new DataView(previous.buffer);
  const groupOf = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < peers.primaryCount; i++) {
    const name = peers.names[i] as string;
    const group = groupOf.get(name) ?? i;
    groupOf.set(name, group);
    const base = crc32Text(ketamaBase(name));
    view.setUint32(0, 0, true);
    for (let j = 0; j < 160 * (peers.weight[i] as number); j++) {
      const key = crc32Continue(previous, 4, base);
      keys[n] = key;
      owners[n++] = group;
      view.setUint32(0, key, true);
    }
  }
  const lists = Array.from({ length: peers.primaryCount }, (): number[] => []);
  for (let i = 0; i < peers.primaryCount; i++) lists[groupOf.get(peers.names[i] as string) as number]?.push(i);
  return { ring: new HashRing(keys, owners, true), members: lists.map((list) => Int32Array.from(list)) };
}
