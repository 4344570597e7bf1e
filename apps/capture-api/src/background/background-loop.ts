/**
 * A pass run over and over beside the request path (reconciling, delivering, pruning): again at
 * once while it finds work, so a backlog drains, else after `idleMs`. A failed pass is reported and
 * the loop goes on. `stop` lets the pass in flight finish.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly idleMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The first pass after `firstDelayMs` (default: the idle wait). */
  start(firstDelayMs = this.idleMs): void {
    this.next(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private next(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((error: unknown) => {
          this.onError(error);
          return 0;
        })
        .then((done) => this.next(done > 0 ? 0 : this.idleMs));
    }, delayMs);
    // Never what keeps the process alive: shutdown stops it.
    this.timer.unref();
  }
}
