// Progress of a run, as counts only (never claim data), for the CLI's progress line.
import type { ExecProgress } from './types.js';

export interface AuditProgress {
  phase: 'reading' | 'cross-claim' | 'writing';
  filesTotal: number;
  filesDone: number;
  /** Bytes as stored (compressed for .gz). */
  bytesTotal: number;
  bytesRead: number;
  claims: number;
  /** Findings so far: the claim rules' as claims are read, the cross-claim rules' once they ran. */
  findings: number;
}

/** Keeps the counts and tells the caller (often: throttle before drawing). */
export class ProgressTracker implements ExecProgress {
  readonly state: AuditProgress;
  constructor(
    private readonly report: (progress: AuditProgress) => void,
    filesTotal: number,
    bytesTotal: number,
  ) {
    this.state = { phase: 'reading', filesTotal, filesDone: 0, bytesTotal, bytesRead: 0, claims: 0, findings: 0 };
  }
  read(bytes: number): void {
    this.state.bytesRead += bytes;
    this.report(this.state);
  }
  claims(claims: number, findings: number): void {
    this.state.claims += claims;
    this.state.findings += findings;
  }
  fileDone(): void {
    this.state.filesDone++;
    this.report(this.state);
  }
  phase(phase: AuditProgress['phase']): void {
    this.state.phase = phase;
    this.report(this.state);
  }
}
