// Reports are written to a temporary file beside the target and renamed over it, so a reader
// (or a run killed half-way) never sees half a report.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';

function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
  const temp = tempPath(target);
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Streams lines to a temporary file, then renames it into place. */
export async function writeLinesAtomic(target: string, lines: Iterable<string>): Promise<void> {
  const temp = tempPath(target);
  const out = createWriteStream(temp);
  try {
    for (const line of lines) {
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(temp, target);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
