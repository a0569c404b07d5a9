// Every record the local executor keeps on disk between its phases, in one place: what each
// holds, how it is written and how it is read back. Nothing outside exec/ reads these files.
//
//   line entry     phase 1 → 3   one a drug line, in file order: its lines.ndjson record made as
//                                if no cross-claim rule finds anything, and its per-claim findings
//   group record   phase 1 → 2   one a drug line and cross-claim group it takes part in, by bucket
//   group result   phase 2 → 3   what a group's check said of one of its lines
//   ranked finding phase 3 → out one a finding, in sorted runs
import type { Finding, NotCheckedEntry } from '../../model/index.js';
import { compareFindings, type RankFields } from '../../model/order.js';
import type { RecordCodec } from '../../store/ndjson.js';

/**
 * A drug line's position in the run: its file's index, then its position in the file. Files
 * are read concurrently, so a position is only comparable with the file's index in front.
 */
export const Seq = {
  of: (fileIndex: number, position: number) => fileIndex * 2 ** 32 + position,
  file: (seq: number) => Math.floor(seq / 2 ** 32),
};

/** Phase 1 → 3: a drug line after the per-claim rules. */
export interface LineEntry {
  seq: number;
  /** Indexes into the file's table of not-checked reasons, comma-separated ('' for none): the same few recur on every line. */
  notChecked: string;
  /** The per-claim findings as a JSON array, member ids unmasked ('' for none). */
  findings: string;
  /** The line's lines.ndjson record (JSON), as if the cross-claim rules find nothing on it. */
  record: string;
}

const TAB = 9;
const ENTRY_FIELDS = 4;

/**
 * Line entries are tab-separated fields, the record last (JSON text holds no raw tab). Phase 3
 * reads them in place from their bytes (EntryView): most records are copied to lines.ndjson
 * without being decoded.
 */
export const ENTRY_CODEC: RecordCodec<LineEntry> = {
  encode: (e) => entryFields(e).join('\t'),
  decode: (line) => {
    const view = new EntryView().read(Buffer.from(line));
    return { seq: view.seq, notChecked: view.notChecked, findings: view.findings, record: view.record };
  },
};

/** A line entry's fields, in ENTRY_CODEC's order: what it encodes, and what NdjsonWriter.writeFields writes without joining them. */
export const entryFields = (e: LineEntry): string[] => [String(e.seq), e.notChecked, e.findings, e.record];

/** A line entry read in place from the bytes of its line: fields are decoded only when asked for. */
export class EntryView {
  private line: Buffer = Buffer.alloc(0);
  private readonly tabs = new Int32Array(ENTRY_FIELDS - 1);

  /** Points the view at another line (valid while that line's bytes are). */
  read(line: Buffer): this {
    this.line = line;
    let field = 0;
    for (let i = 0; i < line.length && field < ENTRY_FIELDS - 1; i++) if (line[i] === TAB) this.tabs[field++] = i;
    if (field < ENTRY_FIELDS - 1) throw new Error(`damaged line entry: ${field + 1} fields, ${ENTRY_FIELDS} expected`);
    return this;
  }

  get seq(): number {
    let n = 0;
    for (let i = 0, end = this.tabs[0]!; i < end; i++) n = n * 10 + (this.line[i]! - 48);
    return n;
  }

  private start(field: number): number {
    return field === 0 ? 0 : this.tabs[field - 1]! + 1;
  }

  private end(field: number): number {
    return field < ENTRY_FIELDS - 1 ? this.tabs[field]! : this.line.length;
  }

  private text(field: number): string {
    return this.line.toString('utf8', this.start(field), this.end(field));
  }

  get notChecked(): string {
    return this.text(1);
  }

  get findings(): string {
    return this.text(2);
  }

  get record(): string {
    return this.text(3);
  }

  /** The record's bytes, not decoded. */
  recordBytes(): Buffer {
    return this.line.subarray(this.start(3));
  }
}

/** The per-claim findings of an entry (fresh objects). */
export const entryFindings = (findings: string): Finding[] => (findings === '' ? [] : (JSON.parse(findings) as Finding[]));

/**
 * Phase 1 → 2: a line in one of a cross-claim rule's groups, its facts as JSON text (LineFacts).
 * A bucket is held whole while its groups are gathered, and text takes a fraction of the heap
 * the objects would; each group's facts are parsed only when it is checked (a group of markers
 * alone, or a group too small for its rule, is not).
 */
export interface GroupRecord {
  seq: number;
  ruleId: string;
  key: string;
  /** A claim's marker (LineFacts.marker), not a drug line: told without parsing the facts. */
  marker: boolean;
  facts: string;
}

/** The rule and key first, the facts last: `${seq}\t${ruleId}\t${m or nothing}\t${JSON key}\t${JSON facts}`. */
export const GROUP_CODEC: RecordCodec<GroupRecord> = {
  encode: (r) => `${r.seq}\t${r.ruleId}\t${r.marker ? 'm' : ''}\t${JSON.stringify(r.key)}\t${r.facts}`,
  decode: (line) => {
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const c = line.indexOf('\t', b + 1);
    // The key is JSON text (no raw tab), so the tab after it is the facts'.
    const d = line.indexOf('\t', c + 1);
    return { seq: Number(line.slice(0, a)), ruleId: line.slice(a + 1, b), marker: c > b + 1, key: JSON.parse(line.slice(c + 1, d)) as string, facts: line.slice(d + 1) };
  },
};

/** Phase 2 → 3: what a group's check said of one of its lines (findings made, member ids unmasked). */
export interface GroupResultRecord {
  seq: number;
  findings: Finding[];
  notChecked: NotCheckedEntry[];
}

/**
 * Phase 3 → out: a finding in a ranked run, held as the fields it is ranked by and its JSON text
 * (a sorted run in memory takes a fraction of the heap the objects would).
 */
export interface RankedFinding {
  key: RankFields;
  json: string;
}

export const rankedFinding = (finding: Finding): RankedFinding => {
  const { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef } = finding;
  return { key: { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef: { file: sourceRef.file, byteOffset: sourceRef.byteOffset } }, json: JSON.stringify(finding) };
};

export const compareRanked = (a: RankedFinding, b: RankedFinding) => compareFindings(a.key, b.key);

/** The key as a small JSON array, a tab, the finding's JSON (which holds no raw tab). */
export const RANKED_CODEC: RecordCodec<RankedFinding> = {
  encode: ({ key, json }) => `${JSON.stringify([key.dollarsAtRisk, key.severity, key.claimId, key.lineNumber, key.ruleId, key.id, key.sourceRef.file, key.sourceRef.byteOffset])}\t${json}`,
  decode: (line) => {
    const tab = line.indexOf('\t');
    const [dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, file, byteOffset] = JSON.parse(line.slice(0, tab)) as [number, Finding['severity'], string, number, string, string, string, number];
    return { key: { dollarsAtRisk, severity, claimId, lineNumber, ruleId, id, sourceRef: { file, byteOffset } }, json: line.slice(tab + 1) };
  },
};
