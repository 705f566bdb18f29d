import { describe, expect, it } from 'vitest';
import { Priority, Scheduler } from '../../src/engine/index.js';

describe('Scheduler', () => {
  it('runs events in time order, FIFO among equal times, Urgent before Normal at the same instant', () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const at = (t: number, label: string, priority: Priority = Priority.Normal) => scheduler.at(t, () => log.push(`${label}@${scheduler.now}`), priority);
    at(5, 'c');
    at(1, 'a');
    at(5, 'd');
    at(5, 'urgent', Priority.Urgent);
    at(3, 'b');
    at(5, 'e');
    const stats = scheduler.run();
    expect(log).toEqual(['a@1', 'b@3', 'urgent@5', 'c@5', 'd@5', 'e@5']);
    expect(stats).toEqual({ endTime: 5, eventsProcessed: 6, stoppedBy: 'empty' });
  });

  it('keeps FIFO order among thousands of simultaneous events scheduled from within events', () => {
    const scheduler = new Scheduler();
    const order: number[] = [];
    scheduler.at(0, () => {
      for (let i = 0; i < 5000; i++) scheduler.at(10, () => order.push(i));
    });
    scheduler.run();
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('sorts a large random set of times exactly like a stable sort', () => {
    const scheduler = new Scheduler();
    const times = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 1000);
    const seen: [number, number][] = [];
    times.forEach((t, i) => scheduler.at(t, () => seen.push([t, i])));
    scheduler.run();
    const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(seen).toEqual(expected);
  });

  it('skips cancelled timers, stops at `until`, and refuses to schedule in the past', () => {
    const scheduler = new Scheduler();
    const log: number[] = [];
    scheduler.at(1, () => log.push(1));
    scheduler.at(2, () => log.push(2)).cancel();
    scheduler.at(10, () => log.push(10));
    expect(scheduler.run({ until: 5 })).toMatchObject({ endTime: 5, stoppedBy: 'until' });
    expect(log).toEqual([1]);
    expect(() => scheduler.at(4, () => undefined)).toThrow(RangeError);
    scheduler.run();
    expect(log).toEqual([1, 10]);
  });

  it('stop() ends run after the current event', () => {
    const scheduler = new Scheduler();
    const log: number[] = [];
    scheduler.at(1, () => {
      log.push(1);
      scheduler.stop();
    });
    scheduler.at(2, () => log.push(2));
    expect(scheduler.run().stoppedBy).toBe('stop');
    expect(log).toEqual([1]);
  });

  it('delivers (kind, ref) to the registered target named, in time order, beside closure timers', () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const target = (name: string) => ({ fire: (kind: number, ref: number) => void log.push(`${name}:${kind}/${ref}@${scheduler.now}`) });
    const a = scheduler.register(target('a'));
    const b = scheduler.register(target('b'));
    expect(a).not.toBe(b);
    scheduler.schedule(3, b, 7, 70);
    scheduler.schedule(1, a, 1, -5);
    scheduler.at(2, () => log.push(`timer@${scheduler.now}`));
    scheduler.schedule(3, a, 2, 2 ** 31 - 1);
    scheduler.run();
    expect(log).toEqual(['a:1/-5@1', 'timer@2', 'b:7/70@3', `a:2/${2 ** 31 - 1}@3`]);
  });
});

