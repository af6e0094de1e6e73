import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatementFile } from './index.js';
import { parseQif } from './qif.js';
import { type ParsedEntry, type ParseOptions, StatementError, type StatementEvent } from './types.js';
import { CORPUS, haveCorpus, statementFailure } from '../../../../test/helpers/statements.js';
import { shown } from '../../../../test/helpers/refusals.js';

const HAVE_CORPUS = haveCorpus('QIF');

function entries(events: Iterable<StatementEvent>): ParsedEntry[][] {
  const result: ParsedEntry[][] = [];
  for (const event of events) {
    if (event.type === 'statement') result.push([]);
    else if (event.type === 'entry') result[result.length - 1].push(event.entry);
  }
  return result;
}

const parse = (text: string, options?: ParseOptions): ParsedEntry[][] => entries(parseQif(Buffer.from(text, 'utf8'), options));
const dates = (text: string, options?: ParseOptions): string[] => parse(text, options).flat().map((e) => e.bookingDate);
const qif = (...dateTexts: string[]): string => `!Type:Bank\n${dateTexts.map((d) => `D${d}\nT10.00\n^\n`).join('')}`;

const failure = statementFailure;

describe('QIF', () => {
  it('refuses binary data past the start of the file, naming the movement', () => {
    const records = Array.from({ length: 4000 }, (_, i) => `D31/01/2026\nT10.00\nPPayer ${i}\n^\n`);
    records[3000] = 'D31/01/2026\nT10.00\nPPay\u0000er\n^\n';
    const error = failure(() => [...parseStatementFile(Buffer.from(`!Type:Bank\n${records.join('')}`, 'utf8'))]);
    expect(error).toMatchObject({ key: 'bank.binary_inside', where: '3001' });
  });

  it('reads the fields of a record', () => {
    const [[entry]] = parse('!Type:Bank\nD24.08.2013\nU1.000,50\nT1.000,50\nN1042\nPAlice Martin\nMcotisation 2013\nLDues\nCX\n^\n');
    expect(entry).toEqual({
      bookingDate: '2013-08-24', valueDate: null, amount: 100050, currency: 'EUR', counterpartyName: 'Alice Martin',
      counterpartyIban: null, counterpartyAccount: null, counterpartyBic: null, structuredReference: null,
      communication: 'cotisation 2013', bankReference: '1042', endToEndId: null, transactionId: null, identity: null,
      raw: 'D24.08.2013\nU1.000,50\nT1.000,50\nN1042\nPAlice Martin\nMcotisation 2013\nLDues\nCX\n^',
    });
  });

  it('reads the date styles Quicken and banks write', () => {
    expect(dates(qif("8/24'13", '08/24/2013', "1/ 5' 4", '12/31/99', '2013-08-24', '20130825'))).toEqual([
      '2013-08-24', '2013-08-24', '2004-01-05', '1999-12-31', '2013-08-24', '2013-08-25',
    ]);
    expect(dates(qif('24.08.2013', '03.04.2013'))).toEqual(['2013-08-24', '2013-04-03']);
  });

  it('asks for the date order when no date tells it, and follows the option', () => {
    const text = qif('03/04/2013', '05/06/2013', '07/07/2013');
    const error = failure(() => parse(text));
    expect([error.key, error.where, error.detail]).toEqual(['bank.qif_ambiguous_dates', 'line 2', '03/04/2013']);
    expect(dates(text, { qifDateOrder: 'dmy' })).toEqual(['2013-04-03', '2013-06-05', '2013-07-07']);
    expect(dates(text, { qifDateOrder: 'mdy' })).toEqual(['2013-03-04', '2013-05-06', '2013-07-07']);
    expect(dates(qif('13/08/24'), { qifDateOrder: 'ymd' })).toEqual(['2013-08-24']);
    expect(dates(qif('07/07/2013', '2013-01-02'))).toEqual(['2013-07-07', '2013-01-02']);
  });

  it('refuses dates in both orders, and a date the option contradicts', () => {
    const mixed = failure(() => parse(qif('24/08/2013', '08/25/2013')));
    expect([mixed.key, mixed.where]).toEqual(['bank.qif_mixed_dates', 'line 5']);
    const contradicted = failure(() => parse(qif('24/08/2013'), { qifDateOrder: 'mdy' }));
    expect([contradicted.key, contradicted.where, contradicted.detail]).toEqual(['bank.bad_date', 'line 2', '24/08/2013']);
  });

  it('refuses a bad amount, naming its line', () => {
    const error = failure(() => parse('!Type:Bank\nD8/24/13\nT-75.46\n^\nD8/25/13\nT-7x5.46\n^\n'));
    expect([error.key, error.where, error.detail]).toEqual(['bank.bad_amount', 'line 6', '-7x5.46']);
    const group = failure(() => parse('!Type:Bank\nD8/24/13\nT-75.46\n^\nD8/25/13\nT1,00.00\n^\n'));
    expect([group.key, group.where]).toEqual(['bank.bad_amount', 'line 6']);
  });

  it('refuses a record without date or amount, and a last record without ^', () => {
    const noDate = failure(() => parse('!Type:Bank\nT-75.46\nPX\n^\n'));
    expect(noDate).toMatchObject({ key: 'bank.qif_missing_field', where: 'line 2' });
    expect(shown(noDate)).toBe('A QIF record lacks a required field (line 2). D (date)');
    const noAmount = failure(() => parse('!Type:Bank\nD8/24/13\nPX\n^\n'));
    expect(noAmount).toMatchObject({ key: 'bank.qif_missing_field', where: 'line 2' });
    expect(shown(noAmount, 'fr')).toBe('Il manque un champ obligatoire à un enregistrement QIF (ligne 2). T (montant)');
    expect(shown(noAmount, 'nl')).toContain('(regel 2). T (bedrag)');
    expect(failure(() => parse('!Type:Bank\nD8/24/13\nT-75.46\n^\nD8/25/13\nT-7'))).toMatchObject({ key: 'bank.qif_truncated', where: 'line 5' });
    expect(failure(() => parse('D8/24/13\nT-75.46\n^\n'))).toMatchObject({ key: 'bank.qif_malformed', where: 'line 1' });
  });

  it('reads each register section as a statement and skips lists that are not movements', () => {
    const text = '!Option:AutoSwitch\n!Account\nNChecking\nTBank\n^\n!Clear:AutoSwitch\n!Type:Cat\nNDues\nI\n^\n'
      + '!Type:Bank\nD1/2/2024\nT25.00\nPAlice\n^\n!Type:CCard\r\nD1/20/2024\r\nT-9.99\r\nPRegistrar\r\n^\r\n';
    const result = parse(text);
    expect(result.map((s) => s.map((e) => [e.bookingDate, e.amount, e.counterpartyName]))).toEqual([
      [['2024-01-02', 2500, 'Alice']],
      [['2024-01-20', -999, 'Registrar']],
    ]);
  });
});

