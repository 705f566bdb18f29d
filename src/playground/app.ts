/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The playground page's script: the scenario editor checked as you type (by a worker, with the
 * CLI's own messages), the controls that write into it, Run and Stop, the results, Share and
 * Download. The page records its state on `<html data-run="idle|running|done|stopped|failed">`
 * for readers and tests.
 */
import type { SampleSession } from '../report/index.js';
import { CATALOG_ELEMENT_ID, decodeFragment, encodeFragment, FIRST_SCENARIO, PASTED_FILE, PASTED_JSON, WORKER_ELEMENT_ID, type CatalogEntry } from './catalog.js';
import { keepStrategies, readControls, setArrivalRate, setBackendCount, setCacheOutage, setCacheRoundTrip, setFailure, setMobileShare, setNatShare, setSeed, setSessions, type Edit, type FailureKind } from './controls.js';
import { showHops } from './hops.js';
import type { FromWorker, ScenarioFacts, ToWorker } from './protocol.js';
import { showReport } from './results.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const catalog = JSON.parse($(CATALOG_ELEMENT_ID).textContent ?? '[]') as CatalogEntry[];
const workerUrl = URL.createObjectURL(new Blob([$(WORKER_ELEMENT_ID).textContent ?? ''], { type: 'text/javascript' }));
const editor = $<HTMLTextAreaElement>('editor');
const pick = $<HTMLSelectElement>('pick');
const status = $('status');
const progress = $<HTMLProgressElement>('progress');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');

let file = PASTED_FILE;
let original = '';
let facts: ScenarioFacts | null = null;
let errors: string | null = null;
let summaryJson: string | undefined;
let running: Worker | undefined;
let stopHops = () => {};
let autoRun = false;

const setState = (state: string) => document.documentElement.setAttribute('data-run', state);

// Checking: one long-lived worker; answers to an older text are dropped.
const checker = new Worker(workerUrl);
let seq = 0;
checker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
  if (data.kind !== 'checked' || data.seq !== seq) return;
  errors = data.errors;
  facts = data.facts;
  const check = $('check');
  check.className = errors === null ? 'ok' : 'errors';
  check.textContent = errors === null && facts ? `✓ valid: ${facts.strategies.length} strategies, ${facts.backends.length} backends, ${facts.sessions ?? 'window-limited'} sessions, seed ${facts.seed}` : (errors ?? '');
  check.setAttribute('data-errors', errors ?? '');
  document.documentElement.setAttribute('data-checked', String(seq));
  runButton.disabled = errors !== null || running !== undefined;
  fillControls();
  if (autoRun && errors === null) {
    autoRun = false;
    run();
  }
};
function check(): void {
  const message: ToWorker = { kind: 'check', seq: ++seq, text: editor.value, file };
  checker.postMessage(message);
}
let typing: number | undefined;
editor.addEventListener('input', () => {
  // Text of your own is named as the CLI would name a file of it: JSON when it looks like JSON.
  if (pick.value === '') file = editor.value.trimStart().startsWith('{') ? PASTED_JSON : PASTED_FILE;
  window.clearTimeout(typing);
  typing = window.setTimeout(check, 150);
});

function load(text: string, name: string): void {
  editor.value = original = text;
  file = name;
  check();
}
pick.addEventListener('change', () => {
  const entry = catalog.find((e) => e.file === pick.value);
  if (entry) load(entry.text, entry.file);
  else file = editor.value.trimStart().startsWith('{') ? PASTED_JSON : PASTED_FILE;
});

