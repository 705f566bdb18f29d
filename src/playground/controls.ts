/**
 * The playground's controls, as edits of the scenario's YAML text: each control writes a field of
 * the scenario (comments and the rest of the file stay as they are), so what the page runs is a
 * real scenario the user can read, save and run with `lbsim run`. Pure functions of text.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

/** How a backend fails in the playground: a mode of the timeline, or answering with errors. */
export const FAILURE_KINDS = ['refused', 'blackhole', 'crash', 'reset', 'hang', 'errors'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  readonly backend: string;
  /** A time point as scenarios write it: "50%" of the arrival window, or "90s". */
  readonly at: string;
  readonly kind: FailureKind;
}

export interface CacheOutage {
  readonly at: string;
  readonly duration: string;
}

/** A scenario edit: the text before, the text after (unchanged when the text is not YAML). */
export type Edit = (text: string) => string;

/** The text after `change`, or the text as it was when it is not a YAML mapping (or is hostile: an alias bomb throws). */
function edited(text: string, change: (doc: Document) => void): string {
  try {
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !isMap(doc.contents)) return text;
    change(doc);
    return doc.toString({ lineWidth: 0 });
  } catch {
    return text;
  }
}

/** The text as plain data, or {} when it is not readable YAML (the worker reports why). */
function plainOf(text: string): Record<string, unknown> {
  try {
    const doc = parseDocument(text);
    const plain: unknown = doc.errors.length === 0 ? doc.toJSON() : {};
    return plain !== null && typeof plain === 'object' ? (plain as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const setOrDelete = (doc: Document, path: readonly string[], value: unknown) => (value === undefined ? doc.deleteIn(path) : doc.setIn(path, value));

export const setSeed = (seed: string): Edit => (text) => edited(text, (doc) => doc.set('seed', /^\d+$/.test(seed) ? Number(seed) : seed));
export const setSessions = (sessions: number): Edit => (text) => edited(text, (doc) => doc.set('sessions', sessions));
export const setArrivalRate = (perSecond: number): Edit => (text) => edited(text, (doc) => doc.setIn(['arrivals', 'rate'], `${perSecond}/s`));

/** The number of backends: `backends.count`, or a list cut short or grown by copies of its last entry. */
export const setBackendCount = (count: number): Edit => (text) =>
  edited(text, (doc) => {
    const backends = doc.get('backends', true);
    if (isSeq(backends)) {
      while (backends.items.length > count) backends.items.pop();
      const last = backends.items.at(-1);
      for (let n = backends.items.length + 1; last !== undefined && n <= count; n++) {
        const copy = doc.createNode({ ...(JSON.parse(JSON.stringify(last)) as object), name: `backend-${n}` });
        backends.items.push(copy as (typeof backends.items)[number]);
      }
    } else doc.setIn(['backends', 'count'], count);
  });

/** The share of users behind NAT gateways (0 removes `clients.nat`); a new block gets 3 gateway addresses. */
export const setNatShare = (share: number): Edit => (text) =>
  edited(text, (doc) => {
    if (share <= 0) return void doc.deleteIn(['clients', 'nat']);
    if (!doc.hasIn(['clients', 'nat', 'addresses'])) doc.setIn(['clients', 'nat', 'addresses'], 3);
    doc.setIn(['clients', 'nat', 'share'], share);
  });

/** The share of mobile users (0 removes `clients.mobile`); a new block changes address on 20% of steps. */
export const setMobileShare = (share: number): Edit => (text) =>
  edited(text, (doc) => {
    if (share <= 0) return void doc.deleteIn(['clients', 'mobile']);
    if (!doc.hasIn(['clients', 'mobile', 'changePerStep'])) doc.setIn(['clients', 'mobile', 'changePerStep'], 0.2);
    doc.setIn(['clients', 'mobile', 'share'], share);
  });

type TimelineEntry = Record<string, unknown>;
const isFailureEntry = (e: TimelineEntry) => 'mode' in e || e['event'] === 'errors';
const isOutageEntry = (e: TimelineEntry) => e['event'] === 'cache-outage';

/** Replaces the timeline's entries that `owned` picks with `added`, keeping every other event. */
function replaceEvents(doc: Document, owned: (e: TimelineEntry) => boolean, added: readonly TimelineEntry[]): void {
  const current = doc.get('timeline');
  const kept = ((isSeq(current) ? current.toJSON() : []) as TimelineEntry[]).filter((e) => !owned(e));
  setOrDelete(doc, ['timeline'], kept.length + added.length === 0 ? undefined : [...kept, ...added]);
}

/** The one backend failure the playground controls (undefined: none), replacing the timeline's failures. */
export const setFailure = (failure: Failure | undefined): Edit => (text) =>
  edited(text, (doc) => {
    const entry = failure === undefined ? [] : [failure.kind === 'errors' ? { at: failure.at, event: 'errors', backend: failure.backend } : { at: failure.at, backend: failure.backend, mode: failure.kind }];
    replaceEvents(doc, isFailureEntry, entry);
  });

/** The shared cache's round trip, in milliseconds. */
export const setCacheRoundTrip = (ms: number): Edit => (text) => edited(text, (doc) => doc.setIn(['stores', 'shared', 'roundTrip'], `${ms}ms`));

/** A cache outage (undefined: none), replacing the timeline's outages. */
export const setCacheOutage = (outage: CacheOutage | undefined): Edit => (text) =>
  edited(text, (doc) => replaceEvents(doc, isOutageEntry, outage === undefined ? [] : [{ at: outage.at, event: 'cache-outage', duration: outage.duration }]));

/** Keeps the strategies named, in the order of `original` (the scenario as loaded), whose entries they are. */
export const keepStrategies = (original: string, names: readonly string[]): Edit => (text) =>
  edited(text, (doc) => {
    const all = parseDocument(original).get('strategies');
    if (!isSeq(all)) return;
    const entries = (all.toJSON() as { name?: string }[]).filter((s) => s.name !== undefined && names.includes(s.name));
    doc.set('strategies', entries);
  });

/** What the controls show for a scenario's text (undefined: not written, the scenario's default). */
export interface ControlValues {
  readonly rate: number | undefined;
  readonly natShare: number;
  readonly mobileShare: number;
  readonly roundTripMs: number | undefined;
  readonly failure: Failure | undefined;
  readonly outage: CacheOutage | undefined;
}

const number = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(parseFloat(value)) ? parseFloat(value) : undefined);

export function readControls(text: string): ControlValues {
  const plain = plainOf(text);
  const get = (...path: string[]) => path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), plain);
  const rate = get('arrivals', 'rate');
  const timeline = (Array.isArray(get('timeline')) ? get('timeline') : []) as TimelineEntry[];
  const failure = timeline.find(isFailureEntry);
  const outage = timeline.find(isOutageEntry);
  return {
    rate: typeof rate === 'string' && rate.endsWith('/s') ? number(rate) : undefined,
    natShare: number(get('clients', 'nat', 'share')) ?? 0,
    mobileShare: number(get('clients', 'mobile', 'share')) ?? 0,
    roundTripMs: typeof get('stores', 'shared', 'roundTrip') === 'string' && String(get('stores', 'shared', 'roundTrip')).endsWith('ms') ? number(get('stores', 'shared', 'roundTrip')) : number(get('stores', 'shared', 'roundTrip')),
    failure: failure && { backend: String(failure['backend']), at: String(failure['at']), kind: (failure['mode'] ?? 'errors') as FailureKind },
    outage: outage && { at: String(outage['at']), duration: String(outage['duration'] ?? '60s') },
  };
}
