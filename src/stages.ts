// The audit's domain stages, written once (DESIGN.md, "The flow"). Every executor (exec/) runs
// these and only these; none of them knows of threads, temporary files, buckets or positions.
//   1. ingest        a file's claims, in file order               ingestStage
//   2. claim rules   each claim's drug lines, audited              claimStage
//   3. cross-claim   each rule's groups, by the key it declares    checkGroup (rules/engine.ts)
//   4. triage        member ids masked, suppressions matched        Triage
//   5. rank          a line's first-ranked finding carries its dollars  rankLine (model/order.ts)
//   6. view          each line counted; its lines.ndjson record       LineTally (view/tally.ts), lineRecord (view/lines.ts)
//   7. status        against the history, as the ranked findings go by  NightlyRun.see (history/nightly.ts)
//   8. outputs       the ranked findings and the view, rendered    report/write.ts
// After the rules, findings are values: each stage returns new findings and none writes to a
// value another stage made.
import type { AuditedLine, Claim, Finding, LineFacts, LineRecord } from './model/index.js';
import type { FailOn } from './view/tally.js';
import { Suppressor } from './suppressions/suppressions.js';
import { maskMemberId, type PhiMode } from './model/phi.js';
import { ingestFile, type FileIngestStats } from './ingest/index.js';
import type { CsvProfile } from './ingest/csv/mapping.js';
import type { InputFile } from './ingest/inputs.js';
import { isDrugLine, type CodeSelection } from './ingest/select.js';
import type { Suppressions } from './suppressions/suppressions.js';
import type { Reference } from './reference/index.js';
import { auditClaim, checkGroup, markClaim, type GroupMark, type GroupResult } from './rules/engine.js';
import { lineageKey, type Lineage } from './rules/lineage.js';

export { joinGroupResult, minGroup, type GroupMark, type GroupResult } from './rules/engine.js';
export { Lineage, type LineageEntry, type Supersession } from './rules/lineage.js';

/** What the stages need of the audit's options (plain data: it crosses to a worker thread or a shard). */
export interface StageOptions {
  codes: CodeSelection;
  reference: Reference;
  asOf: string | null;
  phi: PhiMode;
  failOn: FailOn;
  csvProfile: CsvProfile | null;
  /** The suppression entries in force (plain data), or null. */
  suppressions: Suppressions | null;
  /** The run's key for member keys (model/phi.ts memberKey): one for all its threads and steps. */
  memberSalt?: string;
}

export interface IngestProgress {
  /** Bytes read from disk (compressed for .gz). */
  read(bytes: number): void;
}

/** Issues that mean "not a claim file": for a file met in a folder (a README, an image), a warning. */
const STRAY_FILE_CODES = new Set(['format-unknown', 'csv-layout-unknown', 'csv-layout-refused']);

/** Stage 1: one file's claims, handed over in file order. */
export async function ingestStage(input: InputFile, options: Pick<StageOptions, 'phi' | 'csvProfile'>, onClaim: (claim: Claim) => void, progress: IngestProgress | null, signal?: AbortSignal): Promise<FileIngestStats> {
  const stats = await ingestFile(input.path, input.display, {
    phi: options.phi,
    onClaim,
    ...(progress ? { onRead: (n: number) => progress.read(n) } : {}),
    csvProfile: options.csvProfile,
    ...(signal ? { signal } : {}),
    ...(input.range ? { range: input.range } : {}),
  });
  // A stray file in a folder is skipped, not an input error.
  if (!input.explicit) for (const issue of stats.issues) if (STRAY_FILE_CODES.has(issue.code)) issue.severity = 'warning';
  return stats;
}

/**
 * Stage 2: a claim's drug lines (--codes) through the line and claim rules. A void (CLM05-3 = 8)
 * withdraws the claim it names: nothing on it will be paid or denied, so its lines are not
 * audited (the lineage still notes what it withdraws).
 */
