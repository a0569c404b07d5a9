// Test helpers: write X12 from element arrays, and run the tokenizer/assembler over text.
import type { Claim } from '../../src/model/index.js';
import { Claim837Assembler, type SkippedTransaction, type UnparseableClaim } from '../../src/ingest/x12/claim837.js';
import { X12Tokenizer, type Segment, type TokenIssue, type TokenizerOptions } from '../../src/ingest/x12/tokenizer.js';

export interface Style {
  element?: string;
  component?: string;
  repetition?: string;
  terminator?: string;
  /** Written after each terminator. */
  eol?: string;
}

/** A fixed-width ISA with the given delimiters. */
export function isa(control = '000000001', style: Style = {}): string[] {
  return ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', 'SENDER'.padEnd(15), 'ZZ', 'RECEIVER'.padEnd(15), '250101', '1200', style.repetition ?? '^', '00501', control, '0', 'T', style.component ?? ':'];
}

/** Serialises segments; `c` in an element stands for the component separator. */
export function x12(segments: string[][], style: Style = {}): string {
  const element = style.element ?? '*';
  const component = style.component ?? ':';
  const terminator = style.terminator ?? '~';
  const eol = style.eol ?? '';
  return segments
    .map((s) => (s[0] === 'ISA' ? s.join(element) : s.map((e) => e.split(':').join(component)).join(element)) + terminator + eol)
    .join('');
}

/** Wraps transaction bodies in ISA/GS/ST…SE/GE/IEA with correct counts and controls. */
export function envelope(bodies: string[][][], version = '005010X222A1', control = '000000001', style: Style = {}): string[][] {
  const out: string[][] = [isa(control, style), ['GS', 'HC', 'S', 'R', '20250101', '1200', '1', 'X', version]];
  bodies.forEach((body, i) => {
    const st = String(i + 1).padStart(4, '0');
    out.push(['ST', '837', st, version], ...body, ['SE', String(body.length + 2), st]);
  });
  out.push(['GE', String(bodies.length), '1'], ['IEA', '1', control]);
  return out;
}

export interface Tokenized {
  segments: Segment[];
  issues: TokenIssue[];
  tokenizer: X12Tokenizer;
}

export function tokenize(input: string | string[], options: TokenizerOptions = {}): Tokenized {
  const segments: Segment[] = [];
  const issues: TokenIssue[] = [];
  const tokenizer = new X12Tokenizer({ segment: (s) => segments.push(s), issue: (i) => issues.push(i) }, options);
  for (const chunk of Array.isArray(input) ? input : [input]) tokenizer.write(Buffer.from(chunk, 'latin1'));
  tokenizer.end();
  return { segments, issues, tokenizer };
}

export interface Assembled {
  claims: Claim[];
  issues: TokenIssue[];
  skipped: SkippedTransaction[];
  unparseable: UnparseableClaim[];
  counts: Claim837Assembler['counts'];
}

export function assemble(text: string): Assembled {
  const result: Assembled = { claims: [], issues: [], skipped: [], unparseable: [], counts: undefined as never };
  const assembler = new Claim837Assembler('test.edi', {
    claim: (c) => result.claims.push(c),
    issue: (i) => result.issues.push(i),
    skipped: (s) => result.skipped.push(s),
    unparseable: (u) => result.unparseable.push(u),
  });
  const tokenizer = new X12Tokenizer({ segment: (s) => assembler.segment(s), issue: (i) => result.issues.push(i) });
  tokenizer.write(Buffer.from(text, 'latin1'));
  tokenizer.end();
  assembler.end();
  result.counts = assembler.counts;
  return result;
}

/** Splits text into chunks of `size` characters (to test chunk boundaries). */
export function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface DrugClaimSpec {
  claimId?: string;
  memberId?: string;
  /** SV101: qualifier, code and modifiers. */
  procedure?: string;
}

/** One Medicare 837P claim (2000A to 2400) with a nivolumab line: 240 units, NDC 24 ML. */
export function medicareDrugClaim({ claimId = 'W1', memberId = 'MEMBER0001', procedure = 'HC:J9299:JZ' }: DrugClaimSpec = {}): string[][] {
  return [
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', 'CLINIC', '', '', '', '', 'XX', '1234567893'],
    ['HL', '2', '1', '22', '0'],
    ['SBR', 'P', '18', '', '', '', '', '', '', 'MB'],
    ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', memberId],
    ['NM1', 'PR', '2', 'MEDICARE', '', '', '', '', 'PI', '1'],
    ['CLM', claimId, '8550', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'],
    ['HI', 'ABK:C3490'],
    ['LX', '1'],
    ['SV1', procedure, '8200', 'UN', '240', '11', '', '1'],
    ['DTP', '472', 'D8', '20250311'],
    ['LIN', '', 'N4', '00003373413'],
    ['CTP', '', '', '', '24', 'ML'],
    // The chemotherapy infusion that gave it.
    ['LX', '2'],
    ['SV1', 'HC:96413', '350', 'UN', '1', '11', '', '1'],
    ['DTP', '472', 'D8', '20250311'],
  ];
}
