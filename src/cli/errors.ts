// What the CLI says when a run fails for a reason outside the claims: one line naming the path
// and what to do for a problem of the machine (permissions, a full disk, a file where a folder
// should be), and one line for an internal error, with where it happened; never a stack trace
// unless CLAIM_AUDIT_DEBUG=1 asks for it. Error messages are not quoted for internal errors:
// one may hold a value of the input (V8 quotes the text a JSON.parse failed on).
import { relative, resolve, sep } from 'node:path';
import { TOOL_NAME } from '../version.js';
import { escapeTerminal } from './terminal.js';

type Errno = NodeJS.ErrnoException;

/** What to do about each error of the environment. */
const ADVICE: Record<string, (path: string) => string> = {
  EACCES: (p) => `permission denied on ${p}: give this user access, or choose another --out folder`,
  EPERM: (p) => `operation not permitted on ${p}: give this user access, or choose another --out folder`,
  EEXIST: (p) => `${p} exists and is not a folder: remove it, or choose another --out folder`,
  ENOTDIR: (p) => `a part of ${p} is a file, not a folder: choose another --out folder`,
  EISDIR: (p) => `${p} is a folder where a file was expected: remove it, or choose another --out folder`,
  ENOSPC: (p) => `no space left on the device holding ${p}: free some space, or choose another --out folder`,
  EDQUOT: (p) => `disk quota exceeded for ${p}: free some space, or choose another --out folder`,
  EROFS: (p) => `${p} is on a read-only file system: choose another --out folder`,
  EMFILE: (p) => `too many open files (at ${p}): raise the limit (ulimit -n) or lower --concurrency`,
  ENFILE: (p) => `the system has too many open files (at ${p}): lower --concurrency, or try again later`,
};

export interface Failure {
  text: string;
  exitCode: 2 | 3;
}

function isErrno(error: unknown): error is Errno {
  return error instanceof Error && typeof (error as Errno).code === 'string';
}

/** The environment error in an error or its causes (a worker's error arrives wrapped). */
function environmentError(error: unknown): Errno | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (isErrno(e) && ADVICE[e.code!]) return e;
  }
  return null;
}

/** Where an internal error was thrown: the first frame of this program, as dist/…/file.js:line. */
export function whereThrown(error: unknown): string | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (!match || match[1]!.includes('node_modules') || match[1]!.startsWith('node:')) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    const parts = file.split(sep);
    const at = Math.max(parts.lastIndexOf('dist'), parts.lastIndexOf('src'));
    return `${at >= 0 ? parts.slice(at).join('/') : parts.at(-1)}:${match[2]}`;
  }
  return null;
}

/**
 * The one line for a run that failed outside the claims. `outDir` decides the exit code of a
 * path error: the output folder is configuration (2), anything else is input (3).
 */
export function describeFailure(error: unknown, options: { outDir?: string | null; cwd?: string; debug?: boolean; started?: boolean }): Failure {
  const env = environmentError(error);
  if (env) {
    // A write (writeSync) names no path: during a run, writes go to the output folder.
    const path = env.path ?? (env as Errno & { dest?: string }).dest ?? options.outDir ?? '(unknown path)';
    const absolute = resolve(options.cwd ?? '.', path);
    const out = options.outDir ? resolve(options.cwd ?? '.', options.outDir) : null;
    const inOut = out !== null && (absolute === out || !relative(out, absolute).startsWith('..') || !relative(absolute, out).startsWith('..'));
    const exitCode = inOut || env.code === 'EMFILE' || env.code === 'ENFILE' ? 2 : 3;
    // Said once a run had begun: it stopped before its commit, so nothing was replaced.
    const previous = out && options.started ? `; nothing was written, the previous reports in ${options.outDir} are as they were` : '';
    return { text: `${TOOL_NAME}: ${escapeTerminal(ADVICE[env.code!]!(path))}${previous} (${env.code})\n`, exitCode };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const where = whereThrown(error);
  const details = options.debug
    ? `\n${(error instanceof Error ? (error.stack ?? String(error)) : String(error)).split('\n').map(escapeTerminal).join('\n')}`
    : '; set CLAIM_AUDIT_DEBUG=1 to print the details';
  return { text: `${TOOL_NAME}: internal error (${name}${where ? ` at ${where}` : ''})${details}\n`, exitCode: 2 };
}
