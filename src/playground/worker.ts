/**
 * The playground's Web Worker: the same loader, run and summary as `lbsim run`, in a browser.
 * Started from a blob: URL; Stop terminates it. Only this file and the page's script touch the
 * browser's globals (the wall clock for the run's time, as the CLI's shell does).
 */
import { z } from 'zod';
import { buildSummary, NO_ASSETS, renderHtml, renderJson } from '../report/index.js';
import { formatScenarioErrors, parseScenarioText, type Scenario } from '../scenario/index.js';
import { runScenario, sampleSessionIndex, traceSession } from '../sim/index.js';
import { LBSIM_VERSION } from '../version.js';
import type { FromWorker, ScenarioFacts, ToWorker } from './protocol.js';

// zod would probe `new Function` under a CSP that forbids it, which logs an error: skip the probe.
z.config({ jitless: true });

interface WorkerScope {
  onmessage: ((event: { readonly data: ToWorker }) => void) | null;
  postMessage(message: FromWorker): void;
}
const scope = globalThis as unknown as WorkerScope;

const post = (message: FromWorker) => scope.postMessage(message);

function factsOf(scenario: Scenario): ScenarioFacts {
  return {
    name: scenario.name,
    seed: scenario.seed,
    sessions: scenario.sessions,
    backends: scenario.backends.map((b) => b.name),
    strategies: scenario.strategies.map((s) => s.name),
  };
}

function run(text: string, file: string): void {
  const loaded = parseScenarioText(text, file);
  if (!loaded.ok) return post({ kind: 'failed', errors: formatScenarioErrors(loaded.errors) });
  const scenario = loaded.scenario;
  const started = performance.now();
  const total = scenario.strategies.length;
  const expected = scenario.sessions ?? 0;
  let done = 0;
  const result = runScenario(scenario, {
    onProgress: (name, arrived) => post({ kind: 'progress', fraction: (done + (expected > 0 ? Math.min(1, arrived / expected) : 0)) / total, label: name }),
    onStrategyDone: (name, index) => {
      done = index + 1;
      post({ kind: 'progress', fraction: done / total, label: name });
    },
  });
  const runTimeMs = Math.round(performance.now() - started);
  const meta = { lbsimVersion: LBSIM_VERSION, generatedAt: new Date().toISOString(), runTimeMs };
  const index = sampleSessionIndex(result);
  const sample = index === undefined ? null : (traceSession(scenario, index) ?? null);
  const summary = buildSummary(result, meta, sample);
  post({ kind: 'done', summaryJson: renderJson(summary), reportHtml: renderHtml([summary], NO_ASSETS), runTimeMs });
}

scope.onmessage = ({ data }) => {
  if (data.kind === 'check') {
    const loaded = parseScenarioText(data.text, data.file);
    post(loaded.ok ? { kind: 'checked', seq: data.seq, errors: null, facts: factsOf(loaded.scenario) } : { kind: 'checked', seq: data.seq, errors: formatScenarioErrors(loaded.errors), facts: null });
  } else run(data.text, data.file);
};
