/**
 * Where a named pipe lives: the .NET naming convention, so that a .NET `NamedPipeServerStream` or
 * `NamedPipeClientStream` of the same name talks to ours.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import path from 'node:path';

/** Options of {@link namedPipePath}. */
export interface NamedPipePathOptions {
  /** The platform to name the pipe for. Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** The directory of POSIX sockets. Default `$TMPDIR`, or `/tmp` when it is unset or empty. */
  tmpdir?: string;
}

const WINDOWS_PREFIX = '\\\\.\\pipe\\';

/**
 * The path of the named pipe `name`:
 * - on Windows `\\.\pipe\NAME` (a name already starting with `\\.\pipe\` or `\\?\pipe\` is kept);
 * - on Linux, macOS and the BSDs a Unix socket at `path.join($TMPDIR or /tmp, 'CoreFxPipe_' + NAME)`,
 *   as .NET does;
 * - an absolute POSIX path is used as given.
 *
 * @throws {TypeError} for an empty name, a NUL byte, or a relative name with a path separator.
 * @throws {RangeError} when the socket path is longer than the platform allows (107 bytes on Linux,
 *   103 on macOS and the BSDs; 256 characters for a Windows pipe name). Node would otherwise cut the path
 *   short silently and listen somewhere else.
 *
 * @example
 * ```ts
 * namedPipePath('my-app');                          // '/tmp/CoreFxPipe_my-app' on Linux
 * namedPipePath('my-app', { platform: 'win32' });   // '\\.\pipe\my-app'
 * namedPipePath('/run/my-app.sock');                // '/run/my-app.sock'
 * ```
 */
export function namedPipePath(name: string, options?: NamedPipePathOptions): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('namedPipePath(): the pipe name must be a non-empty string.');
  }
  if (name.includes('\0')) throw new TypeError('namedPipePath(): the pipe name must not contain a NUL byte.');
  const platform = options?.platform ?? process.platform;
  if (platform === 'win32') {
    const lower = name.toLowerCase();
    if (lower.startsWith('\\\\.\\pipe\\') || lower.startsWith('\\\\?\\pipe\\')) return checkLength(name, platform);
    if (name.includes('\\')) {
      throw new TypeError(`namedPipePath(): a Windows pipe name must not contain a backslash: ${JSON.stringify(name)}.`);
    }
    return checkLength(WINDOWS_PREFIX + name, platform);
  }
  if (name.startsWith('/')) return checkLength(name, platform);
  if (name.includes('/')) {
    throw new TypeError(
      `namedPipePath(): ${JSON.stringify(name)} contains a '/': pass a plain name (placed in $TMPDIR) or an absolute path.`,
    );
  }
  const tmpdir = options?.tmpdir ?? (process.env.TMPDIR || '/tmp');
  return checkLength(path.posix.join(tmpdir, 'CoreFxPipe_' + name), platform);
}

/** The longest socket path (bytes, without the terminating NUL) `platform` accepts. */
export function maxPathBytes(platform: NodeJS.Platform): number {
  // sockaddr_un.sun_path is 108 bytes on Linux and 104 on macOS and the BSDs, NUL included.
  return platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd' ? 103 : 107;
}

function checkLength(pipePath: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    if (pipePath.length > 256) {
      throw new RangeError(`The pipe name ${JSON.stringify(pipePath)} is ${pipePath.length} characters; Windows allows at most 256.`);
    }
    return pipePath;
  }
  const size = Buffer.byteLength(pipePath);
  const max = maxPathBytes(platform);
  if (size > max) {
    throw new RangeError(
      `The socket path ${JSON.stringify(pipePath)} is ${size} bytes; Unix sockets allow at most ${max} on ${platform}. ` +
        'Use a shorter pipe name, or set TMPDIR (or pass an absolute path) in a shorter directory.',
    );
  }
  return pipePath;
}
