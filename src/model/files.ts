// Reading a file the user named as configuration (a profile, a pack, a CSV mapping, a
// suppressions file, an MUE table, a crosswalk, a CMS file of a reference folder): only a
// regular file, and only up to a size cap, so that a FIFO with no writer cannot hang the run and
// /dev/zero cannot fill its memory. Opened without blocking (a FIFO's open would wait for a
// writer) and checked on the open descriptor, so what is read is what was checked.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Configuration files are read up to this size. */
export const CONFIG_MAX_BYTES = 64 * 1024 * 1024;
/** CMS files of a reference folder (pack build, --reference) are read up to this size. */
export const REFERENCE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** Why a configuration file could not be read: one line, naming the path. */
export class FileReadError extends Error {}

const MB = 1024 * 1024;

function kindOf(stats: ReturnType<typeof fstatSync>): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** The bytes of a regular file of at most `maxBytes`; FileReadError otherwise (`what` names the option: "--profile"). */
export function readBoundedFile(path: string, what: string, maxBytes = CONFIG_MAX_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new FileReadError(`${what} ${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(`${what} ${path}: ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new FileReadError(`${what} ${path}: ${(stats.size / MB).toFixed(0)} MB, over the ${maxBytes / MB} MB a file of this kind may have`);
    // Read to the end, never past the cap (a file that grows while it is read).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new FileReadError(`${what} ${path}: over the ${maxBytes / MB} MB a file of this kind may have`);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(`${what} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    closeSync(fd);
  }
}

/** The text (UTF-8) of a regular file of at most `maxBytes`. */
export function readBoundedText(path: string, what: string, maxBytes = CONFIG_MAX_BYTES): string {
  return readBoundedFile(path, what, maxBytes).toString('utf8');
}

/**
 * JSON.parse that says what went wrong in one line, without quoting the file: nested too deep
 * (a RangeError from the parser's recursion), or not JSON at all.
 */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw new FileReadError(`${where}: nested too deeply to read`);
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = position === undefined ? null : text.slice(0, Number(position)).split('\n').length;
    throw new FileReadError(`${where}: not valid JSON${line === null ? '' : ` (at line ${line})`}`);
  }
}

/** JSON.stringify that cannot overflow the stack on a value nested a million deep. */
export function safeStringify(value: unknown, max = 60): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, max);
  } catch {
    return '(a value nested too deeply to show)';
  }
}
