// src/'s import graph, read from the source text: each module and the modules of src/ it imports
// or re-exports (type-only imports too, and dynamic imports), for the cycle and layer tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC = resolve(fileURLToPath(new URL('../../src', import.meta.url)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The modules of src/ a module's text imports (`from` is the module's path). */
export function importsOf(from: string, text: string): string[] {
  const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g), ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)]
    .map((m) => resolve(dirname(from), m[1]!.replace(/\.js$/, '.ts')))
    .filter((target) => target.startsWith(SRC));
  return [...new Set(targets)];
}

/** module → the modules of src/ it imports or re-exports. */
export function importGraph(root = SRC): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of files(root)) edges.set(file, importsOf(file, readFileSync(file, 'utf8')));
  return edges;
}
