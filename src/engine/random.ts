/**
 * Seeded, named random streams. Each stream is an independent seedrandom generator keyed by
 * `${seed}/${label}`, so a stream's numbers depend only on the seed and its label: adding a
 * stream, or drawing more from one, never shifts another (common random numbers across
 * strategies, pure-rand's explicit-generator style).
 *
 * The algorithm is frozen to seedrandom's Alea: changing it changes every golden file.
 * seedrandom seeds each stream (Alea's Mash hash of the key); the draws themselves step Alea's
 * state here, in a typed array. seedrandom keeps that state in object fields that V8 boxes as
 * heap numbers, and a run draws a dozen numbers per session: stepping them in a Float64Array took
 * most of the generator's cost away. A test checks every draw against seedrandom's own.
 */
import seedrandom from 'seedrandom';

export interface RandomStream {
  readonly label: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Independent child stream `${label}/${child}`; the same seed and label always give the same sequence. */
  fork(child: string): RandomStream;
}

/** Alea's multiplier, and 2^-32 and 2^-53 (seedrandom's `alea` and its `double()`). */
const MULTIPLIER = 2091639;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;
const TWO_TO_MINUS_53 = 1.1102230246251565e-16;

class AleaStream implements RandomStream {
  /** s0, s1, s2, c. */
  private readonly state: Float64Array;

  constructor(
    private readonly seed: string,
    readonly label: string,
  ) {
    const seeded = seedrandom.alea(`${seed}/${label}`, { state: true }).state();
    this.state = Float64Array.of(seeded.s0, seeded.s1, seeded.s2, seeded.c);
  }

  /** seedrandom's `double()`: two Alea steps, 32 high bits and 21 low bits of a 53-bit fraction. */
  next(): number {
    const s = this.state;
    let t = MULTIPLIER * s[0]! + s[3]! * TWO_TO_MINUS_32;
    s[0] = s[1]!;
    s[1] = s[2]!;
    s[3] = t | 0;
    const high = (s[2] = t - s[3]);
    t = MULTIPLIER * s[0]! + s[3]! * TWO_TO_MINUS_32;
    s[0] = s[1]!;
    s[1] = s[2]!;
    s[3] = t | 0;
    const low = (s[2] = t - s[3]);
    return high + ((low * 0x200000) | 0) * TWO_TO_MINUS_53;
  }

  fork(child: string): RandomStream {
    return new AleaStream(this.seed, `${this.label}/${child}`);
  }
}

/** The root stream of a run; fork it by concern (`workload/arrivals`, `faults`, …). */
export function createRandomStream(seed: string | number, label = 'root'): RandomStream {
  return new AleaStream(String(seed), label);
}
