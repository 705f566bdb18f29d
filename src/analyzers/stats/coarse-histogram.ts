/**
 * A small log-scale histogram for per-window percentiles: 4 buckets per power of two over
 * microseconds (each bucket ≈ 19% wide), 128 buckets in all, so hundreds of windows stay cheap.
 * Percentiles read the bucket's upper edge: they are coarse by design (the run's overall
 * percentiles come from the fine `Histogram`).
 */

const BUCKETS = 128;
const PER_OCTAVE = 4;

export class CoarseHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  record(valueUs: number): void {
    const bucket = valueUs < 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(valueUs) * PER_OCTAVE) + 1);
    this.counts[bucket]!++;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** Upper edge of the bucket holding percentile `q` (0–100); 0 when empty. */
  valueAtPercentile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil((q / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return i === 0 ? 1 : 2 ** (i / PER_OCTAVE);
    }
    return 2 ** ((BUCKETS - 1) / PER_OCTAVE);
  }
}
