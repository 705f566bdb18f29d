/**
 * A fixed log-linear histogram of non-negative integers (HdrHistogram's layout at 3 significant
 * digits): values below 2048 have a bucket each; above, every power of two is split into 1024
 * equal buckets, so a recorded value is known within 1/1024 (under 0.1%). Recording is a couple
 * of integer operations and one array increment, with no allocation: the latency analyzer records
 * every request. Values up to 2^32 − 1 (in microseconds, 71 minutes); larger ones are clamped.
 */

const LINEAR = 2048;
const SUB_BUCKETS = 1024;
const MAX_SHIFT = 21; // values below 2^32
const SIZE = LINEAR + MAX_SHIFT * SUB_BUCKETS;
const MAX_VALUE = 0xffffffff;

function indexOf(value: number): number {
  if (value < LINEAR) return value;
  const shift = 21 - Math.clz32(value); // (bit length − 1) − 10: value >> shift lies in [1024, 2047]
  return LINEAR + (shift - 1) * SUB_BUCKETS + ((value >>> shift) - SUB_BUCKETS);
}

/** The highest value that falls into bucket `index` (what HdrHistogram reports for percentiles). */
function highestValueOf(index: number): number {
  if (index < LINEAR) return index;
  const shift = ((index - LINEAR) >> 10) + 1;
  const lowest = (((index - LINEAR) & (SUB_BUCKETS - 1)) | SUB_BUCKETS) * 2 ** shift;
  return lowest + 2 ** shift - 1;
}

export class Histogram {
  // 32-bit counts: half the memory a record touches (a run has 4 billion requests in no bucket).
  private readonly counts = new Uint32Array(SIZE);
  private total = 0;

  /** Records one value (rounded to an integer, clamped to [0, 2^32 − 1]). */
  record(value: number): void {
    const v = value <= 0 ? 0 : value >= MAX_VALUE ? MAX_VALUE : Math.round(value) >>> 0;
    this.counts[indexOf(v)]!++;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** Adds another histogram's counts to this one. */
  add(other: Histogram): void {
    for (let i = 0; i < SIZE; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
  }

  /**
   * The value at percentile `q` (0–100): the highest value of the first bucket whose cumulative
   * count reaches ⌈q/100 · n⌉ (at least 1). 0 for an empty histogram.
   */
  valueAtPercentile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil((q / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return highestValueOf(i);
    }
    return highestValueOf(SIZE - 1);
  }
}
