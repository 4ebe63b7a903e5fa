import { InvalidOperationError } from '../errors.js';

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Bytes the pool keeps for reuse at most; returns beyond it are left to the garbage collector. Default 32 MiB. */
  maxRetainedBytes?: number;
}

const MIN_SHIFT = 12; // 4 KiB
const MAX_SHIFT = 22; // 4 MiB: larger blocks are allocated exactly and not kept

/**
 * Rents and takes back segment memory, so a steady stream reuses a few blocks instead of allocating per
 * chunk. Sizes are rounded up to a power of two between 4 KiB and 4 MiB; larger requests are allocated
 * exactly. Memory is only handed out again after it was returned; `rentedBytes` counts what is out on
 * loan, so a test can assert that everything came back.
 *
 * @example
 * ```ts
 * const pool = new BufferPool();
 * const block = pool.rent(10_000);   // 16384 bytes
 * pool.return(block);
 * pool.rentedBytes;                  // 0
 * ```
 */
export class BufferPool {
  /** The pool used when none is given. */
  static readonly shared: BufferPool = new BufferPool();

  private readonly buckets: Uint8Array[][] = [];
  private readonly onLoan = new WeakSet<Uint8Array>();
  private retained = 0;
  private rented = 0;
  private readonly maxRetained: number;

  constructor(options?: BufferPoolOptions) {
    this.maxRetained = options?.maxRetainedBytes ?? 32 * 1024 * 1024;
    for (let s = MIN_SHIFT; s <= MAX_SHIFT; s++) this.buckets.push([]);
  }

  /** Bytes currently rented and not yet returned. */
  get rentedBytes(): number {
    return this.rented;
  }

  /** Bytes kept for reuse. */
  get retainedBytes(): number {
    return this.retained;
  }

  /**
   * A block of at least `minimumSize` bytes (at least 4 KiB). Its contents are unspecified.
   * @throws {RangeError} for a negative or non-integer size.
   */
  rent(minimumSize: number): Uint8Array {
    if (!Number.isInteger(minimumSize) || minimumSize < 0) {
      throw new RangeError(`rent(${minimumSize}): minimumSize must be a non-negative integer.`);
    }
    const block = this._rent(minimumSize);
    this.onLoan.add(block);
    return block;
  }

  /**
   * Gives a rented block back. Do not touch it afterwards: the next `rent()` may hand it out.
   * @throws {InvalidOperationError} when the block was not rented with `rent()` from this pool (memory a
   * pipe handed out goes back by itself) or was already returned.
   */
  return(block: Uint8Array): void {
    if (!this.onLoan.has(block)) {
      throw new InvalidOperationError(
        'return(): this block was not rented from this pool, or was already returned. Return each rented block exactly once.',
      );
    }
    this.onLoan.delete(block);
    this._return(block);
  }

  /**
   * @internal `rent()` for the library's own components (pipes, file readers, sinks), which return
   * each block exactly once by construction: no loan record, which costs more than the rest of a rent.
   * A block rented this way cannot be given back with `return()`.
   */
  _rent(minimumSize: number): Uint8Array {
    const shift = bucketShift(minimumSize);
    let block: Uint8Array | undefined;
    if (shift <= MAX_SHIFT) {
      block = this.buckets[shift - MIN_SHIFT]!.pop();
      if (block !== undefined) this.retained -= block.length;
      else block = new Uint8Array(1 << shift);
    } else {
      block = new Uint8Array(minimumSize);
    }
    this.rented += block.length;
    return block;
  }

  /** @internal Takes back a block from `_rent()` (or one `return()` checked). */
  _return(block: Uint8Array): void {
    const size = block.length;
    this.rented -= size;
    const shift = 31 - Math.clz32(size);
    if (size === 1 << shift && shift >= MIN_SHIFT && shift <= MAX_SHIFT && this.retained + size <= this.maxRetained) {
      this.buckets[shift - MIN_SHIFT]!.push(block);
      this.retained += size;
    }
  }
}

function bucketShift(size: number): number {
  if (size <= 1 << MIN_SHIFT) return MIN_SHIFT;
  if (size > 1 << MAX_SHIFT) return MAX_SHIFT + 1;
  return 32 - Math.clz32(size - 1);
}
