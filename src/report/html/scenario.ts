/**
 * The "scenario" section: what was simulated, so a report is reproducible from itself — the run
 * (seed, sessions, lbsim version, run time), the client mix, arrivals, journey, backends, stores,
 * the failure timeline and each strategy as declared, plus the command that reruns it. Everything
 * comes from summary.json; summaries written before `scenario.setup` existed show what they hold.
 */
import { nginxWorkerNote } from '../nginx-workers.js';
import type { Distribution } from '../../engine/index.js';
import { duration, integer, money, percent, seconds, share } from '../format.js';
import type { ScenarioSetup } from '../setup.js';
import type { Run } from './columns.js';
import { explainClients } from './explain.js';
import { escapeHtml, renderFacts, renderTable } from './markup.js';

/** A distribution in words, values through `unit` (`lognormal, median 20.0 ms, σ 0.5`). */
export function describeDistribution(d: Distribution, unit: (value: number) => string): string {
  switch (d.kind) {
    case 'constant':
      return unit(d.value);
    case 'exponential':
      return `exponential, mean ${unit(d.mean)}`;
    case 'lognormal':
      return `lognormal, median ${unit(d.median)}, σ ${d.sigma}`;
    case 'uniform':
      return `uniform, ${unit(d.min)} to ${unit(d.max)}`;
  }
}

const yesNo = (flag: boolean) => (flag ? 'yes' : '');

function runFacts(run: Run): string {
  const { summary } = run;
  const setup = summary.scenario.setup;
  const simulated = Math.max(0, ...summary.strategies.map((s) => s.simulatedTimeMs));
  const facts: [string, string][] = [
    ['scenario', summary.scenario.name],
    ['seed', summary.seed],
    ['sessions', setup?.sessions === null || setup === undefined ? integer(summary.strategies[0]?.sessions.total ?? 0) : integer(setup.sessions)],
  ];
  if (setup) {
    const { arrivals } = setup;
    const pieces = arrivals.profile.length > 1 ? `; profile ${arrivals.profile.map((p) => `${Number(p.ratePerSec.toFixed(3))}/s from ${seconds(p.fromMs)}`).join(', ')}` : '';
    facts.push(['arrivals', `${Number(arrivals.ratePerSec.toFixed(3))}/s, ${arrivals.spacing}${arrivals.windowMs === null ? '' : `, window ${seconds(arrivals.windowMs)}`}${pieces}`]);
    if (setup.warmupMs) facts.push(['warm-up (excluded from every figure)', duration(setup.warmupMs)]);
    facts.push(['think time between steps', describeDistribution(setup.journey.thinkTimeMs, duration)]);
  }
  facts.push(['simulated time', seconds(simulated)], ['lbsim version', summary.lbsimVersion], ['generated at', summary.generatedAt], ['run time (wall clock)', seconds(summary.runTimeMs)]);
  return renderFacts('the run', facts);
}

function clientFacts({ clients }: ScenarioSetup): string {
  return renderFacts('client mix', [
    ['/24 networks of individual users', integer(clients.networks)],
    ['IPv6 share', share(clients.ipv6Share)],
    ['behind NAT', clients.nat ? `${share(clients.nat.share)} of users, ${integer(clients.nat.addresses)} addresses` : 'none'],
    ['behind one proxy', clients.proxy ? `${share(clients.proxy.share)} of users, ${clients.proxy.address}` : 'none'],
  ]);
}

