/**
 * The extremes the limits allow (issue 18), for `npm run bench -- --extremes`: the most backends
 * under the most strategies, the most sessions in flight, the largest address file, and the most
 * windows over the most backends detailed. Each is written from LIMITS (so the runs follow the
 * limits when they move), run as a separate process under GNU time with the real CLI, and
 * reported with its peak RSS against the 1 GB it must stay under.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS, METHOD_NAMES } from '../../src/scenario/index.js';
import { runTimed } from './measure.js';

/** Every extreme must stay under this peak RSS. */
export const EXTREME_RSS_LIMIT_MB = 1024;

export interface ExtremeReport {
  readonly name: string;
  /** What the run holds at its limit, in words. */
  readonly what: string;
  readonly processWallSec: number;
  readonly peakRssMb: number;
  readonly underLimit: boolean;
}

/** A key each hashing method can take, so that every method can be one of the strategies. */
const KEYS: Readonly<Record<string, string>> = { hash: '$session_id', 'hash-consistent': '$session_id', 'haproxy-hdr': 'hdr(x-session-id)', 'envoy-ring-hash': 'source_ip', 'envoy-maglev': 'source_ip' };

function strategies(count: number): string {
  return Array.from({ length: count }, (_, i) => {
    const method = METHOD_NAMES[i % METHOD_NAMES.length]!;
    const key = KEYS[method] === undefined ? '' : `, key: "${KEYS[method]}"`;
    return `  - { name: s${i}-${method}, balancer: { method: ${method}${key} }, store: ${i % 2 === 0 ? 'local' : 'shared'} }`;
  }).join('\n');
}

/** The extremes, as scenario files in `dir`. */
function extremes(dir: string): { name: string; what: string; file: string }[] {
  const write = (name: string, text: string) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const mostStrategies = Math.floor(LIMITS.backendRuns / LIMITS.backends);
  // The most addresses a file may hold, one per line (and far fewer bytes than the file may have).
  const addresses = Array.from({ length: LIMITS.addressFileAddresses }, (_, i) => `${1 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.7`).join('\n');
  writeFileSync(join(dir, 'addresses.txt'), `${addresses}\n`);
  return [
    {
      name: 'backends-x-strategies',
      what: `${LIMITS.backends.toLocaleString('en-US')} backends × ${mostStrategies} strategies, 2,000 sessions`,
      file: write('backends-x-strategies', `name: extreme-backends\nsessions: 2000\narrivals: { rate: 200/s }\nbackends: { count: ${LIMITS.backends}, name: "10.{n}.0.1:80" }\nstrategies:\n${strategies(mostStrategies)}\n`),
    },
    {
      name: 'sessions-in-flight',
      what: `${LIMITS.sessionsInFlight.toLocaleString('en-US')} sessions alive at once, 2 strategies`,
      // Every session arrives within 4 s and thinks for an hour: all of them are alive at once.
      file: write('sessions-in-flight', `name: extreme-in-flight\nsessions: ${LIMITS.sessionsInFlight}\narrivals: { rate: 100000/s }\njourney: { thinkTime: 1h }\nbackends: { count: 100, name: "10.0.{n}.1:80", workers: 1000 }\nstrategies:\n${strategies(2)}\n`),
    },
    {
      name: 'address-file',
      what: `${LIMITS.addressFileAddresses.toLocaleString('en-US')} addresses from a file, 4 strategies, 20,000 sessions`,
      file: write('address-file', `name: extreme-addresses\nsessions: 20000\narrivals: { rate: 500/s }\nclients: { addressFile: addresses.txt }\nbackends: { count: 8, name: "10.0.0.{n}:80" }\nstrategies:\n${strategies(4)}\n`),
    },
    {
      name: 'windows',
      what: `${Math.min(LIMITS.seriesWindows, LIMITS.seriesValues / (2 * LIMITS.backendDetail))} windows over ${LIMITS.backendDetail} backends detailed, ${LIMITS.strategies} strategies`,
      file: write('windows', `name: extreme-windows\nsessions: 5000\narrivals: { rate: 50/s }\nbackends: { count: ${LIMITS.backendDetail}, name: "10.0.{n}.1:80" }\ntimeseries: { window: 1ms }\nstrategies:\n${strategies(LIMITS.strategies)}\n`),
    },
  ];
}

/** Runs every extreme (or the one named `only`) with `cli` (lbsim's entry, run by `node`) and reports each one. */
export function runExtremes(node: string, cli: readonly string[], root: string, log: (text: string) => void, only?: string): ExtremeReport[] {
  const dir = mkdtempSync(join(tmpdir(), 'lbsim-extremes-'));
  try {
    return extremes(dir).filter((e) => only === undefined || e.name === only).map(({ name, what, file }) => {
      log(`extreme ${name}: ${what}\n`);
      const timed = runTimed(node, [...cli, 'run', file, '--json', '--out', join(dir, `out-${name}`)], root);
      return { name, what, processWallSec: timed.processWallSec, peakRssMb: timed.peakRssMb, underLimit: timed.peakRssMb < EXTREME_RSS_LIMIT_MB };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The extremes as a table, each against the limit. */
export function renderExtremes(reports: readonly ExtremeReport[]): string {
  const rows = reports.map((r) => `  ${r.name.padEnd(24)} ${r.what.padEnd(62)} ${r.processWallSec.toFixed(1).padStart(7)} s ${r.peakRssMb.toFixed(0).padStart(6)} MB  ${r.underLimit ? 'ok' : `OVER ${EXTREME_RSS_LIMIT_MB} MB`}`);
  return `Extremes the limits allow (peak RSS must stay under ${EXTREME_RSS_LIMIT_MB} MB):\n${rows.join('\n')}\n`;
}
