/**
 * "One user's story": the report's sample session — the first one a strategy broke — step by
 * step under every strategy, as `lbsim trace` prints it. A single shopper's fate is what a
 * workshop audience remembers after the percentages are forgotten.
 */
import type { StrategyTrace } from '../../sim/index.js';
import type { SampleSession } from '../summary.js';
import { routeText, verdict } from '../trace.js';
import { renderTable } from './markup.js';
import { paragraphs } from './shell.js';

/** Simulated time to the hundredth of a second: steps seconds apart, requests milliseconds long. */
const at = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The lead paragraph: who the user was, what became of them under each strategy, and how to trace another. */
export function explainStory(sample: SampleSession): string[] {
  const fates = sample.strategies.map((s) => `${s.strategy} — ${verdict(s)}`);
  const warmup = sample.arrivalMs < 0 ? ' (during the warm-up)' : '';
  return [
    `Session ${sample.session}, from ${sample.client}, arrived at ${at(sample.arrivalMs)}${warmup}: the first session any strategy broke. ${fates.join('; ')}.`,
    `Each table follows its requests: when each was sent, the backends it reached (✗: an attempt that failed), the answer and where the session's state was afterwards. This session or any other: lbsim trace <scenario> --session N --seed ${sample.seed}, with the run's --sessions and --set if it had them.`,
  ];
}

function requestTable(trace: StrategyTrace): string {
  const table = {
    caption: `${trace.strategy} — ${verdict(trace)}`,
    head: ['sent at', 'step', 'backends', 'status', 'latency', 'state afterwards'],
    rows: trace.requests.map((r) => [
      at(r.sentAtMs),
      r.step,
      routeText(r),
      String(r.status),
      `${r.latencyMs.toFixed(1)} ms`,
      r.stateAfter ?? '',
    ]),
  };
  return renderTable(table, 'data story');
}

/** The section's body, or undefined when the run has no sample session. */
export function renderStory(sample: SampleSession | null | undefined): string | undefined {
  if (!sample) return undefined;
  return [`<div class="explain">${paragraphs(explainStory(sample))}</div>`, `<div class="grid two">${sample.strategies.map(requestTable).map((t) => `<div>${t}</div>`).join('\n')}</div>`].join('\n');
}
