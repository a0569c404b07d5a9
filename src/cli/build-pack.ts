// npm run build:pack -- <CMS HCPCS file> <Addendum B files…> [--all-drugs] [--out FILE]
// Regenerates the default pack (src/reference/default-pack.json) from the CMS files, or with
// --all-drugs a pack of every J and Q code, and reports the descriptors whose unit it could not read.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildPack, readInputs, serializePack } from '../reference/build.js';

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({ options: { 'all-drugs': { type: 'boolean', default: false }, out: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`build:pack: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    process.stderr.write('build:pack: give the CMS HCPCS file and the OPPS Addendum B files\n');
    return 2;
  }
  const allDrugs = values['all-drugs'] ?? false;
  const out = values.out ?? (allDrugs ? 'reports/pack-all-drugs.json' : 'src/reference/default-pack.json');
  try {
    const { pack, report } = buildPack(readInputs(positionals), { allDrugs });
    writeFileSync(out, serializePack(pack));
    process.stderr.write(`build:pack: ${report.codes} codes, billing unit read from the descriptor for ${report.unitsParsed} (${report.unitsUnparsed.length} not), ${report.prices} quarterly prices, ${Object.keys(pack.modifiers).length} modifiers → ${out} (version ${pack.version})\n`);
    for (const { hcpcs, descriptor } of report.unitsUnparsed.slice(0, 50)) process.stderr.write(`  unit not read: ${hcpcs} ${descriptor}\n`);
    if (report.unitsUnparsed.length > 50) process.stderr.write(`  … and ${report.unitsUnparsed.length - 50} more\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`build:pack: ${(error as Error).message}\n`);
    return 2;
  }
}

process.exitCode = main();
