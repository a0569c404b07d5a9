// `npm start`: audits samples/ into reports/ when given no arguments; otherwise behaves
// exactly like the claim-audit binary (`npm start -- file.edi --out x`).
import { runFromProcess } from './process.js';

const args = process.argv.slice(2);
runFromProcess(args.length > 0 ? args : ['samples', '--out', 'reports']);
