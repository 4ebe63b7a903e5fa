/**
 * The socket file of a POSIX named-pipe server: claiming its path (a stale file of a dead server is
 * removed, a live server or a file that is not a socket is left alone), binding so that the file is
 * never reachable with a wider mode than asked for, and removing it only while it is still ours.
 *
 * How the mode is guaranteed from the first instant: the server binds to `s` inside a fresh directory
 * made by `mkdtemp` (mode 0700: no other user can reach anything in it), the socket is chmod'ed there,
 * then hard-linked to its public path and the private name is unlinked. `link()` (unlike `rename()`)
 * fails with EEXIST instead of replacing a file that appeared meanwhile, so a server that started in
 * the window is never clobbered. This needs no process-wide `umask()` change, which would race with
 * every other file the process creates at the same time. Libuv unlinks the path a server bound to when
 * it closes; here that is the private path, so an old server never removes a newer server's file.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { maxPathBytes } from './named-pipe-path.js';

/** Identity of a socket file: an old server compares it before removing the file. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** An error with a Node-style `code`, naming the path. */
export function pathError(message: string, code: string, pipePath: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string; path: string };
  error.code = code;
  error.path = pipePath;
  return error;
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** Connects to `pipePath` once: 'live' if a server answers, 'refused' or 'absent' otherwise. */
function probe(pipePath: string): Promise<'live' | 'refused' | 'absent'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: pipePath });
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'ECONNREFUSED') resolve('refused');
      else if (error.code === 'ENOENT') resolve('absent');
      /* c8 ignore next -- e.g. EACCES on another user's socket: not reproducible as root */
      else reject(error);
    });
  });
}

/**
 * Makes `pipePath` free for a new server: nothing there → done; a socket nobody listens on (connect
 * refused, three times, as macOS also refuses when a live server's backlog is full) → removed, if it is
 * still the same file; a live server → EADDRINUSE; anything else → an error, the file untouched.
 */
export async function claimPath(pipePath: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(pipePath);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  if (!stat.isSocket()) {
    throw pathError(
      `Cannot listen at ${pipePath}: a file that is not a socket is there. It was left untouched; remove it or choose another name.`,
      'EEXIST', pipePath,
    );
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 10));
    const state = await probe(pipePath);
    if (state === 'absent') return;
    if (state === 'live') {
      throw pathError(`Cannot listen at ${pipePath}: another server is listening there (EADDRINUSE).`, 'EADDRINUSE', pipePath);
    }
  }
  // Stale: its server died without removing it. Remove it only if it is still the file we probed.
  if (await isFile(pipePath, stat)) await unlinkQuietly(pipePath);
}

/** Whether `pipePath` still names the file with identity `id`. */
export async function isFile(pipePath: string, id: FileIdentity): Promise<boolean> {
  try {
    const now = await fs.lstat(pipePath);
    return now.dev === id.dev && now.ino === id.ino;
  } catch {
    return false;
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    /* c8 ignore next -- e.g. EPERM on another user's stale socket in a sticky /tmp: not reproducible as root */
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}

/** Removes `pipePath` if it is still the socket file `id` (a newer server's file is left alone). */
export async function removeIfOurs(pipePath: string, id: FileIdentity): Promise<void> {
  if (await isFile(pipePath, id)) await unlinkQuietly(pipePath).catch(() => {});
}

/**
 * Binds `server` at `pipePath` with `mode` (see the module comment) and resolves the identity of the
 * socket file. On failure nothing is left behind: the server is closed, the private directory removed.
 */
export async function bindPrivately(server: net.Server, pipePath: string, mode: number, backlog: number): Promise<FileIdentity> {
  const dir = await fs.mkdtemp(path.join(path.dirname(pipePath), '.'));
  const privatePath = path.join(dir, 's');
  try {
    if (Buffer.byteLength(privatePath) > maxPathBytes(process.platform)) {
      throw new RangeError(
        `Cannot listen at ${pipePath} safely: the socket is created at ${privatePath} first (to have its mode from the ` +
          'first instant), which is over the platform limit. Use a path with a longer file name or a shorter directory.',
      );
    }
    await listen(server, privatePath, backlog);
    await fs.chmod(privatePath, mode);
    const stat = await fs.lstat(privatePath);
    try {
      await fs.link(privatePath, pipePath);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
      // A file appeared since the path was claimed: judge it like the first (stale → removed), once.
      await claimPath(pipePath);
      /* c8 ignore next 5 -- a second server winning the same race twice: timing-dependent */
      await fs.link(privatePath, pipePath).catch((again: unknown) => {
        throw codeOf(again) === 'EEXIST'
          ? pathError(`Cannot listen at ${pipePath}: another server took the path meanwhile (EADDRINUSE).`, 'EADDRINUSE', pipePath, again)
          : again;
      });
    }
    return { dev: stat.dev, ino: stat.ino };
  } catch (error) {
    if (server.listening) server.close();
    throw error;
  } finally {
    await unlinkQuietly(privatePath).catch(() => {});
    await fs.rmdir(dir).catch(() => {});
  }
}

/** `server.listen()` as a promise: resolves on 'listening', rejects on the bind 'error'. */
export function listen(server: net.Server, address: string, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.removeListener('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ path: address, backlog });
  });
}
