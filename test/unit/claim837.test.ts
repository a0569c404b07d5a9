import { describe, expect, it } from 'vitest';
import { payerClassFromFilingIndicator, x12Date, x12Number } from '../../src/ingest/x12/claim837.js';
import { Claim } from '../../src/model/index.js';
import { assemble, envelope, x12 } from '../support/x12.js';

const provider = [
  ['HL', '1', '', '20', '1'],
  ['NM1', '85', '2', 'RIVERBEND INFUSION', '', '', '', '', 'XX', '1234567893'],
];
const subscriber = (sbr09: string, member = 'MBR0001234', payer = 'MEDICARE PART B') => [
  ['HL', '2', '1', '22', '0'],
  ['SBR', 'P', '18', '', '', '', '', '', '', sbr09],
  ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', member],
  ['NM1', 'PR', '2', payer, '', '', '', '', 'PI', '15102'],
];
const clm = (id = 'C1', pos = '11:B:1') => ['CLM', id, '100', '', '', pos, 'Y', 'A', 'Y', 'Y'];
const drugLine = (n: number, proc = 'HC:J9299:JZ', units = '240') => [
  ['LX', String(n)],
  ['SV1', proc, '8200', 'UN', units, '11', '', '1:2'],
  ['DTP', '472', 'D8', '20250311'],
  ['LIN', '', 'N4', '00003373413'],
  ['CTP', '', '', '', '24', 'ML'],
];

const one = (body: string[][], version?: string) => {
  const result = assemble(x12(envelope([body], version)));
  return { ...result, claim: result.claims[0]! };
};

describe('837P claim fields', () => {
  const { claim, issues, counts } = one([
    ...provider,
    ...subscriber('MB'),
    clm('CLAIM-1'),
    ['REF', 'G1', 'AUTH-CLAIM'],
    ['HI', 'ABK:C3490', 'ABF:Z5111', 'BE:A2:::15'],
    ...drugLine(1),
    ['LX', '2'],
    ['SV1', 'HC:96413', '350', 'UN', '1', '', '', '1'],
    ['REF', 'G1', 'AUTH-LINE'],
  ]);

  it('is a valid Claim by the model schema', () => {
    expect(() => Claim.parse(claim)).not.toThrow();
    expect(issues).toEqual([]);
    expect(counts).toMatchObject({ claimsRead: 1, claimsAssembled: 1, lines: 2 });
  });

  it('reads claim, payer, member and provider', () => {
    expect(claim).toMatchObject({
      claimId: 'CLAIM-1',
      claimType: 'professional',
      implementation: '005010X222A1',
      payerClass: 'medicare',
      claimFilingIndicator: 'MB',
      payerName: 'MEDICARE PART B',
      payerId: '15102',
      memberId: 'MBR0001234',
      billingProviderNpi: '1234567893',
      totalCharge: 100,
      facilityCode: '11',
      frequencyCode: '1',
      priorAuthorization: 'AUTH-CLAIM',
    });
  });

  it('reads REF*F8 of a replacement or void as the original claim it names; an original has none', () => {
    expect(claim.originalClaimRef).toBeNull();
    const replacement = one([...provider, ...subscriber('MB'), clm('CLAIM-2', '11:B:7'), ['REF', 'F8', 'PAYER-ICN-1'], ...drugLine(1)]).claim;
    expect(replacement).toMatchObject({ claimId: 'CLAIM-2', frequencyCode: '7', originalClaimRef: 'PAYER-ICN-1' });
    expect(() => Claim.parse(replacement)).not.toThrow();
  });

  it('keeps diagnosis codes dotless, with their qualifiers, and ignores value codes', () => {
    expect(claim.diagnoses).toEqual([
      { qualifier: 'ABK', code: 'C3490' },
      { qualifier: 'ABF', code: 'Z5111' },
    ]);
  });

  it('reads SV1, its modifiers, pointers, date and 2410 drug loop', () => {
    expect(claim.lines[0]).toMatchObject({
      lineNumber: 1,
      segment: 'SV1',
      procedureQualifier: 'HC',
      hcpcs: 'J9299',
      modifiers: ['JZ'],
      units: 240,
      unitBasis: 'UN',
      charge: 8200,
      serviceDate: '2025-03-11',
      serviceDateSource: 'line',
      placeOfService: '11',
      diagnosisPointers: [1, 2],
      drug: { qualifier: 'N4', ndc: '00003373413', quantity: 24, unit: 'ML' },
    });
    expect(claim.lines[0]!.sourceRef).toMatchObject({ file: 'test.edi', segmentIndex: 12 });
  });

  it('puts a line REF*G1 on the line, and a line without its own POS takes the claim POS', () => {
    expect(claim.lines[1]).toMatchObject({ hcpcs: '96413', priorAuthorization: 'AUTH-LINE', placeOfService: '11', drug: null });
  });
});

