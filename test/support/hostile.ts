// A claim file with the hostile values of the reports issue, for the CSV, HTML and browser tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelope, x12 } from './x12.js';

/** One Medicare nivolumab line (missing JZ) with the hostile member and claim ids. */
export function hostileClaimFile(dir: string): string {
  const file = join(dir, 'hostile.edi');
  const claim = [
    ['HL', '1', '', '20', '1'],
    ['NM1', '85', '2', 'CLINIC', '', '', '', '', 'XX', '1234567893'],
    ['HL', '2', '1', '22', '0'],
    ['SBR', 'P', '18', '', '', '', '', '', '', 'MB'],
    ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', '=HYPERLINK("x")'],
    ['NM1', 'PR', '2', 'MEDICARE', '', '', '', '', 'PI', '1'],
    ['CLM', '<img src=x onerror=alert(1)>', '8200', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y'],
    ['HI', 'ABK:C3490'],
    ['LX', '1'],
    ['SV1', 'HC:J9299', '8200', 'UN', '240', '11', '', '1'],
    ['DTP', '472', 'D8', '20250311'],
    ['LIN', '', 'N4', '00003373413'],
    ['CTP', '', '', '', '24', 'ML'],
  ];
  writeFileSync(file, x12(envelope([claim])), 'latin1');
  return file;
}
