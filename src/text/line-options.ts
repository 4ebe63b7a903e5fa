/**
 * The options shared by the line helpers (`lines`, `lineSequences`, `forEachLine`), their defaults and
 * validation, and how a helper gets its `PipeReader` from what the caller passed.
 *
 * @module
 */
import { PipeReader } from '../pipe/reader.js';
import { ReadOnlySequence } from '../buffers/sequence.js';

/** Default `maxLineLength`: 1 MiB. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
/** Default `maxBufferedBytes` of a line helper: 16 MiB (never below `maxLineLength`, see {@link LineOptions}). */
export const DEFAULT_LINE_BUFFER_LIMIT = 16 * 1024 * 1024;

/**
 * Where lines come from: a `PipeReader`, or anything `PipeReader.create` takes (a Node `Readable`, a
 * WHATWG `ReadableStream`, an (async) iterable of `Uint8Array`, a `ReadOnlySequence`, a `Uint8Array`).
 */
export type LineSource = PipeReader | Parameters<typeof PipeReader.create>[0];

/** Options of {@link lines}, {@link lineSequences} and {@link forEachLine}. */
export interface LineOptions {
  /**
   * The text encoding, any WHATWG label (`'utf-8'`, `'latin1'`, `'shift_jis'`, `'utf-16le'`, ...).
   * Default `'utf-8'`. In ASCII-compatible encodings (all but UTF-16) a line ends at the byte `\n`
   * (or `\r\n`); in `'utf-16le'`/`'utf-16be'` at the code unit U+000A (or U+000D U+000A), counted in
   * 2-byte units from the start of the input.
   */
  encoding?: string;
  /**
   * The longest line allowed, in bytes, without its terminator. Default 1 MiB. A longer line raises
   * `LineTooLongError` (naming the limit and the line's byte offset) unless {@link onLongLine} says
   * otherwise; nothing longer is ever buffered.
   */
  maxLineLength?: number;
  /**
   * What to do with a line longer than {@link maxLineLength}: `'error'` (default) rejects with
   * `LineTooLongError`; `'skip'` drops the whole line; `'split'` yields it in pieces of at most
   * `maxLineLength` bytes (cut between characters in UTF-8 and UTF-16; only the last piece has the
   * line end when `keepLineEnds` is set).
   */
  onLongLine?: 'error' | 'skip' | 'split';
  /** Keep each line's `\n` or `\r\n` (default false: lines come without their terminator). */
  keepLineEnds?: boolean;
  /** Aborting rejects the pending read with `signal.reason`; the reader is then completed. */
  signal?: AbortSignal;
  /**
   * For a stream source: most bytes the reader may hold unconsumed (`BufferLimitError` beyond). Default
   * 16 MiB, and never below `maxLineLength` + 2 whatever is given (a legal line must fit). Not applied
   * to a `PipeReader` (it has its own settings) nor to a `Uint8Array`/`ReadOnlySequence` (already in
   * memory).
   */
  maxBufferedBytes?: number;
  /**
   * Leave the source open when the iteration ends (break, error, end). For a stream source it is passed
   * to `PipeReader.create`. For a `PipeReader` it means the reader is not completed: it is advanced past
   * the last line delivered, so the caller can keep reading from it (bytes after that line are then
   * returned once more data arrives or the writer completes).
   */
  leaveOpen?: boolean;
}

/** @internal How line ends are found: by the byte `\n` (0), or by the UTF-16 code unit U+000A (LE 1, BE 2). */
export const UNIT_BYTE = 0;
export const UNIT_UTF16LE = 1;
export const UNIT_UTF16BE = 2;

/** @internal `onLongLine` as a number: cheaper to test on the hot path. */
export const LONG_ERROR = 0;
export const LONG_SKIP = 1;
export const LONG_SPLIT = 2;

/** @internal Options after defaults and validation. */
export interface ResolvedLineOptions {
  readonly encoding: string;
  readonly unit: number;
  readonly utf8: boolean;
  readonly maxLineLength: number;
  readonly onLongLine: number;
  readonly keepLineEnds: boolean;
  readonly signal: AbortSignal | undefined;
  readonly maxBufferedBytes: number;
  readonly leaveOpen: boolean;
}

/** @internal Applies the defaults and checks every option, so a mistake throws before anything is read. */
export function resolveLineOptions(options: LineOptions | undefined, what: string): ResolvedLineOptions {
  const label = options?.encoding ?? 'utf-8';
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    throw new RangeError(`${what}: unknown encoding ${JSON.stringify(label)}. Pass a WHATWG encoding label such as 'utf-8', 'latin1' or 'utf-16le'.`);
  }
  const maxLineLength = options?.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (!Number.isSafeInteger(maxLineLength) || maxLineLength < 1) {
    throw new RangeError(`${what}: maxLineLength must be a positive integer (bytes), got ${maxLineLength}.`);
  }
  const unit = encoding === 'utf-16le' ? UNIT_UTF16LE : encoding === 'utf-16be' ? UNIT_UTF16BE : UNIT_BYTE;
  if (unit !== UNIT_BYTE && maxLineLength < 2) {
    throw new RangeError(`${what}: maxLineLength must be at least 2 bytes (one code unit) in ${encoding}, got ${maxLineLength}.`);
  }
  const mode = options?.onLongLine ?? 'error';
  if (mode !== 'error' && mode !== 'skip' && mode !== 'split') {
    throw new RangeError(`${what}: onLongLine must be 'error', 'skip' or 'split', got ${JSON.stringify(mode)}.`);
  }
  const requested = options?.maxBufferedBytes;
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 1)) {
    throw new RangeError(`${what}: maxBufferedBytes must be a positive integer (bytes), got ${requested}.`);
  }
  const signal = options?.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`${what}: signal must be an AbortSignal.`);
  }
  return {
    encoding,
    unit,
    utf8: encoding === 'utf-8',
    maxLineLength,
    onLongLine: mode === 'error' ? LONG_ERROR : mode === 'skip' ? LONG_SKIP : LONG_SPLIT,
    keepLineEnds: options?.keepLineEnds === true,
    signal,
    // A legal line (plus its `\r\n`) must always fit, whatever was asked for.
    maxBufferedBytes: Math.max(requested ?? DEFAULT_LINE_BUFFER_LIMIT, maxLineLength + 2),
    leaveOpen: options?.leaveOpen === true,
  };
}

/**
 * @internal The reader a line helper reads from, and whether the helper owns it (completes it when
 * done). A caller's `PipeReader` is used as it is; anything else goes through `PipeReader.create`.
 */
export function openLineReader(source: LineSource, options: ResolvedLineOptions): { reader: PipeReader; owned: boolean } {
  if (source instanceof PipeReader) return { reader: source, owned: !options.leaveOpen };
  const inMemory = source instanceof Uint8Array || source instanceof ReadOnlySequence;
  const reader = PipeReader.create(source, {
    leaveOpen: options.leaveOpen,
    // Bytes already in memory cost nothing more to hold: a limit would only reject a big input.
    ...(inMemory ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
  });
  return { reader, owned: true };
}
