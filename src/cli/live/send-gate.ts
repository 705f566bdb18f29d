/**
 * Requests leave in the order of their planned times, at least `gapMs` apart. Two requests lbsim
 * sends a fraction of a millisecond apart (from two sessions) could otherwise reach the balancer
 * in either order, and a round robin's picks, cookies' first picks included, would swap. Only
 * requests ready to leave wait here, so a late one never holds back those behind it for long:
 * it leaves as soon as it is ready, in its turn among those ready.
 */
export class SendGate {
  private readonly waiting: { readonly at: number; readonly seq: number; readonly go: () => void }[] = [];
  private lastRelease = -Infinity;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly gapMs: number,
    /** Epoch ms, to the microsecond. */
    private readonly now: () => number,
  ) {}

  /** Resolves when a request planned for `at` (epoch ms) may leave. */
  wait(at: number): Promise<void> {
    return new Promise((go) => {
      this.waiting.push({ at, seq: this.seq++, go });
      this.waiting.sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.waiting[0];
    if (head === undefined) return;
    const when = Math.max(head.at, this.lastRelease + this.gapMs);
    const delay = when - this.now();
    if (delay > 0) {
      this.timer = setTimeout(() => this.schedule(), delay);
      return;
    }
    this.waiting.shift();
    this.lastRelease = this.now();
    head.go();
    // The next one waits at least the gap (a timer, so the request just released is written first).
    this.schedule();
  }
}
