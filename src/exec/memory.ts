// The memory executor: every stage in this thread, every audited line in memory. For the rule
// tester, the tests, and inputs small enough that temporary files and worker threads would cost
// more than they save (a few MB: the audit chooses it by input size).
import type { AuditedLine, Claim, Finding, LineFacts } from '../model/index.js';
import { compareFindings, rankLine } from '../model/order.js';
import type { Reference } from '../reference/index.js';
import { lineRecord } from '../view/lines.js';
import { LineTally } from '../view/tally.js';
import { claimMarks, claimStage, crossClaimStage, groupId, ingestStage, joinGroupResult, Lineage, Triage, type FileResult, type GroupMark, type StageOptions } from '../stages.js';
import { TextWriter } from '../store/ndjson.js';
import type { ExecPlan, ExecResult, Executor } from './types.js';

/** A claim's markers at the position of its first drug line (or where it would be): Lineage's positions. */
export interface PlacedMark extends GroupMark {
  position: number;
}

/** Stage 3 over lines in input order (and the claims' markers): each cross-claim rule's groups checked, results joined to their lines; how many findings they made. */
export function crossClaim(lines: readonly AuditedLine[], lineage: Lineage, reference: Reference, marks: readonly PlacedMark[] = []): number {
  const groups = new Map<string, { ruleId: string; members: Array<{ facts: LineFacts; position: number }>; lines: Array<AuditedLine | null> }>();
  const join = (ruleId: string, key: string, facts: LineFacts, position: number, line: AuditedLine | null) => {
    const id = groupId(ruleId, key);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { ruleId, members: [], lines: [] }));
    group.members.push({ facts, position });
    group.lines.push(line);
  };
  // Members in input order: a claim's markers before its lines (same position).
  let next = 0;
  lines.forEach((line, position) => {
    for (; next < marks.length && marks[next]!.position <= position; next++) for (const { ruleId, key } of marks[next]!.groups) join(ruleId, key, marks[next]!.facts, marks[next]!.position, null);
    for (const { ruleId, key } of line.groups) join(ruleId, key, line.facts, position, line);
    line.groups = [];
  });
  for (; next < marks.length; next++) for (const { ruleId, key } of marks[next]!.groups) join(ruleId, key, marks[next]!.facts, marks[next]!.position, null);
  let findings = 0;
  for (const group of groups.values()) {
    for (const result of crossClaimStage(group.ruleId, group.members, lineage, reference)) {
      const line = group.lines[result.index];
      if (!line) continue;
      joinGroupResult(line, result);
      findings += result.findings.length;
    }
  }
  return findings;
}

type ClaimOptions = Pick<StageOptions, 'codes' | 'reference' | 'asOf'>;

/**
 * Stages 2 and 3 over claims given as they are (the rule tester): every drug line, audited, in
 * input order. `stage` is stage 2 (the rule tester audits every line, whatever its code).
 */
export function auditClaims(claims: Iterable<Claim>, options: ClaimOptions, stage: (claim: Claim, options: ClaimOptions) => AuditedLine[] = claimStage): AuditedLine[] {
  const lines: AuditedLine[] = [];
  const marks: PlacedMark[] = [];
  const lineage = new Lineage();
  for (const claim of claims) {
    lineage.add(claim, lines.length);
    for (const mark of claimMarks(claim, options)) marks.push({ ...mark, position: lines.length });
    for (const line of stage(claim, options)) lines.push(line);
  }
  crossClaim(lines, lineage, options.reference, marks);
  return lines;
}

export const memoryExecutor: Executor = {
  name: 'memory',
  async run(plan: ExecPlan): Promise<ExecResult> {
    const { options, progress } = plan;
    const files: FileResult[] = [];
    const byFile: AuditedLine[][] = [];
    const marks: PlacedMark[] = [];
    const lineage = new Lineage();
    let position = 0;
    for (const input of plan.inputs) {
      const lines: AuditedLine[] = [];
      const stats = await ingestStage(
        input,
        options,
        (claim) => {
          lineage.add(claim, position);
          for (const mark of claimMarks(claim, options)) marks.push({ ...mark, position });
          const audited = claimStage(claim, options);
          position += audited.length;
          for (const line of audited) lines.push(line);
          progress?.claims(1, audited.reduce((n, l) => n + l.findings.length, 0));
        },
        progress,
        plan.signal,
      );
      const file: FileResult = { stats, drugLines: lines.length, lines: [] };
      files.push(file);
      byFile.push(lines);
      progress?.fileDone();
      plan.onFileDone?.(file);
    }
    plan.signal?.throwIfAborted();
    progress?.phase('cross-claim');
    const crossFindings = crossClaim(byFile.flat(), lineage, options.reference, marks);
    progress?.claims(0, crossFindings);
    progress?.phase('writing');
    if (plan.tuning?.freezeAfterRules) deepFreeze(byFile);
    const tally = new LineTally(options.reference, options.failOn);
    const triage = new Triage(options.phi, options.suppressions);
    const findings: Finding[] = [];
    const out = plan.linesOut === null ? null : new TextWriter(plan.linesOut);
    try {
      byFile.forEach((lines, i) => {
        for (const line of lines) {
          const triaged = triage.line(line.findings);
          tally.add({ findings: triaged, notChecked: line.notChecked });
          for (const f of rankLine(triaged)) findings.push(f);
          const record = lineRecord(line, options.phi);
          out?.write(`${JSON.stringify(record)}\n`);
          if (plan.keep) files[i]!.lines.push(record);
        }
      });
    } finally {
      out?.close();
    }
    return { files, tally: tally.state(), ranked: findings.sort(compareFindings), lineage: lineage.entries(), execution: { executor: 'memory', workers: 0, buckets: 0 } };
  },
};

/** Freezes a value and everything it holds (ESLint's RuleTester does so with a rule's inputs). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
