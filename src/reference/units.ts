// Reads the HCPCS billing unit out of descriptor text: "per 25 mg", "0.1 mg of iron",
// "10 mg", "per therapeutic dose", "per 5 ml", "1 unit", "100 units", "1 million units".

export interface ParsedUnit {
  amount: number;
  unit: string;
  /** The words the unit was read from. */
  text: string;
}

const UNIT_WORDS: Array<[RegExp, string]> = [
  [/^(mg|milligrams?)$/, 'mg'],
  [/^(mcg|micrograms?|µg)$/, 'mcg'],
  [/^(g|gm|grams?)$/, 'g'],
  [/^(ml|cc|milliliters?)$/, 'mL'],
  [/^(l|liters?)$/, 'L'],
  [/^(i\.?u\.?|international units?)$/, 'IU'],
  [/^units?$/, 'units'],
  [/^(meq|milliequivalents?)$/, 'mEq'],
  [/^mmol$/, 'mmol'],
  [/^(mci|millicuries?)$/, 'mCi'],
  [/^(uci|microcuries?)$/, 'uCi'],
  [/^(million units|mu)$/, 'million units'],
  [/^billion units$/, 'billion units'],
  [/^(vials?)$/, 'vial'],
  [/^(doses?)$/, 'dose'],
];

const AMOUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)`;
const WORD = String.raw`(million units|billion units|international units?|micrograms?|milligrams?|milliliters?|milliequivalents?|millicuries?|microcuries?|grams?|units?|i\.?u\.?|mcg|µg|mg|gm|g|ml|cc|meq|mmol|mci|uci|vials?|doses?)`;
/** "<amount> <unit>" optionally followed by "of iron" / "iron" / "of <substance>" naming what is measured. */
const AMOUNT_UNIT = new RegExp(String.raw`(?:^|[\s,(/])(?:per\s+|up to\s+)?${AMOUNT}\s*${WORD}(?:\s+(of\s+iron|iron|elemental\s+iron))?(?=$|[\s,;.)/])`, 'gi');
const PER_DOSE = /\bper\s+(therapeutic\s+dose|treatment|dose|vial|instillation|study\s+dose)\b/gi;

function unitName(word: string): string | null {
  const lower = word.toLowerCase();
  for (const [pattern, name] of UNIT_WORDS) if (pattern.test(lower)) return name;
  return null;
}

/** The last amount-and-unit outside parentheses, or "per <dose word>"; null when none. */
export function parseBillingUnit(descriptor: string): ParsedUnit | null {
  const text = descriptor.replace(/\([^()]*\)/g, ' ');
  let best: { index: number; unit: ParsedUnit } | null = null;
  for (const match of text.matchAll(AMOUNT_UNIT)) {
    const [whole, amountText, word, measured] = match as unknown as [string, string, string, string | undefined];
    const name = unitName(word);
    const amount = Number(amountText.replace(/,/g, ''));
    if (name === null || !(amount > 0)) continue;
    const unit = measured ? `${name} of iron` : name;
    best = { index: match.index, unit: { amount, unit, text: whole.replace(/^[\s,(/]/, '').trim() } };
  }
  for (const match of text.matchAll(PER_DOSE)) {
    if (best === null || match.index > best.index) {
      const kind = match[1]!.toLowerCase().replace(/\s+/g, ' ');
      best = { index: match.index, unit: { amount: 1, unit: kind, text: match[0] } };
    }
  }
  return best?.unit ?? null;
}

/** Dosage words of the ASP file that the descriptor reader does not know. */
const DOSAGE_WORDS: Array<[RegExp, string]> = [
  [/^sq\.? ?cm$/i, 'sq cm'],
  [/^(ea|each)$/i, 'each'],
  [/^usp units?$/i, 'USP units'],
  [/^microcuries?$/i, 'uCi'],
];

/**
 * The ASP file's "HCPCS Code Dosage" as a billing unit: "1 MG", "0.1 MG", "500 MG", "1 SQ CM",
 * "PER THERAPEUTIC DOSE", "up to 40 Units". Null for a combination ("2MG/3MG", "3 MG & 3 MG")
 * or a band ("Greater than 100 MG"), which no arithmetic can use.
 */
export function parseDosage(dosage: string): ParsedUnit | null {
  const text = dosage.replace(/\u00a0/g, ' ').trim();
  if (/(than|&|\/|\d\s*-\s*\d|-\s*\d+\s*MG)/i.test(text)) return null;
  const simple = /^(?:per\s+|up to\s+)?(\d{1,3}(?:,\d{3})+|\d*\.?\d+)\s*([A-Za-z][A-Za-z. ]*?)$/i.exec(text);
  if (simple) {
    const amount = Number(simple[1]!.replace(/,/g, ''));
    const word = simple[2]!.trim();
    const extra = DOSAGE_WORDS.find(([pattern]) => pattern.test(word))?.[1];
    const known = extra ?? unitName(word);
    if (known !== null && amount > 0) return { amount, unit: known, text };
  }
  return parseBillingUnit(text);
}
