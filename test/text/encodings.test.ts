import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineTooLongError, lines } from '../../src/index.js';
import { bytes, chunked, rejects } from '../helpers.js';
import { seams, viaForEach, viaLines, viaSequences } from './kit.js';

const t = suite('line encodings');

/** UTF-16 code units of `text` as bytes, little or big endian. */
function utf16(text: string, bigEndian = false): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(2 * i, text.charCodeAt(i), !bigEndian);
  return out;
}

t('UTF-8: a 4-byte character cut at every place decodes whole', async () => {
  const data = bytes('a😀b\n😀\n');
  for (const chunks of seams(data)) assert.equal(await viaLines(chunks), ['a😀b', '😀'], `cut ${chunks.map((c) => c.length)}`);
});

t('invalid UTF-8 becomes U+FFFD as TextDecoder does, and never eats a line end', async () => {
  const data = bytes([0xf0, 0x9f, 0x0a, 0x61, 0xc3, 0x0a, 0x80, 0x62, 0x0d, 0x0a, 0xed, 0xa0, 0x80, 0x0a]);
  const expected = ['\ufffd', 'a\ufffd', '\ufffdb', '\ufffd\ufffd\ufffd'];
  for (const chunks of seams(data, false)) assert.equal(await viaLines(chunks), expected);
  assert.equal(expected, new TextDecoder().decode(data).split(/\r?\n/).slice(0, -1), 'same as decoding it whole');
});

t('a single-byte encoding (windows-1251): every byte is a character; \n and \r\n end lines', async () => {
  // Привет / Ђя / ї — decoded through the encoding's own table (not Latin-1).
  const data = bytes([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0a, 0x80, 0xff, 0x0d, 0x0a, 0xbf]);
  for (const chunks of seams(data, false)) {
    assert.equal(await viaLines(chunks, { encoding: 'windows-1251' }), ['Привет', 'Ђя', 'ї'], `cut ${chunks.map((c) => c.length)}`);
  }
  assert.equal(await viaLines(chunked(data, [1]), { encoding: 'cp1251' }), ['Привет', 'Ђя', 'ї'], 'labels resolve as TextDecoder does');
});

t('shift_jis: double-byte characters (trail bytes never 0x0A) are not cut by line ends', async () => {
  // 日本 = 93 fa 96 7b; ア (half-width) = b1
  const data = bytes([0x93, 0xfa, 0x96, 0x7b, 0x0a, 0xb1, 0x0d, 0x0a, 0x41]);
  for (const chunks of seams(data, false)) {
    assert.equal(await viaLines(chunks, { encoding: 'shift_jis' }), ['日本', 'ｱ', 'A'], `cut ${chunks.map((c) => c.length)}`);
  }
});

t('UTF-16LE: a line ends at the code unit U+000A, not at a 0x0A byte inside another character', async () => {
  // U+0A41 is 41 0A in little endian, U+010A is 0A 01: both hold a 0x0A byte.
  const text = 'a\u0a41b\r\n\u010a\n\n😀z\u2028\r';
  const data = utf16(text);
  const expected = ['a\u0a41b', '\u010a', '', '😀z\u2028\r'];
  for (const chunks of seams(data)) {
    assert.equal(await viaLines(chunks, { encoding: 'utf-16le' }), expected, `cut ${chunks.map((c) => c.length)}`);
  }
  assert.equal(await viaLines([data], { encoding: 'utf-16le', keepLineEnds: true }), ['a\u0a41b\r\n', '\u010a\n', '\n', '😀z\u2028\r']);
});

t('UTF-16BE works the same; the label is resolved as TextDecoder does', async () => {
  const data = utf16('\u0a00x\n\u000ay\r\n', true);
  for (const chunks of seams(data, false)) assert.equal(await viaLines(chunks, { encoding: 'UTF-16BE' }), ['\u0a00x', '', 'y']);
});

t('UTF-16: sequences are the bytes of each line without its line end units; a BOM is text there', async () => {
  const data = utf16('\ufeffab\r\ncd');
  const seqs = await viaSequences(chunked(data, [3]), { encoding: 'utf-16le' });
  assert.equal(seqs.map((s) => [...s]), [[0xff, 0xfe, 0x61, 0, 0x62, 0], [0x63, 0, 0x64, 0]]);
  assert.equal(await viaLines([data], { encoding: 'utf-16le' }), ['ab', 'cd'], 'lines() drops the BOM');
  const each = await viaForEach(chunked(data, [1]), { encoding: 'utf-16le', keepLineEnds: true });
  assert.equal(each.map((s) => s.length), [10, 4]);
});

t('UTF-16: an odd byte at the end is U+FFFD; maxLineLength counts bytes', async () => {
  const data = new Uint8Array([...utf16('ab\n'), 0x63]);
  assert.equal(await viaLines([data], { encoding: 'utf-16le' }), ['ab', '\ufffd']);
  assert.equal(await viaLines([utf16('abcd\n')], { encoding: 'utf-16le', maxLineLength: 8 }), ['abcd']);
  await rejects(() => viaLines([utf16('abcde\n')], { encoding: 'utf-16le', maxLineLength: 8 }), LineTooLongError);
  await rejects(() => viaLines([utf16('ab\nabcde')], { encoding: 'utf-16le', maxLineLength: 8 }), LineTooLongError);
  // The \r of a \r\n does not count while the \n has not arrived yet.
  assert.equal(await viaLines(chunked(utf16('abcd\r\nx'), [10, 1, 1]), { encoding: 'utf-16le', maxLineLength: 8 }), ['abcd', 'x']);
});

t("UTF-16: 'split' cuts between code units and not inside a surrogate pair; 'skip' drops", async () => {
  const text = 'ab😀cd😀';
  for (const sizes of [[100], [1], [3]]) {
    const pieces = await viaLines(chunked(utf16(`${text}\nok\n`), sizes), { encoding: 'utf-16le', maxLineLength: 7, onLongLine: 'split' });
    assert.equal(pieces.slice(0, -1).join(''), text, `cut ${sizes}`);
    assert.ok(pieces.every((p) => !p.includes('\ufffd')), JSON.stringify(pieces));
    assert.is(pieces[pieces.length - 1], 'ok');
  }
  assert.equal(await viaLines(chunked(utf16('x\nlong line\ny'), [5]), { encoding: 'utf-16be', maxLineLength: 4, onLongLine: 'skip' }), []);
  assert.equal(await viaLines(chunked(utf16('x\nlong line\ny', true), [5]), { encoding: 'utf-16be', maxLineLength: 4, onLongLine: 'skip' }), ['x', 'y']);
});

t('an unknown encoding is a RangeError; UTF-16 needs room for one code unit', () => {
  assert.throws(() => lines([], { encoding: 'ebcdic-ish' }), /unknown encoding "ebcdic-ish"/);
  assert.throws(() => lines([], { encoding: 'utf-16le', maxLineLength: 1 }), /at least 2 bytes/);
});

t.run();
