/**
 * `lbsim playground`'s page: one self-contained HTML file. Pure: the CLI reads the bundled scripts,
 * the chart library and the scenarios, and passes their text in. The Content-Security-Policy
 * admits the page's two hashed scripts (Chart.js and the page's own), its hashed stylesheet, a
 * worker from a blob: URL, and nothing from any network.
 */
import { documentHead, inlineScript, jsonForScript, scriptHash, escapeHtml, type HtmlAssets } from '../report/index.js';
import { CATALOG_ELEMENT_ID, WORKER_ELEMENT_ID, type CatalogEntry } from './catalog.js';
import { FAILURE_KINDS } from './controls.js';
import { PLAYGROUND_CSS } from './styles.js';

export interface PlaygroundInput {
  /** The page's script (the browser bundle of app.ts) and the worker's (worker.ts). */
  readonly appJs: string;
  readonly workerJs: string;
  readonly assets: Pick<HtmlAssets, 'chartJs'>;
  readonly catalog: readonly CatalogEntry[];
  readonly version: string;
}

const number = (id: string, label: string, attributes: string) => `<label>${label} <input type="number" id="${id}" ${attributes}></label>`;

function controls(): string {
  return `<div class="panel" id="controls"><h2>Controls</h2>
<p class="status">Each control writes into the scenario on the left.</p>
<fieldset><legend>Load</legend><div class="row">${number('c-sessions', 'sessions', 'min="1" step="100"')}${number('c-rate', 'arrivals per second', 'min="0.1" step="any"')}${number('c-backends', 'backends', 'min="1" max="64" step="1"')}</div></fieldset>
<fieldset><legend>Users</legend><div class="row">${number('c-nat', 'share behind NAT', 'min="0" max="1" step="0.05"')}${number('c-mobile', 'mobile share', 'min="0" max="1" step="0.05"')}</div></fieldset>
<fieldset><legend>A backend fails</legend><div class="row"><label>which <select id="c-fail-backend"><option value="">none</option></select></label>
<label>when <input type="text" id="c-fail-at" value="50%" aria-describedby="when-help"></label>
<label>how <select id="c-fail-kind">${FAILURE_KINDS.map((k) => `<option>${k}</option>`).join('')}</select></label></div>
<p class="status" id="when-help">"50%" of the arrival window, or a time such as "90s".</p></fieldset>
<fieldset><legend>Shared cache</legend><div class="row">${number('c-rtt', 'round trip (ms)', 'min="0" step="0.5"')}
<label><input type="checkbox" id="c-outage"> outage</label><label>at <input type="text" id="c-outage-at" value="50%"></label><label>for <input type="text" id="c-outage-for" value="60s"></label></div></fieldset>
<fieldset><legend>Strategies to compare</legend><div class="row" id="c-strategies"></div></fieldset>
<fieldset><legend>Seed</legend><div class="row">${`<label>seed <input type="text" id="c-seed"></label>`}</div></fieldset>
</div>`;
}

function body(catalog: readonly CatalogEntry[], version: string): string {
  const groups = [...new Set(catalog.map((e) => e.group))];
  const options = groups.map((g) => `<optgroup label="${escapeHtml(g)}">${catalog.filter((e) => e.group === g).map((e) => `<option value="${escapeHtml(e.file)}">${escapeHtml(e.file.replace(/\.ya?ml$/, ''))}</option>`).join('')}</optgroup>`).join('');
  return `<div class="bar" role="toolbar" aria-label="run">
<h1>lbsim playground</h1>
<label for="pick">Scenario</label><select id="pick">${options}<option value="">(your own)</option></select>
<button class="run" id="run" type="button">▶ Run</button><button class="stop" id="stop" type="button" disabled>■ Stop</button>
<progress id="progress" max="1" value="0" aria-label="progress"></progress><span class="status" id="status" role="status" aria-live="polite">Pick a scenario, move a control, press Run.</span>
<button id="share" type="button">Share link</button><button id="dl-yaml" type="button">Download scenario</button><button id="dl-json" type="button" disabled>Download summary.json</button>
</div>
<main class="playground">
<div class="verdict waiting" id="verdict" aria-live="polite"><h2>Verdict</h2><div id="verdict-text"><p>Press ▶ Run: which strategy keeps sessions, and at what cost, appears here.</p></div></div>
<div class="workbench">
<div class="panel"><h2><label for="editor">Scenario (YAML)</label></h2>
<textarea id="editor" spellcheck="false" aria-describedby="check"></textarea>
<div id="check" aria-live="polite"></div></div>
${controls()}
</div>
<section class="hops" id="hops" hidden aria-labelledby="hops-title"><h2 id="hops-title">One user, hop by hop</h2><div id="hops-body"></div></section>
<div id="report"></div>
<p class="status">lbsim ${escapeHtml(version)}: the same simulator as the command line, running in this page. Nothing is sent anywhere.</p>
</main>`;
}

/** The complete HTML document. */
export function renderPlayground(input: PlaygroundInput): string {
  const scripts = [inlineScript(input.assets.chartJs), inlineScript(input.appJs)];
  const csp = `default-src 'none'; script-src ${scripts.map(scriptHash).join(' ')}; worker-src blob:; style-src ${scriptHash(PLAYGROUND_CSS)}; img-src data: blob:; base-uri 'none'; form-action 'none'`;
  return [
    ...documentHead('lbsim playground', csp, PLAYGROUND_CSS),
    body(input.catalog, input.version),
    `<script type="application/json" id="${CATALOG_ELEMENT_ID}">${jsonForScript(input.catalog)}</script>`,
    `<script type="text/plain" id="${WORKER_ELEMENT_ID}">${inlineScript(input.workerJs)}</script>`,
    ...scripts.map((code) => `<script>${code}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
