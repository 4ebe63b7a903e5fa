import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lines } from '../../src/index.js';
import { utf8Range, utf8RangeDecoder } from '../../src/text/fast-decode.js';
import { bytes, chunked, concat, randomBytes } from '../helpers.js';

const t = suite('fast-path');

const reference = new TextDecoder('utf-8', { ignoreBOM: true });
/** A stand-in for a native slice method that decodes like TextDecoder. */
function goodSlice(this: Uint8Array, from: number, to: number): string {
  return reference.decode(this.subarray(from, to));
}

const tricky = [
  bytes([0x41, 0xff, 0x42]),
  bytes([0xef, 0xbb, 0xbf, 0x41]),
  bytes([0xe2, 0x82]),
  bytes([0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9]),
  bytes([0xed, 0xa0, 0x80, 0xc0, 0xaf]),
  randomBytes(300, 7),
];

t('every range decoder decodes like TextDecoder, from an offset', () => {
  const decoders = [utf8Range, utf8RangeDecoder(undefined), utf8RangeDecoder(goodSlice)];
  for (const decode of decoders) {
    for (const data of tricky) {
      const padded = concat([bytes('ab'), data, bytes('cd')]);
      assert.is(decode(padded, 2, 2 + data.length), reference.decode(data));
    }
  }
});

t('a fast slice that disagrees with TextDecoder, or throws, is not used', () => {
  const wrong = function (this: Uint8Array): string {
    return 'wrong';
  };
  const lossy = function (this: Uint8Array, from: number, to: number): string {
    return goodSlice.call(this, from, to).replace(/\uFFFD/g, '?');
  };
  const throwing = function (): string {
    throw new TypeError('not a Buffer');
  };
  for (const fast of [wrong, lossy, throwing, 42]) {
    const decode = utf8RangeDecoder(fast);
    assert.is(decode(bytes([0x41, 0xff, 0x42]), 0, 3), 'A\uFFFDB');
  }
});

t('lines(): invalid bytes, BOM and characters split across chunks decode as TextDecoder does', async () => {
  const parts = ['plain ascii', 'caf\u00e9 \u20ac \u{1f600}', '', 'x'.repeat(2000) + '\u00e9', 'tail'];
  const text = concat([bytes([0xef, 0xbb, 0xbf]), bytes(parts.join('\n')), bytes([0x0a, 0xc3, 0x41, 0xff, 0x0a, 0x42])]);
  const expected = [...parts, '\uFFFDA\uFFFD', 'B'];
  for (const sizes of [[text.length], [1], [3, 5, 7], [2048, 1]]) {
    const got: string[] = [];
    for await (const line of lines(chunked(text, sizes))) got.push(line);
    assert.equal(got, expected, `chunk sizes ${sizes.join(',')}`);
  }
});

t('lines(): a non-UTF-8 encoding still decodes with TextDecoder', async () => {
  const got: string[] = [];
  for await (const line of lines([bytes([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xe8])], { encoding: 'windows-1252' })) got.push(line);
  assert.equal(got, ['caf\u00e9', '\u00e8']);
});

t.run();