function setupTables(setup: ScenarioSetup): string[] {
  const tables = [
    renderTable({
      caption: 'backends',
      head: ['backend', 'weight', 'workers', 'queue limit', 'speed', 'declared down', 'max_fails', 'fail_timeout'],
      rows: setup.backends.map((b) => [b.name, String(b.weight), integer(b.workers), integer(b.queueLimit), String(b.speed), yesNo(b.down), String(b.maxFails), duration(b.failTimeoutMs)]),
    }),
    renderTable({
      caption: 'journey',
      head: ['step', 'method', 'service time', 'needs session', 'writes', 'coupled', 'abandon after', 'order value'],
      rows: setup.journey.steps.map((s) => [s.name, s.method, describeDistribution(s.serviceMs, duration), yesNo(s.needsSession), yesNo(s.writes), yesNo(s.coupled), percent(s.abandon), s.orderValue ? describeDistribution(s.orderValue, money) : '']),
    }),
    renderFacts('session stores', [
      ['local (backend memory)', `time-to-live ${duration(setup.stores.local.ttlMs)}`],
      ['shared cache', `round trip ${duration(setup.stores.shared.roundTripMs)}, time-to-live ${duration(setup.stores.shared.ttlMs)}, capacity ${setup.stores.shared.capacity === null ? 'unlimited' : integer(setup.stores.shared.capacity)}, not serializable ${share(setup.stores.shared.notSerializable)}`],
    ]),
  ];
  tables.push(
    setup.events.length === 0
      ? '<p class="note">No timeline events: every backend stayed as declared.</p>'
      : renderTable({ caption: 'timeline', head: ['at', 'backend', 'mode', 'for'], rows: setup.events.map((e) => [seconds(e.atMs), e.backend, e.mode, e.durationMs === null ? 'until the end' : duration(e.durationMs)]) }),
  );
  return tables;
}

function strategiesTable(run: Run): string {
  return renderTable({
    caption: 'strategies',
    head: ['strategy', 'method', 'key', 'options', 'session store', 'sticky', 'description'],
    rows: run.summary.strategies.map((s) => {
      const options = Object.entries(s.balancer?.options ?? {}).map(([k, v]) => `${k}: ${String(v)}`).join(', ');
      const cookie = s.stickyCookie ? `cookie ${s.stickyCookie.name}${s.stickyCookie.maxAgeMs === null ? '' : `, max age ${duration(s.stickyCookie.maxAgeMs)}`}` : (s.sticky ?? '');
      return [s.name, s.method, s.balancer?.key ?? '', options, s.store, cookie, s.description ?? ''];
    }),
  });
}

/** The command that reruns this summary's scenario with the same seed, session count and replications. */
export function rerunCommand(run: Run): string {
  const sessions = run.summary.scenario.setup?.sessions;
  const replications = run.summary.replications ?? 1;
  return `lbsim run FILE --seed ${run.summary.seed}${sessions === null || sessions === undefined ? '' : ` --sessions ${sessions}`}${replications > 1 ? ` --replications ${replications}` : ''}`;
}

/** The markup of one run's scenario facts; `several`: the page compares runs, so name this one and show its description. */
/** The nginx worker note, when the run has nginx strategies. */
function workerNote(methods: readonly string[]): string {
  const note = nginxWorkerNote(methods);
  return note === undefined ? '' : `<p class="note">${escapeHtml(note)}</p>`;
}

export function renderScenario(run: Run, several: boolean): string {
  const { summary } = run;
  const setup = summary.scenario.setup;
  const clients = explainClients(run);
  return [
    several ? `<h3>${escapeHtml(run.title)}</h3>` : '',
    several && summary.scenario.description ? `<p class="description">${escapeHtml(summary.scenario.description.trim())}</p>` : '',
    clients ? `<p>${escapeHtml(clients)}</p>` : '',
    `<p>To rerun it, pass the scenario file of “${escapeHtml(summary.scenario.name)}” to <code>${escapeHtml(rerunCommand(run))}</code>.</p>`,
    `<div class="grid two">${runFacts(run)}${setup ? clientFacts(setup) : ''}</div>`,
    strategiesTable(run),
    workerNote(summary.strategies.map((s) => s.method)),
    ...(setup ? setupTables(setup) : ['<p class="note">This summary was written before lbsim recorded the scenario’s backends, client mix and timeline in summary.json; rerun the scenario for them.</p>']),
  ].filter(Boolean).join('\n');
}
