/**
 * Progress on stderr for commands that run simulations (`lbsim run`, `lbsim sweep`): a line per
 * finished strategy run, and a self-overwriting count of sessions at most four times a second.
 * Callers show it only when stderr is a terminal and stdout is not carrying JSON.
 */
import type { Io } from './io.js';
import type { Progress } from './parallel.js';

/** A progress printer; `totalSessions` is the sessions of one strategy run, when known. */
export function progressPrinter(io: Io, started: Date, totalSessions: number | undefined): Progress {
  const elapsed = () => ((io.now().getTime() - started.getTime()) / 1000).toFixed(1);
  let lastPrint = 0;
  return {
    done: (name, done, total) => io.stderr.write(`\r\u001b[K  ${name} done (${done}/${total}, ${elapsed()} s)\n`),
    arrived: (name, arrived, simulatedMs) => {
      const now = io.now().getTime();
      if (now - lastPrint < 250) return;
      lastPrint = now;
      if (simulatedMs < 0) {
        io.stderr.write(`\r\u001b[K  ${name}: warming up, ${Math.ceil(-simulatedMs / 1000).toLocaleString('en-US')} simulated s to go (${elapsed()} s)`);
        return;
      }
      const of = totalSessions === undefined ? '' : ` of ${totalSessions.toLocaleString('en-US')}`;
      io.stderr.write(`\r\u001b[K  ${name}: ${arrived.toLocaleString('en-US')}${of} sessions (${elapsed()} s)`);
    },
  };
}
