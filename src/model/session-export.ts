/**
 * Sessions as plain records, and back: everything random about a session (what `lbsim sessions`
 * prints, one JSON line each), so that a load tool, or the simulator itself, can replay exactly
 * the sessions a run simulates. A record names its units in its field names (`atMs`,
 * `serviceMs`); docs/sessions.md describes the format.
 *
 * The replay is exact: numbers survive JSON unchanged (JavaScript prints the shortest text that
 * reads back as the same double), and a mobile user's address is one object for as long as it
 * does not change, as the generator makes it (the session rules compare addresses by identity).
 */
import { parseAddress, type ClientAddress } from './address.js';
import { sessionIdOf } from './session.js';
import type { PlanTable, SessionSource } from './workload.js';
import type { HttpMethod } from './request.js';

/** What a step of the journey is, as the scenario declares it (the same for every session). */
export interface JourneyStepFacts {
  readonly name: string;
  readonly method: HttpMethod;
  /** Requests the step sends at once, or the most it may send. */
  readonly requests: number;
  /** The first `writers` requests of the step write the session. */
  readonly writers: number;
  readonly needsSession: boolean;
  readonly coupled: boolean;
  readonly fillsCart: boolean;
}

/** One step of an exported session. */
export interface ExportedStep {
  readonly name: string;
  readonly method: HttpMethod;
  /** The address the step's requests come from (a mobile user's changes between steps). */
  readonly client: string;
  /** Requests sent at once: the length of `serviceMs`. */
  readonly requests: number;
  /** Service demand of each request at speed factor 1. */
  readonly serviceMs: readonly number[];
  /** The first `writingRequests` of the requests write the session. */
  readonly writingRequests: number;
  readonly needsSession: boolean;
  readonly coupled: boolean;
  readonly fillsCart: boolean;
  /** The user's think time after this step, before the next; absent on the last step. */
  readonly thinkMsAfter?: number;
}

/** One session, as `lbsim sessions --jsonl` prints it. */
export interface ExportedSession {
  /** The session id the client presents (`s1`, `s2`, …). */
  readonly id: string;
  /** 0-based, in arrival order (warm-up sessions included). */
  readonly index: number;
  /** Arrival time; negative during a warm-up, measurement begins at 0. */
  readonly atMs: number;
  /** The browser refuses cookies. */
  readonly refusesCookies: boolean;
  /** The session's framework state does not survive a shared cache (`stores.shared.notSerializable`). */
  readonly notSerializable: boolean;
  /** The 0-based step after which the user leaves; null when they go all the way. */
  readonly abandonsAfterStep: number | null;
  /** What the order pays if the session completes. */
  readonly orderValue: number;
  /** Every step of the journey, including those after the user leaves. */
  readonly steps: readonly ExportedStep[];
}

/** The session in `slot` of `table` as a plain record. */
export function exportSession(table: PlanTable, slot: number, steps: readonly JourneyStepFacts[], requestOffsets: readonly number[], notSerializableShare: number): ExportedSession {
  const index = table.index[slot]!;
  const lastStep = table.lastStep[slot]!;
  const exported = steps.map((step, k): ExportedStep => {
    const requests = table.requestsAt[slot * table.steps + k]!;
    const first = slot * table.requests + requestOffsets[k]!;
    const base = {
      name: step.name,
      method: step.method,
      client: table.addressAt(slot, k).text,
      requests,
      serviceMs: Array.from(table.serviceMs.subarray(first, first + requests)),
      writingRequests: Math.min(step.writers, requests),
      needsSession: step.needsSession,
      coupled: step.coupled,
      fillsCart: step.fillsCart,
    };
    return k < steps.length - 1 ? { ...base, thinkMsAfter: table.thinkMs[slot * table.steps + k]! } : base;
  });
  return {
    id: sessionIdOf(index),
    index,
    atMs: table.arrivalMs[slot]!,
    refusesCookies: table.refusesCookies[slot] === 1,
    notSerializable: table.serializationDraw[slot]! < notSerializableShare,
    abandonsAfterStep: lastStep === steps.length - 1 ? null : lastStep,
    orderValue: table.orderValue[slot]!,
    steps: exported,
  };
}

/**
 * Where a record disagrees with the scenario's journey (or is not a session record at all): the
 * first problem, in words, or undefined when the record can be replayed.
 */
