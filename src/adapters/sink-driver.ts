/**
 * The interface between a stream-backed `PipeWriter` and its sink, so that the writer's buffering lives
 * in one place and each sink kind only says how to write, wait, end and abort.
 *
 * @module
 */

/** What a sink driver reports to its writer. */
export interface SinkEvents {
  /** The sink failed. */
  error(error: unknown): void;
  /** The sink was closed or destroyed by someone else, without an error. */
  closed(): void;
}

export interface SinkDriver {
  /**
   * Hands `chunk` to the sink. `done` is called once the sink is finished with the memory (Node: the write
   * callback; WHATWG: the write promise), with the error if the write failed. Returns false when the
   * sink asks the writer to wait ({@link ready}) before writing more.
   */
  write(chunk: Uint8Array, done: (error?: unknown) => void): boolean;
  /** The sink wants the writer to wait now. */
  readonly needsDrain: boolean;
  /** Resolves once the sink takes more (Node `'drain'`, WHATWG `writer.ready`); rejects if it fails. */
  ready(): Promise<void>;
  /** Ends/closes the sink; resolves once it finished. */
  end(): Promise<void>;
  /** Destroys/aborts the sink with `error`. */
  abort(error: unknown): void;
  /** Stops using the sink and leaves it usable (listeners removed, lock released). */
  release(): void;
  /**
   * Reports a failure or closure the sink's state already shows but its events have not announced yet
   * (Node emits 'error' and 'close' a tick after `destroy()`).
   */
  poll(): void;
}
