/** nginx's per-request record of the peers a request already attempted. */

/**
 * A request's set of tried peers, as nginx's per-request bitmap: peers 0..31 in one number,
 * the rest in a typed array allocated only for larger upstreams. The nginx pickers extend it so
 * that a request costs a single object.
 */
export class TriedPeers {
  private low = 0;
  private readonly high: Uint32Array | undefined;

  constructor(peerCount: number) {
    this.high = peerCount > 32 ? new Uint32Array((peerCount + 31) >>> 5) : undefined;
  }

  /** Whether no peer was attempted yet in this request (its first pick). */
  triedNone(): boolean {
    if (this.low !== 0) return false;
    const high = this.high;
    if (high !== undefined) for (let w = 0; w < high.length; w++) if (high[w] !== 0) return false;
    return true;
  }

  /** Whether peer `i` was already attempted in this request. */
  hasTried(i: number): boolean {
    if (i < 32) return ((this.low >>> i) & 1) === 1;
    return (((this.high as Uint32Array)[(i >>> 5) - 1] as number) >>> (i & 31) & 1) === 1;
  }

  /** Forgets every attempt (a recycled picker starts a new request). */
  protected clearTried(): void {
    this.low = 0;
    this.high?.fill(0);
  }

  /** Marks peer `i` as attempted. */
  markTried(i: number): void {
    if (i < 32) {
      this.low |= 1 << i;
      return;
    }
    const high = this.high as Uint32Array;
    const word = (i >>> 5) - 1;
    high[word] = (high[word] as number) | (1 << (i & 31));
  }
}
