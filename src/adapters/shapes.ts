/**
 * Structural types and shape checks for the streams the adapters accept. Node streams are recognised by
 * their methods, never imported, so the universal entry stays free of `node:` modules; WHATWG streams are
 * recognised by shape too, so any spec-conformant implementation (web-streams-polyfill, another realm's)
 * is accepted, not only the global one.
 *
 * @module
 */

/** Listener registration shared by Node's event emitters. */
interface NodeEmitterLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}

/** The parts of a Node `stream.Readable` the adapters use (a `Readable`, `Duplex`, `net.Socket`, ...). */
export interface NodeReadableLike extends NodeEmitterLike {
  pause(): unknown;
  resume(): unknown;
  unshift(chunk: any): void;
  read(size?: number): unknown;
  destroy(error?: Error): unknown;
  readonly readableFlowing?: boolean | null;
  readonly readableEnded?: boolean;
  readonly destroyed?: boolean;
  readonly errored?: unknown;
}

/** The parts of a Node `stream.Writable` the adapters use (a `Writable`, `Duplex`, `net.Socket`, ...). */
export interface NodeWritableLike extends NodeEmitterLike {
  write(chunk: any, callback?: (error?: Error | null) => void): boolean;
  end(callback?: (error?: Error | null) => void): unknown;
  destroy(error?: Error): unknown;
  readonly writableNeedDrain?: boolean;
  readonly writableEnded?: boolean;
  readonly writableFinished?: boolean;
  readonly destroyed?: boolean;
  readonly errored?: unknown;
}

/** A Node `stream.Duplex` (such as a `net.Socket`). */
export type NodeDuplexLike = NodeReadableLike & NodeWritableLike;

/** A WHATWG `ReadableStream`, native or polyfilled. */
export interface WebReadableLike<T = Uint8Array> {
  getReader(): ReadableStreamDefaultReader<T>;
  cancel(reason?: unknown): Promise<void>;
  readonly locked: boolean;
}

/** A WHATWG `WritableStream`, native or polyfilled. */
export interface WebWritableLike<T = Uint8Array> {
  getWriter(): WritableStreamDefaultWriter<T>;
  readonly locked: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

export function isWebReadable(value: unknown): value is WebReadableLike {
  return isObject(value) && typeof value.getReader === 'function' && typeof value.cancel === 'function';
}

export function isWebWritable(value: unknown): value is WebWritableLike {
  return isObject(value) && typeof value.getWriter === 'function';
}

export function isNodeReadable(value: unknown): value is NodeReadableLike {
  return (
    isObject(value) && typeof value.on === 'function' && typeof value.pause === 'function' &&
    typeof value.resume === 'function' && typeof value.read === 'function' && typeof value.unshift === 'function'
  );
}

export function isNodeWritable(value: unknown): value is NodeWritableLike {
  return (
    isObject(value) && typeof value.on === 'function' && typeof value.write === 'function' &&
    typeof value.end === 'function' && typeof value.destroy === 'function'
  );
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return isObject(value) && typeof value[Symbol.asyncIterator as unknown as string] === 'function';
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return isObject(value) && typeof value[Symbol.iterator as unknown as string] === 'function';
}
