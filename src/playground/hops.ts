/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A small animation of the report's sample user: under each strategy, a row of backends, and the
 * user's requests lighting up the backend each one reached, step by step (from the trace in
 * summary.json). Keyboard: the buttons step back and forth; it plays once by itself, and not at
 * all for readers who asked the system for reduced motion.
 */
import type { SampleSession } from '../report/index.js';

const STEP_MS = 700;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

/** Draws the sample session into `root` and plays it; returns a function that stops the playing. */
export function showHops(root: HTMLElement, sample: SampleSession, backends: readonly string[]): () => void {
  const longest = Math.max(...sample.strategies.map((s) => s.requests.length));
  const caption = element('p', 'hop-step');
  const rows = sample.strategies.map((trace) => {
    const row = element('div', 'hop-row');
    row.append(element('div', '', trace.strategy));
    const lanes = element('div', 'hop-lanes');
    const cells = backends.map((name) => {
      const cell = element('span', 'hop-cell', name.replace(/:\d+$/, '').replace(/^.*\./, '.'));
      cell.title = name;
      lanes.append(cell);
      return cell;
    });
    row.append(lanes);
    return { trace, cells };
  });
  let step = 0;
  const draw = () => {
    const parts: string[] = [];
    for (const { trace, cells } of rows) {
      const request = trace.requests[Math.min(step, trace.requests.length - 1)];
      for (const cell of cells) cell.classList.remove('here', 'failed');
      if (request === undefined) continue;
      for (const attempt of request.attempts) cells[backends.indexOf(attempt.backend)]?.classList.add(attempt.ok ? 'here' : 'failed');
      parts.push(`${trace.strategy}: ${request.attempts.map((a) => `${a.backend}${a.ok ? '' : ' ✗'}`).join(' → ')} (${request.status})`);
    }
    const name = rows[0]?.trace.requests[Math.min(step, (rows[0]?.trace.requests.length ?? 1) - 1)]?.step ?? '';
    caption.textContent = `Request ${step + 1} of ${longest} (${name}). ${parts.join('; ')}.`;
  };
  const back = element('button', '', '◀ back');
  const next = element('button', '', 'next ▶');
  back.type = next.type = 'button';
  back.addEventListener('click', () => { stop(); step = Math.max(0, step - 1); draw(); });
  next.addEventListener('click', () => { stop(); step = Math.min(longest - 1, step + 1); draw(); });
  const buttons = element('div', 'row');
  buttons.append(back, next);
  root.replaceChildren(element('p', '', `Session ${sample.session}, from ${sample.client}: the backend each request reached (red: an attempt that failed).`), ...rows.map((r) => r.cells[0]!.parentElement!.parentElement!), caption, buttons);
  draw();
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const timer = reduced ? undefined : window.setInterval(() => {
    if (step >= longest - 1) return stop();
    step++;
    draw();
  }, STEP_MS);
  function stop() {
    if (timer !== undefined) window.clearInterval(timer);
  }
  return stop;
}
