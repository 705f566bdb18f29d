/**
 * Session outcomes: completed, abandoned, broken by cause; the funnel (how many sessions
 * completed each step); and failover loss — the broken sessions whose cause is a backend failure
 * or pool change, the carts among them, and what their orders were worth: all of them
 * (`revenue`), and those of users who would have paid (`revenueLost`; abandonment is drawn up
 * front, so a session broken at search may belong to a user who was going to leave anyway).
 */
import { BREAK_CAUSES, FAILOVER_CAUSES, IGNORED, type BreakCause, type EventHandling } from '../model/index.js';
import type { Analyzer } from './analyzer.js';

export interface SessionOutcomes {
  readonly sessions: { readonly total: number; readonly completed: number; readonly abandoned: number; readonly broken: number };
  /** broken / total (0 when there were no sessions). */
  readonly breakageRate: number;
  /** Every cause, zero included, in the documented order. */
  readonly brokenByCause: Readonly<Record<BreakCause, number>>;
  readonly failoverLoss: FailoverLoss;
  /** funnel[k]: sessions that completed step k. */
  readonly funnel: readonly number[];
  /** Revenue of completed orders. */
  readonly revenue: number;
  /** The broken session that arrived first (0-based index), a sample for the report's story; null when none broke. */
  readonly firstBroken: number | null;
  /** The first session counted (0-based index; later than 0 after a warm-up); null when none arrived. */
  readonly firstSession: number | null;
}

export interface FailoverLoss {
  readonly sessions: number;
  /** Those that had completed the add-to-cart step. */
  readonly carts: number;
  /** The order value of every failover-broken session, paying or not. */
  readonly revenue: number;
  /** The order value of the failover-broken sessions whose users would have gone on to pay. */
  readonly revenueLost: number;
}

export class SessionOutcomesAnalyzer implements Analyzer<SessionOutcomes> {
  readonly name = 'session-outcomes';
  private total = 0;
  private completed = 0;
  private abandoned = 0;
  private broken = 0;
  private readonly byCause = Object.fromEntries(BREAK_CAUSES.map((c) => [c, 0])) as Record<BreakCause, number>;
  private failoverSessions = 0;
  private failoverCarts = 0;
  private failoverRevenue = 0;
  private failoverRevenueLost = 0;
  private revenue = 0;
  private firstBroken = Infinity;
  private firstSession = Infinity;
  private readonly funnel: number[];

  constructor(steps: number) {
    this.funnel = new Array<number>(steps).fill(0);
  }

  readonly on: EventHandling = {
    'session-start': (event) => {
      this.total++;
      if (event.session < this.firstSession) this.firstSession = event.session;
    },
    'request-start': IGNORED,
    'attempt-end': IGNORED,
    'request-end': IGNORED,
    'session-end': (event) => {
      for (let k = 0; k < event.stepsCompleted; k++) this.funnel[k]!++;
      if (event.outcome === 'completed') {
        this.completed++;
        this.revenue += event.orderValue;
      } else if (event.outcome === 'abandoned') this.abandoned++;
      else if (event.cause) {
        this.broken++;
        this.byCause[event.cause]++;
        if (event.session < this.firstBroken) this.firstBroken = event.session;
        if (FAILOVER_CAUSES.has(event.cause)) {
          this.failoverSessions++;
          if (event.cartFilled) this.failoverCarts++;
          this.failoverRevenue += event.orderValue;
          if (event.plannedToPay) this.failoverRevenueLost += event.orderValue;
        }
      }
    },
    'backend-state': IGNORED,
    'scenario-event': IGNORED,
  };

  finish(): SessionOutcomes {
    return {
      sessions: { total: this.total, completed: this.completed, abandoned: this.abandoned, broken: this.broken },
      breakageRate: this.total === 0 ? 0 : this.broken / this.total,
      brokenByCause: { ...this.byCause },
      failoverLoss: { sessions: this.failoverSessions, carts: this.failoverCarts, revenue: this.failoverRevenue, revenueLost: this.failoverRevenueLost },
      funnel: [...this.funnel],
      revenue: this.revenue,
      firstBroken: this.firstBroken === Infinity ? null : this.firstBroken,
      firstSession: this.firstSession === Infinity ? null : this.firstSession,
    };
  }
}
