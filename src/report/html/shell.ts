/**
 * What every lbsim page shares, whatever it shows (the run report, the sweep page): a figure
 * (canvas, explanation, data table), and the document around the sections — the
 * Content-Security-Policy that admits only the page's own hashed scripts and stylesheet, the
 * inlined Chart.js and annotation plugin, the page's script that draws the charts, and the
 * inert JSON data block they read.
 */
import { CLIENT_SCRIPT, DATA_ELEMENT_ID, inlineScript, scriptHash, type HtmlAssets } from './assets.js';
import type { ChartFigure } from './charts.js';
import { escapeHtml, jsonForScript, renderDetails } from './markup.js';

/** A section of a page, listed in its table of contents. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

export const paragraphs = (sentences: readonly string[]) => sentences.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n');

/** A chart's figure: title, canvas, the sentences that read it, and its data table. */
export function renderFigure(figure: ChartFigure, explanation: readonly string[] = []): string {
  return [
    `<figure id="fig-${figure.id}">`,
    `<figcaption><h3>${escapeHtml(figure.title)}</h3></figcaption>`,
    `<div class="canvas-box"><canvas id="${figure.id}" role="img" aria-label="${escapeHtml(`${figure.title}; the data table below has the numbers`)}"></canvas></div>`,
    explanation.length > 0 ? `<div class="explain">${paragraphs(explanation)}</div>` : '',
    renderDetails(figure.table),
    '</figure>',
  ].filter(Boolean).join('\n');
}

/** The parts of a page; the shell adds the rest. */
export interface Page {
  /** The document's `<title>` (plain text). */
  readonly title: string;
  /** The `<header>` markup. */
  readonly header: string;
  readonly sections: readonly Section[];
  /** Every chart of the sections, in page order; their configurations go to the data block. */
  readonly charts: readonly ChartFigure[];
  /** More data for the data block, beside `charts` (the page's figures, for scripts that read the page). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The stylesheet (see styles.ts). */
  readonly css: string;
}

/** An offline page's document up to its `<body>`: the policy, a phone's viewport, no referrer, the title and the inline stylesheet. */
export function documentHead(title: string, csp: string, css: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
  ];
}

/** The complete HTML document of a page. */
export function renderPage(page: Page, assets: HtmlAssets): string {
  const data = jsonForScript({ charts: page.charts.map((c) => ({ id: c.id, config: c.config })), ...page.data });
  const scripts = [inlineScript(assets.chartJs), inlineScript(assets.annotationPlugin), CLIENT_SCRIPT];
  const csp = `default-src 'none'; script-src ${scripts.map(scriptHash).join(' ')}; style-src ${scriptHash(page.css)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    ...documentHead(page.title, csp, page.css),
    page.header,
    '<main>',
    ...page.sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-title">\n<h2 id="${s.id}-title">${escapeHtml(s.title)}</h2>\n${s.body}\n</section>`),
    '</main>',
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${data}</script>`,
    ...scripts.map((code) => `<script>${code}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The table of contents of a page's header. */
export function renderToc(sections: readonly Section[]): string {
  return `<nav class="toc" aria-label="sections">${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>`;
}
