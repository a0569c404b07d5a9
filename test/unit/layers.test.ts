// The dependency direction DESIGN.md draws, held: each top-level part of src/ imports only the
// parts below it in LAYERS. The allowed arrows are listed here and nowhere else; change the
// drawing (DESIGN.md, docs/architecture.md) and this list together.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, importsOf, SRC } from '../support/imports.js';

/**
 * Top to bottom: a part may import the parts on the rows below its own, never one above or on
 * its row. bench measures the CLI as a user runs it, so it is the one part above cli.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['bench'],
  ['cli'],
  ['audit'],
  ['exec'],
  ['stages'],
  ['report'],
  ['view'],
  ['history'],
  ['suppressions'],
  ['rules'],
  ['reference'],
  ['ingest'],
  ['output'],
  ['store'],
  ['version'],
  ['model'],
];

const rank = new Map(LAYERS.flatMap((row, i) => row.map((part) => [part, i] as const)));

/** A module's part: its folder under src/, or its file's name for a module at the top. */
const partOf = (file: string) => relative(SRC, file).split(sep)[0]!.replace(/\.ts$/, '');

/** The imports that run up (or sideways) in the layers, as "from → to". */
function forbidden(edges: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of edges) {
    const a = partOf(from);
    for (const to of targets) {
      const b = partOf(to);
      if (a === b) continue;
      if (!rank.has(a) || !rank.has(b) || rank.get(b)! <= rank.get(a)!) bad.push(`${relative(SRC, from)} → ${relative(SRC, to)}`);
    }
  }
  return bad.sort();
}

describe('layers', () => {
  const edges = importGraph();

  it('every part of src/ has its row', () => {
    const parts = new Set([...edges.keys()].map(partOf));
    expect([...parts].filter((p) => !rank.has(p))).toEqual([]);
  });

  it('no import runs up or sideways', () => {
    expect(forbidden(edges)).toEqual([]);
  });

  it('model imports nothing of ours; nothing but bench imports cli', () => {
    for (const [from, targets] of edges) {
      if (partOf(from) === 'model') expect(targets.filter((t) => partOf(t) !== 'model'), relative(SRC, from)).toEqual([]);
      if (partOf(from) !== 'cli' && partOf(from) !== 'bench') expect(targets.filter((t) => partOf(t) === 'cli'), relative(SRC, from)).toEqual([]);
    }
  });

  it('fails when a forbidden import is added (history importing the view, as it once did)', () => {
    const nightly = join(SRC, 'history', 'nightly.ts');
    const text = `${readFileSync(nightly, 'utf8')}\nimport { WORKLIST_TOP } from '../view/view.js';\n`;
    const mutated = new Map(edges);
    mutated.set(nightly, importsOf(nightly, text));
    expect(forbidden(mutated)).toEqual(['history/nightly.ts → view/view.ts']);
  });
});
