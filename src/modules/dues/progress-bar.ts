// The progress bar of `ruche bank import` on a terminal: share of the file read, movements read, time spent;
// redrawn at most ten times a second on standard error; left full on its own line at the end, wiped if the import fails.
import { type Locale, t } from '../../i18n/index.js';

/** Where an import stands, as the bar shows it. */
export interface ProgressState {
  file: string;
  /** Bytes of the file read so far (estimated from the records read), and the file's size. */
  bytes: number;
  size: number;
  entries: number;
  elapsedMs: number;
}

const BAR_CELLS = 24;
/** Least time between two redraws. */
export const REDRAW_MS = 100;

/** One line of the bar, e.g. `big.qif [#########---------------]  38% · 12000 movements · 0:04`. */
export function renderProgress(state: ProgressState, locale: Locale): string {
  const share = state.size > 0 ? Math.min(1, state.bytes / state.size) : 0;
  const filled = Math.round(share * BAR_CELLS);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_CELLS - filled)}]`;
  return t(locale, 'dues_cli.progress', { file: state.file, bar, percent: String(Math.floor(share * 100)).padStart(3), entries: state.entries, elapsed: elapsedText(state.elapsedMs) });
}

/** Minutes and seconds: 0:04, 12:30. */
export function elapsedText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A bar drawn on a terminal stream (nothing is written elsewhere); `update` is cheap to call often. */
export class ProgressBar {
  private readonly started = Date.now();
  private drawnAt = 0;
  private drawn = 0;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly file: string, private readonly size: number, private readonly locale: Locale) {}

  /** Redraws the bar with these counts, unless it was redrawn less than REDRAW_MS ago (or `force`). */
  update(entries: number, bytes: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    const line = renderProgress({ file: this.file, bytes, size: this.size, entries, elapsedMs: now - this.started }, this.locale);
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.drawn - line.length))}`);
    this.drawn = line.length;
  }

  /** Draws the bar full and ends its line (the file is read). */
  finish(entries: number): void {
    this.update(entries, this.size, true);
    this.stream.write('\n');
    this.drawn = 0;
  }

  /** Wipes the bar so that what follows starts on a clean line (the import failed). */
  clear(): void {
    if (this.drawn) this.stream.write(`\r${' '.repeat(this.drawn)}\r`);
    this.drawn = 0;
  }
}

/** True when the stream is a terminal (a bar there; nothing on a pipe or a file). */
export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}