describe('loops', () => {
  it('an SBR and NM1*IL/PR after CLM (2320/2330) never replace the claim payer or member', () => {
    const { claim } = one([
      ...provider,
      ...subscriber('MC', 'MEDICAID-ID', 'STATE MEDICAID'),
      clm(),
      ['SBR', 'S', '18', '', '', '', '', '', '', 'CI'],
      ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', 'OTHER-ID'],
      ['NM1', 'PR', '2', 'OTHER PLAN', '', '', '', '', 'PI', '999'],
      ['REF', 'G1', 'OTHER-PAYER-AUTH'],
      ...drugLine(1),
    ]);
    expect(claim).toMatchObject({ payerClass: 'medicaid', memberId: 'MEDICAID-ID', payerName: 'STATE MEDICAID', priorAuthorization: null });
    expect(claim.lines).toHaveLength(1);
  });

  it('2410 ends at NM1: a CTP after a 2420 NM1 is not the drug quantity', () => {
    const { claim, issues } = one([
      ...provider,
      ...subscriber('MB'),
      clm(),
      ['LX', '1'],
      ['SV1', 'HC:J1459', '100', 'UN', '20'],
      ['LIN', '', 'N4', '44206043710'],
      ['NM1', 'DK', '1', 'WELBY'],
      ['CTP', '', '', '', '99', 'ML'],
    ]);
    expect(claim.lines[0]!.drug).toMatchObject({ ndc: '44206043710', quantity: null, unit: null });
    expect(issues.map((i) => i.code)).toEqual(['ctp-outside-drug-loop']);
  });

  it('claims under several subscribers and patients each get their own payer', () => {
    const { claims } = one([
      ...provider,
      ...subscriber('MB'),
      clm('A'),
      ...drugLine(1),
      ['HL', '3', '1', '22', '1'],
      ['SBR', 'P', '', '', '', '', '', '', '', 'CI'],
      ['NM1', 'IL', '1', 'ROE', 'R', '', '', '', 'MI', 'COMM-1'],
      ['NM1', 'PR', '2', 'ACME', '', '', '', '', 'PI', '1'],
      ['HL', '4', '3', '23', '0'],
      ['PAT', '19'],
      ['NM1', 'QC', '1', 'ROE', 'KID'],
      clm('B'),
      ...drugLine(1),
    ]);
    expect(claims.map((c) => [c.claimId, c.payerClass, c.memberId, c.payerName])).toEqual([
      ['A', 'medicare', 'MBR0001234', 'MEDICARE PART B'],
      ['B', 'commercial', 'COMM-1', 'ACME'],
    ]);
  });
});

describe('837I', () => {
  const { claim, issues } = one(
    [
      ...provider,
      ...subscriber('MA'),
      clm('H1', '13:A:7'),
      ['DTP', '434', 'RD8', '20250507-20250509'],
      ['HI', 'ABK:D509', 'ABF:N184'],
      ['LX', '1'],
      ['SV2', '0636', 'HC:J1439:JZ:59', '5200', 'UN', '750'],
      ['LIN', '', 'N4', '00517065001'],
      ['CTP', '', '', '', '15', 'ML'],
      ['LX', '2'],
      ['SV2', '0260', 'HC:96365', '450', 'UN', '1'],
      ['DTP', '472', 'D8', '20250508'],
    ],
    '005010X223A2',
  );

  it('reads SV2 revenue code, procedure, units and the statement dates as the fallback service date', () => {
    expect(issues).toEqual([]);
    expect(claim).toMatchObject({ claimType: 'institutional', facilityCode: '13', frequencyCode: '7', statementFrom: '2025-05-07', statementTo: '2025-05-09' });
    expect(claim.lines[0]).toMatchObject({
      segment: 'SV2',
      revenueCode: '0636',
      hcpcs: 'J1439',
      modifiers: ['JZ', '59'],
      units: 750,
      charge: 5200,
      serviceDate: '2025-05-07',
      serviceDateTo: '2025-05-09',
      serviceDateSource: 'claim',
      drug: { ndc: '00517065001', quantity: 15, unit: 'ML' },
    });
    expect(claim.lines[1]).toMatchObject({ serviceDate: '2025-05-08', serviceDateSource: 'line' });
  });
});

