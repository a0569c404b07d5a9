// One CSV record → canonical rows (one per claim line; a wide record gives one per filled
// slot), each value normalised, each value that cannot be read reported with its row and
// column. Rows are plain JSON-safe objects, so they can be spilled to disk and read back.
import type { ColumnMap } from './mapping.js';
import type { ScalarField } from './layouts.js';
import {
  isBlank,
  normaliseDiagnosis,
  parseDate,
  parseModifiers,
  parseMoney,
  parseNdcCell,
  parseProcedure,
  parseQuantity,
  type DateOrder,
  type Parsed,
} from './normalise.js';

export interface CanonicalRow {
  claimId: string;
  /** null: numbered by position within the claim. */
  lineNumber: number | null;
  claimType: string | null;
  memberId: string | null;
  patientId: string | null;
  payerName: string | null;
  payerId: string | null;
  payerClass: string | null;
  filingIndicator: string | null;
  claimFrom: string | null;
  claimTo: string | null;
  serviceFrom: string | null;
  serviceTo: string | null;
  hcpcs: string | null;
  modifiers: string[];
  units: number | null;
  unitType: string | null;
  charge: number | null;
  allowed: number | null;
  paid: number | null;
  ndc: string | null;
  ndcQuantity: number | null;
  ndcUnit: string | null;
  diagnoses: string[];
  pointers: string | null;
  lineDiagnosis: string | null;
  placeOfService: string | null;
  revenueCode: string | null;
  billType: string | null;
  billingNpi: string | null;
  billingName: string | null;
  /** Two letters, from a USPS code or a FIPS state code. */
  billingState: string | null;
  renderingNpi: string | null;
  priorAuth: string | null;
  frequencyCode: string | null;
  /** The claim a replacement or void stands in for (REF*F8: payer claim control number or CLM01). */
  originalClaimRef: string | null;
  /** REF*6R: the line item control number. */
  lineControlNumber: string | null;
  adjustmentType: string | null;
  fileDate: string | null;
  /** 1-based record number (the header is row 1) and the record's first byte. */
  row: number;
  byteOffset: number;
}

export interface CellIssue {
  column: string;
  value: string;
  message: string;
}

const DATE_FIELDS: readonly ScalarField[] = ['claim_from_date', 'claim_to_date', 'service_from_date', 'service_to_date', 'file_date'];

/** Reads one record's cells by the column map; dates by each column's decided order. */
export class RowReader {
  constructor(
    private readonly map: ColumnMap,
    private readonly headers: readonly string[],
    /** Column index → the day/month order decided for it. */
    private readonly dateOrders: ReadonlyMap<number, DateOrder>,
  ) {}

  /** The date columns, for deciding their order from the first records. */
  static dateColumns(map: ColumnMap): number[] {
    return DATE_FIELDS.map((f) => map.columns[f]).filter((i): i is number => i !== undefined);
  }

