import { notChecked, type LineRule } from '../types.js';
import { unitsTheNdcShows } from '../units/units-vs-ndc-quantity.js';

export const rule: LineRule = {
  meta: {
    id: 'charge-below-expected-payment',
    title: 'Charge below the expected payment (revenue lost)',
    category: 'charges',
    severity: 'warning',
    denial: { group: null, carc: null, rarc: null, verified: true },
    // The pack's rates are Medicare's (ASP limits, OPPS): other payers' fee schedules differ, so
    // only a profile that says a payer class pays them turns the rule on for it.
    appliesTo: ['medicare'],
    scope: 'line',
    // Only where payment is the lesser of the charge and the fee: the professional claim, paid
    // 80% of the lesser of the charge or the ASP amount (SSA 1833(a)(1)(S)). OPPS pays the APC
    // rate whatever the charge (SSA 1833(t)); CAH, inpatient, RHC, FQHC and ESRD are paid otherwise.
    settings: ['professional'],
    owner: 'charge-master',
    dollarCategory: 'underbilling',
    needs: ['charge'],
    messages: {
      below: 'charge {charge} is below {units:unit} × {rate} = {expected} ({quarter} {basisName}): the payer pays the lesser, so {shortfall} is lost',
      belowDose: 'charge {charge} is below {units:unit} × {rate} = {expected} ({quarter} {basisName}) for the {units:unit} the NDC quantity shows ({billed} billed): the payer pays the lesser, so {shortfall} is lost',
    },
    remediations: { raise: 'raise the chargemaster price of {code} to at least {rate} per unit' },
    notChecked: {
      noAspRate: { message: 'no ASP payment limit for {code} on or before the service date', fact: 'price', loadable: false },
      noOppsRow: { message: 'no OPPS Addendum B row for {code} on or before the service date', fact: 'price', loadable: false },
      noOppsRate: { message: 'no OPPS payment rate for {code} in {quarter} (status {status})', fact: 'price', loadable: false, summary: 'no OPPS payment rate for the code in the quarter (its status indicator)' },
    },
  },
  check(subject) {
    const { claim, line, payment } = subject;
    if (line.units === null || line.units <= 0 || line.charge === null || line.charge <= 0) return [];
    if (!payment) return notChecked(claim.claimType === 'professional' ? 'noAspRate' : 'noOppsRow', { code: line.hcpcs ?? 'the code' });
    const rate = payment.paymentPerUnit;
    if (rate === null) return notChecked('noOppsRate', { code: line.hcpcs, quarter: payment.quarter, status: payment.statusIndicator });
    // Judged on the units that should have been billed: where the NDC quantity shows other units
    // (units-vs-ndc-quantity), the charge is compared with their payment, not the wrong units'.
    const dose = unitsTheNdcShows(subject);
    const units = dose ?? line.units;
    const expected = Math.round(units * rate * 100) / 100;
    if (line.charge >= expected - 0.005) return [];
    const shortfall = Math.round((expected - line.charge) * 100) / 100;
    return [
      {
        messageKey: dose === null ? 'below' : 'belowDose',
        data: { charge: line.charge.toFixed(2), units, billed: line.units, rate: rate.toFixed(3), expected: expected.toFixed(2), quarter: payment.quarter, basisName: payment.basis === 'asp' ? 'ASP payment limit' : 'OPPS rate', shortfall: shortfall.toFixed(2) },
        remediationKey: 'raise',
        remediationData: { code: line.hcpcs, rate: rate.toFixed(3) },
        dollars: { amount: shortfall, basis: 'expected-payment' },
        confidence: payment.exact ? 'high' : 'medium',
        evidence: { charge: line.charge, units, billedUnits: line.units, unitsBy: dose === null ? 'billed' : 'ndc-quantity', rate, basis: payment.basis, quarter: payment.quarter, exactQuarter: payment.exact },
      },
    ];
  },
};
