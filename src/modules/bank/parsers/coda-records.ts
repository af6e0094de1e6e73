// The records of a CODA file, read one line at a time from its bytes: no decoded copy of the whole file and no
// array of its lines, so that a year of movements is parsed in little memory.
import { isUtf8 } from 'node:buffer';
import { inWords } from './details.js';
import { StatementError } from './types.js';

/** Every CODA record is this many characters long, line ends excluded. */
export const CODA_RECORD_LENGTH = 128;

/** A record: its line number (from 1) and its text without the line end. */
export interface Line {
  no: number;
  text: string;
}

const NEWLINE = 0x0a;
const [DIGIT_0, DIGIT_1, DIGIT_8, DIGIT_9] = [0x30, 0x31, 0x38, 0x39];

/** "line N", as messages name a record. */
export function at(line: Line): string {
  return `line ${line.no}`;
}

/**
 * Reads records in order, checking each one's shape as it comes: the first must be a header record (0), each must
 * have its 128 characters. Text is UTF-8 when the whole file is valid UTF-8 (BOM dropped), else Latin-1, as
 * Belgian banks write it. Blank lines and a DOS end-of-file mark after the last record are ignored.
 */
export class Records {
  private readonly start: number;
  private readonly end: number;
  /** True when the last record is followed by a line end: a short last record is then not a cut file. */
  private readonly complete: boolean;
  private readonly encoding: 'utf8' | 'latin1';
  private position: number;
  private count = 0;
  private peeked: Line | undefined;

  constructor(private readonly bytes: Buffer) {
    this.start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    this.encoding = isUtf8(bytes.subarray(this.start)) ? 'utf8' : 'latin1';
    let end = bytes.length;
    while (end > this.start && bytes[end - 1] === 0x1a) end--;
    let complete = false;
    while (end > this.start) {
      const lineStart = Math.max(bytes.lastIndexOf(NEWLINE, end - 1) + 1, this.start);
      if (this.text(lineStart, end).trim() !== '') break;
      end = Math.max(lineStart - 1, this.start);
      complete = true;
    }
    if (end <= this.start) throw new StatementError('bank.coda_not_coda', 'line 1', inWords('parse_detail.coda_no_records'));
    this.end = end;
    this.complete = complete;
    this.position = this.start;
  }

  peek(): Line | undefined {
    this.peeked ??= this.read();
    return this.peeked;
  }

  take(): Line | undefined {
    const line = this.peek();
    this.peeked = undefined;
    return line;
  }

  /** Where the file ends, for the message about a truncated file. */
  last(): string {
    let no = this.count;
    for (let at = this.position; at < this.end; at = this.lineEnd(at) + 1) no++;
    return `line ${Math.max(no, 1)}`;
  }

  /** The record 8 closing the statement that starts here: it must come before any record 0, 1 or 9. */
  closingRecord(opening: Line): Line {
    const kind = this.peeked?.text[0];
    if (this.peeked && kind === '8') return this.peeked;
    if (this.peeked && (kind === '0' || kind === '1' || kind === '9')) throw misplaced(this.peeked, opening);
    for (let offset = this.position, no = this.count + 1; offset < this.end; offset = this.lineEnd(offset) + 1, no++) {
      const first = this.bytes[offset];
      if (first === DIGIT_8 || first === DIGIT_0 || first === DIGIT_1 || first === DIGIT_9) {
        const line = this.lineAt(offset, no);
        if (first === DIGIT_8) return line;
        throw misplaced(line, opening);
      }
    }
    throw new StatementError('bank.coda_truncated', this.last(), inWords('parse_detail.coda_no_closing', { line: opening.no }));
  }

  private read(): Line | undefined {
    if (this.position >= this.end) return undefined;
    const line = this.lineAt(this.position, ++this.count);
    this.position = this.lineEnd(this.position) + 1;
    return line;
  }

  /** The record starting at a byte offset, its shape checked. */
  private lineAt(offset: number, no: number): Line {
    const stop = this.lineEnd(offset);
    const text = this.text(offset, stop > offset && this.bytes[stop - 1] === 0x0d ? stop - 1 : stop);
    const line = { no, text };
    if (no === 1 && !/^00000\d{6}/.test(text)) {
      throw new StatementError('bank.coda_not_coda', 'line 1', inWords('parse_detail.coda_no_header'));
    }
    if (text.length !== CODA_RECORD_LENGTH) {
      const cut = !this.complete && stop >= this.end && text.length < CODA_RECORD_LENGTH;
      const length = inWords('parse_detail.coda_record_length', { length: text.length, expected: CODA_RECORD_LENGTH });
      throw new StatementError(cut ? 'bank.coda_truncated' : 'bank.coda_bad_length', at(line), length);
    }
    return line;
  }

  private lineEnd(offset: number): number {
    const found = this.bytes.indexOf(NEWLINE, offset);
    return found < 0 || found > this.end ? this.end : found;
  }

  private text(from: number, to: number): string {
    return this.bytes.toString(this.encoding, from, to);
  }
}

function misplaced(line: Line, opening: Line): StatementError {
  return new StatementError('bank.coda_bad_record', at(line), inWords('parse_detail.coda_closing_first', { line: opening.no }));
}