export function claimStage(claim: Claim, options: Pick<StageOptions, 'codes' | 'reference' | 'asOf' | 'memberSalt'> & { phi?: PhiMode }): AuditedLine[] {
  if (claim.frequencyCode === '8') return [];
  const indexes: number[] = [];
  claim.lines.forEach((line, i) => {
    if (isDrugLine(line, options.codes)) indexes.push(i);
  });
  if (indexes.length === 0) return [];
  const lines = auditClaim(claim, indexes, options.reference, options.asOf, options.memberSalt);
  // PHI triage, before anything leaves the claim: the member id masked (the rules that compare
  // members use the keyed memberKey), so no temporary record or later stage holds it.
  if ((options.phi ?? 'masked') === 'masked') {
    for (const line of lines) {
      line.facts.memberId = maskMemberId(line.facts.memberId, 'masked');
      for (const finding of line.findings) finding.memberId = line.facts.memberId;
    }
  }
  return lines;
}

/**
 * Stage 2's other half: what a claim, drug lines or not, gives the cross-claim groups beside its
 * drug lines (an administration another claim's drug needs). Markers are never reported on or
 * written out, and hold no member id (rules/engine.ts markerFacts). A void withdraws its claim: none.
 */
export function claimMarks(claim: Claim, options: Pick<StageOptions, 'reference' | 'memberSalt'>): GroupMark[] {
  if (claim.frequencyCode === '8') return [];
  return markClaim(claim, options.reference, options.memberSalt);
}

/** A cross-claim group's identity: its rule and the key the rule grouped by. */
export const groupId = (ruleId: string, key: string) => `${ruleId}\u0000${key}`;

/**
 * Stage 3, for one group: its members in input order, each with its position (any number that
 * follows input order, the same the lineage was noted with). Lineage first: a member whose
 * claim a later claim superseded takes no part. Results name the member by its index.
 */
export function crossClaimStage(ruleId: string, members: ReadonlyArray<{ facts: LineFacts; position: number }>, lineage: Lineage, reference: Reference): GroupResult[] {
  const kept = lineage.size === 0 ? members.map((_, i) => i) : members.flatMap((m, i) => (lineage.superseded(lineageKey(m.facts), m.position) ? [] : [i]));
  // Markers alone (administrations no drug line of the group needs): nothing to check.
  if (kept.every((i) => members[i]!.facts.marker !== undefined)) return [];
  return checkGroup(ruleId, kept.map((i) => members[i]!.facts), reference).map((result) => ({ ...result, index: kept[result.index]! }));
}

/**
 * Stage 4, for one line's findings: member ids masked as --phi says (already so for the claim
 * stage's findings; this holds for every finding, cross-claim ones included) and each finding a
 * suppression entry matches marked with it. Returns new findings where anything changed, the
 * same ones where nothing did; never writes to those it is given.
 */
export class Triage {
  private readonly suppressor: Suppressor | null;

  constructor(
    private readonly phi: PhiMode,
    suppressions: Suppressions | null,
  ) {
    this.suppressor = suppressions && suppressions.entries.length > 0 ? new Suppressor(suppressions.entries) : null;
  }

  line(findings: readonly Finding[]): readonly Finding[] {
    // The common case changes nothing (member ids masked by the claim stage, no suppressions): the same array back, nothing allocated.
    let out: Finding[] | null = null;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      const memberId = maskMemberId(f.memberId, this.phi);
      const entry = this.suppressor?.match(f) ?? null;
      if (memberId === f.memberId && entry === null) {
        out?.push(f);
        continue;
      }
      out ??= findings.slice(0, i);
      out.push({ ...f, memberId, ...(entry ? { suppression: { entry: entry.key, reason: entry.reason, owner: entry.owner, expires: entry.expires } } : {}) });
    }
    return out ?? findings;
  }
}

/** A file's result, as the audit reports it. */
export interface FileResult {
  stats: FileIngestStats;
  /** Drug lines audited in the file. */
  drugLines: number;
  /** Their records: only when the audit keeps them (tests; runs without an output folder). */
  lines: LineRecord[];
}
