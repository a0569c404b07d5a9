// One measurement in a fresh process (so peak RSS belongs to this mode alone):
//   node dist/bench/measure.js <baseline|tokenizer|ingest|floor|csv-baseline|csv-ingest> <file>...
//   node dist/bench/measure.js audit <concurrency> <out dir> <file or folder>...
// Prints one JSON object, on a line of its own starting with {"mode".
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ingestFile, READ_CHUNK, type FileIngestStats } from '../ingest/index.js';
import { normaliseNdc } from '../model/ndc.js';
import { isDrugLine, parseCodeSelection, type CodeSelection } from '../ingest/select.js';
import { X12Tokenizer } from '../ingest/x12/tokenizer.js';
import type { Reference } from '../reference/index.js';

export type Mode = 'baseline' | 'tokenizer' | 'ingest' | 'floor' | 'csv-baseline' | 'csv-parse' | 'csv-ingest' | 'remits' | 'audit' | 'step' | 'sharded map' | 'sharded merge';

export interface Measurement {
  mode: Mode;
  bytes: number;
  seconds: number;
  segments: number;
  claims: number;
  drugLines: number;
  peakRssMB: number;
}

const CHUNK = READ_CHUNK;

/**
 * The plain tokenizer the project's own is measured against: delimiters from the fixed ISA
 * offsets (3 and 105) at each ISA, indexOf for the terminator, split for elements. No
 * positions, no checks, no recovery.
 */
async function baseline(path: string): Promise<Pick<Measurement, 'segments' | 'claims'>> {
  let carry = '';
  let element = '*';
  let terminator = '~';
  let segments = 0;
  let claims = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    const text = carry + (chunk as Buffer).toString('latin1');
    let pos = 0;
    for (;;) {
      while (pos < text.length && (text[pos] === '\n' || text[pos] === '\r')) pos++;
      if (text.startsWith('ISA', pos)) {
        if (text.length - pos < 106) break;
        element = text[pos + 3]!;
        terminator = text[pos + 105]!;
      }
      const end = text.indexOf(terminator, pos);
      if (end === -1) break;
      const elements = text.slice(pos, end).split(element);
      segments++;
      if (elements[0] === 'CLM') claims++;
      pos = end + 1;
    }
    carry = text.slice(pos);
  }
  return { segments, claims };
}

/** The plain CSV reader the project's is measured against: lines by indexOf, fields by split; no quotes. */
async function csvBaseline(path: string): Promise<Pick<Measurement, 'segments' | 'claims'>> {
  let carry = '';
  let rows = 0;
  let claims = 0;
  let last = '';
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    const text = carry + (chunk as Buffer).toString('latin1');
    let pos = 0;
    for (;;) {
      const end = text.indexOf('\n', pos);
      if (end === -1) break;
      const fields = text.slice(pos, end).split(',');
      rows++;
      if (fields[0] !== last) {
        claims++;
        last = fields[0]!;
      }
      pos = end + 1;
    }
    carry = text.slice(pos);
  }
  return { segments: rows, claims: claims - 1 };
}

/**
 * csv-parse alone, with what our reader asks of it: the options it reads a canonical CSV with
 * (ingest/csv/read.ts) and each record's position (info), records only counted.
 */
async function csvParseAlone(path: string): Promise<Pick<Measurement, 'segments' | 'claims'>> {
  const { parse } = await import('csv-parse');
  const { csvParseOptions } = await import('../ingest/csv/read.js');
  const parser = createReadStream(path, { highWaterMark: CHUNK }).pipe(parse(csvParseOptions(',', 'utf8', 8 * 1024 * 1024)));
  let rows = 0;
  let claims = 0;
  let last = '';
  for await (const { record } of parser as AsyncIterable<{ record: string[] }>) {
    rows++;
    if (record[0] !== last) {
      claims++;
      last = record[0]!;
    }
  }
  return { segments: rows, claims: claims - 1 };
}

