/**
 * The line finder for UTF-16 (`'utf-16le'`, `'utf-16be'`): a line ends at the code unit U+000A (or
 * U+000D U+000A), and only at an even byte distance from the line start, so a `0x0A` byte inside another
 * character (U+0A41, U+010A, ...) is never taken for a line end. Internal; slower than the byte scanner
 * (UTF-16 text is rare on the wire) but linear in the same way.
 *
 * @module
 */
import { findPattern, hit } from '../buffers/segment.js';
import { UNIT_UTF16LE, LONG_ERROR, LONG_SKIP, type ResolvedLineOptions } from './line-options.js';
import { LINE, LineScanner, NONE, spot } from './line-scanner.js';

const LF_LE = new Uint8Array([0x0a, 0x00]);
const LF_BE = new Uint8Array([0x00, 0x0a]);
const CR = 0x000d;

export class Utf16LineScanner extends LineScanner {
  private readonly le: boolean;
  private readonly lf: Uint8Array;

  constructor(options: ResolvedLineOptions) {
    super(options);
    this.le = options.unit === UNIT_UTF16LE;
    this.lf = this.le ? LF_LE : LF_BE;
  }

  override nextRun(): number {
    return this.nextLine() ? LINE : NONE;
  }

  override nextLine(): boolean {
    for (;;) {
      let seg = this.seg;
      let idx = this.idx;
      let at = -1;
      while (findPattern(seg, idx, this.endSeg, this.endIdx, this.lf)) {
        const abs = hit.segment!.runningIndex + hit.index;
        if (((abs - this.lineAbs) & 1) === 0) {
          at = abs;
          break;
        }
        seg = hit.segment!; // a 0x0A byte straddling two code units: not a line end
        idx = hit.index + 1;
      }
      if (at < 0) {
        // Resume one byte before the end: a unit whose second byte has not arrived yet.
        this.locate(Math.max(this.lineAbs, this.endAbs - 1));
        this.seg = spot.seg;
        this.idx = spot.idx;
        return this.atEnd() === 1;
      }
      let len = at - this.lineAbs;
      const cr = len >= 2 && this.unitAt(at - 2) === CR;
      if (cr) len -= 2;
      if (len > this.max || this.skipping) {
        if (this.skipping || this.mode === LONG_SKIP) {
          this.skipping = false;
          this.startLineAt(at + 2);
          continue;
        }
        if (this.mode === LONG_ERROR) throw this.tooLong();
        this.piece(len); // split: the rest is found at this same line end next time
        this.locate(at);
        this.seg = spot.seg;
        this.idx = spot.idx;
        return true;
      }
      this.oSeg = this.lineSeg;
      this.oIdx = this.lineIdx;
      this.oAbs = this.lineAbs;
      const end = this.keepEnds ? at + 2 : cr ? at - 2 : at;
      this.locate(end);
      this.oEndSeg = spot.seg;
      this.oEndIdx = spot.idx;
      this.oLen = end - this.lineAbs;
      this.startLineAt(at + 2);
      return true;
    }
  }

  /** Moves the line start and the cursor to chain offset `abs`. */
  private startLineAt(abs: number): void {
    this.locate(abs);
    this.seg = this.lineSeg = spot.seg;
    this.idx = this.lineIdx = spot.idx;
    this.lineAbs = abs;
  }

  protected override trailingTerminatorBytes(): number {
    const pending = this.endAbs - this.lineAbs;
    const odd = pending & 1;
    const whole = pending - odd;
    return whole >= 2 && this.unitAt(this.lineAbs + whole - 2) === CR ? odd + 2 : odd;
  }

  /** Cuts between code units, and not inside a surrogate pair. */
  protected override cut(_len: number): number {
    let cut = this.max & ~1;
    if (cut < 2) return 2;
    const unit = this.unitAt(this.lineAbs + cut - 2);
    if (cut >= 4 && unit >= 0xd800 && unit <= 0xdbff) cut -= 2;
    return cut;
  }

  private unitAt(abs: number): number {
    const a = this.byteAt(abs);
    const b = this.byteAt(abs + 1);
    return this.le ? a | (b << 8) : (a << 8) | b;
  }
}
