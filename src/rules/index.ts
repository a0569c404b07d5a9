// The rule registry: every rule of the catalogue, sorted by id. `claim-audit rules`, the
// README's table, the docs check and the engine all read the rules' own metadata.
import { rule as chargeBelowExpectedPayment } from './charges/charge-below-expected-payment.js';
import { rule as chargeNotPositive } from './charges/charge-not-positive.js';
import { rule as codeNotEffective } from './coding/code-not-effective.js';
import { rule as nocCodeWithSpecificCode } from './coding/noc-code-with-specific-code.js';
import { rule as drugBilledAtFacilityPos } from './coverage/drug-billed-at-facility-pos.js';
import { rule as drugWithoutAdministration } from './coverage/drug-without-administration.js';
import { rule as diagnosisNotCovered } from './coverage/diagnosis-not-covered.js';
import { rule as diagnosisPointerInvalid } from './coverage/diagnosis-pointer-invalid.js';
import { rule as packagedDrugOutpatient } from './coverage/packaged-drug-outpatient.js';
import { rule as selfAdministeredDrug } from './coverage/self-administered-drug.js';
import { rule as priorAuthMissing } from './authorization/prior-auth-missing.js';
import { rule as duplicateLine } from './duplicates/duplicate-line.js';
import { rule as frequencyLimitExceeded } from './duplicates/frequency-limit-exceeded.js';
import { rule as jwJzConflict } from './modifiers/jw-jz-conflict.js';
import { rule as jwJzMissing } from './modifiers/jw-jz-missing.js';
import { rule as jwJzOnMultiDose } from './modifiers/jw-jz-on-multi-dose.js';
import { rule as jwWasteExceedsPackage } from './modifiers/jw-waste-exceeds-package.js';
import { rule as jwWithoutAdministeredLine } from './modifiers/jw-without-administered-line.js';
import { rule as tbModifierMissing } from './modifiers/tb-modifier-missing.js';
import { rule as modifierNotValidForDrug } from './modifiers/modifier-not-valid-for-drug.js';
import { rule as modifierUnknown } from './modifiers/modifier-unknown.js';
import { rule as ndcInvalid } from './ndc/ndc-invalid.js';
import { rule as ndcMissing } from './ndc/ndc-missing.js';
import { rule as ndcNotForCode } from './ndc/ndc-not-for-code.js';
import { rule as ndcQuantityMissing } from './ndc/ndc-quantity-missing.js';
import { rule as unitsExceedMue } from './units/units-exceed-mue.js';
import { rule as unitsNotPositive } from './units/units-not-positive.js';
import { rule as unitsNotWhole } from './units/units-not-whole.js';
import { rule as unitsVsNdcQuantity } from './units/units-vs-ndc-quantity.js';
import type { ClaimRule, CrossClaimRule, LineRule, NotCheckedReasonDecl, Rule, RuleMeta } from './types.js';
import { compareText } from '../model/order.js';

export const RULES: readonly Rule[] = [
  chargeBelowExpectedPayment,
  chargeNotPositive,
  codeNotEffective,
  diagnosisNotCovered,
  diagnosisPointerInvalid,
  drugBilledAtFacilityPos,
  drugWithoutAdministration,
  duplicateLine,
  frequencyLimitExceeded,
  jwJzConflict,
  jwJzMissing,
  jwJzOnMultiDose,
  jwWasteExceedsPackage,
  jwWithoutAdministeredLine,
  modifierNotValidForDrug,
  modifierUnknown,
  ndcInvalid,
  ndcMissing,
  ndcNotForCode,
  ndcQuantityMissing,
  nocCodeWithSpecificCode,
  packagedDrugOutpatient,
  priorAuthMissing,
  selfAdministeredDrug,
  tbModifierMissing,
  unitsExceedMue,
  unitsNotPositive,
  unitsNotWhole,
  unitsVsNdcQuantity,
].sort((a, b) => compareText(a.meta.id, b.meta.id));

export const LINE_RULES = RULES.filter((r): r is LineRule => r.meta.scope === 'line');
export const CLAIM_RULES = RULES.filter((r): r is ClaimRule => r.meta.scope === 'claim');
export const CROSS_CLAIM_RULES = RULES.filter((r): r is CrossClaimRule => r.meta.scope === 'cross-claim');

/**
 * The engine's own rule: a rule that throws, or reports what its metadata does not declare,
 * becomes a finding of this id on the line, and the run goes on.
 */
/** The engine's own reasons not to check a line, for every rule (a rule declares its own in meta.notChecked). */
export const ENGINE_REASONS: Readonly<Record<string, NotCheckedReasonDecl>> = {
  'rule-failed': { message: 'the rule failed (see the rule-crashed finding)', loadable: false },
  'input-unavailable': { message: '{why}', fact: 'input', loadable: false, summary: 'the input format does not carry a field the rule needs' },
};

export const RULE_CRASHED: RuleMeta = {
  id: 'rule-crashed',
  title: 'A rule failed on this line',
  category: 'engine',
  severity: 'warning',
  denial: { group: null, carc: null, rarc: null, verified: true },
  appliesTo: ['*'],
  scope: 'line',
  owner: 'front-end',
  dollarCategory: 'denial',
  messages: { crashed: 'rule {rule} failed on this line: {error}' },
  remediations: { report: "report this to the claim-audit maintainers with the line; the rule's check was not made" },
};

/** A rule's declared not-checked reason, or the engine's; undefined when neither declares it. */
export const reasonOf = (meta: Pick<RuleMeta, 'notChecked'>, key: string): NotCheckedReasonDecl | undefined => meta.notChecked?.[key] ?? ENGINE_REASONS[key];

const META = new Map(RULES.map((r) => [r.meta.id, r.meta]));

/** The same, by rule id (what a not-checked entry names), for the counts. */
export const declaredReason = (ruleId: string, key: string): NotCheckedReasonDecl | undefined => reasonOf(META.get(ruleId) ?? {}, key);
