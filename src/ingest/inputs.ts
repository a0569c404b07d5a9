// Resolves the command line's inputs (files, folders, globs) to a sorted, de-duplicated list.
// Symbolic links to files and folders are followed, each real file read once (by device and
// inode) and each real folder walked once, so a link loop ends; what is skipped is said, with
// why. Only regular files are read: a FIFO with no writer would block the run forever and a
// device like /dev/zero never ends, so such paths are refused unless the user asks to read a
// stream (--read-pipes), which the audit then copies to its work folder first.
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { CataloguedIssue, IngestIssueCode } from './issues.js';

export interface InputFile {
  /** Absolute path to open. */
  path: string;
  /** The name reports show: the path as the user wrote it (folders: joined with the entry). */
  display: string;
  /** Named directly on the command line (not found by walking a folder or a glob). */
  explicit: boolean;
  /**
   * A part of a large X12 file (the sharded executor): nominal byte offsets, each moved by the
   * reader to the next interchange (ISA) at or after it; part 0 starts at the file's start.
   */
  range?: { start: number; end: number; part: number; parts: number };
  /** A FIFO, pipe or device named with --read-pipes: read once, into the run's work folder, before the audit. */
  stream?: true;
}

export interface ResolvedInputs {
  files: InputFile[];
  issues: CataloguedIssue[];
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}

/** What a path is, when it is not a regular file or a folder. */
export function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'not a regular file';
}

export interface InputFilter {
  /** Files found in folders or by globs must match one of these (all when empty). */
  include?: readonly string[];
  /** …and none of these. Files named on the command line are always read. */
  exclude?: readonly string[];
  /** Folders never walked into or matched in: the output folder and the history (their files are not claims to audit). */
  skipFolders?: readonly string[];
  /** --read-pipes: FIFOs, pipes and devices named on the command line are read as streams. */
  readPipes?: boolean;
}

// A glob without a slash matches the file name anywhere ("*.edi", "*.gz"); with one, the path
// as reports show it ("claims/2025-*/**").
export function filterMatcher(filter: InputFilter): (display: string) => boolean {
  const compile = (globs: readonly string[] | undefined) => (globs ?? []).map((g) => picomatch(g, { basename: !g.includes('/'), dot: true }));
  const include = compile(filter.include);
  const exclude = compile(filter.exclude);
  return (display) => (include.length === 0 || include.some((m) => m(display))) && !exclude.some((m) => m(display));
}

const identity = (info: Stats) => `${info.dev}:${info.ino}`;

/** The walk's state: what was found, what was said, what was met already. */
class Resolver {
  readonly files: InputFile[] = [];
  readonly issues: CataloguedIssue[] = [];
  /** Real files met, by device and inode: the name they were first met under. */
  private readonly seenFiles = new Map<string, string>();
  /** Real folders walked, by device and inode. */
  private readonly seenFolders = new Map<string, string>();

  constructor(
    private readonly skip: readonly string[],
    private readonly wanted: (display: string) => boolean,
  ) {}

  warn(code: IngestIssueCode, message: string, file: string): void {
    this.issues.push({ severity: 'warning', code, message, file });
  }

  /** Whether a real path is, or is inside, one of the folders never read (the output folder, the history). */
  private skipped(real: string): boolean {
    return this.skip.some((folder) => real === folder || real.startsWith(folder + sep));
  }

  /** A regular file found (named, in a folder, by a glob), once per real file. */
  addFile(path: string, display: string, info: Stats, explicit: boolean): void {
    if (!explicit && !this.wanted(display)) return;
    const id = identity(info);
    const first = this.seenFiles.get(id);
    if (first !== undefined) {
      // The same name twice on the command line is the same input: nothing to say.
      if (first !== display) this.warn('input-duplicate', `skipped: the same file as ${first} (reached again through a symbolic link or another name)`, display);
      return;
    }
    this.seenFiles.set(id, display);
    this.files.push({ path, display, explicit });
  }

  async walk(dir: string, display: string, info: Stats): Promise<void> {
    const real = await realpath(dir).catch(() => dir);
    if (this.skipped(real)) return;
    const id = identity(info);
    const first = this.seenFolders.get(id);
    if (first !== undefined) {
      this.warn('input-link-loop', `skipped: the same folder as ${first} (a symbolic link back to a folder already read)`, display);
      return;
    }
    this.seenFolders.set(id, display);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      this.issues.push({ severity: 'error', code: 'input-unreadable', message: `cannot read the folder (${code}): check its permissions`, file: display });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const shown = toPosix(join(display, entry.name));
      let target: Stats;
      try {
        // Follows a symbolic link to what it names.
        target = await stat(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        if (entry.isSymbolicLink()) this.warn('input-link-broken', `skipped: a symbolic link to nothing (${code})`, shown);
        else this.issues.push({ severity: 'error', code: 'input-unreadable', message: `cannot read it (${code}): check its permissions`, file: shown });
        continue;
      }
      if (target.isDirectory()) await this.walk(path, shown, target);
      else if (target.isFile()) this.addFile(path, shown, target, false);
      else if (this.wanted(shown)) this.warn('input-not-regular', `skipped: ${fileKind(target)}, not a regular file`, shown);
    }
  }

  /** The files a glob matches (links followed), each real file once. */
  async glob(pattern: string, cwd: string): Promise<void> {
    const matches = (await glob(toPosix(pattern), { cwd, onlyFiles: true, dot: false, followSymbolicLinks: true })).sort();
    if (matches.length === 0) {
      this.issues.push({ severity: 'error', code: 'input-not-found', message: `no file matches ${JSON.stringify(pattern)}`, file: pattern });
      return;
    }
    for (const match of matches) {
      const path = resolve(cwd, match);
      const info = await stat(path).catch(() => null);
      if (!info) continue;
      if (this.skipped(await realpath(path).catch(() => path))) continue;
      if (info.isFile()) this.addFile(path, match, info, false);
      else if (!info.isDirectory() && this.wanted(match)) this.warn('input-not-regular', `skipped: ${fileKind(info)}, not a regular file`, match);
    }
  }
}

export async function resolveInputs(inputs: readonly string[], cwd = '.', filter: InputFilter = {}): Promise<ResolvedInputs> {
  const skip = await Promise.all((filter.skipFolders ?? []).map(async (f) => realpath(resolve(cwd, f)).catch(() => resolve(cwd, f))));
  const resolver = new Resolver(skip, filterMatcher(filter));
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    const info = await stat(absolute).catch(() => null);
    if (info?.isDirectory()) {
      await resolver.walk(absolute, toPosix(input).replace(/\/+$/, ''), info);
    } else if (info?.isFile()) {
      resolver.addFile(absolute, toPosix(input), info, true);
    } else if (info && filter.readPipes) {
      resolver.files.push({ path: absolute, display: toPosix(input), explicit: true, stream: true });
    } else if (info) {
      resolver.issues.push({
        severity: 'error',
        code: 'input-not-regular',
        message: `${fileKind(info)}, not a regular file: claim-audit reads files and folders (a stream never ends or may never start); pass --read-pipes to read it as a stream`,
        file: input,
      });
    } else if (isDynamicPattern(input)) {
      await resolver.glob(input, cwd);
    } else {
      resolver.issues.push({ severity: 'error', code: 'input-not-found', message: `no such file or folder: ${input}`, file: input });
    }
  }
  return { files: resolver.files, issues: resolver.issues };
}
