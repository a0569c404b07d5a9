// Protected health information in outputs: member ids masked to their last 4 characters by
// default; segments that carry names, addresses or birth dates never shown whole.
export type PhiMode = 'masked' | 'full';

export function maskMemberId(value: string | null, mode: PhiMode): string | null {
  if (value === null || mode === 'full') return value;
  const trimmed = value.trim();
  return trimmed.length <= 4 ? '****' : `****${trimmed.slice(-4)}`;
}

/** X12 segments whose elements are names, addresses, contacts or demographics. */
const PHI_SEGMENT = /^(NM1|N3|N4|DMG|PER|PAT|REF\W(?:SY|1W|EA|IG))(\W)/;

/** For issue snippets: keeps the segment id, redacts the rest of a PHI-bearing segment. */
export function redactSegmentSnippet(value: string | undefined, mode: PhiMode): string | undefined {
  if (value === undefined || mode === 'full') return value;
  const match = PHI_SEGMENT.exec(value);
  return match ? `${match[1]}${match[2]}[redacted: --phi full shows it]` : value;
}
