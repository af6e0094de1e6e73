import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateReader, guessCsvProfile, guessDateFormat, parseCsv } from './csv.js';
import { plainAmount } from './detect.js';
import { type CsvProfile, type ParsedEntry, type ParsedStatementHeader, StatementError, type StatementEvent } from './types.js';
import { corpusFile, haveCorpus, statementFailure } from '../../../../test/helpers/statements.js';
import { shown } from '../../../../test/helpers/refusals.js';

const HAVE_CORPUS = haveCorpus('CSV');

function collect(events: Iterable<StatementEvent>): { header: ParsedStatementHeader; entries: ParsedEntry[] } {
  const list = [...events];
  expect(list.map((e) => e.type)).toEqual(['statement', ...list.slice(1, -1).map(() => 'entry'), 'end']);
  const first = list[0];
  if (first.type !== 'statement') throw new Error('no statement');
  return { header: first.header, entries: list.flatMap((e) => (e.type === 'entry' ? [e.entry] : [])) };
}

const parse = (bytes: Buffer | string, csvProfile?: CsvProfile) =>
  collect(parseCsv(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, { csvProfile }));
const corpus = (name: string): Buffer => corpusFile(name);
const facts = (entries: ParsedEntry[]) => entries.map((e) => [e.bookingDate, e.amount, e.currency, e.counterpartyName]);

const failure = statementFailure;

const BELGIAN: CsvProfile = {
  name: 'Banque belge',
  delimiter: ';',
  decimalComma: true,
  dateFormat: 'DD/MM/YYYY',
  columns: {
    date: 'Date', valueDate: 'Date valeur', amount: 'Montant', currency: 'Devise', counterpartyName: 'Contrepartie',
    counterpartyAccount: 'Compte contrepartie', communication: 'Communication', reference: 'Communication structurée',
    bankReference: 'Numéro de séquence',
  },
};
const BELGIAN_CSV = [
  'Numéro de séquence;Date;Date valeur;Montant;Devise;Contrepartie;Compte contrepartie;Communication;Communication structurée',
  '2024-0001;02/01/2024;03/01/2024;25,00;EUR;Alice Martin;BE71 0961 2345 6769;cotisation;+++090/9337/55493+++',
  '2024-0002;15/01/2024;15/01/2024;-1.525,50;EUR;Datacentre SA;123-4567890-12;"facture; janvier";',
  '2024-0003;31/01/2024;;1 000,00;;"Bob ""the"" Builder";;;RF18 5390 0754 7034',
].join('\r\n');

