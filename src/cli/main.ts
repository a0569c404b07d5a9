#!/usr/bin/env node
// The claim-audit binary.
import { runFromProcess } from './process.js';

runFromProcess(process.argv.slice(2));
