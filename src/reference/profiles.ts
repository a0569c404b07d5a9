// Payer-class policies: which rules apply and at what severity, whether an NDC, JW/JZ or prior
// authorization is required. Defaults below; --profile FILE overrides them per payer class
// ('*' applies to every class first).
import { FileReadError, parseJsonText, readBoundedText } from '../model/files.js';
import { z } from 'zod';
import { PayerClass } from '../model/index.js';
import { PRIOR_AUTH_COMMERCIAL } from './curated.js';
import { describeZodError, PackError } from './pack.js';
import { HCPCS, PayerClassOrAll } from './schema.js';

export const RuleSeverity = z.enum(['off', 'info', 'warning', 'error']);
export const Requirement = z.enum(['off', 'warning', 'error']);

export const ClassPolicy = z.strictObject({
  /** Per rule id: off, or the severity to report at. */
  rules: z.record(z.string(), RuleSeverity).optional(),
  ndcRequired: Requirement.optional(),
  jwJzRequired: z.boolean().optional(),
  priorAuthorization: z.strictObject({ severity: Requirement, codes: z.array(HCPCS) }).optional(),
  /** Judge diagnoses by the MAC's billing-and-coding articles (Medicare and Medicare Advantage by default). */
  coverageArticles: z.boolean().optional(),
});
export type ClassPolicy = z.infer<typeof ClassPolicy>;

export const Profile = z.strictObject({
  name: z.string().optional(),
  payerClasses: z.partialRecord(PayerClassOrAll, ClassPolicy),
  /** Billing provider NPIs of 340B covered entities: not on the claim, so the user's statement. */
  coveredEntities340B: z.array(z.string().regex(/^\d{10}$/, 'a 10-digit NPI')).optional(),
  /** The A/B MAC (a jurisdiction like J6, or a state) of claims whose billing provider's state the input does not give. */
  mac: z.string().regex(/^(J[A-Za-z0-9]{1,2}|[A-Za-z]{2})$/, 'a jurisdiction like J6 or a state like WI').optional(),
});
export type Profile = z.infer<typeof Profile>;

export type EffectivePolicy = Required<ClassPolicy>;
export type Policies = Record<PayerClass, EffectivePolicy>;

const off = { severity: 'off' as const, codes: [] as string[] };

export const DEFAULT_POLICIES: Policies = {
  medicare: { rules: {}, ndcRequired: 'off', jwJzRequired: true, priorAuthorization: off, coverageArticles: true },
  // MA plans must follow NCD/LCD coverage criteria from 2024 (CMS-4201-F).
  'medicare-advantage': { rules: {}, ndcRequired: 'off', jwJzRequired: false, priorAuthorization: off, coverageArticles: true },
  medicaid: { rules: {}, ndcRequired: 'error', jwJzRequired: false, priorAuthorization: off, coverageArticles: false },
  commercial: { rules: {}, ndcRequired: 'warning', jwJzRequired: false, priorAuthorization: { severity: 'warning', codes: [...PRIOR_AUTH_COMMERCIAL] }, coverageArticles: false },
  other: { rules: {}, ndcRequired: 'off', jwJzRequired: false, priorAuthorization: off, coverageArticles: false },
  unknown: { rules: {}, ndcRequired: 'off', jwJzRequired: false, priorAuthorization: off, coverageArticles: false },
};

export function applyProfile(base: Policies, profile: Profile): Policies {
  const result = {} as Policies;
  for (const payerClass of PayerClass.options) {
    const layers = [profile.payerClasses['*'], profile.payerClasses[payerClass]].filter((l): l is ClassPolicy => l !== undefined);
    let policy: EffectivePolicy = { ...base[payerClass], rules: { ...base[payerClass].rules } };
    for (const layer of layers) {
      policy = {
        rules: { ...policy.rules, ...(layer.rules ?? {}) },
        ndcRequired: layer.ndcRequired ?? policy.ndcRequired,
        jwJzRequired: layer.jwJzRequired ?? policy.jwJzRequired,
        priorAuthorization: layer.priorAuthorization ?? policy.priorAuthorization,
        coverageArticles: layer.coverageArticles ?? policy.coverageArticles,
      };
    }
    result[payerClass] = policy;
  }
  return result;
}

export function loadProfile(path: string): Profile {
  let value: unknown;
  try {
    value = parseJsonText(readBoundedText(path, 'profile'), `profile ${path}`);
  } catch (error) {
    if (error instanceof FileReadError) throw new PackError(error.message);
    throw error;
  }
  const parsed = Profile.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new PackError(`profile ${path}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