describe('CSV with a profile', () => {
  it('reads a semicolon file with decimal commas, thousands separators and every mapped column', () => {
    const { header, entries } = parse(BELGIAN_CSV, BELGIAN);
    expect(header).toEqual({
      format: 'csv', account: { iban: null, number: null, bic: null, holder: null, currency: 'EUR' }, statementId: null, date: null, opening: null,
    });
    expect(entries.map((e) => [e.bookingDate, e.valueDate, e.amount, e.counterpartyName, e.identity])).toEqual([
      ['2024-01-02', '2024-01-03', 2500, 'Alice Martin', '2024-0001'],
      ['2024-01-15', '2024-01-15', -152550, 'Datacentre SA', '2024-0002'],
      ['2024-01-31', null, 100000, 'Bob "the" Builder', '2024-0003'],
    ]);
    expect(entries[0]).toMatchObject({ counterpartyIban: 'BE71096123456769', counterpartyAccount: null, structuredReference: '090933755493', communication: 'cotisation' });
    expect(entries[1]).toMatchObject({ counterpartyIban: null, counterpartyAccount: '123-4567890-12', communication: 'facture; janvier', structuredReference: null });
    expect(entries[2]).toMatchObject({ structuredReference: 'RF18539007547034', currency: 'EUR' });
    expect(entries[1].raw).toBe('2024-0002;15/01/2024;15/01/2024;-1.525,50;EUR;Datacentre SA;123-4567890-12;"facture; janvier";');
  });

  it('gives up identities when bank references repeat (content then tells movements apart)', () => {
    const { entries } = parse(BELGIAN_CSV.replace('2024-0003', '2024-0001'), BELGIAN);
    expect(entries.map((e) => e.identity)).toEqual([null, null, null]);
    expect(entries.map((e) => e.bankReference)).toEqual(['2024-0001', '2024-0002', '2024-0001']);
  });

  it('reads debit and credit columns, and column numbers', () => {
    const text = 'Datum,Omschrijving,Af,Bij\n2024-03-01,Hosting,"1,234.50",\n2024-03-02,Dues,,40\n';
    const profile: CsvProfile = { name: 'nl', decimalComma: false, dateFormat: 'YYYY-MM-DD', currency: 'usd', columns: { date: '1', communication: '2', debit: 'af', credit: 'BIJ' } };
    const { header, entries } = parse(text, profile);
    expect(header.account.currency).toBe('USD');
    expect(entries.map((e) => [e.bookingDate, e.amount, e.currency, e.communication])).toEqual([
      ['2024-03-01', -123450, 'USD', 'Hosting'],
      ['2024-03-02', 4000, 'USD', 'Dues'],
    ]);
  });

  it('reads an unsigned amount with a D/C indicator, and Windows-1252 text', () => {
    const text = Buffer.from('Date;Montant;Sens;Libellé\n01.02.2024;12,50;D;Café\n02.02.2024;-7,00;C;Dépôt\n', 'latin1');
    const profile: CsvProfile = { name: 'fr', encoding: 'windows-1252', decimalComma: true, dateFormat: 'DD.MM.YYYY', columns: { date: 'Date', amount: 'Montant', indicator: 'Sens', communication: 'Libellé' }, debitValues: ['d'] };
    const { entries } = parse(text, profile);
    expect(entries.map((e) => [e.bookingDate, e.amount, e.communication])).toEqual([['2024-02-01', -1250, 'Café'], ['2024-02-02', 700, 'Dépôt']]);
  });

  it("sets the account's IBAN from the profile", () => {
    const { header } = parse(BELGIAN_CSV, { ...BELGIAN, accountIban: 'be68 5390 0754 7034' });
    expect(header.account.iban).toBe('BE68539007547034');
    expect(failure(() => parse(BELGIAN_CSV, { ...BELGIAN, accountIban: 'BE00 1234' })).key).toBe('bank.csv_profile_invalid');
  });

  it('refuses a bad date, a bad amount and a bad currency, naming the line', () => {
    const date = failure(() => parse(BELGIAN_CSV.replace('15/01/2024;15/01/2024', '32/01/2024;15/01/2024'), BELGIAN));
    expect([date.key, date.where]).toEqual(['bank.bad_date', 'line 3']);
    expect(shown(date)).toBe('A date cannot be read (line 3): "32/01/2024" does not match the date format DD/MM/YYYY');
    expect(shown(date, 'fr')).toBe('Une date est illisible (ligne 3) : « 32/01/2024 » ne suit pas le format de date DD/MM/YYYY');
    const amount = failure(() => parse(BELGIAN_CSV.replace('-1.525,50', '-1,525.50'), BELGIAN));
    expect([amount.key, amount.where]).toEqual(['bank.bad_amount', 'line 3']);
    const currency = failure(() => parse(BELGIAN_CSV.replace('25,00;EUR', '25,00;€€'), BELGIAN));
    expect([currency.key, currency.where]).toEqual(['bank.csv_bad_currency', 'line 2']);
  });

  it('refuses a profile naming a column the file lacks, or without date or amount', () => {
    const missing = failure(() => parse(BELGIAN_CSV, { ...BELGIAN, columns: { ...BELGIAN.columns, amount: 'Bedrag' } }));
    expect(missing.key).toBe('bank.csv_missing_column');
    expect(shown(missing)).toBe('A column of the profile is missing from the file (-). Amount column: no column "Bedrag"');
    expect(shown(missing, 'nl')).toBe('Een kolom van het profiel ontbreekt in het bestand (-). Kolom met het bedrag: geen kolom "Bedrag"');
    expect(failure(() => parse(BELGIAN_CSV, { ...BELGIAN, columns: { date: 'Date' } })).key).toBe('bank.csv_profile_invalid');
    expect(failure(() => parse(BELGIAN_CSV, { ...BELGIAN, dateFormat: 'DD/MM' })).key).toBe('bank.csv_profile_invalid');
  });

  it('refuses a broken quote with its line', () => {
    const error = failure(() => parse(`${BELGIAN_CSV}\n2024-0004;01/02/2024;;5,00;EUR;"Unclosed;;;`, BELGIAN));
    expect([error.key, error.where]).toEqual(['bank.csv_unreadable', 'line 5']);
  });
});

