// Seeded generator of large, realistic 837P files and canonical CSVs for the benchmark: drug-heavy
// claims with LIN/CTP, billed cleanly except for a set share of drug lines with one defect each,
// several delimiter styles (one per interchange), correct envelope counts. Writes as it goes, so
// any size fits in memory.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { articlesListing, containerFor, jurisdictionOf, loadDefaultPack, mueOn, priceOn } from '../reference/pack.js';
import type { Article } from '../reference/schema.js';

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

/** A file written in 1 MB pieces, waiting on the stream when it is behind. */
class Sink {
  private readonly out: WriteStream;
  private pending: string[] = [];
  private bytes = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.bytes += text.length;
    if (this.bytes > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending.join('');
    this.pending = [];
    this.bytes = 0;
    if (!this.out.write(text, 'latin1')) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** One interchange of one 837 transaction around `segs`, with correct counts and control numbers. */
function interchange(style: Style, control: string, group: number, [sender, receiver]: [string, string], version: string, segs: readonly string[][], set: '837' | '835' = '837'): string {
  const join = (elements: readonly string[]) => elements.join(style.element) + style.terminator + style.eol;
  const isa = ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', sender.padEnd(15), 'ZZ', receiver.padEnd(15), '250301', '1200', style.repetition, '00501', control, '0', 'T', style.component];
  return [
    join(isa),
    join(['GS', set === '837' ? 'HC' : 'HP', sender, receiver, '20250301', '1200', String(group), 'X', version]),
    join(['ST', set, '0001', version]),
    ...segs.map(join),
    join(['SE', String(segs.length + 2), '0001']),
    join(['GE', '1', String(group)]),
    join(['IEA', '1', control]),
  ].join('');
}

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
  { code: 'J9299', unit: 1, dose: [240, 480], ndc: '00003373413', ctpUnit: 'ML', perMl: 10 },
  { code: 'J1459', unit: 500, dose: [10000, 35000], ndc: '44206043710', ctpUnit: 'ML', perMl: 100 },
  // Herceptin 150 mg vials: CTP counts the vials (the CMS crosswalk lists 15 units a vial).
  { code: 'J9355', unit: 10, dose: [120, 440], ndc: '50242013201', ctpUnit: 'UN', perMl: 0, perItem: 150 },
  { code: 'J1439', unit: 1, dose: [500, 750], ndc: '00517065001', ctpUnit: 'ML', perMl: 50 },
  { code: 'Q0138', unit: 1, dose: [510, 510], ndc: '59338077501', ctpUnit: 'ML', perMl: 30 },
  { code: 'J1756', unit: 1, dose: [100, 300], ndc: '00517234010', ctpUnit: 'ML', perMl: 20 },
  { code: 'J3490', unit: 1, dose: [1, 10], ndc: '00338004938', ctpUnit: 'UN', perMl: 0 },
];
const PAYERS = ['MB', 'MC', 'CI', '16', 'BL'];
const PROCEDURES = ['96413', '96365', '96415', '99213', '36415'];
/** Administration services among them: a claim with a drug bills how it was given. */
const ADMINISTRATIONS = new Set(['96413', '96365', '96415']);
const SERVICE_DATE = '2025-03-';
/** Diagnoses that support none of the drugs, for lines billed without a supporting diagnosis. */
const UNRELATED_DX = 'Z0000';
const DEFAULT_DX = ['C3490', 'D509'];

/**
 * What the generator knows of each drug from the reference pack, so clean lines are billed the
 * way a careful biller would: a charge above the OPPS payment (2–4× it), a diagnosis the pack
 * lists as supporting the drug, and a prior-authorization number on every claim.
 */
interface DrugFacts {
  /** OPPS payment per unit for the benchmark's service quarter, or null. */
  rate: number | null;
  /** A diagnosis code supporting the drug: from the billing MAC's article, else the pack's first covered prefix, padded. */
  dx: string;
  /** JZ for a single-dose drug. */
  modifiers: string[];
  /** The practitioner MUE: clean lines stay within it. */
  maxUnits: number | null;
}

/** The generated billing provider's state (2010AA N4): its MAC's articles decide the diagnoses. */
const BILLING_STATE = 'IL';

function drugFacts(): Map<string, DrugFacts> {
  const pack = loadDefaultPack();
  const facts = new Map<string, DrugFacts>();
  const mac = jurisdictionOf(pack, BILLING_STATE);
  for (const drug of DRUGS) {
    const code = pack.codes[drug.code];
    const rate = code ? (priceOn(code, `${SERVICE_DATE}15`)?.price.paymentPerUnit ?? null) : null;
    const prefix = code?.coveredDiagnoses[0]?.prefix.replace('.', '');
    const fromArticle = mac ? supportingDiagnosis(articlesListing(pack, drug.code).filter((a) => a.jurisdictions.includes(mac.jurisdiction)), drug.code) : null;
    const mue = code ? mueOn(code, 'practitioner', `${SERVICE_DATE}15`) : null;
    facts.set(drug.code, {
      rate,
      dx: fromArticle ?? (prefix ? prefix.padEnd(4, '9') : DEFAULT_DX[0]!),
      // A single-dose drug (a label, or CMS's JW/JZ list) is billed with JZ when nothing was discarded.
      modifiers: code && containerFor(code, drug.ndc).value === 'single-dose' ? ['JZ'] : [],
      maxUnits: mue && mue.mue.value > 0 ? mue.mue.value : null,
    });
  }
  return facts;
}

/** A diagnosis every one of the MAC's articles for the code accepts alone: a code of a group with no condition (its first). */
function supportingDiagnosis(articles: readonly Article[], hcpcs: string): string | null {
  for (const article of articles) {
    const groups = article.pairings.find((p) => p.codes.includes(hcpcs))?.groups ?? [];
    const alone = groups.find((g) => !article.notAlone.includes(g) && !article.requirements.some((r) => r.group === g));
    const code = alone === undefined ? undefined : article.covered[String(alone)]?.[0];
    if (code) return code;
  }
  return null;
}

/** What can be wrong with a drug line: one of these on `defectRate` of the drug lines. */
export const DEFECTS = ['charge-low', 'diagnosis', 'no-prior-auth', 'no-ndc', 'units', 'no-jz'] as const;
type Defect = (typeof DEFECTS)[number];

export interface GenerateOptions {
  seed?: number;
  /** Share of drug lines billed with one defect (default 0.1); 1 makes every drug line wrong. */
  defectRate?: number;
  claimsPerTransaction?: number;
}

interface ModelLine {
  code: string;
  modifiers: string[];
  units: number;
  charge: string;
  /** Drug lines: NDC, CTP quantity and unit. */
  drug: { ndc: string | null; quantity: number; unit: string } | null;
  /** 1-based pointers into the claim's diagnoses. */
  pointers: number[];
}

interface ModelClaim {
  memberId: string;
  payer: string;
  date: string;
  diagnoses: string[];
  priorAuth: string | null;
  lines: ModelLine[];
}

/** One claim of the benchmark's population: 1–4 lines, 70% of them drugs, defects at `defectRate`. */
function claimMaker(random: () => number, defectRate: number): () => ModelClaim & { drugLines: number } {
  const facts = drugFacts();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  let auth = 0;
  return () => {
    const diagnoses = [...DEFAULT_DX];
    const dxIndex = (dx: string) => {
      let i = diagnoses.indexOf(dx);
      if (i === -1) i = diagnoses.push(dx) - 1;
      return i + 1;
    };
    const claim: ModelClaim & { drugLines: number } = {
      memberId: `M${between(100000000, 999999999)}`,
      payer: pick(PAYERS),
      date: `${SERVICE_DATE}${String(between(1, 28)).padStart(2, '0')}`,
      diagnoses,
      priorAuth: `PA${String(++auth).padStart(8, '0')}`,
      lines: [],
      drugLines: 0,
    };
    const lines = between(1, 4);
    for (let l = 1; l <= lines; l++) {
      // A drug at most once a claim: the same drug twice on one date is a duplicate line.
      const drug = random() < 0.7 ? pick(DRUGS) : null;
      if (!drug || claim.lines.some((line) => line.code === drug.code)) {
        claim.lines.push({ code: pick(PROCEDURES), modifiers: [], units: 1, charge: `${between(20, 500)}.00`, drug: null, pointers: [1] });
        continue;
      }
      claim.drugLines++;
      const { rate, dx, modifiers: clean, maxUnits } = facts.get(drug.code)!;
      const dose = Math.min(between(drug.dose[0]!, drug.dose[1]!), maxUnits === null ? Infinity : maxUnits * drug.unit);
      let units = Math.ceil(dose / drug.unit);
      const expected = rate !== null ? units * rate : units * 10;
      let charge = expected * (2 + random() * 2);
      let modifiers = clean;
      let ndc: string | null = drug.ndc;
      let pointer = dxIndex(dx);
      const defect: Defect | null = random() < defectRate ? pick(DEFECTS) : null;
      if (defect === 'charge-low') charge = expected * (0.2 + random() * 0.6);
      else if (defect === 'diagnosis') pointer = dxIndex(UNRELATED_DX);
      else if (defect === 'no-prior-auth') claim.priorAuth = null;
      else if (defect === 'no-ndc') ndc = null;
      else if (defect === 'units') units *= 3;
      else if (defect === 'no-jz') modifiers = [];
      const quantity = drug.perMl > 0 ? Math.ceil(dose / drug.perMl) : 'perItem' in drug && drug.perItem ? Math.ceil(dose / drug.perItem) : 1;
      claim.lines.push({ code: drug.code, modifiers, units, charge: charge.toFixed(2), drug: { ndc, quantity, unit: drug.ctpUnit }, pointers: [pointer] });
    }
    if (claim.drugLines > 0 && !claim.lines.some((line) => ADMINISTRATIONS.has(line.code))) {
      claim.lines.push({ code: '96413', modifiers: [], units: 1, charge: '350.00', drug: null, pointers: [1] });
    }
    return claim;
  };
}

export interface GenerateResult {
  bytes: number;
  claims: number;
  drugLines: number;
  interchanges: number;
}

export async function generate837(path: string, targetBytes: number, options: GenerateOptions = {}): Promise<GenerateResult> {
  const { seed = 42, defectRate = 0.1, claimsPerTransaction = 200 } = options;
  const random = prng(seed);
  const nextClaim = claimMaker(random, defectRate);
  const out = new Sink(path);
  const result: GenerateResult = { bytes: 0, claims: 0, drugLines: 0, interchanges: 0 };

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
    seg('N4', 'SPRINGFIELD', BILLING_STATE, '62701');
    seg('REF', 'EI', '371234567');
    let hl = 1;
    for (let n = 0; n < claimsPerTransaction; n++) {
      const claim = nextClaim();
      const total = claim.lines.reduce((sum, line) => sum + Number(line.charge), 0);
      const date = claim.date.replaceAll('-', '');
      hl++;
      seg('HL', String(hl), '1', '22', '0');
      seg('SBR', 'P', '18', '', '', '', '', '', '', claim.payer);
      seg('NM1', 'IL', '1', 'PATIENT', 'TEST', '', '', '', 'MI', claim.memberId);
      seg('N3', '100 SAMPLE ST');
      seg('N4', 'SPRINGFIELD', 'IL', '62701');
      seg('DMG', 'D8', '19500101', 'F');
      seg('NM1', 'PR', '2', 'BENCH PAYER', '', '', '', '', 'PI', '12345');
      seg('CLM', `C${control}-${n}`, total.toFixed(2), '', '', c('11', 'B', '1'), 'Y', 'A', 'Y', 'Y');
      if (claim.priorAuth) seg('REF', 'G1', claim.priorAuth);
      seg('HI', ...claim.diagnoses.slice(0, 12).map((dx, i) => c(i === 0 ? 'ABK' : 'ABF', dx)));
      seg('NM1', '82', '1', 'RIVERA', 'ANA', '', '', '', 'XX', '1245319599');
      claim.lines.forEach((line, i) => {
        seg('LX', String(i + 1));
        seg('SV1', c('HC', line.code, ...line.modifiers), line.charge, 'UN', String(line.units), '11', '', c(...line.pointers.map(String)));
        seg('DTP', '472', 'D8', date);
        if (line.drug?.ndc) {
          seg('LIN', '', 'N4', line.drug.ndc);
          seg('CTP', '', '', '', String(line.drug.quantity), line.drug.unit);
        }
      });
      result.claims++;
      result.drugLines += claim.drugLines;
    }
    const text = interchange(style, control, result.interchanges + 1, ['BENCHSENDER', 'BENCHRECEIVER'], '005010X222A1', segs);
    result.interchanges++;
    result.bytes += text.length;
    await out.write(text);
  }
  await out.end();
  return result;
}