export function exportedSessionProblem(value: unknown, steps: readonly JourneyStepFacts[]): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const record = value as { readonly [K in keyof ExportedSession]?: unknown };
  if (!isWhole(record.index) || record.index < 0) return 'index: expected a whole number, 0 or more';
  if (record.id !== sessionIdOf(record.index)) return `id: expected ${JSON.stringify(sessionIdOf(record.index))} for index ${record.index}`;
  if (!isFiniteNumber(record.atMs)) return 'atMs: expected a number';
  for (const flag of ['refusesCookies', 'notSerializable'] as const) if (typeof record[flag] !== 'boolean') return `${flag}: expected true or false`;
  const leaves = record.abandonsAfterStep;
  if (leaves !== null && !(isWhole(leaves) && leaves < steps.length - 1)) return `abandonsAfterStep: expected null or a step from 0 to ${steps.length - 2}`;
  if (!isFiniteNumber(record.orderValue)) return 'orderValue: expected a number';
  if (!Array.isArray(record.steps) || record.steps.length !== steps.length) return `steps: expected the scenario's ${steps.length} steps`;
  for (let k = 0; k < steps.length; k++) {
    const problem = stepProblem(record.steps[k], steps[k]!, k === steps.length - 1);
    if (problem !== undefined) return `steps[${k}]: ${problem}`;
  }
  return undefined;
}

function stepProblem(value: unknown, step: JourneyStepFacts, last: boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const s = value as { readonly [K in keyof ExportedStep]?: unknown };
  for (const key of ['name', 'method', 'needsSession', 'coupled', 'fillsCart'] as const) {
    if (s[key] !== step[key]) return `${key}: the scenario's step says ${JSON.stringify(step[key])}, the record ${JSON.stringify(s[key])}`;
  }
  if (typeof s.client !== 'string' || parseAddress(s.client) === undefined) return `client: ${JSON.stringify(s.client)} is not an IP address`;
  if (!isWhole(s.requests) || s.requests < 1 || s.requests > step.requests) return `requests: expected a whole number from 1 to ${step.requests}`;
  if (!Array.isArray(s.serviceMs) || s.serviceMs.length !== s.requests || !s.serviceMs.every((ms) => isFiniteNumber(ms) && ms >= 0)) return `serviceMs: expected ${s.requests} durations, 0 or more`;
  if (s.writingRequests !== Math.min(step.writers, s.requests)) return `writingRequests: the scenario's step has ${Math.min(step.writers, s.requests)} of ${s.requests} requests write`;
  if (last ? s.thinkMsAfter !== undefined : !(isFiniteNumber(s.thinkMsAfter) && s.thinkMsAfter >= 0)) return last ? 'thinkMsAfter: the last step has none' : 'thinkMsAfter: expected a duration, 0 or more';
  return undefined;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isWhole = (v: unknown): v is number => Number.isInteger(v);

/**
 * Recorded sessions as the run's session source: they arrive in the order given (which must be
 * arrival order), and their plans are the records' (checked with `exportedSessionProblem` first).
 */
export class RecordedSessions implements SessionSource {
  private next = 0;
  private measured = 0;

  constructor(
    private readonly records: readonly ExportedSession[],
    readonly requestOffsets: readonly number[],
  ) {}

  get count(): number {
    return this.next;
  }

  get measuredCount(): number {
    return this.measured;
  }

  fill(table: PlanTable, slot: number): boolean {
    const record = this.records[this.next];
    if (record === undefined) return false;
    this.next++;
    if (record.atMs >= 0) this.measured++;
    table.ensure(slot);
    const steps = table.steps;
    table.index[slot] = record.index;
    table.arrivalMs[slot] = record.atMs;
    const addresses: ClientAddress[] = [];
    for (let k = 0; k < steps; k++) {
      const step = record.steps[k]!;
      const previous = addresses[k - 1];
      // Unchanged, the address stays the same object, as the generator keeps it.
      addresses.push(previous !== undefined && previous.text === step.client ? previous : parseAddress(step.client)!);
      table.requestsAt[slot * steps + k] = step.requests;
      const first = slot * table.requests + this.requestOffsets[k]!;
      for (let r = 0; r < step.requests; r++) table.serviceMs[first + r] = step.serviceMs[r]!;
      if (k < steps - 1) table.thinkMs[slot * steps + k] = step.thinkMsAfter!;
    }
    table.client[slot] = addresses[0]!;
    table.moves[slot] = 0;
    if (addresses.some((a) => a !== addresses[0])) table.setStepClients(slot, addresses);
    table.refusesCookies[slot] = record.refusesCookies ? 1 : 0;
    table.lastStep[slot] = record.abandonsAfterStep ?? steps - 1;
    table.orderValue[slot] = record.orderValue;
    // The run compares this draw with the share: 0 is below any share above 0, 1 below none.
    table.serializationDraw[slot] = record.notSerializable ? 0 : 1;
    return true;
  }
}
