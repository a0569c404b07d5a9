// Runs the CLI against the real process: the one place that touches process.
import { runCli } from './run.js';

export function runFromProcess(argv: readonly string[], mapExitCode: (code: number) => number = (code) => code): void {
  runCli(argv, { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) }).then(
    (code) => {
      process.exitCode = mapExitCode(code);
    },
    (error: unknown) => {
      process.stderr.write(`claim-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