describe('transactions that are not audited are skipped, with a reason and their claims counted', () => {
  it.each([
    ['004010X098A1', /4010/],
    ['005010X224A2', /not supported/],
  ])('%s', (version, reason) => {
    const result = assemble(x12(envelope([[...provider, ...subscriber('MB'), clm('A'), ...drugLine(1), clm('B')]], version)));
    expect(result.claims).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ claims: 2, transactionSet: '837', implementation: version })]);
    expect(result.skipped[0]!.reason).toMatch(reason);
    expect(result.counts).toMatchObject({ claimsRead: 2, claimsSkipped: 2 });
  });

  it('835', () => {
    const segs = envelope([[['BPR', 'I', '100'], ['CLP', 'A', '1', '100', '80']]], '005010X221A1');
    segs[2]![1] = '835';
    const result = assemble(x12(segs));
    expect(result.skipped[0]).toMatchObject({ transactionSet: '835', claims: 0 });
    expect(result.skipped[0]!.reason).toMatch(/835 remittance/);
  });
});

describe('tolerated deviations are warnings with positions', () => {
  it('SV1 without LX (seen in the wild) becomes a numbered line', () => {
    const { claim, issues } = one([...provider, ...subscriber('MC'), clm(), ['SV1', 'HC:J1745', '150', 'UN', '2', '11', '', '', '1'], ['LIN', '', 'N4', '50242004001'], ['CTP', '', '', '2', '150']]);
    expect(claim.lines).toEqual([expect.objectContaining({ lineNumber: 1, hcpcs: 'J1745', units: 2, drug: expect.objectContaining({ quantity: 150, unit: null }) })]);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ['service-without-lx', 'warning'],
      ['ctp-unit-missing', 'warning'],
    ]);
  });

  it('numbers that are not numbers, and impossible dates', () => {
    const { claim, issues } = one([...provider, ...subscriber('MB'), clm(), ['LX', '1'], ['SV1', 'HC:J9299', '$8,200', 'UN', 'ten'], ['DTP', '472', 'D8', '20250231']]);
    expect(claim.lines[0]).toMatchObject({ charge: null, units: null, serviceDate: null, serviceDateSource: 'none' });
    expect(issues.map((i) => i.code)).toEqual(['number-invalid', 'number-invalid', 'date-invalid']);
  });
});

describe('a claim cut off by the end of input is unparseable, not audited', () => {
  it('counts it with its position', () => {
    const text = x12(envelope([[...provider, ...subscriber('MB'), clm('GOOD'), ...drugLine(1), clm('CUT'), ...drugLine(1)]]));
    const cut = text.slice(0, text.lastIndexOf('LIN'));
    const result = assemble(cut);
    expect(result.claims.map((c) => c.claimId)).toEqual(['GOOD']);
    expect(result.unparseable).toEqual([expect.objectContaining({ claimId: 'CUT', segmentIndex: 15 })]);
    expect(result.counts).toMatchObject({ claimsRead: 2, claimsAssembled: 1, claimsUnparseable: 1 });
  });
});

describe('value parsers', () => {
  it.each([
    ['MB', 'medicare'],
    ['MA', 'medicare'],
    ['16', 'medicare-advantage'],
    ['MC', 'medicaid'],
    ['CI', 'commercial'],
    ['BL', 'commercial'],
    ['HM', 'commercial'],
    ['12', 'commercial'],
    ['CH', 'other'],
    ['WC', 'other'],
    ['ZZ', 'unknown'],
    ['', 'unknown'],
  ])('SBR09 %s → %s', (code, payerClass) => {
    expect(payerClassFromFilingIndicator(code)).toBe(payerClass);
  });

  it.each([
    ['20250311', '2025-03-11'],
    ['20240229', '2024-02-29'],
    ['20250229', null],
    ['20251301', null],
    ['2025031', null],
    ['', null],
  ])('D8 %s → %s', (text, date) => {
    expect(x12Date(text)).toBe(date);
  });

  it.each([
    ['240', 240],
    ['1.00', 1],
    ['.5', 0.5],
    ['-3', -3],
    ['', null],
    ['1,000', null],
    ['1e3', null],
  ])('R %s → %s', (text, value) => {
    expect(x12Number(text)).toBe(value);
  });
});
