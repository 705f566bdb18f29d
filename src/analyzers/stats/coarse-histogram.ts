/**
 * A small log-scale histogram for per-window percentiles: 4 buckets per power of two over
 * microseconds (each bucket ≈ 19% wide), 128 buckets in all, so hundreds of windows stay cheap.
 * Percentiles read the bucket's upper edge: they are coarse by design (the run's overall
 * percentiles come from the fine `Histogram`).
 */

const BUCKETS = 128;
const PER_OCTAVE = 4;

// The quarter-octave edges 2^(1/4), 2^(2/4), 2^(3/4): comparing with them finds ⌊4·log2 v⌋
// without a logarithm per record.
const QUARTER = Math.SQRT2 ** 0.5;
const HALF = Math.SQRT2;
const THREE_QUARTERS = Math.SQRT2 ** 1.5;
const LAST_OCTAVE = (BUCKETS - 2) / PER_OCTAVE;

function bucketOf(valueUs: number): number {
  if (!(valueUs >= 1)) return 0;
  if (valueUs >= 2 ** LAST_OCTAVE) return BUCKETS - 1;
  const octave = 31 - Math.clz32(valueUs); // ⌊log2 v⌋: v < 2^31.5 fits the 32 bits clz32 reads
  const mantissa = valueUs / 2 ** octave; // in [1, 2)
  const quarter = mantissa < HALF ? (mantissa < QUARTER ? 0 : 1) : mantissa < THREE_QUARTERS ? 2 : 3;
  return octave * PER_OCTAVE + quarter + 1;
}

export class CoarseHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  /** Bucket ⌊4·log2 v⌋ + 1 (0 below 1 µs, the last from 2^31.5 µs on). */
  record(valueUs: number): void {
    this.counts[bucketOf(valueUs)]!++;
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
