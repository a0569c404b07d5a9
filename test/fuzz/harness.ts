// The fuzzing harness: one input (bytes) through the real file-level ingest and the rule
// engine, and the properties every input must keep, whatever its bytes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ingestFile } from '../../src/ingest/index.js';
import type { Claim } from '../../src/model/index.js';
import { loadReference } from '../../src/reference/index.js';
import { auditClaim } from '../../src/rules/engine.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'claim-audit-fuzz-'));
const reference = loadReference();
let counter = 0;

/** The files mutations start from: the samples, and the X12 and CSV corpus when it is there. */
export function seedFiles(withCorpus: boolean): Array<{ name: string; bytes: Buffer }> {
  const samples = readdirSync(join(root, 'samples')).map((n) => ({ name: n, bytes: readFileSync(join(root, 'samples', n)) }));
  if (!withCorpus) return samples;
  const corpus = process.env.CLAIM_AUDIT_CORPUS ?? resolve(root, '..', 'shared', 'corpus');
  const list = (sub: string) => {
    try {
      return readdirSync(join(corpus, sub), { withFileTypes: true })
        .filter((d) => d.isFile() && !/\.(md|tsv)$/.test(d.name))
        .map((d) => ({ name: d.name, bytes: readFileSync(join(corpus, sub, d.name)) }));
    } catch {
      return [];
    }
  };
  return [...samples, ...list('x12'), ...list('csv')];
}

export interface Outcome {
  problems: string[];
  seconds: number;
  claims: number;
  /** The issue codes reported, for assertions on specific inputs. */
  codes: string[];
}

/** Runs one input; returns what broke a property (empty when none). */
export async function check(bytes: Uint8Array, name: string): Promise<Outcome> {
  const path = join(dir, `${counter++}-${name.replace(/[^\w.-]/g, '_')}`);
  writeFileSync(path, bytes);
  const problems: string[] = [];
  const claims: Claim[] = [];
  const started = performance.now();
  try {
    const stats = await ingestFile(path, name, { onClaim: (c) => claims.push(c) });
    const seconds = (performance.now() - started) / 1000;
    // No hang: bounded time per megabyte.
    const limit = 3 + (bytes.length / 1024 / 1024) * 5;
    if (seconds > limit) problems.push(`took ${seconds.toFixed(1)} s for ${bytes.length} bytes (limit ${limit.toFixed(1)} s)`);
    // Nothing lost: every claim read is audited, skipped or unparseable; audited ones were handed over.
    const c = stats.claims;
    if (c.read !== c.audited + c.skipped + c.unparseable) problems.push(`claims read ${c.read} ≠ ${c.audited} audited + ${c.skipped} skipped + ${c.unparseable} unparseable`);
    if (claims.length !== c.audited) problems.push(`${claims.length} claims handed over, ${c.audited} counted as audited`);
    // A CSV's claims are handed over once each: the reader streams only a file whose claims'
    // rows are together (its scan said so), else it regroups them.
    if (stats.format === 'csv') {
      const ids = claims.map((claim) => claim.claimId);
      const again = ids.find((id, i) => ids.indexOf(id) !== i);
      if (again !== undefined) problems.push(`claim ${JSON.stringify(again)} handed over twice (${stats.csv?.grouping})`);
    }
    // Every problem has a position.
    for (const issue of stats.issues) {
      if (issue.byteOffset === undefined && issue.segmentIndex === undefined && issue.row === undefined && issue.column === undefined) problems.push(`issue ${issue.code} has no position`);
    }
    // The rules never crash on what the ingest makes.
    for (const claim of claims) {
      const indexes = claim.lines.map((_, i) => i);
      for (const outcome of auditClaim(claim, indexes, reference, null)) {
        for (const f of outcome.findings) if (f.ruleId === 'rule-crashed') problems.push(`rule crashed: ${f.message}`);
      }
    }
    return { problems, seconds, claims: c.read, codes: stats.issues.map((i) => i.code) };
  } catch (error) {
    problems.push(`threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { problems, seconds: (performance.now() - started) / 1000, claims: 0, codes: [] };
  } finally {
    rmSync(path, { force: true });
  }
}

// ---- mutations -------------------------------------------------------------------------

type Mutation = (input: Uint8Array) => Uint8Array;

const DELIMITERS = [0x2a, 0x7e, 0x3a, 0x5e, 0x7c, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x22, 0x1d, 0x1c];

/** A mutation of a seed file, as fast-check values (so failures shrink and replay by seed). */
export const mutation: fc.Arbitrary<{ label: string; apply: Mutation }> = fc.oneof(
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => ({
    label: `flip ${flips.length} bytes`,
    apply: (input: Uint8Array) => {
      const out = Uint8Array.from(input);
      for (const [at, byte] of flips) if (out.length > 0) out[at % out.length] = byte;
      return out;
    },
  })),
  fc.nat().map((at) => ({ label: `truncate at ${at}`, apply: (input: Uint8Array) => input.subarray(0, input.length === 0 ? 0 : at % input.length) })),
  fc.tuple(fc.constantFrom(...DELIMITERS), fc.constantFrom(...DELIMITERS)).map(([from, to]) => ({
    label: `swap ${from} for ${to}`,
    apply: (input: Uint8Array) => input.map((b) => (b === from ? to : b === to ? from : b)),
  })),
  fc.tuple(fc.nat(), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 70_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 2_000_000 }) }), fc.constantFrom(0x41, 0x2a, 0x3a, 0x22, 0x2c)).map(([at, size, byte]) => ({
    label: `insert ${size} × ${byte}`,
    apply: (input: Uint8Array) => {
      const cut = input.length === 0 ? 0 : at % input.length;
      return Buffer.concat([input.subarray(0, cut), Buffer.alloc(size, byte), input.subarray(cut)]);
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 2, max: 500 })).map(([at, length, times]) => ({
    label: `repeat ${length} bytes ${times} times`,
    apply: (input: Uint8Array) => {
      if (input.length === 0) return input;
      const from = at % input.length;
      const slice = input.subarray(from, from + length);
      return Buffer.concat([input.subarray(0, from), ...Array.from({ length: times }, () => slice), input.subarray(from)]);
    },
  })),
  fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ label: `replace with ${bytes.length} random bytes`, apply: () => bytes })),
  fc.constant({ label: 'empty', apply: () => new Uint8Array(0) }),
);
