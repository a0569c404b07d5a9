// The rows of one claim → a Claim, the same record the 837 reader makes, so every rule and
// report works unchanged. Claim-level values come from the claim's first row that has them.
import { HCPCS_CODE as HCPCS, type Claim, type Diagnosis, type PayerClass, type ServiceLine, type SourceField } from '../../model/index.js';
import { payerClassFromFilingIndicator, payerClassFromText } from '../payer-class.js';
import type { ColumnMap } from './mapping.js';
import { parsePointers } from './normalise.js';
import type { CanonicalRow, CellIssue } from './rows.js';

export type ClaimBuild =
  | { kind: 'claim'; claim: Claim; superseded: number; chargeBasis: 'line' | 'claim-repeated' | 'none' }
  | { kind: 'skipped'; reason: string; claimId: string; row: number; byteOffset: number };

/** ICD-10 diagnoses a claim can carry (837I: 1 principal + 24 other). */
const MAX_DIAGNOSES = 25;

const first = <T>(rows: readonly CanonicalRow[], pick: (r: CanonicalRow) => T | null): T | null => {
  for (const r of rows) {
    const v = pick(r);
    if (v !== null) return v;
  }
  return null;
};

/**
 * CMS's NCH/IDR claim type codes (CLM_TYPE_CD, NCH_CLM_TYPE_CD): 71 and 72 are Part B carrier
 * claims (professional; 72 DMEPOS), 81 and 82 DME MAC claims (professional form); the Part A
 * types are institutional, each with the facility type its bill types start with (10 home
 * health 32x, 20 SNF 21x, 30 swing bed 18x, 40 hospital outpatient 13x, 50 hospice 81x, 60–64
 * inpatient 11x).
 */
const NCH_CLAIM_TYPES: Record<string, { claimType: Claim['claimType']; facility: string | null }> = {
  '71': { claimType: 'professional', facility: null },
  '72': { claimType: 'professional', facility: null },
  '81': { claimType: 'professional', facility: null },
  '82': { claimType: 'professional', facility: null },
  '10': { claimType: 'institutional', facility: '32' },
  '20': { claimType: 'institutional', facility: '21' },
  '30': { claimType: 'institutional', facility: '18' },
  '40': { claimType: 'institutional', facility: '13' },
  '50': { claimType: 'institutional', facility: '81' },
  '60': { claimType: 'institutional', facility: '11' },
  '61': { claimType: 'institutional', facility: '11' },
  '62': { claimType: 'institutional', facility: '11' },
  '63': { claimType: 'institutional', facility: '11' },
  '64': { claimType: 'institutional', facility: '11' },
};

const nchClaimType = (rows: readonly CanonicalRow[]) => NCH_CLAIM_TYPES[first(rows, (r) => r.claimType)?.trim() ?? ''] ?? null;

function claimTypeOf(rows: readonly CanonicalRow[], map: ColumnMap): Claim['claimType'] {
  if (map.layout.claimType) return map.layout.claimType;
  const nch = nchClaimType(rows);
  if (nch) return nch.claimType;
  const said = first(rows, (r) => r.claimType)?.toLowerCase() ?? '';
  if (/^(i|inst|institutional|837i|ub|ub04|ub-04|facility|outpatient|inpatient)\b/.test(said)) return 'institutional';
  if (/^(p|prof|professional|837p|1500|cms1500|cms-1500|physician)\b/.test(said)) return 'professional';
  return rows.some((r) => r.billType !== null || r.revenueCode !== null) ? 'institutional' : 'professional';
}

function payerClassOf(rows: readonly CanonicalRow[], map: ColumnMap): PayerClass {
  if (map.layout.payerClass) return map.layout.payerClass;
  const fromText = payerClassFromText(first(rows, (r) => r.payerClass));
  if (fromText) return fromText;
  const indicator = first(rows, (r) => r.filingIndicator);
  return indicator ? payerClassFromFilingIndicator(indicator) : 'unknown';
}

