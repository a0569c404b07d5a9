// Seeded generator of large, realistic 837P files for the benchmark: drug-heavy claims with
// LIN/CTP, several delimiter styles (one per interchange), correct envelope counts. Writes
// as it goes, so any size fits in memory.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

interface Style {
  element: string;
  component: string;
  repetition: string;
  terminator: string;
  eol: string;
}

export const STYLES: readonly Style[] = [
  { element: '*', component: ':', repetition: '^', terminator: '~', eol: '' },
  { element: '*', component: ':', repetition: '^', terminator: '~', eol: '\n' },
  { element: '|', component: '>', repetition: '^', terminator: '~', eol: '\r\n' },
  { element: '*', component: ':', repetition: '^', terminator: '\n', eol: '' },
];

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DRUGS = [
  { code: 'J9299', unit: 1, dose: [240, 480], ndc: '00003373413', ctpUnit: 'ML', perMl: 10, mods: ['JZ'] },
  { code: 'J1459', unit: 500, dose: [10000, 35000], ndc: '44206043710', ctpUnit: 'ML', perMl: 100, mods: ['JZ'] },
  { code: 'J9355', unit: 10, dose: [120, 440], ndc: '50242013201', ctpUnit: 'UN', perMl: 0, mods: [] },
  { code: 'J1439', unit: 1, dose: [500, 750], ndc: '00517065001', ctpUnit: 'ML', perMl: 50, mods: [] },
  { code: 'Q0138', unit: 1, dose: [510, 510], ndc: '59338077501', ctpUnit: 'ML', perMl: 30, mods: [] },
  { code: 'J1756', unit: 1, dose: [100, 300], ndc: '00517234001', ctpUnit: 'ML', perMl: 20, mods: [] },
  { code: 'J3490', unit: 1, dose: [1, 10], ndc: '00338004938', ctpUnit: 'UN', perMl: 0, mods: [] },
];
const PAYERS = ['MB', 'MC', 'CI', '16', 'BL'];
const PROCEDURES = ['96413', '96365', '96415', '99213', '36415'];

export interface GenerateResult {
  bytes: number;
  claims: number;
  drugLines: number;
  interchanges: number;
}

export async function generate837(path: string, targetBytes: number, seed = 42, claimsPerTransaction = 200): Promise<GenerateResult> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const out = createWriteStream(path);
  const result: GenerateResult = { bytes: 0, claims: 0, drugLines: 0, interchanges: 0 };
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!out.write(text, 'latin1')) await once(out, 'drain');
  };

  while (result.bytes < targetBytes) {
    const style = STYLES[result.interchanges % STYLES.length]!;
    const control = String(result.interchanges + 1).padStart(9, '0');
    const segs: string[][] = [];
    const seg = (...elements: string[]) => segs.push(elements);
    const c = (...parts: string[]) => parts.join(style.component);
    seg('BHT', '0019', '00', `B${control}`, '20250301', '1200', 'CH');
    seg('NM1', '41', '2', 'BENCH SUBMITTER', '', '', '', '', '46', 'S1');
    seg('NM1', '40', '2', 'BENCH RECEIVER', '', '', '', '', '46', 'R1');
    seg('HL', '1', '', '20', '1');
    seg('NM1', '85', '2', 'BENCH INFUSION CENTER', '', '', '', '', 'XX', '1234567893');
    seg('N3', '1 MAIN ST');
    seg('N4', 'SPRINGFIELD', 'IL', '62701');
    seg('REF', 'EI', '371234567');
    let hl = 1;
    for (let n = 0; n < claimsPerTransaction; n++) {
      hl++;
      seg('HL', String(hl), '1', '22', '0');
      seg('SBR', 'P', '18', '', '', '', '', '', '', pick(PAYERS));
      seg('NM1', 'IL', '1', 'PATIENT', 'TEST', '', '', '', 'MI', `M${between(100000000, 999999999)}`);
      seg('N3', '100 SAMPLE ST');
      seg('N4', 'SPRINGFIELD', 'IL', '62701');
      seg('DMG', 'D8', '19500101', 'F');
      seg('NM1', 'PR', '2', 'BENCH PAYER', '', '', '', '', 'PI', '12345');
      const lines = between(1, 4);
      const day = String(between(1, 28)).padStart(2, '0');
      seg('CLM', `C${control}-${n}`, String(between(100, 20000)), '', '', c('11', 'B', '1'), 'Y', 'A', 'Y', 'Y');
      seg('HI', c('ABK', 'C3490'), c('ABF', 'D509'));
      seg('NM1', '82', '1', 'RIVERA', 'ANA', '', '', '', 'XX', '1245319599');
      for (let l = 1; l <= lines; l++) {
        seg('LX', String(l));
        const drug = random() < 0.7 ? pick(DRUGS) : null;
        if (drug) {
          const dose = between(drug.dose[0]!, drug.dose[1]!);
          const units = Math.ceil(dose / drug.unit);
          seg('SV1', c('HC', drug.code, ...drug.mods), String(between(50, 9000)), 'UN', String(units), '11', '', c('1', '2'));
          seg('DTP', '472', 'D8', `202503${day}`);
          seg('LIN', '', 'N4', drug.ndc);
          seg('CTP', '', '', '', String(drug.perMl > 0 ? Math.ceil(dose / drug.perMl) : 1), drug.ctpUnit);
          result.drugLines++;
        } else {
          seg('SV1', c('HC', pick(PROCEDURES)), String(between(20, 500)), 'UN', '1', '11', '', '1');
          seg('DTP', '472', 'D8', `202503${day}`);
        }
      }
      result.claims++;
    }
    const join = (elements: string[]) => elements.join(style.element) + style.terminator + style.eol;
    const isa = ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', 'BENCHSENDER'.padEnd(15), 'ZZ', 'BENCHRECEIVER'.padEnd(15), '250301', '1200', style.repetition, '00501', control, '0', 'T', style.component];
    const text = [
      join(isa),
      join(['GS', 'HC', 'BENCHSENDER', 'BENCHRECEIVER', '20250301', '1200', String(result.interchanges + 1), 'X', '005010X222A1']),
      join(['ST', '837', '0001', '005010X222A1']),
      ...segs.map(join),
      join(['SE', String(segs.length + 2), '0001']),
      join(['GE', '1', String(result.interchanges + 1)]),
      join(['IEA', '1', control]),
    ].join('');
    result.interchanges++;
    result.bytes += text.length;
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return result;
}

