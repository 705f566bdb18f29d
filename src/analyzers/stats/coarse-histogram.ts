/**
 * A small log-scale histogram for per-window percentiles: 4 buckets per power of two over
 * microseconds (each bucket ≈ 19% wide), 128 buckets in all, so hundreds of windows stay cheap.
 * Percentiles read the bucket's upper edge: they are coarse by design (the run's overall
 * percentiles come from the fine `Histogram`).
 */

import { pow } from '../../engine/index.js';

const BUCKETS = 128;
const PER_OCTAVE = 4;

/** Bucket i ≥ 1 holds [2^((i−1)/4), 2^(i/4)); its upper edge is what percentiles read. */
const UPPER_EDGE = Float64Array.from({ length: BUCKETS }, (_, i) => (i === 0 ? 1 : pow(2, i / PER_OCTAVE)));

/** ⌊4·log2 v⌋ + 1 without a logarithm: the octave from the bit length, then at most three comparisons. */
function bucketOf(valueUs: number): number {
  if (!(valueUs >= 1)) return 0;
  if (valueUs >= UPPER_EDGE[BUCKETS - 2]!) return BUCKETS - 1;
  // v < 2^31.5 here, so clz32 reads its whole integer part.
  let bucket = (31 - Math.clz32(valueUs)) * PER_OCTAVE + 1;
  while (valueUs >= UPPER_EDGE[bucket]!) bucket++;
  return bucket;
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

  /** Adds `other`'s counts to this one: the histogram of both windows together. */
  add(other: CoarseHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
  }

  /** Upper edge of the bucket holding percentile `q` (0–100); 0 when empty. */
  valueAtPercentile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil((q / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return UPPER_EDGE[i]!;
    }
    return UPPER_EDGE[BUCKETS - 1]!;
  }
}
