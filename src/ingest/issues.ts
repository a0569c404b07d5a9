// The closed catalogue of ingest issue codes: every problem met while finding and reading input
// has one of these codes, written as a literal where it is raised (never built from a template),
// so a user can filter on it and docs/outputs.md lists them all (a test checks both ways).

import type { IngestIssue } from '../model/index.js';

/** Where an issue comes from, for the docs' table. */
export type IssueOrigin = 'input' | 'x12' | '837' | '835' | 'csv';

export interface IssueKind {
  origin: IssueOrigin;
  /** What it means, for the docs (the issue's own message says what was met, and where). */
  what: string;
}

export const INGEST_ISSUES = {
  // Finding and opening the inputs.
  'input-not-found': { origin: 'input', what: 'a path, folder or glob given on the command line matches no file' },
  'input-unreadable': { origin: 'input', what: 'a file or folder cannot be opened (permissions, I/O error)' },
  'input-not-regular': { origin: 'input', what: 'a FIFO, socket or device: refused when named, skipped in a folder (--read-pipes reads it)' },
  'input-duplicate': { origin: 'input', what: 'the same real file reached twice (a link, an overlapping glob): read once' },
  'input-link-loop': { origin: 'input', what: 'a symbolic link loop in a folder walk: not followed again' },
  'input-link-broken': { origin: 'input', what: 'a symbolic link whose target does not exist' },
  'file-missing': { origin: 'input', what: 'a file disappeared between being found and being read' },
  'file-unreadable': { origin: 'input', what: 'a file could not be read to its end' },
  'gzip-invalid': { origin: 'input', what: 'a .gz file that is not valid gzip, or is cut short' },
  'format-unknown': { origin: 'input', what: 'neither an X12 837 (no ISA header) nor recognisable as CSV' },
  'empty-input': { origin: 'input', what: 'the file is empty or holds only whitespace' },
  // The X12 envelope and segments.
  'isa-invalid': { origin: 'x12', what: 'the ISA interchange header cannot be read (its delimiters cannot be told)' },
  'isa-field-width': { origin: 'x12', what: 'the ISA header is not fixed-width: its delimiters were read by walking its elements, but a receiver may reject it' },
  'missing-isa': { origin: 'x12', what: 'data before (or without) an ISA interchange header' },
  'segment-terminator-wrong': { origin: 'x12', what: 'the segment terminator the ISA declares is not the one the file uses' },
  'terminator-missing-at-end': { origin: 'x12', what: 'the last segment (IEA) has no terminator; read as complete' },
  'truncated-segment': { origin: 'x12', what: 'the file ends inside a segment' },
  'segment-too-long': { origin: 'x12', what: 'a segment longer than the reader\'s limit; skipped' },
  'segment-id-invalid': { origin: 'x12', what: 'a segment whose id is not two or three letters and digits' },
  'segment-outside-transaction': { origin: 'x12', what: 'a segment between transactions (outside ST/SE)' },
  'gs-outside-interchange': { origin: 'x12', what: 'a GS functional group outside an interchange' },
  'st-outside-group': { origin: 'x12', what: 'an ST transaction outside a functional group' },
  'se-without-st': { origin: 'x12', what: 'an SE trailer with no open transaction' },
  'ge-without-gs': { origin: 'x12', what: 'a GE trailer with no open functional group' },
  'iea-without-isa': { origin: 'x12', what: 'an IEA trailer with no open interchange' },
  'se-count-mismatch': { origin: 'x12', what: 'SE01 (the segment count) differs from the segments of its transaction' },
  'ge-count-mismatch': { origin: 'x12', what: 'GE01 (the transaction count) differs from the transactions of its group' },
  'iea-count-mismatch': { origin: 'x12', what: 'IEA01 (the group count) differs from the groups of its interchange' },
  'se-control-mismatch': { origin: 'x12', what: 'SE02 differs from its ST02 control number' },
  'ge-control-mismatch': { origin: 'x12', what: 'GE02 differs from its GS06 control number' },
  'iea-control-mismatch': { origin: 'x12', what: 'IEA02 differs from its ISA13 control number' },
  'se-missing': { origin: 'x12', what: 'a transaction with no SE trailer before the next envelope' },
  'ge-missing': { origin: 'x12', what: 'a functional group with no GE trailer before the next envelope' },
  'iea-missing': { origin: 'x12', what: 'an interchange with no IEA trailer before the next ISA' },
  truncated: { origin: 'x12', what: 'the file ends inside an open transaction, group or interchange' },
  'component-separator-mismatch': { origin: 'x12', what: 'composites use the ISA11 repetition separator where ISA16 names another; read as components' },
  // The 837 claims.
  'version-mismatch': { origin: '837', what: 'ST03 differs from GS08; ST03 was used' },
  'hl-level-unknown': { origin: '837', what: 'an HL level code other than 20, 22 or 23' },
  'claim-id-missing': { origin: '837', what: 'CLM01 (the patient control number) is empty' },
  'claim-unparseable': { origin: '837', what: 'a claim that cannot be put together; the rest of the file is read' },
  'number-invalid': { origin: '837', what: 'a charge, a total or units that is not a number' },
  'date-invalid': { origin: '837', what: 'a DTP date that is not a valid D8 or RD8 date' },
  'line-outside-claim': { origin: '837', what: 'a service line with no claim before it' },
  'line-number-invalid': { origin: '837', what: 'LX01 is not a positive whole number' },
  'line-without-service': { origin: '837', what: 'an LX with no SV1/SV2 service segment; the line is ignored' },
  'service-without-lx': { origin: '837', what: 'a service segment with no LX of its own' },
  'service-segment-unexpected': { origin: '837', what: 'SV1 in an 837I or SV2 in an 837P' },
  'lin-outside-line': { origin: '837', what: 'LIN (the NDC) outside a service line; ignored' },
  'lin-repeated': { origin: '837', what: 'a second LIN on a line; the first NDC was kept' },
  'ctp-outside-drug-loop': { origin: '837', what: 'CTP (the NDC quantity) with no LIN before it; ignored' },
  'ctp-quantity-invalid': { origin: '837', what: 'CTP04 (the NDC quantity) missing or not a number' },
  'ctp-unit-missing': { origin: '837', what: 'CTP05 (the NDC unit of measure) missing' },
  // The 835 remittances (claim-audit remits, --remits).
  'envelope-missing': { origin: '835', what: 'a remittance sent without its ISA/GS envelope (as some payer portals export them): read with the delimiters its segments use' },
  'transaction-not-835': { origin: '835', what: 'a transaction other than an 835 in a remittance file (an 837 given as a remittance): skipped' },
  'remit-outside-claim': { origin: '835', what: 'a service payment (SVC) or its detail with no CLP before it; ignored' },
  'remit-claim-id-missing': { origin: '835', what: 'CLP01 (the provider\'s claim id) is empty: the claim cannot be matched' },
  'remit-amount-invalid': { origin: '835', what: 'a charge, payment, adjustment or unit count that is not a number' },
  'remit-negative-amount': { origin: '835', what: 'a negative charge or payment on a claim that is not a reversal (CLP02 22)' },
  'remit-duplicate-claim': { origin: '835', what: 'the same claim (payee, CLP01, CLP07) paid twice without a reversal between: the later is the last word' },
  'remit-reversal-without-original': { origin: '835', what: 'a reversal (CLP02 22) of a payment no remittance read shows' },
  // CSV exports.
  'csv-layout-unknown': { origin: 'csv', what: 'a CSV whose header matches no known layout and maps no claim column' },
  'csv-layout-refused': { origin: 'csv', what: 'a CSV layout recognised as one with no drug lines to audit (Synthea\'s SNOMED-coded claims)' },
  'csv-no-header': { origin: 'csv', what: 'a CSV with no header row' },
  'csv-encoding-assumed': { origin: 'csv', what: 'not valid UTF-8: read as Latin-1 (Windows exports)' },
  'csv-encoding-unsupported': { origin: 'csv', what: 'an encoding the reader does not take (UTF-16)' },
  'csv-extra-fields': { origin: 'csv', what: 'a row with more fields than the header: the extra fields are ignored' },
  'csv-line-too-long': { origin: 'csv', what: 'a line over the reader\'s limit: cut there, the rest of it not read' },
  'csv-record-invalid': { origin: 'csv', what: 'a row csv-parse cannot read (an unclosed quote, text after a closing quote)' },
  'csv-row-rejected': { origin: 'csv', what: 'a row without what a claim line needs (a claim id)' },
  'csv-value-invalid': { origin: 'csv', what: 'a cell that is not what its column holds (a date, a number, a modifier)' },
  'csv-date-order-mixed': { origin: 'csv', what: 'a date column with both day-first and month-first dates' },
  'csv-date-order-assumed': { origin: 'csv', what: 'no date in the sample tells day from month: read month-first' },
  'csv-claims-not-contiguous': { origin: 'csv', what: 'a claim\'s rows are apart in the file: regrouped' },
  'csv-changed-while-read': { origin: 'csv', what: 'the file changed between the grouping scan and the read' },
} as const satisfies Record<string, IssueKind>;

/** An ingest issue's code: one of the catalogue's. */
export type IngestIssueCode = keyof typeof INGEST_ISSUES;

/** An ingest issue whose code is the catalogue's (what ingest makes; the model's type reads any). */
export type CataloguedIssue = Omit<IngestIssue, 'code'> & { code: IngestIssueCode };