async function tokenizerOnly(path: string): Promise<Pick<Measurement, 'segments' | 'claims'>> {
  let segments = 0;
  let claims = 0;
  const tokenizer = new X12Tokenizer({
    segment: (s) => {
      // Split every segment into elements, as the baseline does, so the two are comparable.
      segments += s.elements.length > 0 ? 1 : 0;
      if (s.id === 'CLM') claims++;
    },
    issue: () => {},
  });
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) tokenizer.write(chunk as Buffer);
  tokenizer.end();
  return { segments, claims };
}

/** Full ingest: tokenizer, envelope checks, 837 assembly, drug-line selection and NDC normalisation. */
async function ingest(path: string, selection: CodeSelection): Promise<Pick<Measurement, 'segments' | 'claims' | 'drugLines'>> {
  let drugLines = 0;
  const stats = await ingestFile(path, path, {
    onClaim: (claim) => {
      for (const line of claim.lines) {
        if (!isDrugLine(line, selection)) continue;
        // Counted only when the NDC normalises, so the work cannot be skipped.
        if (line.drug === null || normaliseNdc(line.drug.ndc).ok) drugLines++;
      }
    },
  });
  return { ...countsOf(stats), drugLines };
}

/** Segments and claims as ingest counted them; CSV has no segments, so its rows count in their place. */
const countsOf = (stats: FileIngestStats) => ({ segments: stats.csv ? stats.csv.rows.read : stats.segments, claims: stats.claims.read });

/** The covered codes, from the pack: loaded before the clock starts, and only for ingest. */
async function coveredSelection(): Promise<CodeSelection> {
  const { coveredCodes } = await import('../reference/index.js');
  const { loadDefaultPack } = await import('../reference/pack.js');
  return parseCodeSelection('covered', coveredCodes(loadDefaultPack()));
}

/** What the floor needs, loaded before the clock starts (and only for it, so the other modes' RSS stays theirs). */
async function floorSetup() {
  const { loadReference } = await import('../reference/index.js');
  const { claimStage } = await import('../stages.js');
  const { TextWriter } = await import('../store/ndjson.js');
  const { lineRecord } = await import('../view/lines.js');
  return { reference: loadReference() as Reference, claimStage, lineRecord, TextWriter };
}
type FloorSetup = Awaited<ReturnType<typeof floorSetup>>;

/**
 * The least a full audit must do, and no more: ingest, the per-claim rules on each drug line,
 * and its lines.ndjson record written at once. No temporary files, no rules across claims, no
 * ranking, no other report. A full audit cannot be faster than this.
 */
async function floor(path: string, codes: CodeSelection, out: string, { reference, claimStage, lineRecord, TextWriter }: FloorSetup): Promise<Pick<Measurement, 'segments' | 'claims' | 'drugLines'>> {
  const writer = new TextWriter(out);
  let drugLines = 0;
  try {
    const stats = await ingestFile(path, path, {
      onClaim: (claim) => {
        for (const line of claimStage(claim, { codes, reference, asOf: null })) {
          drugLines++;
          writer.write(`${JSON.stringify(lineRecord(line, 'masked'))}\n`);
        }
      },
    });
    return { ...countsOf(stats), drugLines };
  } finally {
    writer.close();
  }
}

/** The 835 reader as `claim-audit remits` reads a file: every claim made and let go (matching holds only what it needs). */
async function remits(path: string): Promise<Pick<Measurement, 'segments' | 'claims' | 'drugLines'>> {
  const { readRemitFile } = await import('../ingest/remits.js');
  let lines = 0;
  const stats = await readRemitFile(path, path, { onClaim: (c) => (lines += c.lines.length) });
  return { segments: 0, claims: stats.claims, drugLines: lines };
}

