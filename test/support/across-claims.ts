// Claims made for the rules across claims (duplicates, MUE per day, once-in-a-lifetime codes,
// replacements and voids), for the executors' differential tests.
const lineOf = (row: string) => Number(row.split(',')[1]);
/** Rows sorted by line number (stable): each claim's first line, then its second…: claims with several lines are apart. */
export const byLineNumber = (rows: string[]) => rows.map((row, i) => [row, i] as const).sort((x, y) => lineOf(x[0]) - lineOf(y[0]) || x[1] - y[1]).map(([row]) => row);

/**
 * Claims made for the rules across claims: a few hundred members with several claims each on a
 * few days, the same codes, units and modifiers again and again (duplicates), daily units over
 * the MUE, a one-time gene therapy given twice, replacement and void claims; rows apart.
 */
export function acrossClaims(seed: number, replacing = false): string {
  let state = seed;
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const rows: string[] = [];
  for (let claim = 0; claim < 6000; claim++) {
    const member = `M${String(random(400)).padStart(4, '0')}`;
    const date = `2025-03-${String(10 + random(3)).padStart(2, '0')}`;
    // The later file replaces or voids claims of the first by their claim id.
    const frequency = replacing ? ['7', '8'][random(2)] : ['1', '1', '1', '1', '7', '8'][random(6)];
    if (replacing && claim >= 1500) break;
    const type = random(4) === 0 ? 'institutional' : 'professional';
    const lines = 1 + random(3);
    for (let line = 1; line <= lines; line++) {
      const code = ['J9299', 'J1459', 'J1411', 'J9299'][random(4)]!;
      const units = code === 'J1411' ? 1 : [100, 240, 240, 300][random(4)];
      rows.push(`A${replacing ? random(6000) : claim},${line},${type},${member},PAYER,MB,${date},${code},JZ,,${units},UN,${1000 + random(9000)}.00,,,,C3490,,,,1,11,1234567893,CLINIC,PA1,${frequency}`);
    }
  }
  const header = 'claim_id,line_number,claim_type,member_id,payer_name,claim_filing_indicator,service_from_date,hcpcs,modifier_1,modifier_2,units,unit_type,charge,ndc,ndc_quantity,ndc_unit,diagnosis_1,diagnosis_2,diagnosis_3,diagnosis_4,dx_pointers,place_of_service,billing_npi,billing_name,prior_auth_number,frequency_code';
  return `${[header, ...byLineNumber(rows)].join('\n')}\n`;
}

