/** Client addresses from a file: a plain list or an nginx access log, with its repetitions as weights. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAuxiliaryFile } from '../../src/cli/io.js';
import { parseScenarioText } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

const FILE = 'test/scenarios/clients/from-log.yaml';
const load = (text = readFileSync(FILE, 'utf8')) => parseScenarioText(text, FILE, {}, readAuxiliaryFile);

describe('clients.addressFile', () => {
  it('reads the first field of each log line, skipping blanks and comments, keeping repetitions', () => {
    const loaded = load();
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.scenario.clients.addressList).toEqual([...Array(6).fill('203.0.113.7'), '198.51.100.23', '192.0.2.44', '2001:db8::17']);
  });

  it('gives the traffic’s own skew: the gateway with 6 of 9 lines loads one backend under ip_hash', () => {
    const loaded = load();
    if (!loaded.ok) throw new Error('unexpected');
    const [ipHash, cookie] = runScenario(loaded.scenario).strategies;
    const shares = ipHash!.load.backends.map((b) => b.requests / ipHash!.requests.attempts);
    // 6/9 of the users share one address, so one backend gets at least two thirds of the requests.
    expect(Math.max(...shares)).toBeGreaterThan(0.6);
    expect(cookie!.load.requestsCv).toBeLessThan(0.05);
  });

  it('names the file and the line of a bad address, and a missing file', () => {
    const bad = load(readFileSync(FILE, 'utf8').replace('access.log', 'bad.txt'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual([expect.objectContaining({ file: 'test/scenarios/clients/bad.txt', line: 2, message: expect.stringContaining('"not-an-address"') })]);
    const missing = load(readFileSync(FILE, 'utf8').replace('access.log', 'nope.txt'));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toMatchObject({ path: 'clients.addressFile', message: expect.stringContaining('test/scenarios/clients/nope.txt') });
  });
});
