/**
 * What every decorator over a balancing method shares (cookie stickiness, routing cookies,
 * HAProxy's cookie insertion): a picker that hands the wrapped picker everything it does not
 * handle itself.
 */
import type { SimTime } from '../engine/index.js';
import type { BackendName } from '../model/index.js';
import type { FailureReason, PeerPicker, Pick, ResponseHeaders } from './strategy.js';

/** A picker wrapped around the method's own: tries, outcomes and `close` pass through unless overridden. */
export abstract class DecoratingPicker implements PeerPicker {
  constructor(protected readonly inner: PeerPicker) {}

  get tries(): number {
    return this.inner.tries;
  }

  abstract pick(now: SimTime): Pick | undefined;

  onSuccess(backend: BackendName, now: SimTime, response: ResponseHeaders): void {
    this.inner.onSuccess?.(backend, now, response);
  }

  onFailure(backend: BackendName, reason: FailureReason, now: SimTime): void {
    this.inner.onFailure?.(backend, reason, now);
  }

  retryingMs(reason: FailureReason, sent: boolean, attemptMs: number, connectTimeoutMs: number): number {
    return this.inner.retryingMs?.(reason, sent, attemptMs, connectTimeoutMs) ?? 0;
  }

  close(): void {
    this.inner.close?.();
  }
}
