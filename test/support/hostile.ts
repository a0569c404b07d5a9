// A claim file with the hostile values of the reports issue, for the CSV, HTML and browser tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelope, medicareDrugClaim, x12 } from './x12.js';

/** One Medicare nivolumab line (missing JZ) with the hostile member and claim ids. */
export function hostileClaimFile(dir: string): string {
  const file = join(dir, 'hostile.edi');
  const claim = medicareDrugClaim({ claimId: '<img src=x onerror=alert(1)>', memberId: '=HYPERLINK("x")', procedure: 'HC:J9299' });
  writeFileSync(file, x12(envelope([claim])), 'latin1');
  return file;
}