// Controls: each writes into the scenario's text.
function apply(edit: Edit): void {
  editor.value = edit(editor.value);
  check();
}
const input = (id: string) => $<HTMLInputElement>(id);
function fillControls(): void {
  const values = readControls(editor.value);
  const set = (id: string, value: string) => { if (document.activeElement !== input(id)) input(id).value = value; };
  set('c-sessions', facts?.sessions === undefined ? '' : String(facts.sessions));
  set('c-rate', values.rate === undefined ? '' : String(values.rate));
  set('c-backends', facts ? String(facts.backends.length) : '');
  set('c-nat', String(values.natShare));
  set('c-mobile', String(values.mobileShare));
  set('c-rtt', values.roundTripMs === undefined ? '' : String(values.roundTripMs));
  set('c-seed', facts?.seed ?? '');
  input('c-outage').checked = values.outage !== undefined;
  const failBackend = $<HTMLSelectElement>('c-fail-backend');
  if (facts) failBackend.replaceChildren(new Option('none', ''), ...facts.backends.map((b) => new Option(b, b)));
  failBackend.value = values.failure?.backend ?? '';
  if (values.failure) {
    input('c-fail-at').value = values.failure.at;
    $<HTMLSelectElement>('c-fail-kind').value = values.failure.kind;
  }
  const all = (() => { try { return [...original.matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1]!.trim().replace(/^["']|["']$/g, '')); } catch { return []; } })();
  const box = $('c-strategies');
  box.replaceChildren(...all.map((name) => {
    const label = document.createElement('label');
    const tick = document.createElement('input');
    tick.type = 'checkbox';
    tick.value = name;
    tick.checked = facts?.strategies.includes(name) ?? true;
    tick.addEventListener('change', () => apply(keepStrategies(original, [...box.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value))));
    label.append(tick, ` ${name}`);
    return label;
  }));
}
const onChange = (id: string, edit: (value: string) => Edit | undefined) =>
  input(id).addEventListener('change', () => {
    const e = edit(input(id).value);
    if (e) apply(e);
  });
const positive = (v: string) => (Number(v) > 0 ? Number(v) : undefined);
onChange('c-sessions', (v) => (positive(v) ? setSessions(Math.round(Number(v))) : undefined));
onChange('c-rate', (v) => (positive(v) ? setArrivalRate(Number(v)) : undefined));
onChange('c-backends', (v) => (positive(v) ? setBackendCount(Math.round(Number(v))) : undefined));
onChange('c-nat', (v) => setNatShare(Number(v) || 0));
onChange('c-mobile', (v) => setMobileShare(Number(v) || 0));
onChange('c-rtt', (v) => (Number(v) >= 0 && v !== '' ? setCacheRoundTrip(Number(v)) : undefined));
onChange('c-seed', (v) => (v.trim() ? setSeed(v.trim()) : undefined));
const failure = () => {
  const backend = $<HTMLSelectElement>('c-fail-backend').value;
  apply(setFailure(backend ? { backend, at: input('c-fail-at').value.trim() || '50%', kind: $<HTMLSelectElement>('c-fail-kind').value as FailureKind } : undefined));
};
for (const id of ['c-fail-backend', 'c-fail-at', 'c-fail-kind']) $(id).addEventListener('change', failure);
const outage = () => apply(setCacheOutage(input('c-outage').checked ? { at: input('c-outage-at').value.trim() || '50%', duration: input('c-outage-for').value.trim() || '60s' } : undefined));
for (const id of ['c-outage', 'c-outage-at', 'c-outage-for']) $(id).addEventListener('change', outage);

// Running: a worker of its own, ended by Stop.
function finish(state: string, message: string): void {
  running?.terminate();
  running = undefined;
  stopButton.disabled = true;
  runButton.disabled = errors !== null;
  status.textContent = message;
  setState(state);
}
function run(): void {
  if (running || errors !== null) return;
  stopHops();
  running = new Worker(workerUrl);
  setState('running');
  runButton.disabled = true;
  stopButton.disabled = false;
  progress.value = 0;
  status.textContent = 'Running…';
  running.onmessage = ({ data }: MessageEvent<FromWorker>) => {
    if (data.kind === 'progress') {
      progress.value = data.fraction;
      status.textContent = `Running ${data.label}… ${Math.round(data.fraction * 100)}%`;
    } else if (data.kind === 'failed') {
      finish('failed', 'The scenario has errors: see below the editor.');
    } else if (data.kind === 'done') {
      summaryJson = data.summaryJson;
      $<HTMLButtonElement>('dl-json').disabled = false;
      progress.value = 1;
      const report = $('report');
      showReport(data.reportHtml, report, $('verdict-text'));
      $('verdict').classList.remove('waiting');
      const summary = JSON.parse(data.summaryJson) as { sampleSession?: SampleSession | null; scenario: { setup?: { backends?: { name: string }[] } } };
      const sample = summary.sampleSession;
      $('hops').hidden = !sample;
      if (sample) stopHops = showHops($('hops-body'), sample, facts?.backends ?? summary.scenario.setup?.backends?.map((b) => b.name) ?? []);
      document.documentElement.setAttribute('data-run-ms', String(data.runTimeMs));
      finish('done', `Done in ${(data.runTimeMs / 1000).toFixed(2)} s. The verdict is at the top; the full report is below.`);
      $('verdict').scrollIntoView({ block: 'nearest' });
    }
  };
  running.postMessage({ kind: 'run', text: editor.value, file } satisfies ToWorker);
}
runButton.addEventListener('click', run);
stopButton.addEventListener('click', () => finish('stopped', 'Stopped.'));

// Share and Download.
$('share').addEventListener('click', () => {
  history.replaceState(null, '', `#${encodeFragment(editor.value)}`);
  status.textContent = 'The address now holds this scenario: copy the link from the address bar.';
});
function download(name: string, text: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
$('dl-yaml').addEventListener('click', () => download(file === PASTED_FILE ? 'scenario.yaml' : file, editor.value, 'application/yaml'));
$('dl-json').addEventListener('click', () => summaryJson && download('summary.json', summaryJson, 'application/json'));

// Start: the shared scenario of the fragment (and run it), or the first bundled one.
setState('idle');
const shared = decodeFragment(location.hash);
if (shared !== undefined) {
  pick.value = '';
  autoRun = true;
  load(shared, PASTED_FILE);
} else {
  pick.value = FIRST_SCENARIO;
  load(catalog.find((e) => e.file === FIRST_SCENARIO)?.text ?? catalog[0]?.text ?? '', FIRST_SCENARIO);
}
