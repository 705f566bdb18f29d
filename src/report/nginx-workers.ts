/**
 * What lbsim does not model of nginx, said wherever nginx strategies are shown (`validate`, the
 * terminal table, the HTML report): one worker process. Without `zone`, each nginx worker keeps
 * its own failure counts and probes a dead server on its own, and which worker takes a connection
 * is the kernel's choice, so this cannot be modelled exactly.
 */
import { isNginxMethod } from '../scenario/index.js';

/** The note for strategies using these methods (in order), or undefined when none is nginx's. */
export function nginxWorkerNote(methods: readonly string[]): string | undefined {
  const nginx = [...new Set(methods.filter(isNginxMethod))];
  if (nginx.length === 0) return undefined;
  return (
    `lbsim models nginx (${nginx.join(', ')}) as one worker process, or workers sharing a zone: ` +
    'with several workers and no zone, each keeps its own failure counts and probes a dead server on its own, so a real nginx sends a few more requests to a dead backend.'
  );
}
