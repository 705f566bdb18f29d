/**
 * `lbsim trace`: one session's life under each strategy as text — the story a workshop audience
 * remembers: where each step went, where the state was, and where and why it broke.
 */
import type { SessionTrace, StrategyTrace, TracedRequest } from '../sim/index.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** What became of the session under one strategy: `completed`, `broken at cart: state-missing`, … */
export function verdict(trace: StrategyTrace): string {
  const lastStep = trace.requests.at(-1)?.step ?? 'the first step';
  if (trace.outcome === 'completed') return 'completed';
  if (trace.outcome === 'abandoned') return `the user left after ${lastStep}`;
  return `broken at ${lastStep}: ${trace.cause ?? 'unknown cause'}`;
}

/** The backends one request reached, in order, a failed attempt marked ✗. */
export function routeText(request: TracedRequest): string {
  return request.attempts.length === 0 ? 'no backend (no live upstreams)' : request.attempts.map((a) => (a.ok ? a.backend : `${a.backend} ✗`)).join(' → ');
}

/** Renders a session trace, ending with a newline. */
export function renderTrace(trace: SessionTrace): string {
  // Before time 0 is the warm-up: the session ran, but counts in no figure.
  const warmup = trace.arrivalMs < 0 ? '; in the warm-up, so it counts in no figure' : '';
  const lines = [`Session ${trace.session} (client ${trace.client}, arrived at ${seconds(trace.arrivalMs)}${warmup})`, ''];
  for (const strategy of trace.strategies) {
    lines.push(`${strategy.strategy} — ${verdict(strategy)}`);
    const stepWidth = Math.max(4, ...strategy.requests.map((r) => r.step.length));
    for (const request of strategy.requests) {
      const route = routeText(request);
      const state = request.stateAfter === null ? '' : `  state: ${request.stateAfter}`;
      lines.push(`  ${seconds(request.sentAtMs).padStart(10)}  ${request.step.padEnd(stepWidth)}  ${route}  ${request.status}  ${request.latencyMs.toFixed(1)} ms${state}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
