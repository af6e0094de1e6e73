import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-read.js';
import { toCsv } from './csv-write.js';

describe('toCsv', () => {
  it('writes a UTF-8 BOM, CRLF line ends and RFC 4180 quoting', () => {
    const csv = toCsv(['nom', 'note'], [['Hélène', 'dit "oui", puis\nnon'], ['Bob', null]]);
    expect(csv).toBe('\ufeffnom,note\r\nHélène,"dit ""oui"", puis\nnon"\r\nBob,\r\n');
  });

  it('leaves the BOM out on request and quotes for the chosen delimiter', () => {
    expect(toCsv(['a', 'b'], [['x;y', 'x,y']], { delimiter: ';', bom: false })).toBe('a;b\r\n"x;y";x,y\r\n');
  });

  it('quotes edge spaces so readers that trim keep them', () => {
    expect(toCsv(['a'], [[' x'], ['y '], ['a b']], { bom: false })).toBe('a\r\n" x"\r\n"y "\r\na b\r\n');
  });

  it('defuses formula injection in text but writes numbers as they are', () => {
    const rows = [['=HYPERLINK("http://evil")', '+33 6 12', '-2+3', '@SUM(A1)', '\t=1', '\r=1', 'a=b']];
    const csv = toCsv(['x'], [...rows, [-12.5, 0, 1e21]], { bom: false });
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"")",'+33 6 12,'-2+3,'@SUM(A1),'\t=1,"'\r=1",a=b`);
    expect(lines[2]).toBe('-12.5,0,1e+21');
  });

  it('writes non-finite numbers as empty cells', () => {
    expect(toCsv(['a', 'b'], [[Number.NaN, Number.POSITIVE_INFINITY]], { bom: false })).toBe('a,b\r\n,\r\n');
  });

  it('refuses a delimiter that would break the format', () => {
    expect(() => toCsv(['a'], [], { delimiter: '"' })).toThrow();
    expect(() => toCsv(['a'], [], { delimiter: ';;' })).toThrow();
  });

  it('round-trips through readCsv', () => {
    const rows = [['Zoë', 'l’œuvre\r\n2e ligne', '12,50 €'], ['', 'x', 'y']];
    const table = readCsv(Buffer.from(toCsv(['nom', 'note', 'montant'], rows, { delimiter: ';' }), 'utf-8'));
    expect(table).toMatchObject({ encoding: 'utf-8', delimiter: ';', headers: ['nom', 'note', 'montant'] });
    expect(table.rows).toEqual([
      { line: 2, cells: ['Zoë', 'l’œuvre\n2e ligne', '12,50 €'] },
      { line: 4, cells: ['', 'x', 'y'] },
    ]);
  });
});
