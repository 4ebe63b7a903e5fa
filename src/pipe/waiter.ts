/**
 * A reusable slot for the one read or flush a pipe core (or a sink writer) can have waiting: its promise,
 * and the abort listener of its signal. Internal.
 *
 * @module
 */
/**
 * One per waiting side, reused: a wait allocates nothing but its promise (`arm`, the executor, is made
 * once).
 */
export class Waiter<T> {
  private resolve: (value: T) => void = ignore;
  private reject: (reason: unknown) => void = ignore;
  private signal: AbortSignal | undefined = undefined;
  private onAbort: (() => void) | undefined = undefined;
  private readonly arm = (resolve: (value: T) => void, reject: (reason: unknown) => void): void => {
    this.resolve = resolve;
    this.reject = reject;
  };
  /** Counts the waits started: a late callback of an earlier wait can tell it is not the current one. */
  private waits = 0;
  /** A wait was started and has not ended yet. */
  get pending(): boolean {
    return this.resolve !== ignore;
  }
  /** The number of the current (or last) wait, for {@link isWaiting}. */
  get ticket(): number {
    return this.waits;
  }
  /** Whether the wait numbered `ticket` is still the one waiting. */
  isWaiting(ticket: number): boolean {
    return this.pending && this.waits === ticket;
  }

  /** Starts a wait: its promise, rejected with the signal's reason if that aborts first. */
  wait(signal: AbortSignal | undefined): Promise<T> {
    this.waits++;
    const promise = new Promise<T>(this.arm);
    if (signal !== undefined) this.watch(signal);
    return promise;
  }

  private watch(signal: AbortSignal): void {
    this.signal = signal;
    this.onAbort ??= () => {
      const reason = this.signal!.reason;
      this.signal = undefined; // (a once-listener: already removed)
      this.fail(reason);
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Ends the wait with `value` (nothing when none is waiting). */
  fulfil(value: T): void {
    const resolve = this.resolve;
    this.forget();
    resolve(value);
  }

  /** Ends the wait with `reason` (nothing when none is waiting). */
  fail(reason: unknown): void {
    const reject = this.reject;
    this.forget();
    reject(reason);
  }

  /** Lets go of the signal and of the settled promise (and so of the value it holds). */
  private forget(): void {
    this.resolve = this.reject = ignore;
    if (this.signal === undefined) return;
    this.signal.removeEventListener('abort', this.onAbort!);
    this.signal = undefined;
  }
}

function ignore(): void {}