/** CTP05-style units from the words exports use. */
function ndcUnitCode(unit: string | null): string | null {
  if (unit === null) return null;
  const u = unit.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const words: Record<string, string> = { MILLILITER: 'ML', MILLILITERS: 'ML', MILLILITRE: 'ML', GRAM: 'GR', GRAMS: 'GR', UNIT: 'UN', UNITS: 'UN', EACH: 'UN', INTERNATIONALUNIT: 'F2', INTERNATIONALUNITS: 'F2', IU: 'F2', MILLIGRAM: 'ME', MILLIGRAMS: 'ME' };
  return words[u] ?? u;
}

function unitBasis(unitType: string | null, units: number | null): string | null {
  if (unitType === null) return units === null ? null : 'UN';
  const u = unitType.toUpperCase().replace(/[^A-Z]/g, '');
  if (u === 'UN' || u === 'UNIT' || u === 'UNITS') return 'UN';
  if (u === 'MJ' || u.startsWith('MIN')) return 'MJ';
  if (u === 'DA' || u.startsWith('DAY')) return 'DA';
  return u;
}

/**
 * Builds the claim. `rows` are in input order. CCLF: a cancel record (adjustment type 1) is
 * skipped; re-delivered lines (the same line number again) keep the latest FILE_DATE.
 */
