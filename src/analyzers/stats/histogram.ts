/**
 * A fixed log-linear histogram of non-negative integers (HdrHistogram's layout): with `bits`
 * bits of precision, values below 2^(bits+1) have a bucket each; above, every power of two is
 * split into 2^bits equal buckets, so a recorded value is known within 1/2^bits. 10 bits (the
 * default) is HdrHistogram's 3 significant digits, under 0.1%; 7 bits is 2 digits, under 0.8%,
 * in a seventh of the memory. Recording is a couple of integer operations and one array
 * increment, with no allocation: the latency analyzer records every request. Values up to
 * 2^32 − 1 (in microseconds, 71 minutes); larger ones are clamped.
 */

const MAX_VALUE = 0xffffffff;

export class Histogram {
  // 32-bit counts: half the memory a record touches (a run has 4 billion requests in no bucket).
  private readonly counts: Uint32Array;
  private total = 0;
  private readonly linear: number;
  private readonly subBuckets: number;

  constructor(private readonly bits = 10) {
    this.subBuckets = 2 ** bits;
    this.linear = 2 * this.subBuckets;
    // One run of sub-buckets per power of two from 2^(bits+1) to 2^31.
    this.counts = new Uint32Array(this.linear + (31 - bits) * this.subBuckets);
  }

  /** Records one value (rounded to an integer, clamped to [0, 2^32 − 1]). */
  record(value: number): void {
    const v = value <= 0 ? 0 : value >= MAX_VALUE ? MAX_VALUE : Math.round(value) >>> 0;
    this.counts[this.indexOf(v)]!++;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /**
   * The value at percentile `q` (0–100): the highest value of the first bucket whose cumulative
   * count reaches ⌈q/100 · n⌉ (at least 1). 0 for an empty histogram.
   */
  valueAtPercentile(q: number): number {
    if (this.total === 0) return 0;
    const target = Math.max(1, Math.ceil((q / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return this.highestValueOf(i);
    }
    return this.highestValueOf(this.counts.length - 1);
  }

  private indexOf(value: number): number {
    if (value < this.linear) return value;
    // (bit length − 1) − bits: value >> shift lies in [2^bits, 2^(bits+1)).
    const shift = 31 - Math.clz32(value) - this.bits;
    return this.linear + (shift - 1) * this.subBuckets + ((value >>> shift) - this.subBuckets);
  }

  /** The highest value that falls into bucket `index` (what HdrHistogram reports for percentiles). */
  private highestValueOf(index: number): number {
    if (index < this.linear) return index;
    const shift = Math.floor((index - this.linear) / this.subBuckets) + 1;
    const lowest = (((index - this.linear) % this.subBuckets) + this.subBuckets) * 2 ** shift;
    return lowest + 2 ** shift - 1;
  }
}
