import { billingUnitOn, codeListingsEver, codeListingsOn, ndcOn } from '../../reference/pack.js';
import type { DrugLine, LineRule, Report } from '../types.js';
import { notChecked } from '../types.js';
import { DENIALS } from '../util.js';

/** NDC quantity (CTP04, CTP05) in the billing unit's own measure, where the two share a dimension. */
export function ndcQuantityInBillingUnit(quantity: number, ctpUnit: string, billingUnit: string): number | null {
  const unit = billingUnit.toLowerCase();
  const mass = unit === 'mg' || unit === 'mg of iron' ? 1 : unit === 'mcg' ? 1000 : unit === 'g' ? 0.001 : null;
  if (mass !== null && ctpUnit === 'ME') return quantity * mass;
  if (mass !== null && ctpUnit === 'GR') return quantity * 1000 * mass;
  if (unit === 'ml' && ctpUnit === 'ML') return quantity;
  if ((unit === 'units' || unit === 'iu') && ctpUnit === 'F2') return quantity;
  return null;
}

const CTP_UNIT_NAMES: Record<string, string> = { ME: 'mg', GR: 'g', ML: 'mL', F2: 'IU', UN: 'each' };

/**
 * The NDC quantity in billing units by the CMS crosswalk's package figures for the line's NDC and
 * code: CTP UN counts items (BILLUNITS each), CTP ML measures them (PKG SIZE mL an item). Null
 * when the crosswalk has no figures for it.
 */
function byCrosswalk(subject: DrugLine, quantity: number, ctpUnit: string): { units: number; perItem: number; itemSize: number | null } | null {
  const { line, ndc, date, reference } = subject;
  if (!ndc || !date || !line.hcpcs) return null;
  const found = ndcOn(reference.pack, ndc, line.hcpcs, date);
  const listing = found?.listings.find((l) => l.hcpcs === line.hcpcs) ?? (reference.pack.ndcs[ndc] ?? []).find((l) => l.hcpcs === line.hcpcs);
  const perItem = listing?.billingUnitsPerItem ?? null;
  if (!listing || perItem === null || perItem <= 0) return null;
  if (ctpUnit === 'UN') return { units: quantity * perItem, perItem, itemSize: null };
  if (ctpUnit === 'ML' && listing.packageSize !== null && listing.packageSize > 0) return { units: wholeItems(quantity / listing.packageSize) * perItem, perItem, itemSize: listing.packageSize };
  return null;
}

/**
 * Items of a package, counted from mL: within the crosswalk's rounding of a whole number of
 * items, that number (CMS lists Privigen's 100 mL vial as 110 mL for its 20 billing units: 100
 * mL is one vial, 20 units, not 100/110 of it); else the fraction, a partial vial's dose.
 */
export function wholeItems(items: number): number {
  const whole = Math.round(items);
  return whole >= 1 && Math.abs(items - whole) <= CROSSWALK_TOLERANCE * whole ? whole : items;
}

/**
 * How far the crosswalk's count may be off: CMS's package figures carry their own rounding (a
 * 100 mL Privigen vial is listed as 110 mL for 20 units), so billed units from the count less
 * 10% to the count plus 10%, each rounded up as a dose is, are no finding. The errors this rule
 * is for are whole multiples: units equal to the mL count, tenfold.
 */
export const CROSSWALK_TOLERANCE = 0.1;

/** Beyond the tolerance, by the package figures, only billed units off by this factor or more are reported. */
export const WHOLE_MULTIPLE = 2;

/** The billed units the crosswalk's count allows: [least, most]. */
export function crosswalkRange(count: number): [number, number] {
  const up = (n: number) => Math.max(1, Math.ceil(n - 1e-6));
  return [up(count * (1 - CROSSWALK_TOLERANCE)), up(count * (1 + CROSSWALK_TOLERANCE))];
}

/**
 * Whether billed units equal to an mL count can be right for the code on the date, by the CMS
 * crosswalk's listings of the code: `all` when every listed NDC with package figures holds one
 * billing unit per mL (glucagon J1611 at 1 mg/mL, methylprednisolone acetate J1030 at 40 mg/mL,
 * ketorolac J1885 at 15 mg/mL), `some` when some do, `none` when none do or none are listed.
 * A code the date's quarter does not list is judged by its listings of other quarters.
 */
export function oneUnitPerMl(subject: DrugLine): 'all' | 'some' | 'none' {
  const { line, date, reference } = subject;
  if (!line.hcpcs || !date) return 'none';
  const onDate = codeListingsOn(reference.pack, line.hcpcs, date)?.listings ?? [];
  const ratios = (onDate.length > 0 ? onDate : codeListingsEver(reference.pack, line.hcpcs))
    .filter((l) => l.packageSize !== null && l.packageSize > 0 && l.billingUnitsPerItem !== null && l.billingUnitsPerItem > 0)
    .map((l) => l.billingUnitsPerItem! / l.packageSize!);
  const ones = ratios.filter((r) => Math.abs(r - 1) <= CROSSWALK_TOLERANCE).length;
  return ones === 0 ? 'none' : ones === ratios.length ? 'all' : 'some';
}

