// Tonight's findings against the open worklist of the run they are compared with (SARIF's
// baselineState, by fingerprint):
//   new        not open before
//   unchanged  open before, the same units, dollars and message
//   updated    open before (same fingerprint), something of it changed
// and for the open findings of earlier runs that do not fire tonight:
//   resolved   their claim was audited again tonight (or replaced) and the finding is gone
//   voided     a void withdrew their claim
// Open findings of claims not in tonight's input stay open as they were: nightly files differ,
// and absence from tonight's input is not a fix. A replacement that names its original by
// another claim number carries the original's findings it repeats (same line key and rule)
// forward, with their firstSeen; the rest of the original's are resolved.
import { createHash } from 'node:crypto';
import type { Finding, FindingStatus } from '../model/index.js';
import { lineageKey, type LineageEntry } from '../rules/lineage.js';
import type { EndedEntry, OpenEntry } from './store.js';

export const FINDING_STATUSES = ['new', 'unchanged', 'updated'] as const;
export const ENDED_STATUSES = ['resolved', 'voided'] as const;
export type Status = FindingStatus | (typeof ENDED_STATUSES)[number];

/** What may change while a finding stays the same one: updated when it does. */
export function contentOf(f: Pick<Finding, 'units' | 'dollarsAtRisk' | 'dollarCategory' | 'message' | 'severity'>): string {
  return createHash('sha256')
    .update(JSON.stringify([f.units, f.dollarsAtRisk, f.dollarCategory, f.message, f.severity]))
    .digest('hex')
    .slice(0, 16);
}

export const claimKeyOf = (f: Pick<Finding, 'billingNpi' | 'claimId'>) => lineageKey(f);

export function openEntry(f: Finding, firstSeen: OpenEntry['firstSeen'], lastSeen: OpenEntry['lastSeen']): OpenEntry {
  return {
    id: f.id,
    claimKey: claimKeyOf(f),
    lineKey: f.lineKey,
    ruleId: f.ruleId,
    claimId: f.claimId,
    lineNumber: f.lineNumber,
    billingNpi: f.billingNpi,
    payerClass: f.payerClass,
    payerName: f.payerName,
    code: f.code,
    serviceDate: f.serviceDate,
    severity: f.severity,
    owner: f.owner,
    message: f.message,
    dollarsAtRisk: f.dollarsAtRisk,
    dollarCategory: f.dollarCategory,
    content: contentOf(f),
    firstSeen,
    lastSeen,
    sourceFile: f.sourceRef.file,
    line: {
      modifiers: f.modifiers,
      units: f.units,
      ndc: f.ndc,
      billedCharge: f.billedCharge,
      expectedPayment: f.expectedPayment,
      dollarBasis: f.dollarBasis,
      denial: f.denial,
      billingName: f.billingName,
      memberId: f.memberId,
      setting: f.setting,
      remediation: f.remediation,
      sourceRef: f.sourceRef,
    },
  };
}

export interface StatusTotals {
  findings: number;
  /** Dollars in cents, summed per finding. */
  cents: number;
}

export class StatusTracker {
  /** Base entries by claim, for resolution and for a replacement's carry-forward. */
  private readonly byClaim = new Map<string, OpenEntry[]>();
  /** Base entries matched tonight (directly or carried by a replacement). */
  private readonly matched = new Set<string>();
  /** Claims superseded tonight: how, and by which claim. */
  private readonly superseded = new Map<string, { how: 'replaced' | 'voided'; by: string }>();
  /** For each claim that supersedes others tonight, the claims it supersedes. */
  private readonly supersedes = new Map<string, string[]>();
  /** Tonight's open findings (ids already seen: the same claim twice in one run is one finding). */
  private readonly tonight = new Map<string, OpenEntry>();
  readonly counts = new Map<Status, StatusTotals>();

  constructor(
    private readonly base: ReadonlyMap<string, OpenEntry>,
    private readonly run: { id: string; date: string },
    lineage: readonly LineageEntry[],
  ) {
    for (const entry of base.values()) {
      const list = this.byClaim.get(entry.claimKey);
      if (list) list.push(entry);
      else this.byClaim.set(entry.claimKey, [entry]);
    }
    for (const [key, , how, by] of lineage) {
      // A replacement carrying its own claim number stands for itself: its findings match directly.
      this.superseded.set(key, { how, by });
      if (key !== by) this.supersedes.set(by, [...(this.supersedes.get(by) ?? []), key]);
    }
  }