export async function measure(mode: Exclude<Mode, 'audit' | 'step'>, paths: string[]): Promise<Measurement> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  const selection = mode === 'ingest' || mode === 'csv-ingest' || mode === 'floor' ? await coveredSelection() : null;
  const scratch = mode === 'floor' ? await mkdtemp(join(tmpdir(), 'claim-audit-floor-')) : null;
  const setup = mode === 'floor' ? await floorSetup() : null;
  const start = performance.now();
  const counts = { segments: 0, claims: 0, drugLines: 0 };
  for (const [i, path] of paths.entries()) {
    const one: { segments: number; claims: number; drugLines?: number } =
      mode === 'baseline'
        ? await baseline(path)
        : mode === 'tokenizer'
          ? await tokenizerOnly(path)
          : mode === 'csv-baseline'
            ? await csvBaseline(path)
            : mode === 'csv-parse'
              ? await csvParseAlone(path)
            : mode === 'floor'
              ? await floor(path, selection!, join(scratch!, `lines-${i}.ndjson`), setup!)
              : mode === 'remits'
                ? await remits(path)
                : await ingest(path, selection!);
    counts.segments += one.segments;
    counts.claims += one.claims;
    counts.drugLines += one.drugLines ?? 0;
  }
  const seconds = (performance.now() - start) / 1000;
  if (scratch) await rm(scratch, { recursive: true, force: true });
  return { mode, bytes, seconds, ...counts, peakRssMB: process.resourceUsage().maxRSS / 1024 };
}

/**
 * The full audit as the binary runs it (the run in its worker thread, the pool's workers, all
 * reports written), timed from start to the last thread's exit. Peak RSS is the whole
 * process's, every thread included. Claims and drug lines come from the run's summary.json.
 */
function measureAudit(concurrency: string, out: string, inputs: string[]): void {
  const start = performance.now();
  void (async () => {
    const { readFileSync } = await import('node:fs');
    const { runFromProcess } = await import('../cli/process.js');
    // Any exit code is a measurement: the benchmark's claims have findings (1).
    runFromProcess([...inputs, '--out', out, '--quiet', '--concurrency', concurrency], () => 0);
    process.once('beforeExit', () => {
      const seconds = (performance.now() - start) / 1000;
      // Bytes, claims and drug lines as the run itself counted them (every file it found in a folder).
      const summary = JSON.parse(readFileSync(`${out}/summary.json`, 'utf8')) as { manifest: { inputs: Array<{ bytes: number }> }; totals: { claims: { read: number }; drugLines: number; lines: number } };
      const bytes = summary.manifest.inputs.reduce((n, input) => n + input.bytes, 0);
      const measurement: Measurement = { mode: 'audit', bytes, seconds, segments: summary.totals.lines, claims: summary.totals.claims.read, drugLines: summary.totals.drugLines, peakRssMB: process.resourceUsage().maxRSS / 1024 };
      process.stdout.write(`\n${JSON.stringify(measurement)}\n`);
    });
  })();
}

/** Any claim-audit command (a sharded run's map or merge step), timed start to exit, peak RSS every thread included. */
function measureStep(argv: string[]): void {
  const start = performance.now();
  void (async () => {
    const { runFromProcess } = await import('../cli/process.js');
    let code = 0;
    runFromProcess(argv, (c) => {
      code = c;
      return 0;
    });
    process.once('beforeExit', () => {
      const seconds = (performance.now() - start) / 1000;
      const measurement: Measurement = { mode: 'step', bytes: 0, seconds, segments: 0, claims: code, drugLines: 0, peakRssMB: process.resourceUsage().maxRSS / 1024 };
      process.stdout.write(`\n${JSON.stringify(measurement)}\n`);
    });
  })();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, ...rest] = process.argv.slice(2) as [Mode, ...string[]];
  if (mode === 'step') measureStep(rest);
  else if (mode === 'audit') {
    const [concurrency, out, ...inputs] = rest as [string, string, ...string[]];
    measureAudit(concurrency, out, inputs);
  } else measure(mode, rest).then((m) => process.stdout.write(`${JSON.stringify(m)}\n`));
}
