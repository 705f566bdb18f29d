/**
 * Queueing theory for the bench's reference workload (../shared/bench/WORKLOAD.md), ported from
 * ../shared/bench/theory.py (standard library Python) so the bench needs no Python.
 *
 * Each backend is a c-worker FIFO queue with exponential service of rate μ. The request stream
 * reaching the balancer is very nearly Poisson (the superposition of ~2,100 live sessions), at
 * λ = session rate × steps.
 *
 * - Session hash (sticky): a backend serves a fixed subset of sessions, so it sees a near-Poisson
 *   stream at its share of λ: M/M/c (Erlang C) per backend, mixed by share. `stickyPrediction`.
 * - Round robin: a backend gets every B-th request of a Poisson stream, so its inter-arrival
 *   times are Erlang-B: E_B/M/c, solved exactly (up to a far truncation) as a level × phase
 *   Markov chain by linear level reduction. `ekmc`. It waits much less than M/M/c at the same
 *   utilisation (heavy: 95.70 ms against Erlang C's 104.96 ms).
 *
 * Response time = wait + service. For M/M/c and GI/M/c the wait, given that there is one, is
 * exponential (rate θ), so p99 comes from the closed-form tail of W + S, solved by bisection.
 *
 * Inside this file time is in seconds (rates per second), as in theory.py; the exported
 * predictions carry milliseconds in their names.
 */

/** Erlang C: the probability of waiting in M/M/c with offered load a = λ/μ < c. */
export function erlangC(c: number, a: number): number {
  let term = 1; // a^k / k!, from k = 0
  let total = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    total += term;
  }
  const top = ((term * a) / c) * (c / (c - a)); // a^c/c! · c/(c − a)
  return top / (total + top);
}