describe('QIF currency', () => {
  it('reads amounts in the currency of the chosen account, EUR when none is given', () => {
    const text = '!Type:Bank\nD01/15/2026\nT-12.50\nPShop\n^\n';
    const events = [...parseQif(Buffer.from(text), { currency: 'USD' })];
    expect(events[0]).toMatchObject({ type: 'statement', header: { account: { currency: 'USD' } } });
    expect(parse(text, { currency: 'USD' })[0].map((e) => [e.amount, e.currency])).toEqual([[-1250, 'USD']]);
    expect(parse('!Type:Bank\nD01/15/2026\nT-1200\n^\n', { currency: 'JPY' })[0].map((e) => [e.amount, e.currency])).toEqual([[-1200, 'JPY']]);
    expect(parse(text)[0][0].currency).toBe('EUR');
  });
});

describe.skipIf(!HAVE_CORPUS)('QIF corpus', () => {
  it('test_qif.qif: five debits in US date order', () => {
    const [statement, ...others] = entries(parseQif(readFileSync(join(CORPUS, 'test_qif.qif'))));
    expect(others).toEqual([]);
    expect(statement.map((e) => [e.bookingDate, e.amount, e.counterpartyName, e.identity])).toEqual([
      ['2013-08-12', -100000, 'Delta PC', null],
      ['2013-08-15', -7546, 'Walts Drugs', null],
      ['2013-03-03', -37900, 'Epic Technologies', null],
      ['2013-03-04', -2028, 'YOUR LOCAL SUPERMARKET', null],
      ['2013-03-03', -42135, 'SPRINGFIELD WATER UTILITY', null],
    ]);
  });
});
