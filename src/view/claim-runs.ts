// Where a report aggregator keeps, until its counts are asked for, each run of a claim's lines
// and the groups it counted the claim in: the exact check of a claim met again later in its file,
// and, for a file split in parts counted apart, of a claim met in more than one part.
import { NdjsonWriter, readNdjson, removeTemp } from '../store/ndjson.js';
import { SeenIds } from '../store/seen.js';

export interface ClaimRunLog {
  /** A run's claim and its groups (the array is the run's own: the aggregator starts a new one for the next run). */
  add(claim: string, groups: readonly number[]): void;
  /** Every run added, in order (asked once, at the end). */
  runs(): Iterable<[string, number[]]>;
  /** Frees what the log holds. */
  close(): void;
}

/** In memory: for runs whose lines are all in memory anyway (the memory executor, the tests). */
export class MemoryRunLog implements ClaimRunLog {
  private list: Array<[string, number[]]> = [];
  add(claim: string, groups: readonly number[]): void {
    this.list.push([claim, groups as number[]]);
  }
  runs(): Iterable<[string, number[]]> {
    return this.list;
  }
  close(): void {
    this.list = [];
  }
}

/** On disk, a line a run: memory stays the same whatever the count of claims. */
export class FileRunLog implements ClaimRunLog {
  private readonly writer: NdjsonWriter<[string, number[]]>;
  /** `keep`: the file stays when the log is closed (a part of a split file: read again by overcounted). */
  constructor(
    readonly path: string,
    private readonly keep = false,
  ) {
    this.writer = new NdjsonWriter<[string, number[]]>(path, { flushBytes: 1 << 16, hold: true });
  }
  add(claim: string, groups: readonly number[]): void {
    this.writer.writeRecord([claim, groups as number[]]);
  }
  runs(): Iterable<[string, number[]]> {
    this.writer.close();
    return readNdjson<[string, number[]]>(this.path);
  }
  close(): void {
    this.writer.close();
    if (!this.keep) removeTemp(this.path);
  }
}

/** A part of a split file, counted apart: its log of claim runs, and what each group number in it stands for. */
export interface PartRuns {
  path: string;
  /** The part's group numbers (its aggregator's counters) as references that hold across parts. */
  groups: readonly string[];
}

/** What was counted more than once: claims, and claims in each group. */
export interface Overcount<G = string> {
  claims: number;
  groups: Map<G, number>;
}

/**
 * Claims counted once in each of several units (runs of a claim's lines, or parts of a file)
 * where they should count once: given each unit a claim is in, with the groups it counted the
 * claim in there, how many counts are too many, in all and in each group. Used by the
 * aggregator's own check (units: runs) and by overcounted (units: parts).
 */
export class Excess<G> {
  private readonly counted = new Map<string, { units: number; groups: Map<G, number> }>();

  add(claim: string, groups: Iterable<G>): void {
    let c = this.counted.get(claim);
    if (!c) this.counted.set(claim, (c = { units: 0, groups: new Map() }));
    c.units++;
    for (const g of groups) c.groups.set(g, (c.groups.get(g) ?? 0) + 1);
  }

  result(): Overcount<G> {
    const over: Overcount<G> = { claims: 0, groups: new Map() };
    for (const c of this.counted.values()) {
      over.claims += c.units - 1;
      for (const [g, times] of c.groups) if (times > 1) over.groups.set(g, (over.groups.get(g) ?? 0) + times - 1);
    }
    return over;
  }
}

/**
 * A claim whose lines are in two parts of a split file (the same claim sent twice in one file)
 * was counted once in each part; a single run counts it once. The parts' logs, in file order,
 * say by how much: a filter of the claims of the parts before makes a claim a suspect, then the
 * suspects' runs are read again and each is counted once in the file and once in each group.
 * Memory grows with the suspects only.
 */
export function overcounted(parts: readonly PartRuns[], expected: number): Overcount {
  if (parts.length < 2) return { claims: 0, groups: new Map() };
  // One pass: a claim is added as its part is read, so one met twice in its own part is a
  // suspect too; the exact pass finds it in one part and takes nothing off.
  const earlier = new SeenIds(expected);
  const suspects = new Set<string>();
  parts.forEach((part, i) => {
    for (const [claim] of readNdjson<[string, number[]]>(part.path)) {
      if (i > 0 && earlier.has(claim)) suspects.add(claim);
      earlier.add(claim);
    }
  });
  if (suspects.size === 0) return { claims: 0, groups: new Map() };
  // Each part a suspect is in counts once, with the groups of all its runs in that part.
  const excess = new Excess<string>();
  for (const part of parts) {
    const here = new Map<string, Set<string>>();
    for (const [claim, groups] of readNdjson<[string, number[]]>(part.path)) {
      if (!suspects.has(claim)) continue;
      let refs = here.get(claim);
      if (!refs) here.set(claim, (refs = new Set()));
      for (const g of groups) refs.add(part.groups[g]!);
    }
    for (const [claim, refs] of here) excess.add(claim, refs);
  }
  return excess.result();
}
