// The progress line on a terminal: redrawn in place on stderr, at most ten times a second,
// and cleared before anything else is printed. Only counts are shown, never claim data.
import type { AuditProgress } from '../exec/progress.js';
import { count } from '../view/format.js';

const BAR_WIDTH = 14;
const REDRAW_MS = 100;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** One line of text for a progress state, cut to the terminal's width. */
export function progressLine(p: AuditProgress, columns: number): string {
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const phase = p.phase === 'cross-claim' ? ' · cross-claim rules…' : p.phase === 'writing' ? ' · writing reports…' : '';
  const text = `${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${mb(p.bytesRead)}/${mb(p.bytesTotal)} MB · ${p.filesDone}/${p.filesTotal} files · ${count(p.claims)} claims · ${count(p.findings)} findings${phase}`;
  return text.length > columns - 1 ? `${text.slice(0, Math.max(0, columns - 2))}…` : text;
}

export class ProgressBar {
  private last = -Infinity;
  private shown = false;
  private phase: AuditProgress['phase'] = 'reading';

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  update(progress: AuditProgress): void {
    const t = this.now();
    // A new phase is drawn at once; otherwise at most every REDRAW_MS.
    if (progress.phase === this.phase && t - this.last < REDRAW_MS) return;
    this.phase = progress.phase;
    this.last = t;
    this.shown = true;
    this.write(`\r\x1b[K${progressLine(progress, this.columns())}`);
  }

  /** Removes the line, so the next output starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.write('\r\x1b[K');
    this.shown = false;
  }
}
