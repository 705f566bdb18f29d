/**
 * Active health checks: a crash is detected after `fall` failed probes, so the detection delay is
 * interval × fall give or take one interval (the crash lands somewhere between two probes); a
 * hanging backend adds the probe timeout. Meanwhile the balancer keeps sending requests there;
 * after detection it stops.
 */
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/sim/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

const scenario = (mode: string) =>
  scenarioFrom(`
name: health
seed: 2
sessions: 3000
arrivals: { rate: 20/s }
backends: { count: 3, name: "10.0.0.{n}:80", maxFails: 0 }
proxy: { readTimeout: 2s, connectTimeout: 2s }
timeline:
  - { at: 41.3s, backend: "10.0.0.2:80", mode: ${mode}, duration: 30s }
  - { at: 101.7s, backend: "10.0.0.3:80", event: errors, duration: 20s }
strategies:
  - name: checked
    balancer: { method: round-robin }
    store: shared
    healthCheck: { interval: 2s, timeout: 500ms, fall: 3, rise: 2 }
  - name: unchecked
    balancer: { method: round-robin }
    store: shared
  - name: checked-block
    store: shared
    healthCheck: { interval: 2s, timeout: 500ms, fall: 3, rise: 2 }
    balancer:
      nginx: |
        upstream app {
            server 10.0.0.1:80 max_fails=0;
            server 10.0.0.2:80 max_fails=0;
            server 10.0.0.3:80 max_fails=0;
        }
`);

describe('active health checks', () => {
  it.each([
    ['refused', 0],
    ['hang', 500],
  ])('detect a backend that is %s within interval × fall (+ timeout) give or take one interval', (mode, timeout) => {
    const s = scenario(mode);
    const checked = runStrategy(s, s.strategies[0]!);
    const detections = checked.facts.detections!;
    // Two failures: the crash (or hang) of .2 at 41.3 s and the error responses of .3 at 101.7 s.
    expect(detections.map((d) => d.backend)).toEqual([1, 2]);
    expect(detections.map((d) => d.failedAtMs)).toEqual([41_300, 101_700]);
    for (const d of detections) {
      const delay = d.detectedAtMs - d.failedAtMs;
      const expected = d.backend === 1 ? 2000 * 3 + timeout : 2000 * 3;
      expect(Math.abs(delay - expected)).toBeLessThanOrEqual(2000);
    }
  });

  it('stop requests to the dead backend once detected: fewer attempts there than without checks', () => {
    // maxFails 0 turns nginx's passive checks off, so only the active checks protect the pool.
    const s = scenario('refused');
    const [checked, unchecked] = s.strategies.slice(0, 2).map((spec) => runStrategy(s, spec));
    expect(checked!.requests.sentToDeadBackend).toBeGreaterThan(0);
    expect(checked!.requests.sentToDeadBackend).toBeLessThan(unchecked!.requests.sentToDeadBackend / 3);
    expect(checked!.requests.failed).toBeLessThan(unchecked!.requests.failed);
    expect(unchecked!.facts.detections).toBeUndefined();
  });

  it('take a backend out under an nginx block too: the block sets the servers, the checks still mark them down', () => {
    const s = scenario('refused');
    const [plain, block] = [s.strategies[0]!, s.strategies[2]!].map((spec) => runStrategy(s, spec));
    // The same servers, settings and checks: round robin sends exactly as much to the dead backend.
    expect(plain!.facts.detections).toHaveLength(2);
    expect(block!.facts.detections).toEqual(plain!.facts.detections);
    expect(block!.requests.sentToDeadBackend).toBe(plain!.requests.sentToDeadBackend);
  });
});