  read(record: readonly string[], row: number, byteOffset: number, issues: CellIssue[]): { rows: CanonicalRow[]; rejected: string | null } {
    const cell = (index: number | undefined): string | undefined => (index === undefined ? undefined : record[index]);
    const text = (index: number | undefined): string | null => {
      const v = cell(index);
      return v === undefined || isBlank(v) ? null : v.trim();
    };
    const parsed = <T>(index: number | undefined, parse: (raw: string) => Parsed<T>, empty: T): T => {
      const raw = cell(index);
      if (raw === undefined || index === undefined) return empty;
      const result = parse(raw);
      if (result.ok) return result.value;
      issues.push({ column: this.headers[index] ?? `column ${index + 1}`, value: raw, message: result.reason });
      return empty;
    };
    const date = (index: number | undefined): string | null =>
      parsed(
        index,
        (raw) => {
          const result = parseDate(raw, index === undefined ? 'MDY' : (this.dateOrders.get(index) ?? 'MDY'));
          return result.ok ? { ok: true, value: result.value.date } : result;
        },
        null,
      );
    const c = this.map.columns;

    const claimId = text(c.claim_id);
    if (claimId === null) return { rows: [], rejected: `no claim id (column ${this.headers[c.claim_id!] ?? 'claim_id'} is empty)` };

    const diagnoses: string[] = [];
    for (const index of this.map.diagnosisColumns) {
      const raw = text(index);
      if (raw === null) continue;
      for (const part of raw.split(/[,;|\s]+/)) {
        const code = normaliseDiagnosis(part);
        if (code !== null && !diagnoses.includes(code)) diagnoses.push(code);
      }
    }

    // Claim-level values, shared by the record's lines.
    const claimType = text(c.claim_type);
    const memberId = text(c.member_id);
    const patientId = text(c.patient_id);
    const payerName = text(c.payer_name);
    const payerId = text(c.payer_id);
    const payerClass = text(c.payer_class);
    const filingIndicator = text(c.claim_filing_indicator);
    const claimFrom = date(c.claim_from_date);
    const claimTo = date(c.claim_to_date);
    const billType = text(c.bill_type);
    const billingNpi = text(c.billing_npi);
    const billingState = stateCode(text(c.billing_state));
    const billingName = text(c.billing_name);
    const priorAuth = text(c.prior_auth_number);
    const frequencyCode = text(c.frequency_code);
    const originalClaimRef = text(c.original_claim_id);
    const adjustmentType = text(c.adjustment_type)?.replace(/^0+(?=\d)/, '') ?? null;
    const fileDate = date(c.file_date);

    // One line: the row's own columns, or a wide layout's slot.
    const line = (columns: Partial<Record<ScalarField, number>>, slot: number | null): CanonicalRow => {
      const at = (field: ScalarField) => columns[field];
      const procedure = parsed(at('hcpcs'), parseProcedure, { code: null, modifiers: [] as string[] });
      const modifiers = [...procedure.modifiers];
      for (const index of slot === null ? this.map.modifierColumns : []) {
        const value = parsed(index, parseModifiers, [] as string[]);
        modifiers.push(...value);
      }
      if (slot === null) modifiers.push(...parsed(c.modifiers, parseModifiers, [] as string[]));
      const lineNumberText = slot === null ? text(c.line_number) : String(slot);
      let lineNumber: number | null = null;
      if (lineNumberText !== null) {
        if (/^\d+(\.0+)?$/.test(lineNumberText)) lineNumber = Number.parseInt(lineNumberText, 10);
        else issues.push({ column: this.headers[c.line_number!] ?? 'line_number', value: lineNumberText, message: 'not a line number' });
      }
      // One literal with every field (no spread): rows are many, and V8 keeps such objects small and fast.
      return {
        claimId,
        claimType,
        memberId,
        patientId,
        payerName,
        payerId,
        payerClass,
        filingIndicator,
        claimFrom,
        claimTo,
        diagnoses,
        billType,
        billingNpi,
        billingState,
        billingName,
        priorAuth,
        frequencyCode,
        originalClaimRef,
        adjustmentType,
        fileDate,
        row,
        byteOffset,
        lineNumber,
        lineControlNumber: text(at('line_control_number')),
        serviceFrom: date(at('service_from_date')),
        serviceTo: date(at('service_to_date')),
        hcpcs: procedure.code,
        modifiers: [...new Set(modifiers)],
        units: parsed(at('units'), parseQuantity, null),
        unitType: text(at('unit_type')),
        charge: parsed(at('charge'), parseMoney, null),
        allowed: parsed(at('allowed'), parseMoney, null),
        paid: parsed(at('paid'), parseMoney, null),
        ndc: parsed(at('ndc'), parseNdcCell, null),
        ndcQuantity: parsed(at('ndc_quantity'), parseQuantity, null),
        ndcUnit: text(at('ndc_unit'))?.toUpperCase() ?? null,
        pointers: text(at('dx_pointers')),
        lineDiagnosis: (() => {
          const raw = text(at('line_diagnosis'));
          return raw === null ? null : normaliseDiagnosis(raw);
        })(),
        placeOfService: text(at('place_of_service')),
        revenueCode: text(at('revenue_code')),
        renderingNpi: text(at('rendering_npi')),
      };
    };

    if (this.map.slots.length === 0) return { rows: [line(c, null)], rejected: null };
    // Wide: a slot is a line only where its presence field has a value.
    const presence = this.map.layout.wide!.presence;
    const rows: CanonicalRow[] = [];
    this.map.slots.forEach((slot, i) => {
      const index = slot[presence];
      if (index !== undefined && !isBlank(record[index])) rows.push(line({ ...pickClaimColumns(c), ...slot }, i + 1));
    });
    return { rows, rejected: null };
  }
}

/** The claim-level columns a wide layout's slots share (the slot's own columns win). */
function pickClaimColumns(columns: Partial<Record<ScalarField, number>>): Partial<Record<ScalarField, number>> {
  const { service_from_date, service_to_date, place_of_service } = columns;
  return { ...(service_from_date !== undefined ? { service_from_date } : {}), ...(service_to_date !== undefined ? { service_to_date } : {}), ...(place_of_service !== undefined ? { place_of_service } : {}) };
}

/** FIPS state codes (CCLF's provider state) → USPS codes: the states and territories the A/B MACs serve. */
const FIPS_STATES: Record<string, string> = {
  '01': 'AL', '02': 'AK', '04': 'AZ', '05': 'AR', '06': 'CA', '08': 'CO', '09': 'CT', '10': 'DE', '11': 'DC', '12': 'FL', '13': 'GA', '15': 'HI', '16': 'ID', '17': 'IL', '18': 'IN', '19': 'IA', '20': 'KS', '21': 'KY', '22': 'LA', '23': 'ME', '24': 'MD', '25': 'MA', '26': 'MI', '27': 'MN', '28': 'MS', '29': 'MO', '30': 'MT', '31': 'NE', '32': 'NV', '33': 'NH', '34': 'NJ', '35': 'NM', '36': 'NY', '37': 'NC', '38': 'ND', '39': 'OH', '40': 'OK', '41': 'OR', '42': 'PA', '44': 'RI', '45': 'SC', '46': 'SD', '47': 'TN', '48': 'TX', '49': 'UT', '50': 'VT', '51': 'VA', '53': 'WA', '54': 'WV', '55': 'WI', '56': 'WY', '60': 'AS', '66': 'GU', '69': 'MP', '72': 'PR', '78': 'VI',
};

/** A provider's state as two letters: a USPS code as it is, a FIPS code translated; null otherwise. */
export function stateCode(value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(text)) return text;
  if (/^\d{1,2}$/.test(text)) return FIPS_STATES[text.padStart(2, '0')] ?? null;
  return null;
}
