import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { namedPipePath } from '../../src/node.js';

const t = suite('namedPipePath');

t('Windows: \\\\.\\pipe\\NAME', () => {
  assert.is(namedPipePath('my-app', { platform: 'win32' }), '\\\\.\\pipe\\my-app');
  assert.is(namedPipePath('with space.and-dots', { platform: 'win32' }), '\\\\.\\pipe\\with space.and-dots');
  // A full pipe path is kept as given (either prefix, any case).
  assert.is(namedPipePath('\\\\.\\pipe\\already', { platform: 'win32' }), '\\\\.\\pipe\\already');
  assert.is(namedPipePath('\\\\?\\PIPE\\raw', { platform: 'win32' }), '\\\\?\\PIPE\\raw');
  // A plain name is not a path on Windows, even with a slash.
  assert.is(namedPipePath('a/b', { platform: 'win32' }), '\\\\.\\pipe\\a/b');
});

t('Windows: a backslash inside a name and over-long names are rejected', () => {
  assert.throws(() => namedPipePath('a\\b', { platform: 'win32' }), /must not contain a backslash/);
  assert.throws(() => namedPipePath('x'.repeat(248), { platform: 'win32' }), (e: unknown) => e instanceof RangeError && /257 characters; Windows allows at most 256/.test((e as Error).message));
  assert.is(namedPipePath('x'.repeat(247), { platform: 'win32' }).length, 256);
});

t('POSIX: $TMPDIR/CoreFxPipe_NAME, as .NET names it', () => {
  assert.is(namedPipePath('my-app', { platform: 'linux', tmpdir: '/var/tmp' }), '/var/tmp/CoreFxPipe_my-app');
  assert.is(namedPipePath('my-app', { platform: 'darwin', tmpdir: '/var/folders/xy/T/' }), '/var/folders/xy/T/CoreFxPipe_my-app');
  const saved = process.env.TMPDIR;
  try {
    process.env.TMPDIR = '/custom/tmp/';
    assert.is(namedPipePath('n', { platform: 'linux' }), '/custom/tmp/CoreFxPipe_n');
    process.env.TMPDIR = '';
    assert.is(namedPipePath('n', { platform: 'linux' }), '/tmp/CoreFxPipe_n');
    delete process.env.TMPDIR;
    assert.is(namedPipePath('n', { platform: 'linux' }), '/tmp/CoreFxPipe_n');
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});

t('POSIX: an absolute path is used as given', () => {
  assert.is(namedPipePath('/run/user/1000/app.sock', { platform: 'linux', tmpdir: '/ignored' }), '/run/user/1000/app.sock');
});

t('POSIX: a path over the socket limit is rejected up front (107 bytes on Linux, 103 on macOS)', () => {
  const linuxOk = '/' + 'a'.repeat(106);
  assert.is(namedPipePath(linuxOk, { platform: 'linux' }), linuxOk);
  assert.throws(() => namedPipePath(linuxOk + 'b', { platform: 'linux' }), (e: unknown) => e instanceof RangeError && /is 108 bytes; Unix sockets allow at most 107 on linux/.test((e as Error).message));
  const macOk = '/' + 'a'.repeat(102);
  assert.is(namedPipePath(macOk, { platform: 'darwin' }), macOk);
  assert.throws(() => namedPipePath(macOk + 'b', { platform: 'darwin' }), /104 bytes; Unix sockets allow at most 103 on darwin/);
  // Bytes, not characters: 'é' is two bytes in UTF-8.
  assert.throws(() => namedPipePath('/' + 'é'.repeat(54), { platform: 'linux' }), /109 bytes/);
  // The temp directory counts too, and the message says what to do.
  assert.throws(() => namedPipePath('x'.repeat(92), { platform: 'linux', tmpdir: '/tmp' }), /Use a shorter pipe name, or set TMPDIR/);
});

t('bad names are a TypeError', () => {
  assert.throws(() => namedPipePath(''), (e: unknown) => e instanceof TypeError && /non-empty string/.test((e as Error).message));
  assert.throws(() => namedPipePath(42 as never), TypeError);
  assert.throws(() => namedPipePath('a\0b'), /NUL byte/);
  assert.throws(() => namedPipePath('sub/name', { platform: 'linux' }), /contains a '\/': pass a plain name/);
});

t('the default platform is this one', () => {
  const expected = process.platform === 'win32' ? '\\\\.\\pipe\\p' : '/somewhere/CoreFxPipe_p';
  assert.is(namedPipePath('p', { tmpdir: '/somewhere' }), expected);
});

t.run();
