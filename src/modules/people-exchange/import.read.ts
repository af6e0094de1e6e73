// Reads an uploaded member list into mapped rows: decoding and parsing (src/exchange), column mapping, cell conversion.
import { AppError } from '../../core/errors.js';
import { type CsvEncoding, type CsvRow, readCsv, TabularError } from '../../exchange/csv-read.js';
import { isMessageKey } from '../../i18n/index.js';
import type { ImportField } from './exchange.schema.js';
import { applyOverrides, autoMapping } from './import.mapping.js';
import { type MappedRow, mapRow } from './import.values.js';

/** How to read a file: forced delimiter or encoding, `col=field` overrides or a full list of fields (one per column). */
export interface ReadOptions {
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252';
  map?: Record<string, ImportField>;
  fields?: ImportField[];
}

/** A member list read and mapped, not yet checked against the register. */
export interface ReadImport {
  encoding: CsvEncoding;
  delimiter: string;
  headers: string[];
  fields: ImportField[];
  rows: MappedRow[];
  /** A few non-empty values of each column, to help choose its field. */
  samples: string[][];
}

/** How many mapped rows previews show. */
export const PREVIEW_ROWS = 10;

/** Decodes, parses and maps a file; a file that cannot be read becomes a 422 error naming the line. */
export function readImport(bytes: Uint8Array, options: ReadOptions = {}): ReadImport {
  const table = readTable(bytes, options);
  const guessed = options.fields?.length === table.headers.length ? options.fields : autoMapping(table.headers);
  const fields = applyOverrides(table.headers, guessed, options.map ?? {});
  const rows = table.rows.map((row) => mapRow(row.line, row.cells, table.headers, fields));
  const samples = columnSamples(table.headers, table.rows);
  return { encoding: table.encoding, delimiter: table.delimiter, headers: table.headers, fields, rows, samples };
}

function readTable(bytes: Uint8Array, options: ReadOptions) {
  try {
    return readCsv(bytes, { delimiter: options.delimiter, encoding: options.encoding });
  } catch (error) {
    if (!(error instanceof TabularError)) throw error;
    const key = isMessageKey(error.key) ? error.key : 'exchange.unreadable';
    throw new AppError(422, 'import_unreadable', key, { line: error.line ?? 1 });
  }
}

// A few non-empty values of each column, to help choose its field.
function columnSamples(headers: string[], rows: CsvRow[], count = 3): string[][] {
  return headers.map((_, i) => {
    const values: string[] = [];
    for (const row of rows) {
      const cell = row.cells[i]?.trim();
      if (cell) values.push(cell.length > 40 ? `${cell.slice(0, 39)}…` : cell);
      if (values.length >= count) break;
    }
    return values;
  });
}