/** P(R > t) for R = W + S: W = 0 with probability 1 − pWait, else Exp(θ); S ~ Exp(μ). Seconds. */
export function responseTail(t: number, pWait: number, theta: number, mu: number): number {
  let both: number;
  if (Math.abs(theta - mu) < 1e-12 * mu) both = Math.exp(-mu * t) * (1 + mu * t);
  else if (!Number.isFinite(theta)) both = Math.exp(-mu * t);
  else both = (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
  return (1 - pWait) * Math.exp(-mu * t) + pWait * both;
}

/** The q-quantile of any decreasing tail function, in seconds, by doubling then 200 bisections. */
function quantileOf(tail: (t: number) => number, q: number, start: number): number {
  let lo = 0;
  let hi = start;
  while (tail(hi) > 1 - q) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The q-quantile of R = W + S (see `responseTail`), in seconds. */
export function responseQuantile(q: number, pWait: number, theta: number, mu: number): number {
  return quantileOf((t) => responseTail(t, pWait, theta, mu), q, 1 / mu);
}

/** One queue's prediction. Times in milliseconds. */
export interface QueuePrediction {
  readonly model: string;
  readonly rho: number;
  readonly pWait: number;
  readonly meanWaitMs: number;
  readonly meanRtMs: number;
  readonly p50RtMs: number;
  readonly p99RtMs: number;
}

/** M/M/c at arrival rate `lam` and service rate `mu` (per second), `c` workers. */
export function mmc(lam: number, mu: number, c: number): QueuePrediction {
  const a = lam / mu;
  const pWait = erlangC(c, a);
  const theta = c * mu - lam;
  const wq = pWait / theta;
  return {
    model: `M/M/${c}`,
    rho: a / c,
    pWait,
    meanWaitMs: wq * 1e3,
    meanRtMs: (1 / mu + wq) * 1e3,
    p50RtMs: responseQuantile(0.5, pWait, theta, mu) * 1e3,
    p99RtMs: responseQuantile(0.99, pWait, theta, mu) * 1e3,
  };
}

type Matrix = number[][];

const zeros = (k: number): Matrix => Array.from({ length: k }, () => new Array<number>(k).fill(0));

/** Inverse of a small dense matrix (Gauss–Jordan with partial pivoting). */
function inverse(m: Matrix): Matrix {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    const p = a[col]![col]!;
    a[col] = a[col]!.map((x) => x / p);
    for (let r = 0; r < n; r++) {
      const f = a[r]![col]!;
      if (r !== col && f !== 0) a[r] = a[r]!.map((x, j) => x - f * a[col]![j]!);
    }
  }
  return a.map((row) => row.slice(n));
}

function matmul(x: Matrix, y: Matrix): Matrix {
  return x.map((row) => y[0]!.map((_, j) => row.reduce((s, v, i) => s + v * y[i]![j]!, 0)));
}

function vecmat(v: readonly number[], m: Matrix): number[] {
  return m[0]!.map((_, j) => v.reduce((s, x, i) => s + x * m[i]![j]!, 0));
}

/**
 * E_k/M/c: Erlang-k inter-arrival times of mean 1/lam, c exponential workers of rate mu.
 * The continuous-time chain on (customers n, arrival phase 0…k−1) is truncated at `levels`
 * customers and solved by linear level reduction (π_n = π_{n−1} R_n, from the top level down);
 * the wait seen by an arrival follows from the arrival-epoch distribution (arrivals leave from
 * the last phase). Reproduces Erlang C for k = 1 (theory.py checks the GI/M/1 closed form too).
 */
export function ekmc(lam: number, mu: number, c: number, k: number, levels?: number): QueuePrediction {
  const top = levels ?? Math.max(400, Math.trunc((40 * c) / Math.max(1e-9, 1 - lam / (c * mu))));
  const kl = k * lam;
  const local = (n: number): Matrix => {
    const m = zeros(k);
    const outUp = n < top ? kl : 0; // arrivals are blocked at the top level
    for (let ph = 0; ph < k; ph++) {
      m[ph]![ph] = -((ph < k - 1 ? kl : outUp) + Math.min(n, c) * mu);
      if (ph < k - 1) m[ph]![ph + 1] = kl;
    }
    return m;
  };
  const up = zeros(k);
  up[k - 1]![0] = kl;
  const down = (n: number): Matrix => {
    const m = zeros(k);
    for (let i = 0; i < k; i++) m[i]![i] = Math.min(n, c) * mu;
    return m;
  };
  const neg = (m: Matrix): Matrix => m.map((row) => row.map((x) => -x));
  const add = (x: Matrix, y: Matrix): Matrix => x.map((row, i) => row.map((v, j) => v + y[i]![j]!));

  const R: Matrix[] = new Array<Matrix>(top + 1);
  R[top] = matmul(up, inverse(neg(local(top))));
  for (let n = top - 1; n >= 1; n--) R[n] = matmul(up, inverse(neg(add(local(n), matmul(R[n + 1]!, down(n + 1))))));
  // Level 0: π_0 (L_0 + R_1 D_1) = 0 with π_0[0] = 1 (normalised later): drop one equation.
  const m0 = add(local(0), matmul(R[1]!, down(1)));
  const mt = m0[0]!.map((_, j) => m0.map((row) => row[j]!)); // transpose
  const a = mt.slice(1).map((row) => row.slice(1));
  const b = mt.slice(1).map((row) => -row[0]!);
  // x = [1, A⁻¹ b]: vecmat(b, (A⁻¹)ᵀ) as in theory.py.
  const inv = k > 1 ? inverse(a) : [];
  const x = k > 1 ? [1, ...vecmat(b, inv[0]!.map((_, j) => inv.map((row) => row[j]!)))] : [1];
  const pis: number[][] = [x];
  for (let n = 1; n <= top; n++) pis.push(vecmat(pis[n - 1]!, R[n]!));
  // Arrivals leave from the last phase at rate k·λ whatever n is.
  const arrRaw = pis.map((p) => p[k - 1]!);
  const za = arrRaw.reduce((s, v) => s + v, 0);
  const arr = arrRaw.map((v) => v / za);
  let pWait = 0;
  let meanWait = 0;
  for (let n = c; n <= top; n++) {
    pWait += arr[n]!;
    meanWait += (arr[n]! * (n - c + 1)) / (c * mu);
  }
  const theta = meanWait > 0 ? pWait / meanWait : Infinity;
  return {
    model: `E${k}/M/${c}`,
    rho: lam / (c * mu),
    pWait,
    meanWaitMs: meanWait * 1e3,
    meanRtMs: (1 / mu + meanWait) * 1e3,
    p50RtMs: responseQuantile(0.5, pWait, theta, mu) * 1e3,
    p99RtMs: responseQuantile(0.99, pWait, theta, mu) * 1e3,
  };
}

/** MurmurHash3's 32-bit finaliser: WORKLOAD.md's session-hash routing (fmix32(id) mod 8). */
export function fmix32(id: number): number {
  let h = id >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The reference workload's parameters (WORKLOAD.md), with rates per second and times in ms. */
export interface BenchWorkload {
  readonly sessionsPerSec: number;
  readonly steps: number;
  readonly backends: number;
  readonly workers: number;
  readonly serviceMeanMs: number;
}

export const SHOP_LIGHT: BenchWorkload = { sessionsPerSec: 200, steps: 6, backends: 8, workers: 16, serviceMeanMs: 20 };
export const SHOP_HEAVY: BenchWorkload = { ...SHOP_LIGHT, serviceMeanMs: 90 };

/**
 * The values of WORKLOAD.md's "Expected values" table (computed there by `python3 theory.py`),
 * rounded as printed. The bench recomputes them with `roundRobinPrediction` / `mmc` and checks
 * that they agree (`checkTheoryPort`); these constants are what results are compared against.
 */
export const WORKLOAD_TABLE = {
  light: { model: 'M/M/16 (E8/M/16 is the same at ρ = 0.1875)', meanRtMs: 20.0, p99RtMs: 92.1, pWait: 1.3e-7 },
  heavyRoundRobin: { model: 'E8/M/16', meanRtMs: 95.7, p99RtMs: 421.6, pWait: 0.2694 },
  heavyErlangC: { model: 'M/M/16 at exactly 150 req/s', meanRtMs: 104.96, p99RtMs: 436.5, pWait: 0.4156 },
  heavySticky100k: { model: 'M/M/16 per backend at fmix32 shares of 100,000 sessions', meanRtMs: 105.04, p99RtMs: 436.7 },
} as const;

/** Round robin over equal backends: E_B/M/c per backend (WORKLOAD.md). */
export function roundRobinPrediction(w: BenchWorkload): QueuePrediction {
  const lamB = (w.sessionsPerSec * w.steps) / w.backends;
  return ekmc(lamB, 1000 / w.serviceMeanMs, w.workers, w.backends);
}

/** Plain Erlang C per backend at an exactly even split. */
export function evenPoissonPrediction(w: BenchWorkload): QueuePrediction {
  return mmc((w.sessionsPerSec * w.steps) / w.backends, 1000 / w.serviceMeanMs, w.workers);
}

export interface StickyPrediction {
  readonly model: string;
  readonly shares: readonly number[];
  readonly rhoMin: number;
  readonly rhoMax: number;
  readonly meanRtMs: number;
  readonly p99RtMs: number;
}

/**
 * A session-keyed hash: each backend is M/M/c at its measured share of the request stream, and
 * the response time is the mixture over backends weighted by share (theory.py's `sticky`).
 * `countsPerBackend` are requests (or sessions) per backend, e.g. summary.json's
 * `strategies[i].backends[].requests`. Undefined when a backend would be overloaded (ρ ≥ 1).
 */
export function stickyPrediction(w: BenchWorkload, countsPerBackend: readonly number[]): StickyPrediction | undefined {
  const total = countsPerBackend.reduce((s, v) => s + v, 0);
  const mu = 1000 / w.serviceMeanMs;
  const lamTotal = w.sessionsPerSec * w.steps;
  const shares = countsPerBackend.map((n) => n / total);
  if (shares.some((s) => lamTotal * s >= w.workers * mu)) return undefined;
  const per = shares.map((s) => ({ share: s, q: mmc(lamTotal * s, mu, w.workers) }));
  const active = per.filter((p) => p.share > 0);
  const tail = (t: number): number =>
    active.reduce((sum, { share, q }) => sum + share * responseTail(t, q.pWait, q.meanWaitMs > 0 ? q.pWait / (q.meanWaitMs / 1e3) : Infinity, mu), 0);
  return {
    model: `M/M/${w.workers} per backend at measured shares`,
    shares,
    rhoMin: Math.min(...active.map((p) => p.q.rho)),
    rhoMax: Math.max(...active.map((p) => p.q.rho)),
    meanRtMs: active.reduce((s, p) => s + p.share * p.q.meanRtMs, 0),
    p99RtMs: quantileOf(tail, 0.99, 1 / mu) * 1e3,
  };
}

/** Sessions per backend under WORKLOAD.md's fmix32(id) mod B routing, for ids 0…n−1. */
export function fmix32Split(sessions: number, backends: number): number[] {
  const counts = new Array<number>(backends).fill(0);
  for (let id = 0; id < sessions; id++) counts[fmix32(id) % backends]!++;
  return counts;
}

/**
 * Recomputes WORKLOAD.md's table with this port and returns the mismatches (empty when the port
 * agrees with theory.py to the printed precision). Also checks fmix32's test vectors.
 */
export function checkTheoryPort(): string[] {
  const problems: string[] = [];
  const near = (label: string, got: number, want: number, tol: number) => {
    if (!(Math.abs(got - want) <= tol)) problems.push(`${label}: port gives ${got}, WORKLOAD.md says ${want}`);
  };
  near('fmix32(1)', fmix32(1), 1364076727, 0);
  near('fmix32(2)', fmix32(2), 821347078, 0);
  near('fmix32(12345)', fmix32(12345), 1011272156, 0);
  const light = evenPoissonPrediction(SHOP_LIGHT);
  near('light mean', light.meanRtMs, WORKLOAD_TABLE.light.meanRtMs, 0.0005);
  near('light p99', light.p99RtMs, WORKLOAD_TABLE.light.p99RtMs, 0.05);
  const rr = roundRobinPrediction(SHOP_HEAVY);
  near('heavy E8/M/16 mean', rr.meanRtMs, WORKLOAD_TABLE.heavyRoundRobin.meanRtMs, 0.005);
  near('heavy E8/M/16 p99', rr.p99RtMs, WORKLOAD_TABLE.heavyRoundRobin.p99RtMs, 0.05);
  near('heavy E8/M/16 P(wait)', rr.pWait, WORKLOAD_TABLE.heavyRoundRobin.pWait, 0.00005);
  const mm = evenPoissonPrediction(SHOP_HEAVY);
  near('heavy Erlang C mean', mm.meanRtMs, WORKLOAD_TABLE.heavyErlangC.meanRtMs, 0.005);
  near('heavy Erlang C p99', mm.p99RtMs, WORKLOAD_TABLE.heavyErlangC.p99RtMs, 0.05);
  const split = fmix32Split(100_000, 8);
  if (split.join() !== '12596,12640,12384,12588,12492,12341,12435,12524') problems.push(`fmix32 split of 100,000: ${split.join()}`);
  const sticky = stickyPrediction(SHOP_HEAVY, split);
  near('heavy sticky mean', sticky?.meanRtMs ?? NaN, WORKLOAD_TABLE.heavySticky100k.meanRtMs, 0.005);
  near('heavy sticky p99', sticky?.p99RtMs ?? NaN, WORKLOAD_TABLE.heavySticky100k.p99RtMs, 0.05);
  return problems;
}
