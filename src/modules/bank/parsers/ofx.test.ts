import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOfx } from './ofx.js';
import { type ParsedBalance, type ParsedEntry, type ParsedStatementHeader, StatementError, type StatementEvent } from './types.js';
import { CORPUS, corpusFile, haveCorpus, statementFailure } from '../../../../test/helpers/statements.js';
import { shown } from '../../../../test/helpers/refusals.js';

const HAVE_CORPUS = haveCorpus('OFX');

interface Statement {
  header: ParsedStatementHeader;
  entries: ParsedEntry[];
  closing: ParsedBalance | null;
}

function collect(events: Iterable<StatementEvent>): Statement[] {
  const result: Statement[] = [];
  for (const event of events) {
    if (event.type === 'statement') result.push({ header: event.header, entries: [], closing: null });
    else if (event.type === 'entry') result[result.length - 1].entries.push(event.entry);
    else result[result.length - 1].closing = event.closing;
  }
  return result;
}

const parse = (text: string): Statement[] => collect(parseOfx(Buffer.from(text, 'utf8')));
const corpus = (name: string): Statement[] => collect(parseOfx(corpusFile(name)));

const failure = statementFailure;

const SGML = `OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240131120000<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1>
<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>EUR
<BANKACCTFROM><BANKID>GEBABEBB<ACCTID>BE68 5390 0754 7034<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240101<DTEND>20240131235959.000[+1:CET]
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>20240105120000.000[+1:CET]
<DTAVAIL>20240106
<TRNAMT>25,00
<FITID>A1
<NAME>Alice &amp; Bob
<MEMO>cotisation 2024
<BANKACCTTO><BANKID>KREDBEBB<ACCTID>BE71 0961 2345 6769<ACCTTYPE>CHECKING</BANKACCTTO>
</STMTTRN>
<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20240106<TRNAMT>-80.00</TRNAMT><FITID>A2</FITID><CHECKNUM>12<REFNUM>R-9<PAYEE><NAME>Datacentre SA<ADDR1>Rue 1</PAYEE></STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>1000.5<DTASOF>20240131</LEDGERBAL>
</STMTRS>
</STMTTRNRS>
<STMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>123456789<ACCTID>987654<ACCTTYPE>SAVINGS</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240101<DTEND>20240131
<STMTTRN><TRNTYPE>INT<DTPOSTED>20240131<TRNAMT>.07<FITID>I-1</STMTTRN>
</BANKTRANLIST>
</STMTRS>
</STMTTRNRS>
</BANKMSGSRSV1>
</OFX>
`;