describe('guessing a profile', () => {
  it('maps French headers and detects day-first dates and decimal commas', () => {
    const { profile, doubts } = guessCsvProfile(Buffer.from(BELGIAN_CSV));
    expect(doubts).toEqual([]);
    expect(profile).toMatchObject({ delimiter: ';', encoding: 'utf-8', decimalComma: true, dateFormat: 'DD/MM/YYYY' });
    expect(profile.columns).toEqual({
      date: 'Date', valueDate: 'Date valeur', amount: 'Montant', currency: 'Devise', counterpartyName: 'Contrepartie',
      counterpartyAccount: 'Compte contrepartie', communication: 'Communication', reference: 'Communication structurée',
      bankReference: 'Numéro de séquence',
    });
    expect(facts(parse(BELGIAN_CSV).entries)).toEqual(facts(parse(BELGIAN_CSV, BELGIAN).entries));
  });

  it('maps Dutch headers, debit and credit columns, and the own account column', () => {
    const text = 'Rekening;Boekingsdatum;Valutadatum;Tegenpartij;Naam tegenpartij;Mededeling;Debet;Credit\n'
      + 'BE68 5390 0754 7034;2024-01-02;2024-01-02;BE71096123456769;Alice;lidgeld;;25,00\n'
      + 'BE68 5390 0754 7034;2024-01-03;2024-01-03;BE62510007547061;Provider;factuur;99,95;\n';
    const { profile, doubts } = guessCsvProfile(Buffer.from(text));
    expect(doubts).toEqual([]);
    expect(profile).toMatchObject({ decimalComma: true, dateFormat: 'YYYY-MM-DD', accountIban: 'BE68539007547034' });
    expect(profile.columns).toEqual({
      date: 'Boekingsdatum', valueDate: 'Valutadatum', debit: 'Debet', credit: 'Credit', counterpartyName: 'Naam tegenpartij',
      counterpartyAccount: 'Tegenpartij', communication: 'Mededeling',
    });
    const { header, entries } = parse(text);
    expect(header.account.iban).toBe('BE68539007547034');
    expect(entries.map((e) => [e.amount, e.counterpartyIban])).toEqual([[2500, 'BE71096123456769'], [-9995, 'BE62510007547061']]);
  });

  it('reports what it cannot tell, and parsing without a profile then asks for one', () => {
    const text = 'When;What;How much\n03/04/2024;x;1\n';
    const { doubts } = guessCsvProfile(Buffer.from(text));
    expect(doubts).toEqual(['date', 'amount', 'dateFormat']);
    const ambiguous = 'Date;Amount\n03/04/2024;12.50\n05/06/2024;1.00\n';
    expect(guessCsvProfile(Buffer.from(ambiguous)).doubts).toEqual(['dateFormat']);
    expect(failure(() => parse(ambiguous))).toMatchObject({ key: 'bank.csv_profile_needed', detail: 'dateFormat' });
  });

  it('guesses date formats from their values', () => {
    expect(guessDateFormat(['12/15/2018', '01/02/2018'])).toEqual({ format: 'MM/DD/YYYY', sure: true });
    expect(guessDateFormat(['15.12.18'])).toEqual({ format: 'DD.MM.YY', sure: true });
    expect(guessDateFormat(['2018-12-15 10:00:00'])).toEqual({ format: 'YYYY-MM-DD', sure: true });
    expect(guessDateFormat(['20181215'])).toEqual({ format: 'YYYYMMDD', sure: true });
    expect(guessDateFormat(['05/05/2018'])).toEqual({ format: 'DD/MM/YYYY', sure: true });
    expect(guessDateFormat(['05/06/2018'])).toEqual({ format: 'DD/MM/YYYY', sure: false });
    expect(dateReader('D/M/YYYY')('5/1/2024')).toBe('2024-01-05');
    expect(dateReader('MM/DD/YYYY')('02/30/2024')).toBeNull();
  });

  it('reads amounts as banks write them', () => {
    expect(['1,525.00', '-33.50', '(12.00)', '12.00-', '+5', '€ 1,000', '.5'].map((a) => plainAmount(a, false))).toEqual(['1525.00', '-33.50', '-12.00', '-12.00', '5', '1000', '0.5']);
    expect(['1.525,00', '1 525,00', '-0,07', "1'525,5", '12,50 EUR'].map((a) => plainAmount(a, true))).toEqual(['1525.00', '1525.00', '-0.07', '1525.5', '12.50']);
    expect(['1,52', '1.525,00', '12a', '', '1,5,2'].map((a) => plainAmount(a, false))).toEqual([null, null, null, null, null]);
  });
});

