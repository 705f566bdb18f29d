/**
 * `report.html`: one self-contained page comparing the strategies of one or more summaries.
 * A pure function of the summaries and the library texts the caller passes in; it reads no
 * file and no clock. The page loads nothing: Chart.js and its annotation plugin are inlined,
 * the charts' data travels in a `<script type="application/json">` block, and a
 * Content-Security-Policy allows only the page's own hashed scripts (no network, no injected
 * script, no inline handler can run). Sections follow issue 7: headline table, breakage by cause,
 * load per backend, latency, funnel, timeline (only when summaries carry one), scenario.
 */
import type { Summary } from '../summary.js';
import { CLIENT_SCRIPT, DATA_ELEMENT_ID, inlineScript, scriptHash, type HtmlAssets } from './assets.js';
import { breakageChart, funnelChart, latencyByStepChart, latencyChart, loadChart, pools, presentCauses, type ChartFigure } from './charts.js';
import { compare, type Comparison } from './columns.js';
import { explainBreakage, explainFunnel, explainHeadline, explainLatency, explainLatencyBySteps, explainLoad, explainTimeline, listing } from './explain.js';
import { renderHeadline } from './headline.js';
import { renderScenario } from './scenario.js';
import { styles } from './styles.js';
import { escapeHtml, jsonForScript, renderDetails } from './markup.js';
import { timelineCharts } from './timeline.js';

interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

const paragraphs = (sentences: readonly string[]) => sentences.map((s) => `<p>${escapeHtml(s)}</p>`).join('\n');

function renderFigure(figure: ChartFigure, explanation: readonly string[]): string {
  return [
    `<figure id="fig-${figure.id}">`,
    `<figcaption><h3>${escapeHtml(figure.title)}</h3></figcaption>`,
    `<div class="canvas-box"><canvas id="${figure.id}" role="img" aria-label="${escapeHtml(`${figure.title}; the data table below has the numbers`)}"></canvas></div>`,
    explanation.length > 0 ? `<div class="explain">${paragraphs(explanation)}</div>` : '',
    renderDetails(figure.table),
    '</figure>',
  ].filter(Boolean).join('\n');
}

function sections(comparison: Comparison, charts: ChartFigure[]): Section[] {
  const chart = (figure: ChartFigure, explanation: readonly string[]) => {
    charts.push(figure);
    return renderFigure(figure, explanation);
  };
  const groups = pools(comparison.columns);
  const breakage = presentCauses(comparison.columns).length > 0
    ? chart(breakageChart(comparison), explainBreakage(comparison))
    : `<div class="explain">${paragraphs(explainBreakage(comparison))}</div>`;
  const list: Section[] = [
    { id: 'headline', title: 'At a glance', body: `<div class="explain">${paragraphs(explainHeadline(comparison))}</div>\n${renderHeadline(comparison)}` },
    { id: 'breakage', title: 'Session breakage', body: breakage },
    { id: 'load', title: 'Load per backend', body: groups.map((group, i) => chart(loadChart(group, i, groups.length > 1), explainLoad(group))).join('\n') },
    {
      id: 'latency',
      title: 'Latency',
      body: `<div class="grid two">${chart(latencyChart(comparison), explainLatency(comparison))}\n${chart(latencyByStepChart(comparison), explainLatencyBySteps(comparison))}</div>`,
    },
    { id: 'funnel', title: 'Session funnel', body: chart(funnelChart(comparison), explainFunnel(comparison)) },
  ];
  const timeline = timelineCharts(comparison);
  if (timeline.length > 0) {
    list.push({ id: 'timeline', title: 'Over time', body: timeline.map((figure, i) => chart(figure, i === 0 ? explainTimeline(comparison) : [])).join('\n') });
  }
  const several = comparison.runs.length > 1;
  list.push({ id: 'scenario', title: several ? 'Scenarios' : 'Scenario', body: comparison.runs.map((run) => renderScenario(run, several)).join('\n') });
  return list;
}

function header(comparison: Comparison, toc: readonly Section[]): string {
  const { runs } = comparison;
  const first = runs[0]!.summary;
  const title = runs.length === 1 ? `${first.scenario.name} (seed ${first.seed})` : listing(runs.map((r) => r.title));
  const description = runs.length === 1 && first.scenario.description ? `<p class="description">${escapeHtml(first.scenario.description.trim())}</p>` : '';
  const strategies = [...new Set(comparison.columns.map((c) => c.strategy.name))];
  return [
    '<header class="page"><div>',
    `<h1>lbsim report: ${escapeHtml(title)}</h1>`,
    description,
    `<p class="meta">${escapeHtml(`${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} compared: ${listing(strategies)}. lbsim ${first.lbsimVersion}, generated ${first.generatedAt}.`)}</p>`,
    `<nav class="toc" aria-label="sections">${toc.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>`,
    '</div></header>',
  ].filter(Boolean).join('\n');
}

/** The summaries as embedded in the page: exact, except per-window series (the charts hold them downsampled). */
function embedded(summaries: readonly Summary[]): unknown[] {
  return summaries.map((s) => ({ ...s, strategies: s.strategies.map(({ timeline: _timeline, ...rest }) => rest) }));
}

/**
 * Renders the report page for one or more summaries (several: runs of different scenarios or
 * seeds compared column by column). `assets` are the library texts to inline (see assets.ts).
 * Throws on an empty list: there is nothing to compare.
 */
export function renderHtml(summaries: readonly Summary[], assets: HtmlAssets): string {
  if (summaries.length === 0) throw new Error('renderHtml: no summaries to report');
  const comparison = compare(summaries);
  const charts: ChartFigure[] = [];
  const body = sections(comparison, charts);
  const data = jsonForScript({ charts: charts.map((c) => ({ id: c.id, config: c.config })), summaries: embedded(summaries) });
  const scripts = [inlineScript(assets.chartJs), inlineScript(assets.annotationPlugin), CLIENT_SCRIPT];
  const css = styles(comparison.columns, charts);
  const csp = `default-src 'none'; script-src ${scripts.map(scriptHash).join(' ')}; style-src ${scriptHash(css)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(`lbsim report: ${comparison.runs.map((r) => r.title).join(' · ')}`)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    header(comparison, body),
    '<main>',
    ...body.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-title">\n<h2 id="${s.id}-title">${escapeHtml(s.title)}</h2>\n${s.body}\n</section>`),
    '</main>',
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${data}</script>`,
    ...scripts.map((code) => `<script>${code}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
