// The CSV layouts claim-audit knows: the canonical long layout, the industry's exports (Tuva,
// CMS CCLF, IDR, CCW RIF, DE-SynPUF), Synthea (recognised and refused) and generic exports by
// header aliases. A layout maps canonical fields to header names; headers are compared
// normalised (lower case, letters and digits only), so "Claim #" and "claim_no" meet.
import type { Claim, PayerClass, SourceField } from '../../model/index.js';

/** The canonical long layout's single-valued columns (README, "CSV input"). */
export const SCALAR_FIELDS = [
  'claim_id',
  'line_number',
  'claim_type',
  'member_id',
  'patient_id',
  'payer_name',
  'payer_id',
  'payer_class',
  'claim_filing_indicator',
  'claim_from_date',
  'claim_to_date',
  'service_from_date',
  'service_to_date',
  'hcpcs',
  'modifiers',
  'units',
  'unit_type',
  'charge',
  'allowed',
  'paid',
  'ndc',
  'ndc_quantity',
  'ndc_unit',
  'dx_pointers',
  'line_diagnosis',
  'place_of_service',
  'revenue_code',
  'bill_type',
  'billing_npi',
  'billing_name',
  'billing_state',
  'rendering_npi',
  'prior_auth_number',
  'frequency_code',
  'original_claim_id',
  'line_control_number',
  'adjustment_type',
  'file_date',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

/** Columns of the canonical layout that are lists: modifier_1..4, diagnosis_1..12. */
export const CANONICAL_MODIFIERS = ['modifier_1', 'modifier_2', 'modifier_3', 'modifier_4'];
export const CANONICAL_DIAGNOSES = Array.from({ length: 12 }, (_, i) => `diagnosis_${i + 1}`);

export const normaliseHeader = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface WideLayout {
  /** Line slots 1..slots in one row: HCPCS_CD_1..HCPCS_CD_13. */
  slots: number;
  /** Line fields by slot: the normalised header of slot n, with {n} for its number. */
  stems: Partial<Record<ScalarField, string>>;
  /** The field whose presence makes a slot a line. */
  presence: ScalarField;
}

export interface Layout {
  name: string;
  title: string;
  /** Normalised headers that must all be present for the layout to be recognised. */
  signature: string[];
  /** Field → candidate headers, first present wins. */
  fields: Partial<Record<ScalarField, string[]>>;
  /** Modifier columns in order (those present are read). */
  modifiers: string[];
  /** Diagnosis columns in order (principal first). */
  diagnoses: string[];
  payerClass?: PayerClass;
  payerName?: string;
  claimType?: Claim['claimType'];
  /** Diagnoses are ICD-9-CM (DE-SynPUF), qualified BK/BF, not ICD-10's ABK/ABF. */
  icd9?: boolean;
  /** What the layout cannot carry, with why (rules that need it are not checked). */
  unavailable: Partial<Record<SourceField, string>>;
  /** The layout cannot be audited: the one-line reason. */
  refuse?: string;
  wide?: WideLayout;
  /** Institutional rows repeat the claim's charge on every line (Tuva). */
  repeatsClaimCharge?: boolean;
  /** CCLF: CLM_ADJSMT_TYPE_CD 1 cancels, 2 adjusts; FILE_DATE orders re-deliveries. */
  cclf?: boolean;
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

const NO_NDC = (layout: string) => ({ ndc: `the ${layout} layout has no NDC column`, ndcQuantity: `the ${layout} layout has no NDC quantity column` });
const NO_PA = (layout: string) => ({ priorAuthorization: `the ${layout} layout has no prior-authorization column` });

const tuvaFields = (member: string[]): Layout['fields'] => ({
  claim_id: ['claimid'],
  line_number: ['claimlinenumber'],
  claim_type: ['claimtype'],
  member_id: member,
  payer_name: ['payer'],
  claim_from_date: ['claimstartdate'],
  claim_to_date: ['claimenddate'],
  service_from_date: ['claimlinestartdate'],
  service_to_date: ['claimlineenddate'],
  hcpcs: ['hcpcscode'],
  units: ['serviceunitquantity'],
  charge: ['chargeamount'],
  allowed: ['allowedamount'],
  paid: ['paidamount'],
  place_of_service: ['placeofservicecode'],
  revenue_code: ['revenuecentercode'],
  bill_type: ['billtypecode'],
  billing_npi: ['billingnpi'],
  rendering_npi: ['renderingnpi'],
});

/** Tuva medical_claim: the current input layer (person_id) and the older one (patient_id, ms_drg_code). */
function tuvaLayout(name: string, title: string, person: string, extraSignature: string[]): Layout {
  const layout = 'Tuva medical_claim';
  return {
    name,
    title,
    signature: ['claimid', 'claimlinenumber', 'hcpcscode', person, ...extraSignature],
    fields: { ...tuvaFields(['memberid', person]), patient_id: [person] },
    modifiers: range(5, (i) => `hcpcsmodifier${i}`),
    diagnoses: range(25, (i) => `diagnosiscode${i}`),
    unavailable: { ...NO_NDC(layout), ...NO_PA(layout), diagnosisPointers: `the ${layout} layout has no diagnosis pointers` },
    repeatsClaimCharge: true,
  };
}

const cclfCommon: Layout['fields'] = {
  claim_id: ['curclmuniqid'],
  line_number: ['clmlinenum'],
  member_id: ['benembiid', 'benehicnum'],
  claim_from_date: ['clmfromdt'],
  claim_to_date: ['clmthrudt'],
  service_from_date: ['clmlinefromdt'],
  service_to_date: ['clmlinethrudt'],
  hcpcs: ['clmlinehcpcscd'],
  units: ['clmlinesrvcunitqty'],
  allowed: ['clmlinealowdchrgamt'],
  paid: ['clmlinecvrdpdamt'],
  place_of_service: ['clmposcd'],
  adjustment_type: ['clmadjsmttypecd'],
  file_date: ['filedate'],
};

const CCLF_MODIFIERS = range(5, (i) => `hcpcs${i}mdfrcd`);
const NO_CHARGE = (layout: string) => ({ charge: `the ${layout} layout has no submitted charge (only allowed and paid amounts)` });

export const LAYOUTS: readonly Layout[] = [
  {
    name: 'synthea-claims-transactions',
    title: 'Synthea claims_transactions',
    signature: ['claimid', 'chargeid', 'procedurecode', 'patientinsuranceid', 'feescheduleid'],
    fields: {},
    modifiers: [],
    diagnoses: [],
    unavailable: {},
    refuse: 'Synthea claims_transactions: its procedure codes are SNOMED CT, CVX and RxNorm, not HCPCS, so there are no drug lines to audit',
  },
  {
    name: 'synthea-claims',
    title: 'Synthea claims',
    signature: ['patientid', 'providerid', 'primarypatientinsuranceid', 'diagnosis1', 'healthcareclaimtypeid1'],
    fields: {},
    modifiers: [],
    diagnoses: [],
    unavailable: {},
    refuse: 'Synthea claims: claim headers with SNOMED CT diagnoses and no service lines, so there are no drug lines to audit',
  },
  tuvaLayout('tuva-medical-claim', 'Tuva medical_claim', 'personid', []),
  tuvaLayout('tuva-medical-claim-legacy', 'Tuva medical_claim (older input layer: patient_id, ms_drg_code)', 'patientid', ['msdrgcode']),
  {
    name: 'cclf5',
    title: 'CMS CCLF5 (Part B physician lines)',
    signature: ['curclmuniqid', 'clmlinenum', 'clmlinehcpcscd', 'clmlinedgnscd'],
    // The rendering provider's FIPS state code: the state where the service was given, which selects the MAC.
    fields: { ...cclfCommon, line_diagnosis: ['clmlinedgnscd'], rendering_npi: ['clmrndrgprvdrnpinum', 'rndrgprvdrnpinum'], billing_state: ['rndrgprvdrfipsstcd'] },
    modifiers: CCLF_MODIFIERS,
    diagnoses: range(12, (i) => `clmdgns${i}cd`),
    payerClass: 'medicare',
    payerName: 'MEDICARE (CCLF)',
    claimType: 'professional',
    unavailable: { ...NO_CHARGE('CCLF5'), ...NO_NDC('CCLF5'), ...NO_PA('CCLF5') },
    cclf: true,
  },
  {
    name: 'cclf6',
    title: 'CMS CCLF6 (Part B DME lines)',
    signature: ['curclmuniqid', 'clmlinenum', 'clmlinehcpcscd', 'paytoprvdrnpinum'],
    fields: { ...cclfCommon, billing_npi: ['clmblgprvdrnpinum', 'paytoprvdrnpinum'] },
    modifiers: CCLF_MODIFIERS,
    diagnoses: [],
    payerClass: 'medicare',
    payerName: 'MEDICARE (CCLF)',
    claimType: 'professional',
    unavailable: {
      ...NO_CHARGE('CCLF6'),
      ...NO_NDC('CCLF6'),
      ...NO_PA('CCLF6'),
      units: 'the CCLF6 layout has no units column',
      modifiers: 'the CCLF6 layout has no modifier columns',
      diagnoses: 'the CCLF6 layout has no diagnoses',
      diagnosisPointers: 'the CCLF6 layout has no diagnoses',
    },
    cclf: true,
  },
  {
    name: 'cclf2',
    title: 'CMS CCLF2 (Part A revenue-center lines)',
    signature: ['curclmuniqid', 'clmlinenum', 'clmlineprodrevctrcd'],
    fields: { ...cclfCommon, revenue_code: ['clmlineprodrevctrcd'], service_from_date: ['clmlinefromdt', 'clmlineinstnlrevctrdt'] },
    modifiers: CCLF_MODIFIERS,
    diagnoses: [],
    payerClass: 'medicare',
    payerName: 'MEDICARE (CCLF)',
    claimType: 'institutional',
    unavailable: { ...NO_CHARGE('CCLF2'), ...NO_NDC('CCLF2'), ...NO_PA('CCLF2'), diagnoses: 'the CCLF2 layout has no diagnoses (they are in CCLF1)' },
    cclf: true,
  },
  {
    name: 'idr-claim-line',
    title: 'CMS IDR claim line',
    signature: ['clmuniqid', 'clmlinenum', 'clmlinehcpcscd'],
    // The IDR names its columns as CCLF does, but for the claim id, the member and the charge.
    fields: {
      ...cclfCommon,
      claim_id: ['clmuniqid'],
      // CLM_TYPE_CD: 71/72 Part B professional, 81/82 DME, the Part A types institutional.
      claim_type: ['clmtypecd'],
      member_id: ['benembiid', 'benesk', 'beneid'],
      charge: ['clmlinesbmtchrgamt'],
      ndc: ['clmlinendccd'],
      ndc_quantity: ['clmlinendcqty'],
      ndc_unit: ['clmlinendcqtyqlfyrcd'],
      revenue_code: ['clmlinerevctrcd'],
      rendering_npi: ['clmrndrgprvdrnpinum'],
      billing_npi: ['clmblgprvdrnpinum'],
      // The line's diagnosis: the file's only diagnoses (filled on about 40% of CMS's synthetic rows).
      line_diagnosis: ['clmlinedgnscd'],
    },
    modifiers: CCLF_MODIFIERS,
    diagnoses: [],
    payerClass: 'medicare',
    payerName: 'MEDICARE (IDR)',
    unavailable: { ...NO_PA('IDR claim line') },
  },
  {
    name: 'ccw-rif-outpatient',
    title: 'CCW RIF outpatient revenue lines',
    signature: ['beneid', 'clmid', 'clmlinenum', 'hcpcscd', 'revcntr'],
    fields: {
      claim_id: ['clmid'],
      line_number: ['clmlinenum'],
      member_id: ['beneid'],
      claim_from_date: ['clmfromdt'],
      claim_to_date: ['clmthrudt'],
      service_from_date: ['revcntrdt'],
      hcpcs: ['hcpcscd'],
      units: ['revcntrunitcnt'],
      charge: ['revcntrtotchrgamt'],
      paid: ['revcntrpmtamtamt'],
      ndc: ['revcntridendcupcnum'],
      ndc_quantity: ['revcntrndcqty'],
      ndc_unit: ['revcntrndcqtyqlfrcd'],
      revenue_code: ['revcntr'],
      billing_npi: ['orgnpinum'],
      rendering_npi: ['rndrngphysnnpi'],
    },
    modifiers: ['hcpcs1stmdfrcd', 'hcpcs2ndmdfrcd', 'hcpcs3rdmdfrcd'],
    diagnoses: ['prncpaldgnscd', ...range(25, (i) => `icddgnscd${i}`)],
    payerClass: 'medicare',
    payerName: 'MEDICARE (CCW RIF)',
    claimType: 'institutional',
    unavailable: NO_PA('CCW RIF'),
  },
  {
    name: 'ccw-rif-carrier',
    title: 'CCW RIF carrier lines',
    signature: ['beneid', 'clmid', 'linenum', 'hcpcscd', 'linesrvccnt'],
    fields: {
      claim_id: ['clmid'],
      line_number: ['linenum'],
      member_id: ['beneid'],
      claim_from_date: ['clmfromdt'],
      claim_to_date: ['clmthrudt'],
      service_from_date: ['line1stexpnsdt'],
      service_to_date: ['linelastexpnsdt'],
      hcpcs: ['hcpcscd'],
      units: ['linesrvccnt'],
      charge: ['linesbmtdchrgamt'],
      allowed: ['linealowdchrgamt'],
      paid: ['linenchpmtamt'],
      ndc: ['linendccd'],
      line_diagnosis: ['lineicddgnscd'],
      place_of_service: ['lineplaceofsrvccd'],
      billing_npi: ['carrclmblgnpinum'],
      rendering_npi: ['prfphysnnpi'],
    },
    modifiers: ['hcpcs1stmdfrcd', 'hcpcs2ndmdfrcd'],
    diagnoses: ['prncpaldgnscd', ...range(12, (i) => `icddgnscd${i}`)],
    payerClass: 'medicare',
    payerName: 'MEDICARE (CCW RIF)',
    claimType: 'professional',
    unavailable: { ...NO_PA('CCW RIF carrier'), ndcQuantity: 'the CCW RIF carrier layout has no NDC quantity column' },
  },
  {
    name: 'desynpuf-carrier',
    title: 'CMS DE-SynPUF carrier claims (wide: 13 line slots)',
    signature: ['desynpufid', 'clmid', 'hcpcscd1', 'linenchpmtamt1'],
    fields: {
      claim_id: ['clmid'],
      member_id: ['desynpufid'],
      claim_from_date: ['clmfromdt'],
      claim_to_date: ['clmthrudt'],
    },
    modifiers: [],
    diagnoses: range(8, (i) => `icd9dgnscd${i}`),
    payerClass: 'medicare',
    payerName: 'MEDICARE (DE-SynPUF)',
    claimType: 'professional',
    icd9: true,
    wide: {
      slots: 13,
      presence: 'hcpcs',
      stems: {
        hcpcs: 'hcpcscd{n}',
        paid: 'linenchpmtamt{n}',
        allowed: 'linealowdchrgamt{n}',
        line_diagnosis: 'lineicd9dgnscd{n}',
        rendering_npi: 'prfphysnnpi{n}',
      },
    },
    unavailable: {
      units: 'the DE-SynPUF carrier layout has no units',
      charge: 'the DE-SynPUF carrier layout has no submitted charge',
      modifiers: 'the DE-SynPUF carrier layout has no modifiers',
      ...NO_NDC('DE-SynPUF carrier'),
      ...NO_PA('DE-SynPUF carrier'),
    },
  },
  {
    name: 'desynpuf-outpatient',
    title: 'CMS DE-SynPUF outpatient claims (wide: 45 HCPCS slots)',
    signature: ['desynpufid', 'clmid', 'hcpcscd1', 'hcpcscd45'],
    fields: {
      claim_id: ['clmid'],
      member_id: ['desynpufid'],
      claim_from_date: ['clmfromdt'],
      claim_to_date: ['clmthrudt'],
      billing_npi: ['atphysnnpi'],
    },
    modifiers: [],
    diagnoses: range(10, (i) => `icd9dgnscd${i}`),
    payerClass: 'medicare',
    payerName: 'MEDICARE (DE-SynPUF)',
    claimType: 'institutional',
    icd9: true,
    wide: { slots: 45, presence: 'hcpcs', stems: { hcpcs: 'hcpcscd{n}' } },
    unavailable: {
      units: 'the DE-SynPUF outpatient layout has no units',
      charge: 'the DE-SynPUF outpatient layout has no line charges',
      modifiers: 'the DE-SynPUF outpatient layout has no modifiers',
      ...NO_NDC('DE-SynPUF outpatient'),
      ...NO_PA('DE-SynPUF outpatient'),
    },
  },
];

/**
 * Generic exports: each canonical field with the human names exports give it. The canonical
 * names come first; a header matches when its normalised form equals one of these.
 */
export const ALIASES: Record<ScalarField | 'modifier' | 'diagnosis', string[]> = {
  claim_id: ['claimid', 'claim', 'claimnumber', 'claimno', 'claimnbr', 'claimnum', 'patientcontrolnumber', 'pcn', 'icn', 'encounterid', 'encounter', 'invoice', 'invoiceno'],
  line_number: ['linenumber', 'line', 'lineno', 'linenbr', 'linenum', 'claimline', 'claimlinenumber', 'lineitem', 'seq', 'sequence'],
  claim_type: ['claimtype', 'formtype', 'claimform'],
  member_id: ['memberid', 'member', 'memberno', 'membernumber', 'subscriberid', 'insuredid', 'policynumber', 'policyno', 'mbi', 'medicareid', 'medicaidid'],
  patient_id: ['patientid', 'mrn', 'patientaccount', 'accountnumber', 'patientno', 'account'],
  payer_name: ['payername', 'payer', 'insurance', 'insurancename', 'carrier', 'plan', 'planname', 'primaryinsurance', 'primarypayer'],
  payer_id: ['payerid', 'payercode', 'insuranceid'],
  payer_class: ['payerclass', 'financialclass', 'payertype', 'insurancetype', 'plantype', 'fincls'],
  claim_filing_indicator: ['claimfilingindicator', 'claimfilingindicatorcode', 'filingindicator', 'sbr09'],
  claim_from_date: ['claimfromdate', 'statementfrom', 'statementfromdate', 'claimstartdate', 'admitdate'],
  claim_to_date: ['claimtodate', 'statementto', 'statementtodate', 'claimenddate', 'claimthrudate'],
  service_from_date: ['servicefromdate', 'dos', 'dosfrom', 'fromdos', 'dateofservice', 'servicedate', 'svcdate', 'fromdate', 'linefromdate', 'datefrom', 'startdate'],
  service_to_date: ['servicetodate', 'dosto', 'todos', 'todate', 'thrudate', 'linetodate', 'dateto', 'enddate'],
  hcpcs: ['hcpcs', 'hcpcscode', 'cpthcpcs', 'hcpcscpt', 'cpthcpcscode', 'cpt', 'cptcode', 'procedurecode', 'proccode', 'procedure', 'proc', 'code', 'servicecode', 'billingcode', 'chargecode'],
  modifiers: ['modifiers', 'mods', 'modifier', 'mod', 'modifiercodes'],
  units: ['units', 'unit', 'qty', 'quantity', 'serviceunits', 'units1', 'unitsbilled', 'billedunits', 'daysunits', 'daysorunits', 'unitcount', 'servicequantity'],
  unit_type: ['unittype', 'unitbasis', 'unitmeasure', 'unitsofmeasure', 'unitqualifier'],
  charge: ['charge', 'charges', 'chargeamount', 'chargeamt', 'linecharge', 'linecharges', 'billed', 'billedamount', 'billedcharge', 'billedcharges', 'amountbilled', 'submittedcharge', 'fee', 'totalcharge', 'totalcharges'],
  allowed: ['allowed', 'allowedamount', 'allowedamt', 'allowable'],
  paid: ['paid', 'paidamount', 'paidamt', 'payment', 'paymentamount', 'insurancepaid'],
  ndc: ['ndc', 'ndccode', 'ndcnumber', 'nationaldrugcode', 'ndc11', 'drugndc'],
  ndc_quantity: ['ndcquantity', 'ndcqty', 'ndcunits', 'ndcunitqty', 'drugquantity', 'drugqty', 'ndcamount'],
  ndc_unit: ['ndcunit', 'ndcuom', 'ndcunittype', 'ndcunitofmeasure', 'ndcqualifier', 'ndcunitqualifier', 'druguom', 'drugunit'],
  dx_pointers: ['dxpointers', 'dxpointer', 'diagnosispointers', 'diagnosispointer', 'dxptr', 'dxptrs', 'pointer', 'pointers', 'diagpointer', 'dxref'],
  line_diagnosis: ['linediagnosis', 'linedx', 'linediagnosiscode'],
  place_of_service: ['placeofservice', 'pos', 'poscode', 'placeofservicecode'],
  revenue_code: ['revenuecode', 'revcode', 'rev', 'revenuecentercode', 'revcd'],
  bill_type: ['billtype', 'typeofbill', 'tob', 'billtypecode'],
  billing_npi: ['billingnpi', 'billingprovidernpi', 'npi', 'groupnpi', 'facilitynpi', 'billingprovider'],
  billing_state: ['billingstate', 'billingproviderstate', 'billingprovstate', 'billingstatecode', 'billingproviderstatecode', 'providerstate', 'providerstatecode'],
  billing_name: ['billingname', 'billingprovidername', 'practicename', 'facilityname', 'groupname', 'providername'],
  rendering_npi: ['renderingnpi', 'renderingprovidernpi', 'providernpi', 'renderingprovider', 'attendingnpi'],
  prior_auth_number: ['priorauthnumber', 'priorauth', 'priorauthorization', 'priorauthorizationnumber', 'auth', 'authno', 'authnumber', 'authorization', 'authorizationnumber', 'authid', 'pa', 'panumber'],
  frequency_code: ['frequencycode', 'claimfrequency', 'claimfrequencycode', 'freq', 'freqcode', 'resubmissioncode'],
  line_control_number: ['linecontrolnumber', 'lineitemcontrolnumber', 'lineitemcontrol', 'ref6r', 'providerlinecontrolnumber'],
  original_claim_id: ['originalclaimid', 'originalclaimnumber', 'originalclaimref', 'originalref', 'originalicn', 'originaldcn', 'originalpayerclaimcontrolnumber', 'reff8'],
  adjustment_type: ['adjustmenttype'],
  file_date: ['filedate'],
  modifier: ['modifier', 'mod', 'hcpcsmodifier', 'cptmodifier', 'modifiercode'],
  diagnosis: ['diagnosis', 'dx', 'diag', 'icd', 'icd10', 'icd10code', 'dxcode', 'diagnosiscode', 'icdcode', 'diagnosiscd'],
};

/** Canonical headers exactly: the template in samples/ and the README. */
export const CANONICAL_HEADERS: ReadonlySet<string> = new Set(
  [...SCALAR_FIELDS.filter((f) => !['line_diagnosis', 'adjustment_type', 'file_date'].includes(f)), ...CANONICAL_MODIFIERS, ...CANONICAL_DIAGNOSES].map(normaliseHeader),
);