describe('OFX 1.x (SGML)', () => {
  it('reads unclosed leaf elements, several statements, payees and counterparty accounts', () => {
    const [first, second] = parse(SGML);
    expect(first.header).toEqual({
      format: 'ofx',
      account: { iban: 'BE68539007547034', number: 'BE68 5390 0754 7034', bic: 'GEBABEBB', holder: null, currency: 'EUR' },
      statementId: 'BE68 5390 0754 7034 2024-01-01/2024-01-31',
      date: '2024-01-31',
      opening: null,
    });
    expect(first.entries.map((e) => [e.bookingDate, e.valueDate, e.amount, e.counterpartyName, e.identity])).toEqual([
      ['2024-01-05', '2024-01-06', 2500, 'Alice & Bob', 'A1'],
      ['2024-01-06', null, -8000, 'Datacentre SA', 'A2'],
    ]);
    expect(first.entries[0]).toMatchObject({
      communication: 'cotisation 2024', counterpartyIban: 'BE71096123456769', counterpartyBic: 'KREDBEBB', bankReference: 'A1',
    });
    expect(first.entries[0].raw).toMatch(/^<STMTTRN>\n<TRNTYPE>CREDIT[\s\S]*<\/STMTTRN>$/);
    expect(first.entries[1].transactionId).toBe('R-9');
    expect(first.closing).toEqual({ amount: 100050, date: '2024-01-31' });
    expect(second.header.account).toMatchObject({ iban: null, number: '987654', bic: null, currency: 'USD' });
    expect(second.entries.map((e) => e.amount)).toEqual([7]);
    expect(second.closing).toBeNull();
  });

  it('refuses a truncated file, naming the element left open', () => {
    const error = failure(() => parse(SGML.slice(0, SGML.indexOf('<FITID>A2'))));
    expect(error.key).toBe('bank.ofx_truncated');
    expect(error.where).toBe('line 28');
    expect(shown(error)).toBe('The OFX file is cut short (line 28). The file ends inside <STMTTRN>, opened on line 28');
    expect(shown(error, 'fr')).toBe('Le fichier OFX est incomplet (ligne 28). Le fichier s’arrête dans <STMTTRN>, ouvert à la ligne 28');
  });

  it('refuses a closing tag that closes nothing open, with its line', () => {
    const error = failure(() => parse(SGML.replace('</BANKACCTFROM>', '</BANKACCTTO>')));
    expect(error.key).toBe('bank.ofx_malformed');
    expect(error.where).toBe('line 16');
    expect(shown(error)).toBe('The OFX file is malformed (line 16). </BANKACCTTO> closes <BANKACCTFROM> (line 16)');
    expect(shown(error, 'nl')).toBe('Het OFX-bestand is misvormd (regel 16). </BANKACCTTO> sluit <BANKACCTFROM> (regel 16)');
  });

  it('refuses a bad amount or date, naming the element and line', () => {
    const amount = failure(() => parse(SGML.replace('<TRNAMT>25,00', '<TRNAMT>25 EUR,00')));
    expect([amount.key, amount.where]).toEqual(['bank.bad_amount', 'line 22 <TRNAMT>']);
    const date = failure(() => parse(SGML.replace('<DTPOSTED>20240106', '<DTPOSTED>20240231')));
    expect([date.key, date.where, date.detail]).toEqual(['bank.bad_date', 'line 28 <DTPOSTED>', '20240231']);
  });

  it('refuses a file without statements', () => {
    const error = failure(() => parse('OFXHEADER:100\n\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR</STATUS></SONRS></SIGNONMSGSRSV1></OFX>'));
    expect(error.key).toBe('bank.ofx_no_statement');
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<CCSTMTRS><CURDEF>EUR</CURDEF><CCACCTFROM><ACCTID>4111111111111111</ACCTID></CCACCTFROM>
<BANKTRANLIST><DTSTART>20240101</DTSTART><DTEND>20240131</DTEND>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240110</DTPOSTED><TRNAMT>-12.34</TRNAMT><FITID>C1</FITID><NAME>Registrar &lt;EU&gt;</NAME><MEMO><![CDATA[domain & DNS]]></MEMO></STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>-12.34</BALAMT><DTASOF>20240131</DTASOF></LEDGERBAL></CCSTMTRS>
</CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
`;

describe('OFX 2.x (XML)', () => {
  it('reads a credit card statement', () => {
    const [statement] = parse(XML);
    expect(statement.header.account).toEqual({ iban: null, number: '4111111111111111', bic: null, holder: null, currency: 'EUR' });
    expect(statement.entries[0]).toMatchObject({ amount: -1234, counterpartyName: 'Registrar <EU>', communication: 'domain & DNS', identity: 'C1' });
    expect(statement.entries[0].raw).toMatch(/^<STMTTRN><TRNTYPE>DEBIT<\/TRNTYPE>.*<\/STMTTRN>$/);
    expect(statement.closing).toEqual({ amount: -1234, date: '2024-01-31' });
  });

  it('refuses a DTD (and so any entity declaration)', () => {
    const hostile = XML.replace('<OFX>', '<!DOCTYPE OFX [<!ENTITY big "xxxxxxxx">]>\n<OFX>').replace('domain & DNS', '&big;');
    const error = failure(() => parse(hostile));
    expect([error.key, error.where]).toEqual(['bank.xml_hostile', 'line 3']);
  });

  it('refuses an undeclared entity and a truncated file, with the line', () => {
    const entity = failure(() => parse(XML.replace('Registrar &lt;EU&gt;', 'Registrar &eacute;')));
    expect([entity.key, entity.where]).toEqual(['bank.xml_malformed', 'line 6']);
    const truncated = failure(() => parse(XML.slice(0, XML.indexOf('</BANKTRANLIST>'))));
    expect(truncated.key).toBe('bank.xml_malformed');
    expect(shown(truncated)).toMatch(/<BANKTRANLIST> is never closed/);
    expect(shown(truncated, 'fr')).toMatch(/L’élément <BANKTRANLIST> n’est jamais fermé/);
  });

  it('refuses a mismatched closing tag', () => {
    const error = failure(() => parse(XML.replace('</FITID>', '</FITIDX>')));
    expect([error.key, error.where]).toEqual(['bank.xml_malformed', 'line 6']);
  });
});

describe.skipIf(!HAVE_CORPUS)('OFX corpus', () => {
  it('test_ofx.ofx: USD; first transaction -80 on 2013-08-24, FITID 219378, NAME Agrolait', () => {
    const [bank, card] = corpus('test_ofx.ofx');
    expect(bank.header.account).toEqual({ iban: null, number: '123456', bic: null, holder: null, currency: 'USD' });
    expect(bank.entries[0]).toMatchObject({ bookingDate: '2013-08-24', amount: -8000, currency: 'USD', identity: '219378', bankReference: '219378', counterpartyName: 'Agrolait' });
    expect(bank.entries.map((e) => e.amount)).toEqual([-8000, -9000, -10000, -9000]);
    expect(bank.entries.map((e) => e.identity)).toEqual(['219378', '219379', '219380', '219381']);
    expect(bank.header).toMatchObject({ statementId: '123456 2013-08-01/2013-08-31', date: '2013-08-31', opening: null });
    expect(bank.closing).toEqual({ amount: 215656, date: '2013-08-31' });
    expect(card.header.account).toMatchObject({ number: '123412341234', currency: 'USD' });
    expect(card.entries).toEqual([]);
    expect(card.closing).toEqual({ amount: -56200, date: '2013-08-31' });
  });

  it('test_ofx_iban.ofx: the same facts, and the French RIB (bank, branch, account) gives the IBAN', () => {
    const [bank] = corpus('test_ofx_iban.ofx');
    expect(bank.header.account).toMatchObject({ iban: 'FR7630001007941234567890185', number: '12345678901', currency: 'USD' });
    expect(bank.entries[0]).toMatchObject({ bookingDate: '2013-08-24', amount: -8000, identity: '219378', counterpartyName: 'Agrolait' });
  });

  it('test_ofx_wrong.ofx: refused before anything is yielded, naming the element and line', () => {
    const events: StatementEvent[] = [];
    const error = failure(() => {
      for (const event of parseOfx(readFileSync(join(CORPUS, 'test_ofx_wrong.ofx')))) events.push(event);
    });
    expect(events).toEqual([]);
    expect([error.key, error.where]).toEqual(['bank.ofx_missing_element', 'line 21 <STMTRS>']);
    expect(shown(error)).toBe('The OFX file lacks required elements (line 21 <STMTRS>): missing <CURDEF>, <BANKACCTFROM>');
    expect(shown(error, 'fr')).toBe('Il manque au fichier OFX des éléments obligatoires (ligne 21 <STMTRS>) : <CURDEF>, <BANKACCTFROM>');
  });

  it('test_ofx_wrong.ofx: a transaction without date, amount and id is named too', () => {
    const fixedAccount = readFileSync(join(CORPUS, 'test_ofx_wrong.ofx'), 'utf8')
      .replace('<!-- <CURDEF>USD</CURDEF>', '<CURDEF>USD</CURDEF>')
      .replace('</BANKACCTFROM> -->', '</BANKACCTFROM>');
    const error = failure(() => parse(fixedAccount));
    expect([error.key, error.where]).toEqual(['bank.ofx_missing_element', 'line 42 <STMTTRN>']);
    expect(shown(error)).toBe('The OFX file lacks required elements (line 42 <STMTTRN>): missing <DTPOSTED>, <TRNAMT>, <FITID>');
  });
});
