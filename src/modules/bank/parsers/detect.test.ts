import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText, detectFormat, looksBinary } from './detect.js';
import { isStatementFormat, MAX_STATEMENT_BYTES, parseStatementFile } from './index.js';
import { StatementError, type StatementEvent, type StatementFormat } from './types.js';
import { CORPUS, corpusFile, haveCorpus, statementFailure } from '../../../../test/helpers/statements.js';

const HAVE_CORPUS = haveCorpus('statement format detection');

const detect = (text: string): StatementFormat | null => detectFormat(Buffer.from(text, 'utf8'));

const failure = statementFailure;

const CODA_HEADER = `0000002012372505        00178299  DE MEYER LUC              KREDBEBB   00820512012 00000${' '.repeat(39)}2`;

describe('detectFormat', () => {
  it('tells each format from its content', () => {
    expect(CODA_HEADER).toHaveLength(128);
    expect(detect(`${CODA_HEADER}\r\n12135BE46737018594236`)).toBe('coda');
    expect(detect('<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>')).toBe('camt.053');
    expect(detect('<Document><BkToCstmrDbtCdtNtfctn>')).toBe('camt.054');
    expect(detect('<?xml version="1.0"?><Doc:Document xmlns:Doc="urn:x"><Doc:BkToCstmrStmt>')).toBe('camt.053');
    expect(detect('OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>')).toBe('ofx');
    expect(detect('<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n<OFX>')).toBe('ofx');
    expect(detect('<OFX>\n<SIGNONMSGSRSV1>')).toBe('ofx');
    expect(detect('!Type:Bank\nD8/24/13\nT-80.00\n^\n')).toBe('qif');
    expect(detect('\ufeff!type:CCard\n')).toBe('qif');
    expect(detect('Date;Montant;Communication\n01/02/2024;12,50;"a;b"\n02/02/2024;3,00;x\n')).toBe('csv');
    expect(detect('Date\tAmount\n2024-01-01\t12.50\n')).toBe('csv');
  });

  it('returns null for what it does not read', () => {
    expect(detect('')).toBeNull();
    expect(detect('Dear treasurer,\nhere is the statement.\nRegards')).toBeNull();
    expect(detect('<?xml version="1.0"?><Document><BkToCstmrAcctRpt>')).toBeNull(); // camt.052
    expect(detect('0000 short line\n')).toBeNull();
    expect(detect('one line only; no data')).toBeNull();
    expect(detectFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]))).toBeNull();
    expect(detectFormat(Buffer.from('%PDF-1.7\n' + '\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f'.repeat(20), 'latin1'))).toBeNull();
  });

  it('decodes UTF-8, UTF-16 with a byte order mark and Windows-1252', () => {
    expect(decodeText(Buffer.from('\ufeffCafé', 'utf8'))).toBe('Café');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café;€', 'utf16le')]))).toBe('Café;€');
    expect(decodeText(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80]))).toBe('Café €');
    expect(looksBinary(Buffer.from('plain text\n'))).toBe(false);
  });
});

describe.skipIf(!HAVE_CORPUS)('detectFormat on every real file', () => {
  const expected: [RegExp, StatementFormat | null][] = [
    [/^coda/, 'coda'], [/camt053.*\.xml$/, 'camt.053'], [/camt054.*\.xml$/, 'camt.054'], [/\.ofx$/, 'ofx'], [/\.qif$/, 'qif'], [/\.csv$/, 'csv'],
    [/\.(pydata|md)$/, null],
  ];
  for (const name of HAVE_CORPUS ? readdirSync(CORPUS) : []) {
    it(name, () => {
      const rule = expected.find(([pattern]) => pattern.test(name));
      expect(rule, `no expectation for ${name}`).toBeDefined();
      expect(detectFormat(corpusFile(name))).toBe(rule?.[1]);
    });
  }
});

describe('parseStatementFile', () => {
  const QIF = Buffer.from('!Type:Bank\nD8/24/13\nT-80.00\nPAgrolait\n^\n');

  it('detects the format and runs its parser', () => {
    const events: StatementEvent[] = [...parseStatementFile(QIF)];
    expect(events.map((e) => e.type)).toEqual(['statement', 'entry', 'end']);
    expect(events[1]).toMatchObject({ entry: { amount: -8000, counterpartyName: 'Agrolait' } });
  });

  it('follows the format the user chose, with its options', () => {
    const csv = Buffer.from('Date;Amount\n03/04/2024;12.50\n');
    const profile = { name: 'p', decimalComma: false, dateFormat: 'MM/DD/YYYY', columns: { date: 'Date', amount: 'Amount' } };
    const [, entry] = [...parseStatementFile(csv, { format: 'csv', csvProfile: profile })];
    expect(entry).toMatchObject({ type: 'entry', entry: { bookingDate: '2024-03-04', amount: 1250 } });
    expect(failure(() => [...parseStatementFile(QIF, { format: 'ofx' })]).key).toBe('bank.ofx_malformed');
  });

  it('refuses files too large, binary, empty or of no known format, before parsing', () => {
    expect(MAX_STATEMENT_BYTES).toBe(200_000_000);
    expect(failure(() => parseStatementFile(QIF, { maxBytes: 10 })).key).toBe('bank.too_large');
    expect(failure(() => parseStatementFile(Buffer.alloc(1000))).key).toBe('bank.binary');
    expect(failure(() => parseStatementFile(Buffer.alloc(0))).key).toBe('bank.unknown_format');
    expect(failure(() => parseStatementFile(Buffer.from('Dear treasurer,\nhello'))).key).toBe('bank.unknown_format');
    expect(failure(() => parseStatementFile(QIF, { format: 'mt940' as StatementFormat }))).toMatchObject({ key: 'bank.unknown_format', detail: 'mt940' });
    expect(isStatementFormat('camt.054')).toBe(true);
  });

  it.skipIf(!HAVE_CORPUS)('reads every real statement file it detects (the refused OFX aside)', () => {
    for (const name of readdirSync(CORPUS).filter((n) => !/\.(pydata|md)$/.test(n))) {
      const run = () => [...parseStatementFile(corpusFile(name))];
      if (name === 'test_ofx_wrong.ofx') expect(failure(run).key, name).toBe('bank.ofx_missing_element');
      else expect(run().filter((e) => e.type === 'statement').length, name).toBeGreaterThan(0);
    }
  });
});
