import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { indexOfByte, lastIndexOfByte, nativeSearch } from '../../src/buffers/segment.js';

/**
 * The byte search picks a runtime's faster native method (Node's `Buffer.prototype.indexOf`) only when
 * it answers a probe like the standard one; any other candidate falls back to the standard method.
 */
const t = suite('native byte search');

type Search = (this: Uint8Array, byte: number, from: number) => number;
const standardForward = Uint8Array.prototype.indexOf as Search;
const standardBackward = Uint8Array.prototype.lastIndexOf as Search;

/** A correct search (the standard one, wrapped so that it is a different function). */
const correct = (standard: Search): Search => function (this: Uint8Array, byte, from) {
  return standard.call(this, byte, from);
};
/** A search that is right except for one `from` value, where it answers 99. */
const wrongAt = (standard: Search, at: number): Search => function (this: Uint8Array, byte, from) {
  return from === at ? 99 : standard.call(this, byte, from);
};

t('a candidate that answers like the standard method is used as it is', () => {
  const forward = correct(standardForward);
  const backward = correct(standardBackward);
  assert.is(nativeSearch('indexOf', forward), forward);
  assert.is(nativeSearch('lastIndexOf', backward), backward);
});

t('a candidate wrong on any one probe, a throwing one, or none at all: the standard method', () => {
  for (const at of [2, 4, 9]) {
    assert.is(nativeSearch('indexOf', wrongAt(standardForward, at)), standardForward, `indexOf wrong at ${at}`);
  }
  for (const at of [2, 4, 0]) {
    assert.is(nativeSearch('lastIndexOf', wrongAt(standardBackward, at)), standardBackward, `lastIndexOf wrong at ${at}`);
  }
  // The other direction's method fails the probe too.
  assert.is(nativeSearch('indexOf', correct(standardBackward)), standardForward);
  assert.is(nativeSearch('lastIndexOf', correct(standardForward)), standardBackward);
  const throwing = (): number => {
    throw new Error('no');
  };
  assert.is(nativeSearch('indexOf', throwing), standardForward);
  assert.is(nativeSearch('indexOf', 'indexOf'), standardForward);
});

t('the searches in use find what indexOf and lastIndexOf find', () => {
  const data = new Uint8Array([10, 1, 10, 2, 3, 10]);
  for (let from = 0; from <= data.length; from++) {
    assert.is(indexOfByte(data, 10, from), data.indexOf(10, from), `indexOfByte from ${from}`);
    assert.is(lastIndexOfByte(data, 10, from), data.lastIndexOf(10, from), `lastIndexOfByte from ${from}`);
  }
  assert.is(indexOfByte(data, 7, 0), -1);
  assert.is(lastIndexOfByte(data, 7, 5), -1);
});

t.run();
