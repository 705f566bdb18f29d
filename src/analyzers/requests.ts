/**
 * Client requests and upstream attempts: every client request ends completed (an answer),
 * failed (502/504 from the balancer) or rejected (503: the backend's queue was full), so
 * completed + failed + rejected = total. Attempts count every try of every request, and
 * `sentToDeadBackend` those that went to a backend that was not up.
 */
import type { SimEvent } from '../model/index.js';
import { unhandled, type Analyzer } from './analyzer.js';

export interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly rejected: number;
  readonly attempts: number;
  readonly sentToDeadBackend: number;
}

export class RequestsAnalyzer implements Analyzer<RequestCounts> {
  readonly name = 'requests';
  readonly interests = ['request-start', 'attempt-end', 'request-end'] as const;
  private total = 0;
  private completed = 0;
  private failed = 0;
  private rejected = 0;
  private attempts = 0;
  private sentToDeadBackend = 0;

  observe(event: SimEvent): void {
    switch (event.type) {
      case 'request-start':
        this.total++;
        break;
      case 'attempt-end':
        this.attempts++;
        if (event.backendDown) this.sentToDeadBackend++;
        break;
      case 'request-end':
        if (event.outcome === 'completed') this.completed++;
        else if (event.outcome === 'failed') this.failed++;
        else this.rejected++;
        break;
      case 'session-start':
      case 'session-end':
      case 'backend-state':
      case 'scenario-event':
        break;
      default:
        unhandled(event);
    }
  }

  finish(): RequestCounts {
    return { total: this.total, completed: this.completed, failed: this.failed, rejected: this.rejected, attempts: this.attempts, sentToDeadBackend: this.sentToDeadBackend };
  }
}
