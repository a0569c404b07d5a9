// Rows → claims: a claim's rows gathered as they come (the scan said they are together) or
// regrouped on disk (grouping.ts), each claim built (claims.ts) and counted, and handed over in
// file order. A claim of more rows than anyone bills is unparseable, not memory.
import { buildClaim } from './claims.js';
import type { Regrouper } from './grouping.js';
import type { ColumnMap } from './mapping.js';
import type { CanonicalRow, CellIssue } from './rows.js';
import type { CsvResult, CsvSink } from './types.js';

/** Rows of one claim held at most (837I allows 999 lines): beyond it the claim is unparseable. */
export const MAX_CLAIM_ROWS = 10_000;

export class ClaimAssembler {
  private group: CanonicalRow[] = [];
  private groupId: string | null = null;
  private overflow = 0;
  /** Problems with cells met while building a claim, reported at its first row. */
  private readonly cellIssues: CellIssue[] = [];

  constructor(
    private readonly map: ColumnMap,
    private readonly file: string,
    private readonly result: CsvResult,
    private readonly sink: CsvSink,
    /** Where rows go when the claims' rows are apart; null: they are gathered as they come. */
    private readonly regroup: Regrouper | null,
  ) {}

  /** A record's rows (a wide layout gives several), in file order. */
  add(rows: readonly CanonicalRow[]): void {
    for (const row of rows) {
      if (this.regroup) {
        this.regroup.add(row);
        continue;
      }
      if (row.claimId !== this.groupId) {
        this.close();
        this.groupId = row.claimId;
      }
      if (this.group.length < MAX_CLAIM_ROWS) this.group.push(row);
      else this.overflow++;
    }
  }

  /** The last claim handed over; true when some claim's rows were apart (regrouped). */
  finish(): boolean {
    if (this.regroup) return this.regroup.drain((rows) => this.emit(rows.slice(0, MAX_CLAIM_ROWS), Math.max(0, rows.length - MAX_CLAIM_ROWS)));
    this.close();
    return false;
  }

  private close(): void {
    if (this.groupId === null) return;
    const rows = this.group;
    this.group = [];
    this.groupId = null;
    this.emit(rows, this.overflow);
    this.overflow = 0;
  }

  private emit(rows: CanonicalRow[], overflow: number): void {
    const { result, sink } = this;
    const first = rows[0]!;
    result.claims.read++;
    if (overflow > 0) {
      result.claims.unparseable++;
      const reason = `claim ${JSON.stringify(first.claimId)} has more than ${MAX_CLAIM_ROWS.toLocaleString('en-US')} rows (${overflow} more): not audited`;
      result.unparseableClaims.push({ claimId: first.claimId, reason, row: first.row, byteOffset: first.byteOffset });
      sink.issue({ severity: 'error', code: 'claim-unparseable', message: reason, row: first.row, byteOffset: first.byteOffset });
      return;
    }
    const built = buildClaim(rows, this.map, this.file, this.cellIssues);
    reportCellIssues(this.cellIssues, sink, first.row, first.byteOffset);
    if (built.kind === 'skipped') {
      result.claims.skipped++;
      result.skippedClaims.push({ claimId: built.claimId, reason: built.reason, row: built.row, byteOffset: built.byteOffset });
      return;
    }
    result.claims.audited++;
    result.lines += built.claim.lines.length;
    result.report.rows.superseded += built.superseded;
    result.report.chargeBasis[built.chargeBasis === 'claim-repeated' ? 'claimRepeated' : built.chargeBasis]++;
    sink.claim(built.claim);
  }
}

/** Cell problems as warnings at a row; the list is emptied. */
export function reportCellIssues(issues: CellIssue[], sink: CsvSink, row: number, byteOffset: number): void {
  for (const issue of issues) {
    sink.issue({ severity: 'warning', code: 'csv-value-invalid', message: `${issue.column}: ${issue.message}`, row, column: issue.column, value: issue.value.slice(0, 80), byteOffset });
  }
  issues.length = 0;
}
