import type { Segment } from './segment.js';

/**
 * An opaque place in a {@link ReadOnlySequence}: a segment and an index into it. Two positions that
 * name the same byte offset (the end of one segment, the start of the next) are equal everywhere a
 * position is accepted. Get positions from a sequence (`start`, `end`, `getPosition`, `positionOf`) or
 * from a `SequenceReader` (`position`), and give them back to `slice` or `advanceTo`.
 */
export class SequencePosition {
  /** @internal */
  readonly _segment: Segment;
  /** @internal */
  readonly _index: number;
  /** @internal */
  constructor(segment: Segment, index: number) {
    this._segment = segment;
    this._index = index;
  }
  /** @internal The absolute offset of this position within its chain. */
  get _absolute(): number {
    return this._segment.runningIndex + this._index;
  }
}
