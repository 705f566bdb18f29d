/**
 * Seeded, named random streams. Each stream is an independent seedrandom generator keyed by
 * `${seed}/${label}`, so a stream's numbers depend only on the seed and its label: adding a
 * stream, or drawing more from one, never shifts another (common random numbers across
 * strategies, pure-rand's explicit-generator style).
 *
 * The algorithm is frozen to seedrandom's Alea: changing it changes every golden file.
 */
import seedrandom from 'seedrandom';

export interface RandomStream {
  readonly label: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Independent child stream `${label}/${child}`; the same seed and label always give the same sequence. */
  fork(child: string): RandomStream;
}

class AleaStream implements RandomStream {
  readonly next: () => number;
  constructor(
    private readonly seed: string,
    readonly label: string,
  ) {
    // double() has 53 bits of resolution; the plain call has only 32. It needs no `this`, so it
    // is used as it is, without a wrapper call per draw.
    this.next = seedrandom.alea(`${seed}/${label}`).double;
  }
  fork(child: string): RandomStream {
    return new AleaStream(this.seed, `${this.label}/${child}`);
  }
}

/** The root stream of a run; fork it by concern (`workload/arrivals`, `faults`, …). */
export function createRandomStream(seed: string | number, label = 'root'): RandomStream {
  return new AleaStream(String(seed), label);
}
