// `npm start`: audits samples/ into reports/ when given no arguments; otherwise behaves
// exactly like the claim-audit binary (`npm start -- file.edi --out x`).
import { runFromProcess } from './process.js';

const args = process.argv.slice(2);
if (args.length > 0) runFromProcess(args);
else {
  // The samples hold faults on purpose: their findings (exit code 1) are the demo, not a failure.
  // The profile names the sample hospital a 340B covered entity, so tb-modifier-missing is shown too;
  // the history in reports/history makes a second npm start say what changed since the first.
  runFromProcess(['samples', '--out', 'reports', '--profile', 'examples/profile-340b.json', '--history', 'reports/history'], (code) => {
    if (code !== 1) return code;
    process.stderr.write('npm start: the samples contain deliberate faults, so findings are expected (claim-audit itself exits 1 here)\n');
    return 0;
  });
}
