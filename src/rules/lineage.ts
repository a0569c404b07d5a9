// Claim lineage (DOMAIN.md, section 10), applied before any cross-claim rule: a replacement
// (CLM05-3 = 7) supersedes the claim it replaces and a void (8) withdraws it, so the lines of a
// superseded claim take part in no cross-claim group (its units are not added to its
// replacement's, its lines are not duplicates of it). A replacement or void names its original
// by REF*F8 (the original's claim number; a payer's control number can match only a claim
// that carries it) or by carrying the same CLM01; only claims of the same billing provider, and
// earlier in the input, are superseded.
import type { Claim, LineFacts } from '../model/index.js';

type ClaimLineage = Pick<Claim, 'billingProviderNpi' | 'claimId' | 'frequencyCode' | 'originalClaimRef'>;

/** A claim of one billing provider, as lineage knows it. */
export const lineageKey = (line: Pick<LineFacts, 'billingNpi' | 'claimId'>) => `${line.billingNpi ?? ''}\u0000${line.claimId}`;

/** The claims a claim supersedes (none unless it is a replacement or a void). */
export function supersedes(claim: ClaimLineage): string[] {
  if (claim.frequencyCode !== '7' && claim.frequencyCode !== '8') return [];
  const billingNpi = claim.billingProviderNpi;
  const keys = [lineageKey({ billingNpi, claimId: claim.claimId })];
  if (claim.originalClaimRef !== null && claim.originalClaimRef !== claim.claimId) keys.push(lineageKey({ billingNpi, claimId: claim.originalClaimRef }));
  return keys;
}

/**
 * Which claims of a run are superseded: each superseded claim's key with the position (in input
 * order) of the last claim that supersedes it, a claim's position being that of its first drug
 * line (or where it would be). A line is superseded when a claim that starts after it
 * supersedes its claim; a replacement with its original's CLM01 does not supersede itself.
 * Positions are the executor's own: they only need to follow input order.
 */
/** How a claim was superseded: by a replacement (7) or withdrawn by a void (8). */
export type Supersession = 'replaced' | 'voided';

/** A superseded claim's key, the position of the last claim superseding it, how, and that claim's key. */
export type LineageEntry = [key: string, position: number, how: Supersession, by: string];

export class Lineage {
  private readonly latest = new Map<string, { position: number; how: Supersession; by: string }>();

  /** A claim, at the position of its first drug line: what it supersedes is noted. */
  add(claim: ClaimLineage, position: number): void {
    const keys = supersedes(claim);
    // Most claims are originals: nothing to note, nothing made.
    if (keys.length === 0) return;
    const how: Supersession = claim.frequencyCode === '8' ? 'voided' : 'replaced';
    const by = lineageKey({ billingNpi: claim.billingProviderNpi, claimId: claim.claimId });
    for (const key of keys) this.note(key, position, how, by);
  }

  private note(key: string, position: number, how: Supersession, by: string): void {
    if ((this.latest.get(key)?.position ?? -1) < position) this.latest.set(key, { position, how, by });
  }

  /** Another part's entries (positions comparable with this one's). */
  absorb(entries: Iterable<LineageEntry>): void {
    for (const [key, position, how, by] of entries) this.note(key, position, how, by);
  }

  entries(): LineageEntry[] {
    return [...this.latest].map(([key, { position, how, by }]) => [key, position, how, by]);
  }

  get size(): number {
    return this.latest.size;
  }

  /** Whether the line, at its position, belongs to a claim a later claim supersedes. */
  superseded(key: string, position: number): boolean {
    return (this.latest.get(key)?.position ?? -1) > position;
  }
}