/**
 * The money a unit error moves (DOMAIN.md section 11): units over the dose are paid for units
 * not given (overpayment: what the billed units are paid, capped at the charge, less what the
 * dose would be); units under it lose the missing units' payment (underbilling). Priced at the
 * line's rate. Without one, units over the dose are the billed charge's share for them (what was
 * asked for them); units under it are no amount: the charge of units not billed is not known,
 * and nothing says the payer would pay them (a code with no ASP limit and no OPPS rate).
 */
export function unitErrorDollars(billed: number, expected: number, rate: number | null, charge: number | null): Pick<Report, 'dollars' | 'dollarCategory'> {
  const round = (n: number) => Math.round(Math.max(0, n) * 100) / 100;
  const cap = charge !== null && charge > 0 ? charge : Infinity;
  const dollarCategory = billed > expected ? 'overpayment' : 'underbilling';
  if (rate === null) {
    if (billed < expected) return { dollarCategory, dollars: { amount: 0, basis: 'expected-payment' } };
    const perUnit = charge !== null && charge > 0 ? charge / billed : 0;
    return { dollarCategory, dollars: { amount: round(Math.abs(billed - expected) * perUnit), basis: 'billed-charge' } };
  }
  const amount = billed > expected ? Math.min(cap, billed * rate) - Math.min(cap, expected * rate) : (expected - billed) * rate;
  return { dollarCategory, dollars: { amount: round(amount), basis: 'expected-payment' } };
}

