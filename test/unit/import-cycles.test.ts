// No import circle anywhere in src/ (a type-only import counts too: it ties the modules' design).
import { relative } from 'node:path';
import { expect, it } from 'vitest';
import { importGraph, SRC as src } from '../support/imports.js';

it('src/ has no import cycle', () => {
  const edges = importGraph();
  expect(edges.size).toBeGreaterThan(50);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(src, f)).join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  expect(cycles).toEqual([]);
});
