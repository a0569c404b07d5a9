import { billingUnitOn } from '../../reference/pack.js';
import type { DrugLine, LineRule } from '../types.js';
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

export const rule: LineRule = {
  meta: {
    id: 'units-vs-ndc-quantity',
    title: 'Units disagree with the NDC quantity',
    category: 'units',
    severity: 'warning',
    denial: DENIALS.units,
    appliesTo: ['*'],
    scope: 'line',
    needs: ['units', 'ndc'],
    messages: {
      differs: '{units:unit} billed, but the NDC quantity {quantity} {ctpUnit} is {expected:unit} of {billingUnit}',
      equalsNdcQuantity: 'units ({units}) equal the NDC quantity in {ctpUnit}, but {code} is billed per {billingUnit}',
    },
    remediations: {
      bill: 'bill {expected:unit} ({quantity} {ctpUnitName} ÷ {billingUnit}, rounded up)',
      convert: 'convert the dose to units of {billingUnit} (dose ÷ {billingUnit}, rounded up), not {ctpUnitName}',
    },
  },
  check(subject: DrugLine) {
    const { line, code } = subject;
    const drug = line.drug;
    if (!drug || drug.quantity === null || drug.quantity <= 0 || !drug.unit || line.units === null || line.units <= 0) return [];
    const unitOn = code ? billingUnitOn(code, subject.date) : null;
    if (!unitOn) return notChecked(`billing unit of ${line.hcpcs ?? 'the code'} unknown`);
    const { amount, unit } = unitOn;
    const billingUnit = `${amount} ${unit}`;
    const converted = ndcQuantityInBillingUnit(drug.quantity, drug.unit, unit);
    const evidence = { units: line.units, ndcQuantity: drug.quantity, ndcUnit: drug.unit, billingUnit };
    const ctpUnitName = CTP_UNIT_NAMES[drug.unit] ?? drug.unit;
    if (converted !== null) {
      const expected = Math.max(1, Math.ceil(converted / amount - 1e-9));
      if (expected === line.units) return [];
      // What rides on the line is the payment for the units that should have been billed.
      const rate = subject.payment?.paymentPerUnit ?? null;
      const correctPayment = rate === null ? null : Math.round(Math.min(line.charge !== null && line.charge > 0 ? line.charge : Infinity, expected * rate) * 100) / 100;
      return [{ ...(correctPayment === null ? {} : { dollars: { amount: correctPayment, basis: 'expected-payment' as const } }), messageKey: 'differs', data: { units: line.units, quantity: drug.quantity, ctpUnit: drug.unit, expected, billingUnit }, remediationKey: 'bill', remediationData: { expected, quantity: drug.quantity, ctpUnitName, billingUnit }, evidence: { ...evidence, expectedUnits: expected } }];
    }
    // UN (each) can honestly equal the units; an invalid unit is ndc-quantity-missing's finding.
    if (line.units === drug.quantity && ['ME', 'GR', 'ML', 'F2'].includes(drug.unit)) {
      return [{ messageKey: 'equalsNdcQuantity', data: { units: line.units, ctpUnit: drug.unit, code: line.hcpcs, billingUnit }, remediationKey: 'convert', remediationData: { billingUnit, ctpUnitName }, confidence: 'medium', evidence }];
    }
    return [];
  },
};