  /** One finding of a status, and the dollars it carries: its line's, once a line (see lineDollarsOnce). */
  private count(status: Status, dollars: number): void {
    const totals = this.counts.get(status) ?? { findings: 0, cents: 0 };
    totals.findings++;
    totals.cents += Math.round(dollars * 100);
    this.counts.set(status, totals);
  }

  /** Tonight's finding (not suppressed), returned with its status and firstSeen (a new value). */
  classify(f: Finding): Finding {
    let before = this.base.get(f.id);
    if (!before) {
      // A replacement under another claim number repeats a finding of the claim it replaces.
      for (const original of this.supersedes.get(claimKeyOf(f)) ?? []) {
        before = this.byClaim.get(original)?.find((e) => e.lineKey === f.lineKey && e.ruleId === f.ruleId && !this.matched.has(e.id));
        if (before) break;
      }
    }
    const content = contentOf(f);
    let status: FindingStatus;
    let firstSeen: NonNullable<Finding['firstSeen']>;
    if (before) {
      this.matched.add(before.id);
      status = before.content === content ? 'unchanged' : 'updated';
      firstSeen = before.firstSeen;
    } else {
      status = 'new';
      firstSeen = { run: this.run.id, date: this.run.date };
    }
    const classified: Finding = { ...f, firstSeen, status };
    if (this.tonight.has(f.id)) return classified;
    // Dollars as the headline counts them: a line once, on its first-ranked finding (Finding.lineDollars).
    this.count(status, f.lineDollars ?? 0);
    this.tonight.set(f.id, openEntry(classified, firstSeen, { run: this.run.id, date: this.run.date }));
    return classified;
  }

  /** Tonight's finding that a suppression entry took out of the worklist: not ended, not open. */
  suppressed(f: Finding): void {
    if (this.base.has(f.id)) this.matched.add(f.id);
  }

  /**
   * After every finding: the earlier open findings that ended tonight (their claim audited again
   * or superseded, the finding gone), and the open worklist after tonight (tonight's findings,
   * then those carried from earlier runs, each in its run's order).
   */
  finish(auditedClaims: ReadonlySet<string>): { ended: EndedEntry[]; carried: OpenEntry[]; open: OpenEntry[] } {
    const ended: EndedEntry[] = [];
    const carried: OpenEntry[] = [];
    for (const entry of this.base.values()) {
      if (this.matched.has(entry.id) || this.tonight.has(entry.id)) continue;
      const superseded = this.superseded.get(entry.claimKey);
      if (superseded?.how === 'voided') ended.push({ ...entry, status: 'voided', endedIn: this.run.id });
      else if (superseded || auditedClaims.has(entry.claimKey)) ended.push({ ...entry, status: 'resolved', endedIn: this.run.id });
      else carried.push(entry);
    }
    const endedDollars = lineDollarsOnce(ended);
    ended.forEach((e, i) => this.count(e.status, endedDollars[i]!));
    return { ended, carried, open: [...this.tonight.values(), ...carried] };
  }

  /** The base's open findings. */
  baseEntries(): Iterable<OpenEntry> {
    return this.base.values();
  }

  /** Claim keys of the base's claims: the only audited claims the resolution needs to know of. */
  baseClaims(): ReadonlySet<string> {
    return new Set(this.byClaim.keys());
  }
}

/**
 * The dollars each of these findings carries when each line counts once, at its largest amount
 * (as the headline counts tonight's): the line's largest finding carries it, the others 0.
 */
export function lineDollarsOnce(entries: ReadonlyArray<Pick<OpenEntry, 'claimKey' | 'lineKey' | 'dollarsAtRisk'>>): number[] {
  const best = new Map<string, number>();
  entries.forEach((e, i) => {
    const line = `${e.claimKey}\u0000${e.lineKey}`;
    const at = best.get(line);
    if (at === undefined || e.dollarsAtRisk > entries[at]!.dollarsAtRisk) best.set(line, i);
  });
  const top = new Set(best.values());
  return entries.map((e, i) => (top.has(i) ? e.dollarsAtRisk : 0));
}
