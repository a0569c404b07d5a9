// NDC normalisation to the 11-digit 5-4-2 form billed on claims (DOMAIN.md §4).

export type NdcNormalisation =
  | { ok: true; ndc: string; padded: boolean }
  | { ok: false; reason: 'empty' | 'non-digits' | 'ambiguous-10-digit' | 'wrong-length' | 'all-zeros' };

const SEGMENTED = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/;

/**
 * 11 digits (with or without 5-4-2 dashes) pass through. A dashed 10-digit label is padded by
 * its short segment: 4-4-2 → 0 before the labeler; 5-3-2 → 0 before the product; 5-4-1 → 0
 * before the package. Ten digits without dashes cannot be padded without guessing.
 */
export function normaliseNdc(value: string | null | undefined): NdcNormalisation {
  const text = (value ?? '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const parts = SEGMENTED.exec(text);
  let digits: string;
  let padded = false;
  if (parts) {
    const [, labeler, product, pkg] = parts as unknown as [string, string, string, string];
    const total = labeler.length + product.length + pkg.length;
    if (total === 11 && labeler.length === 5 && product.length === 4) digits = labeler + product + pkg;
    else if (total === 10) {
      digits = labeler.padStart(5, '0') + product.padStart(4, '0') + pkg.padStart(2, '0');
      padded = true;
    } else return { ok: false, reason: 'wrong-length' };
  } else {
    if (!/^\d+$/.test(text)) return { ok: false, reason: 'non-digits' };
    if (text.length === 10) return { ok: false, reason: 'ambiguous-10-digit' };
    if (text.length !== 11) return { ok: false, reason: 'wrong-length' };
    digits = text;
  }
  if (/^0+$/.test(digits)) return { ok: false, reason: 'all-zeros' };
  return { ok: true, ndc: digits, padded };
}
