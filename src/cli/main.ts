#!/usr/bin/env node
// The claim-audit binary: the one place that touches process.
import { runCli } from './run.js';

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  stream.write(text);
};

runCli(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`claim-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
