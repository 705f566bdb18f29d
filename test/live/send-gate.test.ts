/**
 * The live driver's send gate: requests ready to leave go in the order of their planned times,
 * at least the gap apart, and a request due later never waits for one not yet ready.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendGate } from '../../src/cli/live/send-gate.js';

describe('SendGate', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('releases in planned order, 1 ms apart, however the waits were made', async () => {
    const gate = new SendGate(1, () => Date.now());
    const released: [string, number][] = [];
    const wait = (name: string, at: number) => gate.wait(at).then(() => void released.push([name, Date.now()]));
    // Made out of order: b is due 0.3 ms after a, c long before either.
    const all = Promise.all([wait('b', 10.3), wait('a', 10), wait('c', 5)]);
    await vi.advanceTimersByTimeAsync(20);
    await all;
    expect(released.map(([name]) => name)).toEqual(['c', 'a', 'b']);
    expect(released[1]![1]).toBeGreaterThanOrEqual(10);
    expect(released[2]![1] - released[1]![1]).toBeGreaterThanOrEqual(1);
  });

  it('a request already late leaves at once, and one due later is not held back by it', async () => {
    const gate = new SendGate(1, () => Date.now());
    const released: [string, number][] = [];
    await vi.advanceTimersByTimeAsync(50);
    const late = gate.wait(10).then(() => void released.push(['late', Date.now()]));
    const later = gate.wait(60).then(() => void released.push(['later', Date.now()]));
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all([late, later]);
    // The late one at once; the later one at its own time, not the gap after the late one's.
    expect(released).toEqual([['late', 50], ['later', 60]]);
  });
});
