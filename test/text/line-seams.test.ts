import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { bytes, chunked } from '../helpers.js';
import {
  SOURCE_KINDS, bytewise, equalLines, modelLines, modelStrings, seams, viaForEach, viaLines, viaSequences,
} from './kit.js';

const t = suite('line seams');

// `\r\n` pairs, empty lines, a lone `\r`, a `\r` before `\r\n`, two- and three-byte characters, and a
// last line without line end: cut anywhere, every piece of it lands on a seam somewhere.
const SAMPLE = bytes('ab\r\n\ncé\r\r\n\rd\n€z\r');

async function check(chunks: Uint8Array[], data: Uint8Array, make: (c: Uint8Array[]) => Parameters<typeof viaLines>[0], what: string) {
  for (const keepLineEnds of [false, true]) {
    const expected = modelLines(data, keepLineEnds);
    const label = `${what}, keepLineEnds ${keepLineEnds}`;
    equalLines(await viaSequences(make(chunks), { keepLineEnds }), expected, `lineSequences ${label}`);
    equalLines(await viaForEach(make(chunks), { keepLineEnds }), expected, `forEachLine ${label}`);
    assert.equal(await viaLines(make(chunks), { keepLineEnds }), modelStrings(data, keepLineEnds), `lines ${label}`);
  }
}

t('every helper gives the model lines for every cut of the input in two and three chunks', async () => {
  const iterable = SOURCE_KINDS[0]!;
  for (const chunks of seams(SAMPLE)) {
    await check(chunks, SAMPLE, iterable.make as never, `cut ${chunks.map((c) => c.length).join('+')}`);
  }
});

t('every source kind gives the model lines for every cut in two, and for one-byte chunks', async () => {
  for (const kind of SOURCE_KINDS) {
    for (const chunks of seams(SAMPLE, false)) await check(chunks, SAMPLE, kind.make as never, `${kind.name} ${chunks.length}`);
    await check(bytewise(SAMPLE), SAMPLE, kind.make as never, `${kind.name} bytewise`);
  }
});

t('edge inputs: nothing, empty chunks, only line ends, no final line end', async () => {
  const cases: [string, string[], string[]][] = [
    ['no chunks', [], []],
    ['one empty chunk', [''], []],
    ['empty chunks around data', ['', 'a', '', '\n', ''], ['a']],
    ['only \\n', ['\n'], ['']],
    ['only \\r\\n', ['\r\n'], ['']],
    ['\\r and \\n in two chunks', ['\r', '\n'], ['']],
    ['two empty lines', ['\n\n'], ['', '']],
    ['no final line end', ['a\nb'], ['a', 'b']],
    ['a lone \\r is text', ['a\rb\n'], ['a\rb']],
    ['a \\r at the very end is text', ['a\r'], ['a\r']],
    ['\\r\\r\\n: one \\r is text', ['a\r\r\n'], ['a\r']],
    ['U+2028 and U+2029 are text', ['a\u2028b\u2029c\n'], ['a\u2028b\u2029c']],
    ['NEL, VT and FF are text', ['a\u0085b\vc\fd'], ['a\u0085b\vc\fd']],
  ];
  for (const kind of SOURCE_KINDS) {
    for (const [name, parts, expected] of cases) {
      const chunks = parts.map((p) => bytes(p));
      assert.equal(await viaLines(kind.make(chunks)), expected, `${kind.name}: ${name}`);
      const seqs = await viaSequences(kind.make(chunks));
      assert.equal(seqs.map((l) => new TextDecoder().decode(l)), expected, `${kind.name} sequences: ${name}`);
    }
  }
});

t('property: random text in random chunks gives the model lines in every helper', async () => {
  // Bytes that matter: line ends, \r, ASCII, the parts of é and €, and an invalid byte.
  const alphabet = [0x0a, 0x0d, 0x61, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff];
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      async (raw, sizes, keepLineEnds) => {
        const data = Uint8Array.from(raw);
        const chunks = chunked(data, sizes);
        const expected = modelLines(data, keepLineEnds);
        equalLines(await viaSequences(chunks, { keepLineEnds }), expected, 'lineSequences');
        equalLines(await viaForEach(chunks, { keepLineEnds }), expected, 'forEachLine');
        assert.equal(await viaLines(chunks, { keepLineEnds }), modelStrings(data, keepLineEnds), 'lines');
      },
    ),
    { seed: 4242, numRuns: 300 },
  );
});

t.run();
