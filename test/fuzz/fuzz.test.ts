// Property-based fuzzing of the ingest and rules (fast-check): mutated samples (and corpus,
// in the long campaign) never make the run throw, hang, lose a claim or report a problem
// without its position. `npm test` runs a bounded number of cases; `npm run fuzz` runs
// FUZZ_RUNS (default 100,000). A failure prints its seed and path: replay it with
// FUZZ_SEED/FUZZ_PATH and add the input to REGRESSIONS below.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, mutation, seedFiles } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const LONG = RUNS > 1000;
const seeds = seedFiles(LONG);

/** Inputs that once broke a property, kept as regression tests (name → bytes). */
const REGRESSIONS: Array<[string, Buffer]> = [
  // A CSV whose header is only a delimiter: there is no claim id column to map.
  ['header-only-delimiter.csv', Buffer.from(',\n,\n')],
  // An ISA cut inside its sixteenth element.
  ['isa-cut.edi', Buffer.from('ISA*00*          *00*          *ZZ*S              *ZZ*R              *250101*1200*^*00501*000000001*0*T')],
  // 69,155 line ends inside a segment, the sample's own line ends made commas (seed -515017612):
  // the excerpt's run-on search backtracked over the run, 7 s for 75 KB.
  ['line-end-run.edi', lineEndRun()],
];

function lineEndRun(): Buffer {
  const sample = readFileSync(fileURLToPath(new URL('../../samples/837p-infusion-center-medicare.edi', import.meta.url)));
  const at = 3000 % sample.length;
  return Buffer.concat([sample.subarray(0, at), Buffer.alloc(69_155, 0x2c), sample.subarray(at)]).map((b) => (b === 0x2c ? 0x0a : b === 0x0a ? 0x2c : b)) as Buffer;
}

describe('fuzzing the ingest', () => {
  it.each(REGRESSIONS)('regression: %s', async (name, bytes) => {
    expect((await check(bytes, name)).problems).toEqual([]);
  });

  it(`${RUNS.toLocaleString('en-US')} mutated inputs keep every property`, async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
    const path = process.env.FUZZ_PATH;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds.keys()), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (index, mutations) => {
        const file = seeds[index]!;
        let bytes: Uint8Array = file.bytes;
        for (const m of mutations) bytes = m.apply(bytes);
        const { problems } = await check(bytes, file.name);
        if (problems.length > 0) throw new Error(`${file.name} after ${mutations.map((m) => m.label).join(', ')}: ${problems.join('; ')}`);
      }),
      { numRuns: RUNS, ...(seed !== undefined ? { seed } : {}), ...(path ? { path } : {}), endOnFailure: true },
    );
  }, 3_600_000);

  it('a 50 MB single segment is bounded and reported with its position', async () => {
    const isa = 'ISA*00*          *00*          *ZZ*S              *ZZ*R              *250101*1200*^*00501*000000001*0*T*:~';
    const huge = Buffer.concat([Buffer.from(`${isa}GS*HC*S*R*20250101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~NTE*ADD*`), Buffer.alloc(50 * 1024 * 1024, 0x41), Buffer.from('~SE*3*0001~GE*1*1~IEA*1*000000001~')]);
    const { problems, seconds, codes } = await check(huge, 'huge-segment.edi');
    expect(problems).toEqual([]);
    expect(codes).toContain('segment-too-long');
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