const CSV_HEADER =
  'claim_id,line_number,claim_type,member_id,payer_name,claim_filing_indicator,service_from_date,hcpcs,modifier_1,modifier_2,units,unit_type,charge,ndc,ndc_quantity,ndc_unit,diagnosis_1,diagnosis_2,dx_pointers,place_of_service,billing_npi,billing_name\r\n';

/** The same drug-heavy claims as generate837, as a canonical long-layout CSV (one row per line). */
export async function generateCanonicalCsv(path: string, targetBytes: number, seed = 42): Promise<GenerateResult> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const out = createWriteStream(path);
  const result: GenerateResult = { bytes: CSV_HEADER.length, claims: 0, drugLines: 0, interchanges: 0 };
  let pending: string[] = [CSV_HEADER];
  let pendingBytes = CSV_HEADER.length;
  while (result.bytes < targetBytes) {
    const claimId = `K${String(result.claims).padStart(9, '0')}`;
    const member = `M${between(100000000, 999999999)}`;
    const payer = pick(PAYERS);
    const date = `2025-03-${String(between(1, 28)).padStart(2, '0')}`;
    const lines = between(1, 4);
    for (let l = 1; l <= lines; l++) {
      const drug = random() < 0.7 ? pick(DRUGS) : null;
      let row: string;
      if (drug) {
        const dose = between(drug.dose[0]!, drug.dose[1]!);
        const units = Math.ceil(dose / drug.unit);
        const quantity = drug.perMl > 0 ? Math.ceil(dose / drug.perMl) : 1;
        row = `${claimId},${l},professional,${member},BENCH PAYER,${payer},${date},${drug.code},${drug.mods[0] ?? ''},${drug.mods[1] ?? ''},${units},UN,${between(50, 9000)}.00,${drug.ndc},${quantity},${drug.ctpUnit},C3490,D509,1:2,11,1234567893,BENCH INFUSION CENTER\r\n`;
        result.drugLines++;
      } else {
        row = `${claimId},${l},professional,${member},BENCH PAYER,${payer},${date},${pick(PROCEDURES)},,,1,UN,${between(20, 500)}.00,,,,C3490,D509,1,11,1234567893,BENCH INFUSION CENTER\r\n`;
      }
      pending.push(row);
      pendingBytes += row.length;
      result.bytes += row.length;
    }
    result.claims++;
    if (pendingBytes > 1 << 20) {
      const text = pending.join('');
      pending = [];
      pendingBytes = 0;
      if (!out.write(text, 'latin1')) await once(out, 'drain');
    }
  }
  out.write(pending.join(''), 'latin1');
  out.end();
  await once(out, 'finish');
  return result;
}
