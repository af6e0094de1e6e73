// Writes CSV files that LibreOffice and Excel open as UTF-8 and that cannot smuggle formulas.
import type { Cell } from './sheet.js';

export interface CsvWriteOptions {
  /** Field delimiter, ',' by default (RFC 4180). */
  delimiter?: string;
  /** Starts with a UTF-8 byte order mark (default true) so spreadsheets detect UTF-8. */
  bom?: boolean;
}

// CSV formula injection: text starting with = + - @ (or a tab/CR hiding one) gets a leading ' so spreadsheets show it, not run it.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Formats a table as RFC 4180 CSV (CRLF, quoted when needed), protected against formula injection. */
export function toCsv(headers: string[], rows: Cell[][], options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) throw new Error(`Invalid CSV delimiter: ${JSON.stringify(delimiter)}`);
  const lines = [headers, ...rows].map((row) => row.map((cell) => csvCell(cell, delimiter)).join(delimiter) + '\r\n');
  return (options.bom === false ? '' : '\uFEFF') + lines.join('');
}

function csvCell(value: Cell | undefined, delimiter: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  const quote = text.includes(delimiter) || /["\r\n]|^ | $/.test(text);
  return quote ? `"${text.replaceAll('"', '""')}"` : text;
}
