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
import { duration, listing, seconds, warmupNote } from '../format.js';
import { provenance } from '../marks.js';
import type { HtmlAssets } from './assets.js';
import { breakageChart, funnelChart, latencyByStepChart, latencyChart, loadChart, pools, presentCauses, type ChartFigure } from './charts.js';
import { compare, type Comparison, type Run } from './columns.js';
import { explainBreakage, explainFunnel, explainHeadline, explainLatency, explainLatencyBySteps, explainLoad, explainTimeline } from './explain.js';
import { renderHeadline } from './headline.js';
import { renderScenario } from './scenario.js';
import { renderStory } from './story.js';
import { styles } from './styles.js';
import { escapeHtml } from './markup.js';
import { paragraphs, renderFigure, renderPage, renderToc, type Section } from './shell.js';
import { timelineCharts } from './timeline.js';

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
  // One run's story: a comparison of several runs has no single user to follow.
  const only = comparison.runs.length === 1 ? comparison.runs[0]!.summary : undefined;
  const story = only && renderStory(only.sampleSession);
  if (story) list.splice(2, 0, { id: 'story', title: 'One user\'s story', body: story });
  const timeline = timelineCharts(comparison);
  if (timeline.length > 0) {
    list.push({ id: 'timeline', title: 'Over time', body: timeline.map((figure, i) => chart(figure, i === 0 ? explainTimeline(comparison) : [])).join('\n') });
  }
  const several = comparison.runs.length > 1;
  list.push({ id: 'scenario', title: several ? 'Scenarios' : 'Scenario', body: comparison.runs.map((run) => renderScenario(run, several)).join('\n') });
  return list;
}

/** One run of a page comparing several: its scenario and seed, what its figures are, its warm-up and its events. */
function runLine(run: Run): string {
  const { summary } = run;
  const n = summary.replications ?? 1;
  const setup = summary.scenario.setup;
  const warmupMs = setup?.warmupMs;
  const warmup = warmupMs === undefined ? 'warm-up not recorded' : warmupMs > 0 ? `a warm-up of ${duration(warmupMs)}` : 'no warm-up';
  const events = setup?.events ?? [];
  const shown = events.slice(0, 4).map((e) => `${e.backend} ${e.mode} at ${seconds(e.atMs)}`);
  const timeline = events.length === 0 ? 'no timeline events' : `${listing(shown)}${events.length > shown.length ? ` and ${events.length - shown.length} more events` : ''}`;
  return `${run.title}: ${n > 1 ? `mean of ${n} runs` : 'one run'}, ${warmup}; ${timeline}.`;
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
    ...(runs.length === 1
      ? [warmupNote(first.scenario.setup?.warmupMs), provenance(first)].filter(Boolean).map((note) => `<p class="meta">${escapeHtml(note)}</p>`)
      : [`<ul class="runs">${runs.map((run) => `<li>${escapeHtml(runLine(run))}</li>`).join('')}</ul>`]),
    `<p class="meta">${escapeHtml(`${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} compared: ${listing(strategies)}. lbsim ${first.lbsimVersion}, generated ${first.generatedAt}.`)}</p>`,
    renderToc(toc),
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
  return renderPage(
    {
      title: `lbsim report: ${comparison.runs.map((r) => r.title).join(' · ')}`,
      header: header(comparison, body),
      sections: body,
      charts,
      data: { summaries: embedded(summaries) },
      css: styles(comparison.columns, charts),
    },
    assets,
  );
}
