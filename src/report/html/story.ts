/**
 * "One user's story": the report's sample session — the first one a strategy broke — step by
 * step under every strategy, as `lbsim trace` prints it. A single shopper's fate is what a
 * workshop audience remembers after the percentages are forgotten.
 */
import type { SessionTrace, StrategyTrace } from '../../sim/index.js';

/** Simulated time to the hundredth of a second: steps seconds apart, requests milliseconds long. */
const at = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
import { renderTable } from './markup.js';
import { paragraphs } from './shell.js';

function fate(trace: StrategyTrace): string {
  const last = trace.requests.at(-1)?.step ?? 'the first step';
  if (trace.outcome === 'completed') return 'completed';
  if (trace.outcome === 'abandoned') return `the user left after ${last}`;
  return `broke at ${last} (${trace.cause ?? 'unknown cause'})`;
}

/** The lead paragraph: who the user was and what became of them under each strategy. */
export function explainStory(sample: SessionTrace, seed: string): string[] {
  const fates = sample.strategies.map((s, i) => `${i === 0 ? 'Under' : 'under'} ${s.strategy} it ${fate(s)}`);
  const warmup = sample.arrivalMs < 0 ? ' (during the warm-up)' : '';
  return [
    `Session ${sample.session}, from ${sample.client}, arrived at ${at(sample.arrivalMs)}${warmup}: the first session any strategy broke. ${fates.join('; ')}.`,
    `Each table follows its requests: when each was sent, the backends it reached (✗: an attempt that failed), the answer and where the session's state was afterwards. Any other session: lbsim trace <scenario> --session N --seed ${seed}.`,
  ];
}

function requestTable(trace: StrategyTrace): string {
  const table = {
    caption: `${trace.strategy}: ${fate(trace)}`,
    head: ['sent at', 'step', 'backends', 'status', 'latency', 'state afterwards'],
    rows: trace.requests.map((r) => [
      at(r.sentAtMs),
      r.step,
      r.attempts.length === 0 ? 'none (no live upstreams)' : r.attempts.map((a) => (a.ok ? a.backend : `${a.backend} ✗`)).join(' → '),
      String(r.status),
      `${r.latencyMs.toFixed(1)} ms`,
      r.stateAfter ?? '',
    ]),
  };
  return renderTable(table, 'data story');
}

/** The section's body, or undefined when the run has no sample session. */
export function renderStory(sample: SessionTrace | null | undefined, seed: string): string | undefined {
  if (!sample) return undefined;
  return [`<div class="explain">${paragraphs(explainStory(sample, seed))}</div>`, `<div class="grid two">${sample.strategies.map(requestTable).map((t) => `<div>${t}</div>`).join('\n')}</div>`].join('\n');
}
