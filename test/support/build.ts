// Vitest global setup: the project is built once before any test file runs. The end-to-end
// tests spawn the binary, and the executors' differential test runs the worker pool, which
// only runs from compiled code.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