export function buildClaim(rows: readonly CanonicalRow[], map: ColumnMap, file: string, issues: CellIssue[]): ClaimBuild {
  const head = rows[0]!;
  const layout = map.layout;
  if (layout.cclf && rows.every((r) => r.adjustmentType === '1')) {
    return { kind: 'skipped', reason: 'CCLF cancel record (CLM_ADJSMT_TYPE_CD 1): it reverses an earlier claim', claimId: head.claimId, row: head.row, byteOffset: head.byteOffset };
  }

  // Re-delivered lines: one row per line number, the latest delivery (CCLF FILE_DATE) winning.
  let kept = [...rows];
  let superseded = 0;
  if (layout.cclf) {
    const byLine = new Map<number | string, CanonicalRow>();
    kept.forEach((r, i) => {
      const key = r.lineNumber ?? `row${i}`;
      const earlier = byLine.get(key);
      if (!earlier || (r.fileDate ?? '') >= (earlier.fileDate ?? '')) byLine.set(key, r);
      if (earlier) superseded++;
    });
    kept = kept.filter((r) => [...byLine.values()].includes(r));
  }

  const claimType = claimTypeOf(kept, map);
  const unavailable: Partial<Record<SourceField, string>> = { ...map.unavailable };

  // Tuva institutional rows repeat the claim's charge on every line: the line charge is unknown.
  let chargeBasis: 'line' | 'claim-repeated' | 'none' = unavailable.charge !== undefined ? 'none' : 'line';
  if (layout.repeatsClaimCharge && claimType === 'institutional' && kept.length > 1 && kept.every((r) => r.charge !== null && r.charge === kept[0]!.charge)) {
    chargeBasis = 'claim-repeated';
    unavailable.charge = `every line of the claim repeats its charge (${layout.title.replace(/ \(.*$/, '')} institutional rows): the line charges are not known`;
  }

  // The claim's diagnoses, then the lines' own codes that are not among them (IDR and CCLF5
  // carry CLM_LINE_DGNS_CD; the IDR claim-line file has no other), so each line can point at its
  // code.
  const diagnosisCodes = [...(first(kept, (r) => (r.diagnoses.length > 0 ? r.diagnoses : null)) ?? [])];
  for (const r of kept) if (r.lineDiagnosis !== null && !diagnosisCodes.includes(r.lineDiagnosis) && diagnosisCodes.length < MAX_DIAGNOSES) diagnosisCodes.push(r.lineDiagnosis);
  const lineSourced = map.diagnosisColumns.length === 0 && (map.columns.line_diagnosis !== undefined || map.slots.some((s) => s.line_diagnosis !== undefined));
  if (lineSourced) {
    // A file whose only diagnoses are the lines' column: a claim none of whose lines has one is
    // not checked for diagnoses, and a line without one is not a pointer error of the biller's.
    const column = map.described.line_diagnosis ?? 'the line diagnosis column';
    if (diagnosisCodes.length === 0) {
      unavailable.diagnoses ??= `no line of the claim has a diagnosis in ${column}`;
      unavailable.diagnosisPointers ??= `no line of the claim has a diagnosis in ${column}`;
    } else if (kept.some((r) => r.lineDiagnosis === null)) {
      unavailable.diagnosisPointers ??= `some lines of the claim have no diagnosis in ${column}`;
    }
  }
  const diagnoses: Diagnosis[] = diagnosisCodes.map((code, i) => ({ qualifier: layout.icd9 ? (i === 0 ? 'BK' : 'BF') : i === 0 ? 'ABK' : 'ABF', code }));
  const claimFrom = first(kept, (r) => r.claimFrom);
  const billType = first(kept, (r) => r.billType);
  const frequency = first(kept, (r) => r.frequencyCode) ?? (layout.cclf && kept.some((r) => r.adjustmentType === '2') ? '7' : billType && billType.length >= 3 ? billType.slice(-1) : null);
  const placeOfService = first(kept, (r) => r.placeOfService);

  const lines: ServiceLine[] = kept.map((r, i) => {
    let pointers: number[] = [];
    if (r.pointers !== null) {
      const parsed = parsePointers(r.pointers, diagnosisCodes);
      if (parsed.ok) pointers = parsed.value;
      else issues.push({ column: 'dx_pointers', value: r.pointers, message: `row ${r.row}: ${parsed.reason}` });
    } else if (r.lineDiagnosis !== null) {
      const index = diagnosisCodes.indexOf(r.lineDiagnosis);
      if (index >= 0) pointers = [index + 1];
    }
    const serviceDate = r.serviceFrom ?? claimFrom;
    const sourceRef = { file, row: r.row, byteOffset: r.byteOffset };
    return {
      lineNumber: r.lineNumber ?? i + 1,
      segment: 'CSV',
      revenueCode: r.revenueCode,
      procedureQualifier: r.hcpcs !== null && HCPCS.test(r.hcpcs) ? 'HC' : null,
      hcpcs: r.hcpcs,
      modifiers: r.modifiers.slice(0, 4),
      description: null,
      units: r.units,
      unitBasis: unitBasis(r.unitType, r.units),
      charge: chargeBasis === 'line' ? r.charge : null,
      serviceDate,
      serviceDateTo: r.serviceTo ?? (r.serviceFrom === null ? first(kept, (x) => x.claimTo) : null),
      serviceDateSource: r.serviceFrom !== null ? 'line' : claimFrom !== null ? 'claim' : 'none',
      placeOfService: r.placeOfService ?? (claimType === 'professional' ? placeOfService : null),
      diagnosisPointers: pointers,
      priorAuthorization: r.priorAuth,
      controlNumber: r.lineControlNumber,
      ...(r.renderingNpi !== null ? { renderingNpi: r.renderingNpi } : {}),
      drug: r.ndc === null ? null : { qualifier: 'N4', ndc: r.ndc, quantity: r.ndcQuantity, unit: ndcUnitCode(r.ndcUnit), sourceRef },
      sourceRef,
    };
  });

  const claim: Claim = {
    claimId: head.claimId,
    claimType,
    implementation: null,
    payerClass: payerClassOf(kept, map),
    claimFilingIndicator: first(kept, (r) => r.filingIndicator),
    payerName: first(kept, (r) => r.payerName) ?? layout.payerName ?? null,
    payerId: first(kept, (r) => r.payerId),
    memberId: first(kept, (r) => r.memberId) ?? first(kept, (r) => r.patientId),
    billingProviderNpi: first(kept, (r) => r.billingNpi),
    billingProviderName: first(kept, (r) => r.billingName),
    billingProviderState: first(kept, (r) => r.billingState),
    totalCharge: null,
    facilityCode: claimType === 'institutional' ? (billType ? billType.replace(/^0/, '').slice(0, 2) : (nchClaimType(kept)?.facility ?? null)) : placeOfService,
    frequencyCode: frequency,
    originalClaimRef: first(kept, (r) => r.originalClaimRef),
    diagnoses,
    priorAuthorization: null,
    statementFrom: claimFrom,
    statementTo: first(kept, (r) => r.claimTo),
    lines,
    sourceRef: { file, row: head.row, byteOffset: head.byteOffset },
    ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
  };
  return { kind: 'claim', claim, superseded, chargeBasis };
}
