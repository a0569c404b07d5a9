// Runs the CLI against the real process: the one place that touches process.
import { setFlagsFromString } from 'node:v8';
import { runCli } from './run.js';

// With the reference pack resident, V8's allocation-site pretenuring sometimes moves the
// short-lived claim objects to old space: ingest then runs ~40% slower with ~40% more RSS, on
// some runs and not others. Measured steady without it (npm run bench). Set before any
// claim is read; the flag takes effect at run time.
setFlagsFromString('--no-allocation-site-pretenuring');

export function runFromProcess(argv: readonly string[], mapExitCode: (code: number) => number = (code) => code): void {
  // The first SIGINT/SIGTERM stops the run cleanly (temporary files removed, lock released,
  // previous reports untouched); a second one exits at once.
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(name === 'SIGINT' ? 130 : 143);
      controller.abort(name);
    });
  }
  runCli(argv, {
    signal: controller.signal,
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTty: process.stderr.isTTY === true,
    // A pseudo-terminal without a size reports 0 columns.
    columns: () => process.stderr.columns || 80,
  }).then(
    (code) => {
      process.exitCode = mapExitCode(code);
    },
    (error: unknown) => {
      process.stderr.write(`claim-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
