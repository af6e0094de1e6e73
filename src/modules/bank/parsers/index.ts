// The one entry point for statement files: size and content checks, format detection, the right parser.
import { parseCamt } from './camt.js';
import { parseCoda } from './coda.js';
import { parseCsv } from './csv.js';
import { detectFormat, looksBinary } from './detect.js';
import { inWords } from './details.js';
import { parseOfx } from './ofx.js';
import { parseQif } from './qif.js';
import { type ByteSource, bufferSource } from './source.js';
import { type ParseOptions, STATEMENT_FORMATS, StatementError, type StatementEvent, type StatementFormat, type StatementParser } from './types.js';

export { guessCsvProfile, type CsvProfileGuess } from './csv.js';
export { detectFormat } from './detect.js';

/** Files of this size or more are refused (`bank.too_large`); callers should check it before reading a whole upload. */
export const MAX_STATEMENT_BYTES = 200_000_000;

/** Options of parseStatementFile: the format when the user overrides detection, and the formats' own options. */
export interface ParseStatementOptions extends ParseOptions {
  format?: StatementFormat;
  /** Size limit in bytes (default MAX_STATEMENT_BYTES). */
  maxBytes?: number;
}

const PARSERS: Record<StatementFormat, StatementParser> = {
  coda: parseCoda,
  'camt.053': parseCamt,
  'camt.054': parseCamt,
  ofx: parseOfx,
  qif: parseQif,
  csv: parseCsv,
};

/** Checks a file at once (size, binary content, format: `bank.too_large`, `bank.binary`, `bank.unknown_format`), then returns its parser's events. */
export function parseStatementFile(bytes: Buffer, options: ParseStatementOptions = {}): Generator<StatementEvent> {
  return parseStatementSource(bufferSource(bytes), options);
}

/** The same from a byte source: camt streams from it chunk by chunk, the other formats read it whole. */
export function parseStatementSource(source: ByteSource, options: ParseStatementOptions = {}): Generator<StatementEvent> {
  const max = options.maxBytes ?? MAX_STATEMENT_BYTES;
  if (source.size >= max) throw new StatementError('bank.too_large', null, inWords('parse_detail.size_bytes', { size: source.size }));
  if (source.size === 0) throw new StatementError('bank.unknown_format', null, inWords('parse_detail.empty_file'));
  if (looksBinary(source.head)) throw new StatementError('bank.binary');
  const format = options.format ?? detectFormat(source.head);
  if (format === null) throw new StatementError('bank.unknown_format');
  if (!isStatementFormat(format)) throw new StatementError('bank.unknown_format', null, String(format));
  if (format === 'camt.053' || format === 'camt.054') return parseCamt(source, options);
  return withoutNul(PARSERS[format](source.whole(), options));
}

// Binary data past the start of a file reaches the text of a movement as NUL characters, which PostgreSQL's text
// cannot hold (SQLite can): such a file is refused the same way on both, naming the movement. XML refuses NUL itself.
function* withoutNul(events: Generator<StatementEvent>): Generator<StatementEvent> {
  let movement = 0;
  for (const event of events) {
    if (event.type === 'entry') {
      movement++;
      for (const value of Object.values(event.entry)) {
        if (typeof value === 'string' && value.includes('\u0000')) throw new StatementError('bank.binary_inside', String(movement));
      }
    }
    yield event;
  }
}

/** True for a format name Ruche reads ('coda', 'camt.053', 'camt.054', 'ofx', 'qif', 'csv'). */
export function isStatementFormat(name: string): name is StatementFormat {
  return (STATEMENT_FORMATS as readonly string[]).includes(name);
}