export const rule: LineRule = {
  meta: {
    id: 'units-vs-ndc-quantity',
    title: 'Units disagree with the NDC quantity',
    category: 'units',
    severity: 'warning',
    denial: DENIALS.units,
    appliesTo: ['*'],
    scope: 'line',
    owner: 'pharmacy',
    dollarCategory: 'underbilling',
    otherDollarCategories: ['overpayment'],
    needs: ['units', 'ndc'],
    messages: {
      differs: '{units:unit} billed, but the NDC quantity {quantity} {ctpUnit} is {expected:unit} of {billingUnit}',
      differsByPackage: '{units:unit} billed, but the NDC quantity {quantity} {ctpUnit} is about {expected:unit} of {billingUnit} by the CMS crosswalk ({perItem} units in an item{itemSize})',
      equalsNdcQuantity: 'units ({units}) equal the NDC quantity in {ctpUnit}, but {code} is billed per {billingUnit}',
    },
    remediations: {
      bill: 'bill {expected:unit} ({quantity} {ctpUnitName} ÷ {billingUnit}, rounded up)',
      billByPackage: 'bill the dose in units of {billingUnit}: about {expected:unit} for {quantity} {ctpUnitName} of this NDC',
      convert: 'convert the dose to units of {billingUnit} (dose ÷ {billingUnit}, rounded up), not {ctpUnitName}',
    },
    notChecked: {
      perMlAndOthers: { message: '{code} comes at one billing unit per mL and at other strengths; NDC {ndc} has no package figures in the CMS crosswalk', fact: 'ndc-crosswalk', loadable: true },
      noPackageFigures: { message: '{ctpUnitName} of NDC {ndc} cannot be counted in {billingUnit} (no package figures in the CMS crosswalk)', fact: 'ndc-crosswalk', loadable: true, summary: "the NDC's quantity cannot be counted in the code's billing units (no package figures in the CMS crosswalk)" },
      noBillingUnit: { message: 'billing unit of {code} unknown', fact: 'billing-unit', loadable: false },
    },
  },
  check(subject: DrugLine) {
    const { line, code } = subject;
    const drug = line.drug;
    if (!drug || drug.quantity === null || drug.quantity <= 0 || !drug.unit || line.units === null || line.units <= 0) return [];
    const unitOn = code ? billingUnitOn(code, subject.date) : null;
    const billingUnit = unitOn ? `${unitOn.amount} ${unitOn.unit}` : `the ${line.hcpcs ?? 'code'} billing unit`;
    const rate = subject.payment?.paymentPerUnit ?? null;
    const evidence: Record<string, string | number> = { units: line.units, ndcQuantity: drug.quantity, ndcUnit: drug.unit, billingUnit };
    if (rate === null) evidence['dollars'] = `no payment rate for ${line.hcpcs ?? 'the code'} in this setting on the date: units under the dose are not priced, units over it at the billed charge's share`;
    const ctpUnitName = CTP_UNIT_NAMES[drug.unit] ?? drug.unit;
    const equalsQuantity = line.units === drug.quantity && ['ME', 'GR', 'ML', 'F2'].includes(drug.unit);
    // What rides on the line is the payment for the units too many or too few, not the whole line.
    const billed = line.units;
    const dollarsFor = (expected: number) => unitErrorDollars(billed, expected, rate, line.charge);

    // Mass and international units convert by the billing unit itself; UN and mL need the package.
    const converted = unitOn ? ndcQuantityInBillingUnit(drug.quantity, drug.unit, unitOn.unit) : null;
    if (converted !== null && unitOn) {
      const expected = Math.max(1, Math.ceil(converted / unitOn.amount - 1e-9));
      if (expected === line.units) return [];
      return [{ ...dollarsFor(expected), messageKey: 'differs', data: { units: line.units, quantity: drug.quantity, ctpUnit: drug.unit, expected, billingUnit }, remediationKey: 'bill', remediationData: { expected, quantity: drug.quantity, ctpUnitName, billingUnit }, evidence: { ...evidence, expectedUnits: expected, basis: 'descriptor' } }];
    }
    // A JW line's NDC quantity is the vial the waste came from, shared with the administered line.
    const packaged = line.modifiers.includes('JW') ? null : byCrosswalk(subject, drug.quantity, drug.unit);
    if (packaged) {
      const expected = Math.max(1, Math.ceil(packaged.units - 1e-9));
      const [least, most] = crosswalkRange(packaged.units);
      if (line.units >= least && line.units <= most) return [];
      // A dose below the package (its waste on a JW line) is normal: only a whole multiple, or
      // units equal to the mL count, is an error the package figures can show.
      if (!equalsQuantity && line.units < most * WHOLE_MULTIPLE && line.units > least / WHOLE_MULTIPLE) return [];
      const crosswalkEvidence = { ...evidence, expectedUnits: expected, allowed: `${least}-${most}`, basis: 'crosswalk', billingUnitsPerItem: packaged.perItem, itemSize: packaged.itemSize };
      if (equalsQuantity) {
        return [{ ...dollarsFor(expected), messageKey: 'equalsNdcQuantity', data: { units: line.units, ctpUnit: drug.unit, code: line.hcpcs, billingUnit }, remediationKey: 'billByPackage', remediationData: { billingUnit, expected, quantity: drug.quantity, ctpUnitName }, evidence: crosswalkEvidence }];
      }
      const itemSize = packaged.itemSize === null ? '' : ` of ${packaged.itemSize} mL`;
      return [{ ...dollarsFor(expected), messageKey: 'differsByPackage', data: { units: line.units, quantity: drug.quantity, ctpUnit: drug.unit, expected, billingUnit, perItem: packaged.perItem, itemSize }, remediationKey: 'billByPackage', remediationData: { billingUnit, expected, quantity: drug.quantity, ctpUnitName }, evidence: crosswalkEvidence }];
    }
    // Neither the billing unit nor the crosswalk converts it: the whole-multiple error is still
    // plain, unless the code's NDCs come at one billing unit per mL, where units = mL is the dose.
    const perMl = drug.unit === 'ML' && equalsQuantity ? oneUnitPerMl(subject) : 'none';
    if (perMl === 'all') return [];
    if (perMl === 'some') return notChecked('perMlAndOthers', { code: line.hcpcs ?? 'the code', ndc: subject.ndc ?? drug.ndc });
    if (equalsQuantity && unitOn) {
      // The dose is not known, so neither are the units too many or too few: no amount is claimed.
      return [{ messageKey: 'equalsNdcQuantity', data: { units: line.units, ctpUnit: drug.unit, code: line.hcpcs, billingUnit }, remediationKey: 'convert', remediationData: { billingUnit, ctpUnitName }, confidence: 'medium', dollars: { amount: 0, basis: 'expected-payment' }, evidence: { ...evidence, dollars: 'the dose in billing units is unknown: no amount' } }];
    }
    if (drug.unit === 'UN' && line.units === drug.quantity) return [];
    // The waste line names the vial it came from: nothing of its own to count.
    if (line.modifiers.includes('JW')) return [];
    return unitOn ? notChecked('noPackageFigures', { ctpUnitName, ndc: subject.ndc ?? drug.ndc, billingUnit }) : notChecked('noBillingUnit', { code: line.hcpcs ?? 'the code' });
  },
};

/**
 * The units the line's NDC quantity shows, where this rule finds the billed units wrong: what
 * other rules judge the line's payment on (a charge compared with 100 erroneous units is not
 * below the payment for the 20 given). Null when the units agree or cannot be counted.
 */
export function unitsTheNdcShows(subject: DrugLine): number | null {
  const outcome = rule.check(subject);
  if (!Array.isArray(outcome)) return null;
  const expected = outcome[0]?.evidence?.['expectedUnits'];
  return typeof expected === 'number' && expected > 0 ? expected : null;
}
