// npm run build:pack: rebuilds the committed default pack (src/reference/default-pack.json)
// from ../shared/reference-data, the same as `claim-audit pack build ../shared/reference-data
// --out src/reference/default-pack.json`.
import { runFromProcess } from './process.js';

const args = process.argv.slice(2);
runFromProcess(['pack', 'build', ...(args.length > 0 ? args : ['../shared/reference-data']), '--out', 'src/reference/default-pack.json']);
