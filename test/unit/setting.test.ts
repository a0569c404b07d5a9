// A claim's setting (DOMAIN.md, section 10): the 837P is professional; an institutional claim's
// bill type (837I CLM05-1, the facility type code; a CSV's bill type) says which facility.
import { describe, expect, it } from 'vitest';
import { settingOf } from '../../src/model/index.js';

describe('settingOf', () => {
  it.each([
    ['professional', '11', 'professional'],
    ['professional', '22', 'professional'],
    ['institutional', '13', 'outpatient-hospital'],
    ['institutional', '013', 'outpatient-hospital'],
    ['institutional', '131', 'outpatient-hospital'],
    ['institutional', '85', 'cah'],
    ['institutional', '11', 'inpatient'],
    ['institutional', '71', 'rhc'],
    ['institutional', '77', 'fqhc'],
    ['institutional', '72', 'esrd'],
    ['institutional', '12', 'other'],
    ['institutional', '23', 'other'],
    ['institutional', null, 'other'],
  ] as const)('%s claim with %s → %s', (claimType, facilityCode, setting) => {
    expect(settingOf({ claimType, facilityCode })).toBe(setting);
  });
});
