// `npm start`: audits samples/ into reports/ when given no arguments; otherwise behaves
// exactly like the claim-audit binary (`npm start -- file.edi --out x`).
import { runCli } from './run.js';

const args = process.argv.slice(2);
const argv = args.length > 0 ? args : ['samples', '--out', 'reports'];

runCli(argv, { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`claim-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