describe('CSV currency', () => {
  it("reads rows without a currency in the profile's currency, else the chosen account's, else EUR", () => {
    const text = 'Date,Amount,Currency,Label\n01/20/2026,12.50,,a\n01/21/2026,3.00,GBP,b\n';
    const profile: CsvProfile = { name: 'p', decimalComma: false, dateFormat: 'MM/DD/YYYY', columns: { date: 'Date', amount: 'Amount', currency: 'Currency', communication: 'Label' } };
    const currencies = (options: { csvProfile: CsvProfile; currency?: string }) => [...parseCsv(Buffer.from(text), options)].flatMap((e) => (e.type === 'entry' ? [e.entry.currency] : []));
    expect(currencies({ csvProfile: profile, currency: 'USD' })).toEqual(['USD', 'GBP']);
    expect(currencies({ csvProfile: { ...profile, currency: 'CHF' }, currency: 'USD' })).toEqual(['CHF', 'GBP']);
    expect(currencies({ csvProfile: profile })).toEqual(['EUR', 'GBP']);
  });
});

describe.skipIf(!HAVE_CORPUS)('CSV corpus', () => {
  const ENGLISH: CsvProfile = {
    name: 'en', decimalComma: false, dateFormat: 'MM/DD/YYYY',
    columns: { date: 'Date', amount: 'Amount', counterpartyName: 'Partner Name', counterpartyAccount: 'Bank Account', communication: 'Label' },
  };

  it('sample_statement_en.csv: US dates and thousands separators; "Currency" goes with "Amount Currency", not the booked amount', () => {
    const guess = guessCsvProfile(corpus('sample_statement_en.csv'));
    expect(guess).toEqual({ profile: { ...ENGLISH, name: 'guess', delimiter: ',', encoding: 'utf-8' }, doubts: [] });
    const { entries } = parse(corpus('sample_statement_en.csv'));
    expect(facts(entries)).toEqual([['2018-12-15', -3350, 'EUR', 'John Doe'], ['2018-12-15', 152500, 'EUR', 'Azure Interior']]);
    expect(entries[0]).toMatchObject({ counterpartyAccount: '123456789', communication: 'Your best supplier on 12/15/2018', identity: null });
    expect(facts(parse(corpus('sample_statement_en.csv'), { ...ENGLISH, currency: 'USD' }).entries).map((f) => f[2])).toEqual(['USD', 'USD']);
  });

  it('debit_credit.csv: the D/C column gives the sign', () => {
    const guess = guessCsvProfile(corpus('debit_credit.csv'));
    expect(guess.doubts).toEqual([]);
    expect(guess.profile.columns).toMatchObject({ date: 'Date', amount: 'Amount', indicator: 'D/C' });
    const expected = [['2018-12-15', -3350, 'EUR', 'John Doe'], ['2018-12-15', 153350, 'EUR', 'Azure Interior']];
    expect(facts(parse(corpus('debit_credit.csv')).entries)).toEqual(expected);
    const profile: CsvProfile = { ...ENGLISH, columns: { ...ENGLISH.columns, indicator: 'D/C' }, debitValues: ['D'] };
    expect(facts(parse(corpus('debit_credit.csv'), profile).entries)).toEqual(expected);
  });

  it('multi_currency.csv: each entry in the currency of its row', () => {
    const guess = guessCsvProfile(corpus('multi_currency.csv'));
    expect(guess.doubts).toEqual([]);
    expect(guess.profile.columns.currency).toBe('Currency');
    const { header, entries } = parse(corpus('multi_currency.csv'));
    expect(facts(entries)).toEqual([['2018-12-15', -3350, 'USD', 'John Doe'], ['2018-12-15', 152500, 'EUR', 'Azure Interior']]);
    expect(header.account.currency).toBe('USD');
    const withProfile = parse(corpus('multi_currency.csv'), { ...ENGLISH, currency: 'EUR', columns: { ...ENGLISH.columns, currency: 'Currency' } });
    expect(withProfile.header.account.currency).toBe('EUR');
    expect(facts(withProfile.entries)).toEqual(facts(entries));
  });
});
