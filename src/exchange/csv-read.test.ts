import { describe, expect, it } from 'vitest';
import { readCsv, TabularError } from './csv-read.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf-8');

/** Runs `fn` and returns the TabularError it throws. */
function refusal(fn: () => unknown): TabularError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TabularError) return err;
    throw err;
  }
  throw new Error('expected a TabularError');
}

describe('readCsv: decoding', () => {
  it('strips a UTF-8 byte order mark', () => {
    const table = readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('nom;ville\r\nHélène;Liège\r\n')]));
    expect(table.encoding).toBe('utf-8');
    expect(table.headers).toEqual(['nom', 'ville']);
    expect(table.rows).toEqual([{ line: 2, cells: ['Hélène', 'Liège'] }]);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    const bytes = Buffer.from('nom;note;montant\r\nH\xe9l\xe8ne;l\x92\x9cuvre \x96 \x93ok\x94;12 \x80\r\n', 'latin1');
    const table = readCsv(bytes);
    expect(table.encoding).toBe('windows-1252');
    expect(table.rows[0].cells).toEqual(['Hélène', 'l’œuvre – “ok”', '12 €']);
  });

  it('honours a forced encoding', () => {
    expect(readCsv(utf8('a\né\n'), { encoding: 'windows-1252' }).rows[0].cells).toEqual(['Ã©']);
  });

  it('decodes UTF-16LE with its byte order mark (Excel "Unicode text", tab-separated)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nom\tville\r\nZoë\tGent\r\n', 'utf16le')]);
    const table = readCsv(bytes);
    expect(table).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', headers: ['nom', 'ville'] });
    expect(table.rows[0].cells).toEqual(['Zoë', 'Gent']);
  });
});

describe('readCsv: delimiters and layout', () => {
  it.each([
    [';', 'a;b;c\n1;2,5;3\n'],
    [',', 'a,b,c\n1,"2;5",3\n'],
    ['\t', 'a\tb\tc\n1\t2,5\t3\n'],
    ['|', 'a|b|c\n1|2,5|3\n'],
  ])('detects %j from the header line', (delimiter, text) => {
    const table = readCsv(utf8(text));
    expect(table.delimiter).toBe(delimiter);
    expect(table.rows[0].cells).toHaveLength(3);
  });

  it('ignores delimiters inside quoted header names', () => {
    expect(readCsv(utf8('"a;b;c",d\n1,2\n')).delimiter).toBe(',');
  });

  it('uses a given delimiter and Excel\'s "sep=" line', () => {
    expect(readCsv(utf8('a;b\n1;2\n'), { delimiter: ',' }).headers).toEqual(['a;b']);
    const table = readCsv(utf8('sep=,\r\na;b,c\r\n1;2,3\r\n'));
    expect(table).toMatchObject({ delimiter: ',', headers: ['a;b', 'c'] });
    expect(table.rows).toEqual([{ line: 3, cells: ['1;2', '3'] }]);
  });

  it('reads a single column without splitting its cells', () => {
    const table = readCsv(utf8('nom\nDupont, Jean\nMarie\n'));
    expect(table.rows.map((r) => r.cells)).toEqual([['Dupont, Jean'], ['Marie']]);
  });

  it('keeps quoted newlines and doubled quotes, and numbers lines from where records start', () => {
    const text = 'nom;note\r\n"Anne";"ligne 1\r\nligne 2"\r\nBob;"dit ""oui"""\r\n\r\nCarla;"a\r\nb\r\nc"\r\nDenis;fin';
    const table = readCsv(utf8(text));
    expect(table.rows).toEqual([
      { line: 2, cells: ['Anne', 'ligne 1\nligne 2'] },
      { line: 4, cells: ['Bob', 'dit "oui"'] },
      { line: 6, cells: ['Carla', 'a\nb\nc'] },
      { line: 9, cells: ['Denis', 'fin'] },
    ]);
  });

  it('skips empty lines and rows of empty cells, wherever they are', () => {
    const table = readCsv(utf8('\n\n a ; b ;\n\n1;2;\n;;\n  ;  ;\n3;4;\n\n'));
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 5, cells: ['1', '2'] },
      { line: 8, cells: ['3', '4'] },
    ]);
  });

  it('drops trailing empty header columns and pads short rows', () => {
    const table = readCsv(utf8('a;b;c;;\n1;2;3;;\n4\n'));
    expect(table.headers).toEqual(['a', 'b', 'c']);
    expect(table.rows.map((r) => r.cells)).toEqual([['1', '2', '3'], ['4', '', '']]);
  });

  it('handles old Mac line ends and tabs inside cells', () => {
    const table = readCsv(utf8('a;b\r1;x\ty\r2;z'));
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', 'x\ty'] },
      { line: 3, cells: ['2', 'z'] },
    ]);
  });
});

describe('readCsv: refusals', () => {
  it('refuses an unbalanced quote, naming the line where the record starts', () => {
    const error = refusal(() => readCsv(utf8('nom;note\n"Anne";ok\nBob;"pas fermé\nCarla;x\nDenis;y\n')));
    expect(error).toMatchObject({ key: 'import.bad_quotes', line: 3 });
  });

  it('names the right line when the stray quote is closed much later', () => {
    const error = refusal(() => readCsv(utf8('a;b\n"x\ny";1\n\nz;"oops\nw;2\n"v";3\n')));
    expect(error).toMatchObject({ key: 'import.bad_quotes', line: 5 });
  });

  it('refuses junk after a closing quote', () => {
    expect(refusal(() => readCsv(utf8('a;b\n1;2\n3;"x"y\n')))).toMatchObject({ key: 'import.bad_quotes', line: 3 });
  });

  it('refuses binary content', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);
    expect(refusal(() => readCsv(zip)).key).toBe('import.binary');
    const controls = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect(refusal(() => readCsv(controls)).key).toBe('import.binary');
  });

  it('refuses empty files', () => {
    for (const text of ['', '\ufeff', ' \r\n\r\n ', ';;;\n;;\n']) {
      expect(refusal(() => readCsv(utf8(text))).key).toBe('import.empty');
    }
  });

  it('refuses a file whose first record is data, not a header', () => {
    expect(refusal(() => readCsv(utf8('\n2024-01-03;12,50;-3\n2024-01-04;1;2\n')))).toMatchObject({ key: 'import.no_header', line: 2 });
  });

  it('refuses rows with more cells than headers, but tolerates trailing empty ones', () => {
    expect(readCsv(utf8('a;b\n1;2;;\n')).rows[0].cells).toEqual(['1', '2']);
    const error = refusal(() => readCsv(utf8('a;b\n"1\n1";2\n3;4;5\n')));
    expect(error).toMatchObject({ key: 'import.too_many_cells', line: 4 });
  });

  it('refuses more rows than allowed', () => {
    expect(readCsv(utf8('a\n1\n2\n3\n'), { maxRows: 3 }).rows).toHaveLength(3);
    expect(refusal(() => readCsv(utf8('a\n1\n2\n3\n4\n'), { maxRows: 3 }))).toMatchObject({ key: 'import.too_many_rows', line: 5 });
  });
});
