/**
 * The global WHATWG stream constructors `asStream()` builds on, with a clear error where they are missing.
 *
 * @module
 */

/** Returns `globalThis[name]`, or throws a TypeError that says how to provide it. */
export function globalStream<K extends 'ReadableStream' | 'WritableStream'>(name: K, what: string): (typeof globalThis)[K] {
  const ctor = (globalThis as Partial<typeof globalThis>)[name];
  if (typeof ctor !== 'function') {
    throw new TypeError(
      `${what} needs a global ${name} (Node >= 18, Deno, Bun and browsers have one). In an environment ` +
        `without it, install web-streams-polyfill and import 'web-streams-polyfill/polyfill' before calling ${what}.`,
    );
  }
  return ctor as (typeof globalThis)[K];
}
