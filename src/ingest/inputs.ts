// Resolves the command line's inputs (files, folders, globs) to a sorted, de-duplicated list.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { IngestIssue } from '../model/index.js';

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
}

export interface ResolvedInputs {
  files: InputFile[];
  issues: IngestIssue[];
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}

async function walk(dir: string, display: string, out: InputFile[], issues: IngestIssue[], skip: ReadonlySet<string>): Promise<void> {
  if (skip.has(dir)) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    issues.push({ severity: 'error', code: 'input-unreadable', message: `cannot read the folder (${code}): check its permissions`, file: display });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const shown = toPosix(join(display, entry.name));
    if (entry.isDirectory()) await walk(path, shown, out, issues, skip);
    else if (entry.isFile()) out.push({ path, display: shown, explicit: false });
  }
}

export interface InputFilter {
  /** Files found in folders or by globs must match one of these (all when empty). */
  include?: readonly string[];
  /** …and none of these. Files named on the command line are always read. */
  exclude?: readonly string[];
  /** Folders never walked into: the output folder (its reports are not claims to audit). */
  skipFolders?: readonly string[];
}

// A glob without a slash matches the file name anywhere ("*.edi", "*.gz"); with one, the path
// as reports show it ("claims/2025-*/**").
export function filterMatcher(filter: InputFilter): (display: string) => boolean {
  const compile = (globs: readonly string[] | undefined) => (globs ?? []).map((g) => picomatch(g, { basename: !g.includes('/'), dot: true }));
  const include = compile(filter.include);
  const exclude = compile(filter.exclude);
  return (display) => (include.length === 0 || include.some((m) => m(display))) && !exclude.some((m) => m(display));
}

export async function resolveInputs(inputs: readonly string[], cwd = '.', filter: InputFilter = {}): Promise<ResolvedInputs> {
  const files: InputFile[] = [];
  const issues: IngestIssue[] = [];
  const skip = new Set((filter.skipFolders ?? []).map((f) => resolve(cwd, f)));
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    let info: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      info = await stat(absolute);
    } catch {
      info = null;
    }
    if (info?.isDirectory()) {
      await walk(absolute, toPosix(input).replace(/\/+$/, ''), files, issues, skip);
    } else if (info) {
      files.push({ path: absolute, display: toPosix(input), explicit: true });
    } else if (isDynamicPattern(input)) {
      const matches = (await glob(toPosix(input), { cwd, onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) {
        issues.push({ severity: 'error', code: 'input-not-found', message: `no file matches ${JSON.stringify(input)}`, file: input });
      }
      for (const match of matches) files.push({ path: resolve(cwd, match), display: match, explicit: false });
    } else {
      issues.push({ severity: 'error', code: 'input-not-found', message: `no such file or folder: ${input}`, file: input });
    }
  }
  const seen = new Set<string>();
  const wanted = filterMatcher(filter);
  const unique = files.filter((f) => (f.explicit || wanted(f.display)) && (seen.has(f.path) ? false : (seen.add(f.path), true)));
  return { files: unique, issues };
}
