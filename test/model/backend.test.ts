/** A backend by hand: workers, FIFO queue, queue limit, speed factor, and losing work when it fails. */
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/engine/index.js';
import { Backend, type BackendHost } from '../../src/model/index.js';

function harness(config: { workers: number; queueLimit: number; speed?: number }, serviceMs = 10) {
  const scheduler = new Scheduler();
  const log: string[] = [];
  const host: BackendHost = {
    serviceStarted: (ref, b) => {
      log.push(`${scheduler.now} start ${ref}`);
      return serviceMs / b.speed;
    },
    serviceEnded: (ref) => void log.push(`${scheduler.now} end ${ref}`),
    requestLost: (ref) => void log.push(`${scheduler.now} lost ${ref}`),
  };
  const backend = new Backend(0, { name: 'a:80', speed: 1, ...config }, scheduler, host);
  return { scheduler, backend, log };
}

describe('Backend', () => {
  it('serves `workers` at once, queues the rest first-in first-out, and rejects beyond the queue limit', () => {
    const { scheduler, backend, log } = harness({ workers: 2, queueLimit: 1 });
    expect([1, 2, 3, 4].map((ref) => backend.admit(ref))).toEqual([true, true, true, false]);
    expect(backend.load).toBe(3);
    scheduler.run();
    // 1 and 2 run 0–10; 3 takes the first freed worker at 10 (before that completion is
    // reported, so nothing the completion triggers can jump the queue) and ends at 20.
    expect(log).toEqual(['0 start 1', '0 start 2', '10 start 3', '10 end 1', '10 end 2', '20 end 3']);
    expect(backend.busyTimeMs(20)).toBe(30);
  });

  it('divides service demand by its speed factor', () => {
    const { scheduler, backend, log } = harness({ workers: 1, queueLimit: 0, speed: 0.5 });
    backend.admit(1);
    scheduler.run();
    expect(log).toEqual(['0 start 1', '20 end 1']);
  });

  it('loses queued and in-service requests when it leaves up, ignores their old completions, and serves again when back', () => {
    const { scheduler, backend, log } = harness({ workers: 1, queueLimit: 5 });
    backend.admit(1);
    backend.admit(2);
    scheduler.at(5, () => backend.setMode('crash'));
    scheduler.at(6, () => {
      backend.setMode('up');
      backend.admit(3);
    });
    scheduler.run();
    expect(log).toEqual(['0 start 1', '5 lost 1', '5 lost 2', '6 start 3', '16 end 3']);
    expect(backend.incarnation).toBe(1);
  });
});
