// Where a large X12 file may be cut for the sharded executor: at the start of an interchange. An
// ISA header is 106 bytes of fixed width, its element separator at fixed places and its segment
// terminator last; one that follows the same terminator (whitespace between allowed) is where a
// reading of the whole file starts a new interchange too, with nothing carried over. A cut is only
// ever made there: an ISA this check does not accept (padded, damaged, after another terminator)
// stays inside the part before, which is correct, only less even.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Offsets of ISA's element separators after the one at 3, and of its segment terminator. */
const SEPARATORS = [6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
const ISA_LENGTH = 106;
/** Whitespace looked back over for the terminator before an ISA. */
const LOOK_BACK = 256;
const WINDOW = 1 << 20;

const isAlnum = (b: number) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
const isSpace = (b: number) => b === 32 || b === 9 || b === 10 || b === 13;

/** Whether a fixed-width ISA starts at `p` in `buf` and follows its own terminator (or starts the buffer's file). */
export function interchangeStartsAt(buf: Buffer, p: number, atFileStart: boolean): boolean {
  if (p + ISA_LENGTH > buf.length || buf[p] !== 73 || buf[p + 1] !== 83 || buf[p + 2] !== 65) return false;
  const element = buf[p + 3]!;
  const terminator = buf[p + 105]!;
  if (isAlnum(element) || isSpace(element) || isAlnum(terminator) || terminator === element || terminator === 32) return false;
  for (const at of SEPARATORS) if (buf[p + at] !== element) return false;
  if (atFileStart) return true;
  let q = p - 1;
  while (q >= 0 && p - q <= LOOK_BACK && isSpace(buf[q]!)) q--;
  return q >= 0 && buf[q] === terminator;
}

/** The offset of the first interchange that starts at or after `from` (the file's size when none does). */
export function nextInterchange(path: string, from: number): number {
  if (from <= 0) return 0;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(WINDOW + LOOK_BACK + ISA_LENGTH);
    // Each window starts LOOK_BACK before where candidates are looked for, and reads ISA_LENGTH past it.
    for (let at = from; at < size; at += WINDOW) {
      const start = Math.max(0, at - LOOK_BACK);
      const length = readSync(fd, buf, 0, Math.min(buf.length, size - start), start);
      const window = buf.subarray(0, length);
      for (let i = window.indexOf('ISA', at - start, 'latin1'); i >= 0 && start + i < at + WINDOW; i = window.indexOf('ISA', i + 1, 'latin1')) {
        if (interchangeStartsAt(window, i, start + i === 0)) return start + i;
      }
    }
    return size;
  } finally {
    closeSync(fd);
  }
}
