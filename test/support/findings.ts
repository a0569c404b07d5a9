// Findings and report views built from a few overrides, for the report writers' tests.
import type { Finding, IngestIssue } from '../../src/model/index.js';
import { compareFindings } from '../../src/model/order.js';
import { ruleDocs, type RuleDoc } from '../../src/rules/docs.js';
import { WorklistBuilder } from '../../src/view/worklist.js';
import { ReportAggregator, TOP_FINDINGS, WORKLIST_TOP, type Coverage, type IngestTotals, type Manifest, type ReportView } from '../../src/view/view.js';

let next = 0;

export function finding(overrides: Partial<Finding> & { file?: string; byteOffset?: number } = {}): Finding {
  const { file, byteOffset, ...rest } = overrides;
  const n = next++;
  return {
    id: (overrides.id ?? n.toString(16)).padStart(16, '0'),
    fingerprints: { 'claimLine/v1': (overrides.id ?? n.toString(16)).padStart(64, '0') },
    ruleId: 'jw-jz-missing',
    severity: 'error',
    confidence: 'high',
    denial: { group: 'CO', carc: '16', rarc: 'N822', verified: false },
    claimId: 'C1',
    lineNumber: 1,
    lineKey: 'J9299|2025-03-11||1',
    code: 'J9299',
    serviceDate: '2025-03-11',
    payerClass: 'medicare',
    payerName: 'MEDICARE PART B',
    setting: 'professional',
    owner: 'pharmacy',
    billingNpi: '1234567893',
    billingName: 'CLINIC',
    memberId: '****0001',
    modifiers: ['JZ'],
    units: 240,
    billedCharge: 8200,
    expectedPayment: 7751.04,
    ndc: '00003373413',
    ndcQuantity: 24,
    ndcUnit: 'ML',
    messageKey: 'missing',
    data: {},
    message: 'a message',
    remediation: 'a fix',
    remediationKey: 'fix',
    dollarsAtRisk: 100,
    dollarCategory: 'returned',
    dollarBasis: 'asp',
    evidence: {},
    sourceRef: { file: file ?? 'a.edi', segmentIndex: 10, byteOffset: byteOffset ?? 1000 },
    ...rest,
  };
}

export const emptyCoverage = (linesAudited = 0): Coverage => ({ linesAudited, passed: linesAudited, failed: 0, notChecked: 0, awaitingData: 0, notCheckedReasons: [], limitedBy: {} });

export function viewOf(findings: Finding[], overrides: Partial<ViewInput> = {}): ReportView {
  return buildReportView({
    findings,
    coverage: emptyCoverage(findings.length),
    totals: { files: 1, filesWithErrors: 0, interchanges: 1, transactions: 1, claims: { read: 10, audited: 10, skipped: 0, unparseable: 0 }, lines: 10, drugLines: findings.length, ingestIssues: { errors: 0, warnings: 0 } },
    manifest: {
      tool: { name: 'claim-audit', version: '0.0.0' },
      run: { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' },
      phi: 'masked',
      reference: { pack: { version: 'test-pack', sha256: 'f'.repeat(64), file: null, codes: 1 }, sourceFiles: [], mue: [], ndcCrosswalk: null, profile: null },
      options: {},
      inputs: [{ file: 'a.edi', format: 'x12', bytes: 1234, sha256: 'e'.repeat(64), claims: { read: 10, audited: 10, skipped: 0, unparseable: 0 }, lines: 10, drugLines: findings.length, ingestIssues: { errors: 0, warnings: 0, omitted: 0 } }],
    },
    ingestIssues: [],
    rules: ruleDocs(),
    describeCode: (code) => (code === 'J9299' ? 'Inj nivolumab' : null),
    exitCode: 0,
    ...overrides,
  });
}

interface ViewInput {
  /** Every finding of the run, in any order: the view ranks them. */
  findings: Finding[];
  coverage: Coverage;
  totals: IngestTotals;
  manifest: Manifest;
  ingestIssues: IngestIssue[];
  rules: RuleDoc[];
  /** Short descriptor of a HCPCS code from the reference pack, for the code table. */
  describeCode: (code: string) => string | null;
  exitCode: number;
}

const claimKey = (f: Finding) => `${f.sourceRef.file}\u0000${f.claimId}`;

/**
 * The whole view from findings held in memory: the findings grouped into lines, claim by claim,
 * and fed to the aggregator as the audit's streaming pass does.
 */
function buildReportView(input: ViewInput): ReportView {
  // Lines, claim by claim (claims in order of their first finding's rank), as the audit streams them.
  const byLine = new Map<string, Finding[]>();
  const claimOrder = new Map<string, number>();
  const ranked = [...input.findings].sort(compareFindings);
  for (const f of ranked) {
    const claim = claimKey(f);
    if (!claimOrder.has(claim)) claimOrder.set(claim, claimOrder.size);
    const line = `${claim}\u0000${f.sourceRef.byteOffset}\u0000${f.lineNumber}`;
    const list = byLine.get(line);
    if (list) list.push(f);
    else byLine.set(line, [f]);
  }
  const aggregator = new ReportAggregator(input.rules, input.describeCode);
  const lines = [...byLine.values()].sort((a, b) => claimOrder.get(claimKey(a[0]!))! - claimOrder.get(claimKey(b[0]!))!);
  for (const line of lines) aggregator.addLine(line);
  const worklist = new WorklistBuilder((id) => input.rules.find((r) => r.id === id)?.title ?? id, input.describeCode);
  for (const f of ranked) worklist.add(f);
  return {
    worklist: { rows: worklist.all().slice(0, WORKLIST_TOP), total: worklist.size },
    manifest: input.manifest,
    exitCode: input.exitCode,
    findings: ranked.slice(0, TOP_FINDINGS),
    totals: input.totals,
    ...aggregator.totals(),
    coverage: input.coverage,
    ingestIssues: input.ingestIssues,
    rules: input.rules,
  };
}
