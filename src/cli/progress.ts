/**
 * Progress on stderr for commands that run simulations (`lbsim run`, `lbsim sweep`): ONE
 * self-overwriting line for the whole command — every strategy, replication and sweep point,
 * threaded or not — with a bar, the share done, the strategy runs finished and an estimate of
 * the time left. Redrawn at most four times a second; ended with a newline when all is done.
 * Callers show it only when stderr is a terminal and stdout is not carrying JSON.
 */
import type { Io } from './io.js';
import type { Progress } from './parallel.js';

/** Characters of the bar between its brackets. */
const BAR_WIDTH = 24;
/** The line is redrawn at most this often. */
const REDRAW_MS = 250;

/** A duration for people: `8 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * The time left, assuming the rest goes at the pace so far: `ETA 12 s`; `ETA …` before
 * anything is measured (nothing done yet, or less than a second run).
 */
export function etaText(fraction: number, elapsedMs: number): string {
  if (fraction >= 1) return 'done';
  if (!(fraction > 0) || elapsedMs < 1000) return 'ETA …';
  return `ETA ${formatDuration((elapsedMs * (1 - fraction)) / fraction)}`;
}

/** What the progress line shows. */
export interface ProgressState {
  /** Share of the whole command's work done, 0 to 1. */
  readonly fraction: number;
  /** Strategy runs finished, of `total`. */
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** The progress line: `[#########...............]  38%  3/8 runs  4.1 s, ETA 7 s`. */
export function progressLine(state: ProgressState): string {
  const fraction = Math.min(1, Math.max(0, state.fraction));
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${state.done}/${state.total} runs  ${(state.elapsedMs / 1000).toFixed(1)} s, ${etaText(fraction, state.elapsedMs)}`;
}

/** A progress printer drawing one line on `io.stderr` for the runs that start at `started`. */
export function progressPrinter(io: Io, started: Date): Progress {
  const running = new Map<number, number>();
  const finished = new Set<number>();
  let total = 0;
  let lastDraw = -Infinity;
  const draw = (force: boolean) => {
    const now = io.now().getTime();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    let partial = 0;
    for (const share of running.values()) partial += share;
    const fraction = total === 0 ? 0 : (finished.size + partial) / total;
    const last = total > 0 && finished.size === total;
    io.stderr.write(`\r\u001b[K${progressLine({ fraction, done: finished.size, total, elapsedMs: now - started.getTime() })}${last ? '\n' : ''}`);
  };
  return {
    start: (tasks) => {
      total = tasks;
      draw(true);
    },
    advanced: (task, fraction) => {
      if (finished.has(task)) return;
      running.set(task, Math.min(fraction, 1));
      draw(false);
    },
    done: (task) => {
      running.delete(task);
      finished.add(task);
      draw(finished.size === total);
    },
  };
}
