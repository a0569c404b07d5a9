// The committed default pack is exactly what the builder makes from the CMS files in
// ../shared/reference-data (never copied into this repository).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPack, readInputs, serializePack } from '../../src/reference/build.js';
import { REFERENCE_DIR } from '../support/corpus.js';

const files = ['HCPC2020_OCT_anweb.csv', 'opps_addb_history_target_codes.csv', 'OPPS_AddendumB_2026-04_Level2only.csv'].map((f) => `${REFERENCE_DIR}/${f}`);
const committed = readFileSync(fileURLToPath(new URL('../../src/reference/default-pack.json', import.meta.url)), 'utf8');

describe('npm run build:pack', () => {
  const inputs = readInputs(files);

  it('reproduces the committed default pack byte for byte', () => {
    const { pack, report } = buildPack(inputs);
    expect(serializePack(pack)).toBe(committed);
    expect(report).toMatchObject({ codes: 20, unitsParsed: 20, unitsUnparsed: [] });
  });

  it('with --all-drugs builds every J and Q code, reporting the units it could not read', () => {
    const { pack, report } = buildPack(inputs, { allDrugs: true });
    const codes = Object.keys(pack.codes);
    expect(codes.every((c) => /^[JQ]\d{4}$/.test(c))).toBe(true);
    expect(report.codes).toBe(codes.length);
    expect(report.codes).toBeGreaterThan(1500);
    expect(report.unitsParsed + report.unitsUnparsed.length).toBe(report.codes);
    expect(report.unitsParsed / report.codes).toBeGreaterThan(0.6);
    expect(codes.filter((c) => pack.codes[c]!.covered)).toHaveLength(20);
    expect(pack.codes.J2505).toMatchObject({ covered: false, billingUnit: { amount: 6, unit: 'mg' }, longDescriptor: { value: 'Injection, pegfilgrastim, 6 mg', confidence: 'cms' } });
    expect(pack.codes.J9299).toEqual({ ...buildPack(inputs).pack.codes.J9299 });
  });

  it('files it does not know are refused with their header', () => {
    expect(() => readInputs([`${REFERENCE_DIR}/OPPS_status_indicators_softek.csv`])).toThrow(/not a CMS HCPCS file or an OPPS Addendum B file .*StatusIndicator,Paid,Description/);
  });
});
