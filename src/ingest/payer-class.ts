// Payer classes from what claims say of the payer: the 837's SBR09 claim filing indicator, or
// the words exports use for it.
import type { PayerClass } from '../model/index.js';

/** SBR09 claim filing indicator → payer class (DOMAIN.md §5). */
export function payerClassFromFilingIndicator(code: string | null | undefined): PayerClass {
  switch ((code ?? '').trim().toUpperCase()) {
    case 'MA':
    case 'MB':
      return 'medicare';
    case '16':
      return 'medicare-advantage';
    case 'MC':
      return 'medicaid';
    case 'CI':
    case 'BL':
    case 'HM':
    case '12':
    case '13':
    case '14':
    case '15':
    case '17':
      return 'commercial';
    case '':
    case 'ZZ':
      return 'unknown';
    default:
      // CH (TRICARE), VA, WC, OF, TV, AM, LM, DS, 09, 10, 11 …
      return 'other';
  }
}

/** Payer class words of exports ("Medicare Part B", "MA", "Managed Medicaid"…); null when unknown. */
export function payerClassFromText(value: string | null | undefined): PayerClass | null {
  const text = (value ?? '').trim().toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  if (text === '') return null;
  if (/^(medicare advantage|medicare part c|part c|mapd|ma plan|medicare hmo|medicare ppo)\b/.test(text)) return 'medicare-advantage';
  if (/^(medicare|part a|part b|mcr|traditional medicare|original medicare)\b/.test(text)) return 'medicare';
  if (/^(medicaid|managed medicaid|mcd|chip)\b/.test(text)) return 'medicaid';
  if (/^(commercial|private|bcbs|blue cross|hmo|ppo|epo|pos|group|employer|exchange)\b/.test(text)) return 'commercial';
  if (/^(other|self pay|selfpay|workers comp|tricare|va|champva)\b/.test(text)) return 'other';
  if (text === 'unknown') return 'unknown';
  // A two-character SBR09 code in the class column, read as the 837 reads it: MA is Medicare
  // Part A there, not Medicare Advantage (that is 16).
  if (/^[a-z0-9]{2}$/.test(text)) {
    const fromCode = payerClassFromFilingIndicator(text);
    return fromCode === 'unknown' ? null : fromCode;
  }
  return null;
}