const CSV_HEADER =
  'claim_id,line_number,claim_type,member_id,payer_name,claim_filing_indicator,service_from_date,hcpcs,modifier_1,modifier_2,units,unit_type,charge,ndc,ndc_quantity,ndc_unit,diagnosis_1,diagnosis_2,diagnosis_3,diagnosis_4,dx_pointers,place_of_service,billing_npi,billing_name,prior_auth_number\r\n';

/** The same population of claims as generate837, as a canonical long-layout CSV (one row per line). */
export async function generateCanonicalCsv(path: string, targetBytes: number, options: GenerateOptions = {}): Promise<GenerateResult> {
  const { seed = 42, defectRate = 0.1 } = options;
  const random = prng(seed);
  const nextClaim = claimMaker(random, defectRate);
  const out = createWriteStream(path);
  const result: GenerateResult = { bytes: CSV_HEADER.length, claims: 0, drugLines: 0, interchanges: 0 };
  let pending: string[] = [CSV_HEADER];
  let pendingBytes = CSV_HEADER.length;
  while (result.bytes < targetBytes) {
    const claimId = `K${String(result.claims).padStart(9, '0')}`;
    const claim = nextClaim();
    const dx = Array.from({ length: 4 }, (_, i) => claim.diagnoses[i] ?? '').join(',');
    claim.lines.forEach((line, i) => {
      const drug = line.drug;
      const row = `${claimId},${i + 1},professional,${claim.memberId},BENCH PAYER,${claim.payer},${claim.date},${line.code},${line.modifiers[0] ?? ''},${line.modifiers[1] ?? ''},${line.units},UN,${line.charge},${drug?.ndc ?? ''},${drug?.ndc ? drug.quantity : ''},${drug?.ndc ? drug.unit : ''},${dx},${line.pointers.join(':')},11,1234567893,BENCH INFUSION CENTER,${claim.priorAuth ?? ''}\r\n`;
      pending.push(row);
      pendingBytes += row.length;
      result.bytes += row.length;
    });
    result.claims++;
    result.drugLines += claim.drugLines;
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

/** Services a practice or hospital bills far more often than drugs: visits, labs, imaging, procedures. */
const OFFICE_SERVICES = ['99213', '99214', '99212', '99204', '80053', '85025', '36415', '81001', '71046', '93000', '90471', '97110', '20610', '11721'];
/** Hospital outpatient services with their revenue codes (837I SV2). */
const HOSPITAL_SERVICES: Array<[string, string]> = [['0300', '80053'], ['0301', '85025'], ['0320', '71046'], ['0450', '99284'], ['0730', '93005'], ['0360', '29826'], ['0420', '97110']];
const REALISTIC_DX = ['I10', 'E119', 'E785', 'J069', 'M545', 'Z0000', 'K219', 'F419', 'N390', 'R079', 'C3490', 'D509', 'G6181', 'D801'];

export interface RealisticResult extends GenerateResult {
  /** Service lines of every kind. */
  lines: number;
  institutionalClaims: number;
}

/**
 * A realistic mix of claims, as most users' files are: 837P transactions (offices) and 837I
 * transactions (hospital outpatient, bill type 131) in turn, claims of 1–6 service lines with
 * subscriber and sometimes patient loops, a rendering provider, 1–4 diagnoses and mixed payers;
 * about `drugShare` (default 5%) of the service lines are covered drugs (billed with their NDC
 * and an administration), the rest visits, labs, imaging and procedures. Drug lines carry one
 * defect at `defectRate`, as in generate837.
 */
export async function generateRealistic837(path: string, targetBytes: number, options: GenerateOptions & { drugShare?: number } = {}): Promise<RealisticResult> {
  const { seed = 42, defectRate = 0.1, claimsPerTransaction = 200, drugShare = 0.05 } = options;
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const facts = drugFacts();
  const out = new Sink(path);
  const result: RealisticResult = { bytes: 0, claims: 0, drugLines: 0, interchanges: 0, lines: 0, institutionalClaims: 0 };
  while (result.bytes < targetBytes) {
    const institutional = result.interchanges % 3 === 2;
    const version = institutional ? '005010X223A2' : '005010X222A1';
    const style = STYLES[result.interchanges % STYLES.length]!;
    const control = String(result.interchanges + 1).padStart(9, '0');
    const segs: string[][] = [];
    const seg = (...elements: string[]) => segs.push(elements);
    const c = (...parts: string[]) => parts.join(style.component);
    seg('BHT', '0019', '00', `R${control}`, '20250301', '1200', 'CH');
    seg('NM1', '41', '2', 'REALISTIC SUBMITTER', '', '', '', '', '46', 'S1');
    seg('PER', 'IC', 'BILLING', 'TE', '5555550100');
    seg('NM1', '40', '2', 'REALISTIC RECEIVER', '', '', '', '', '46', 'R1');
    seg('HL', '1', '', '20', '1');
    seg('PRV', 'BI', 'PXC', institutional ? '282N00000X' : '207Q00000X');
    seg('NM1', '85', '2', institutional ? 'COMMUNITY HOSPITAL' : 'FAMILY PRACTICE', '', '', '', '', 'XX', institutional ? '1943340509' : '1234567893');
    seg('N3', '1 MAIN ST');
    seg('N4', 'SPRINGFIELD', BILLING_STATE, '62701');
    seg('REF', 'EI', '371234567');
    let hl = 1;
    for (let n = 0; n < claimsPerTransaction; n++) {
      const date = `202503${String(between(1, 28)).padStart(2, '0')}`;
      const payer = pick(PAYERS);
      const diagnoses = Array.from({ length: between(1, 4) }, () => pick(REALISTIC_DX));
      const dependent = random() < 0.2;
      const subscriber = ++hl;
      seg('HL', String(subscriber), '1', '22', dependent ? '1' : '0');
      seg('SBR', 'P', dependent ? '' : '18', `GRP${between(1000, 9999)}`, '', '', '', '', '', payer);
      seg('NM1', 'IL', '1', 'SUBSCRIBER', 'TEST', '', '', '', 'MI', `M${between(100000000, 999999999)}`);
      seg('N3', '100 SAMPLE ST');
      seg('N4', 'SPRINGFIELD', 'IL', '62701');
      seg('DMG', 'D8', '19600101', 'F');
      seg('NM1', 'PR', '2', 'PAYER', '', '', '', '', 'PI', '12345');
      if (dependent) {
        seg('HL', String(++hl), String(subscriber), '23', '0');
        seg('PAT', '19');
        seg('NM1', 'QC', '1', 'PATIENT', 'CHILD');
        seg('N3', '100 SAMPLE ST');
        seg('N4', 'SPRINGFIELD', 'IL', '62701');
        seg('DMG', 'D8', '20100101', 'M');
      }
      // The claim's lines: services, with a covered drug (and its administration) now and then.
      type Line = { code: string; revenue: string; modifiers: string[]; units: number; charge: number; ndc: { ndc: string; quantity: number; unit: string } | null };
      const lines: Line[] = [];
      const count = between(1, 6);
      let drugs = 0;
      for (let l = 0; l < count; l++) {
        const drug = random() < drugShare ? pick(DRUGS) : null;
        if (!drug || lines.some((x) => x.code === drug.code)) {
          const [revenue, code] = institutional ? pick(HOSPITAL_SERVICES) : ['', pick(OFFICE_SERVICES)];
          lines.push({ code, revenue, modifiers: [], units: 1, charge: between(40, 900), ndc: null });
          continue;
        }
        const { rate, modifiers: clean, maxUnits } = facts.get(drug.code)!;
        const dose = Math.min(between(drug.dose[0]!, drug.dose[1]!), maxUnits === null ? Infinity : maxUnits * drug.unit);
        let units = Math.ceil(dose / drug.unit);
        const expected = rate !== null ? units * rate : units * 10;
        let charge = expected * (2 + random() * 2);
        let modifiers = clean;
        let ndc: string | null = drug.ndc;
        if (random() < defectRate) {
          const defect = pick(['charge-low', 'no-ndc', 'units', 'no-jz'] as const);
          if (defect === 'charge-low') charge = expected * 0.5;
          else if (defect === 'no-ndc') ndc = null;
          else if (defect === 'units') units *= 3;
          else modifiers = [];
        }
        const quantity = drug.perMl > 0 ? Math.ceil(dose / drug.perMl) : 'perItem' in drug && drug.perItem ? Math.ceil(dose / drug.perItem) : 1;
        lines.push({ code: drug.code, revenue: '0636', modifiers, units, charge: Math.round(charge * 100) / 100, ndc: ndc ? { ndc, quantity, unit: drug.ctpUnit } : null });
        lines.push({ code: '96413', revenue: '0260', modifiers: [], units: 1, charge: 350, ndc: null });
        drugs++;
      }
      const total = lines.reduce((sum, line) => sum + line.charge, 0);
      seg('CLM', `R${control}-${n}`, total.toFixed(2), '', '', institutional ? c('13', 'A', '1') : c('11', 'B', '1'), 'Y', 'A', 'Y', 'Y');
      if (institutional) {
        seg('DTP', '434', 'RD8', `${date}-${date}`);
        seg('CL1', '1', '1', '01');
        seg('HI', ...diagnoses.map((dx, i) => c(i === 0 ? 'ABK' : 'ABF', dx)));
        seg('NM1', '71', '1', 'ATTENDING', 'DOC', '', '', '', 'XX', '1245319599');
      } else {
        seg('HI', ...diagnoses.map((dx, i) => c(i === 0 ? 'ABK' : 'ABF', dx)));
        seg('NM1', '82', '1', 'RIVERA', 'ANA', '', '', '', 'XX', '1245319599');
        seg('PRV', 'PE', 'PXC', '207Q00000X');
      }
      lines.forEach((line, i) => {
        seg('LX', String(i + 1));
        if (institutional) seg('SV2', line.revenue, c('HC', line.code, ...line.modifiers), line.charge.toFixed(2), 'UN', String(line.units));
        else seg('SV1', c('HC', line.code, ...line.modifiers), line.charge.toFixed(2), 'UN', String(line.units), '11', '', c(...diagnoses.slice(0, 4).map((_, k) => String(k + 1))));
        seg('DTP', '472', 'D8', date);
        if (line.ndc) {
          seg('LIN', '', 'N4', line.ndc.ndc);
          seg('CTP', '', '', '', String(line.ndc.quantity), line.ndc.unit);
        }
      });
      result.claims++;
      result.lines += lines.length;
      result.drugLines += drugs;
      if (institutional) result.institutionalClaims++;
    }
    const text = interchange(style, control, result.interchanges + 1, ['REALSENDER', 'REALRECEIVER'], version, segs);
    result.interchanges++;
    result.bytes += text.length;
    await out.write(text);
  }
  await out.end();
  return result;
}

/**
 * A remittance file of about `targetBytes`: 835 transactions (5010 X221A1) of `claimsPerTransaction`
 * claims, each with one to four service lines (drug codes with JZ or none), contractual and
 * patient-share adjustments, some denials (CO-16/M119, CO-50/N115) and REF*6R on some lines:
 * what a payer sends an infusion center, for the benchmark's remittance read.
 */
export async function generate835(path: string, targetBytes: number, options: GenerateOptions = {}): Promise<GenerateResult> {
  const { seed = 42, claimsPerTransaction = 200 } = options;
  const random = prng(seed);
  const out = new Sink(path);
  const result: GenerateResult = { bytes: 0, claims: 0, drugLines: 0, interchanges: 0 };
  const codes = ['J9299', 'J1459', 'J9355', 'J0897', 'J1745', 'J2505', 'J9035', 'J0881'];
  while (result.bytes < targetBytes) {
    const style = STYLES[result.interchanges % STYLES.length]!;
    const control = String(result.interchanges + 1).padStart(9, '0');
    const segs: string[][] = [];
    const seg = (...elements: string[]) => segs.push(elements);
    const c = (...parts: string[]) => parts.join(style.component);
    seg('BPR', 'I', '0', 'C', 'ACH', '', '', '', '', '', '', '', '', '', '', '', '20250315');
    seg('TRN', '1', `EFT${control}`, '1512345678');
    seg('N1', 'PR', 'BENCH PAYER');
    seg('N1', 'PE', 'BENCH INFUSION CENTER', 'XX', '1234567893');
    seg('LX', '1');
    for (let n = 0; n < claimsPerTransaction; n++) {
      const lines = 1 + Math.floor(random() * 4);
      const denied = random() < 0.1;
      const svc: string[][] = [];
      let charge = 0;
      let paid = 0;
      for (let i = 0; i < lines; i++) {
        const amount = Math.round(100 + random() * 9000);
        const allowed = Math.round(amount * 0.8);
        const linePaid = denied ? 0 : Math.round(allowed * 0.8);
        charge += amount;
        paid += linePaid;
        svc.push(['SVC', c('HC', codes[Math.floor(random() * codes.length)]!, ...(random() < 0.7 ? ['JZ'] : [])), String(amount), String(linePaid), '', String(1 + Math.floor(random() * 300))]);
        svc.push(['DTM', '472', '20250301']);
        if (denied) svc.push(['CAS', 'CO', random() < 0.5 ? '16' : '50', String(amount)]);
        else svc.push(['CAS', 'CO', '45', String(amount - allowed)], ['CAS', 'PR', '2', String(allowed - linePaid)]);
        if (random() < 0.3) svc.push(['REF', '6R', `L${control}${n}${i}`]);
        if (denied) svc.push(['LQ', 'HE', random() < 0.5 ? 'M119' : 'N115']);
      }
      seg('CLP', `C${control}-${n}`, denied ? '4' : '1', String(charge), String(paid), '', 'MB', `ICN${control}${n}`);
      seg('NM1', 'QC', '1', 'PATIENT', 'TEST', '', '', '', 'MI', `M${n}`);
      for (const s of svc) segs.push(s);
      result.claims++;
      result.drugLines += lines;
    }
    const text = interchange(style, control, result.interchanges + 1, ['BENCHPAYER', 'BENCHPROVIDER'], '005010X221A1', segs, '835');
    result.interchanges++;
    result.bytes += text.length;
    await out.write(text);
  }
  await out.end();
  return result;
}
