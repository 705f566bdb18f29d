/**
 * The playground's own stylesheet (the report brings its own for the results): the Run button and
 * the verdict first, controls in a column beside the editor on a projector, everything stacked on
 * a phone. System fonts; nothing loaded.
 */
export const PLAYGROUND_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5a6272; --line: #d9dde5; --paper: #fff; --wash: #f5f6f8; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--wash); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
.bar { position: sticky; top: 0; z-index: 5; background: var(--paper); border-bottom: 1px solid var(--line); padding: 8px 16px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; }
@media (max-width: 700px) { .bar { position: static; } }
@media (min-width: 701px) { [id] { scroll-margin-top: 110px; } }
.bar h1 { font-size: 1.15rem; margin: 0 12px 0 0; }
.bar label { font-weight: 600; }
.bar select { max-width: 16rem; }
button, select, input, textarea { font: inherit; color: inherit; }
button { border: 1px solid var(--line); background: var(--paper); border-radius: 6px; padding: 4px 12px; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: not-allowed; }
button.run { background: #1a7f37; border-color: #1a7f37; color: #fff; font-weight: 700; font-size: 1.05rem; padding: 6px 22px; }
button.stop { background: #b42318; border-color: #b42318; color: #fff; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
progress { width: 10rem; height: 1rem; }
.status { color: var(--muted); font-size: 0.9rem; }
main.playground { max-width: 1180px; margin: 0 auto; padding: 0 16px 48px; }
.verdict { background: #fffbe6; border: 2px solid #f0b400; border-radius: 8px; padding: 10px 14px; margin-top: 14px; font-size: 1.05rem; }
.verdict.waiting { background: var(--paper); border-style: dashed; color: var(--muted); }
.verdict h2 { font-size: 1.1rem; margin: 0 0 4px; }
.workbench { display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; margin-top: 14px; }
@media (min-width: 1000px) { .workbench { grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); } }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.panel h2 { font-size: 1.05rem; margin: 0 0 8px; }
textarea { width: 100%; min-height: 22rem; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.errors { white-space: pre-wrap; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; color: #b42318; margin: 6px 0 0; }
.ok { color: #1a7f37; margin: 6px 0 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 6px 10px 8px; }
legend { font-weight: 600; padding: 0 4px; }
.row { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 4px 0; }
.row label { display: inline-flex; gap: 6px; align-items: center; }
input[type=number] { width: 6.5rem; }
input[type=text] { width: 6rem; }
.hops { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-top: 14px; }
.hops h2 { font-size: 1.05rem; margin: 0 0 6px; }
.hop-row { display: grid; grid-template-columns: 9rem minmax(0, 1fr); gap: 8px; align-items: center; margin: 4px 0; }
.hop-lanes { display: flex; gap: 3px; flex-wrap: wrap; }
.hop-cell { min-width: 2.2rem; padding: 2px 4px; text-align: center; border: 1px solid var(--line); border-radius: 4px; font-size: 0.8rem; transition: background 0.3s; }
.hop-cell.here { background: #0b5cad; color: #fff; }
.hop-cell.failed { background: #b42318; color: #fff; }
.hop-step { color: var(--muted); font-size: 0.9rem; }
@media (prefers-reduced-motion: reduce) { .hop-cell { transition: none; } }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
