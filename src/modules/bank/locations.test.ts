import { describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { StatementError } from './parsers/types.js';
import { fieldList, placeOf, statementErrorParams } from './locations.js';

describe('the places and field names of statement errors', () => {
  it('puts the words of a place in the reader’s language, keeping what follows', () => {
    const ofx = new StatementError('bank.ofx_missing_element', 'line 21 <STMTRS>', 'missing <CURDEF>');
    expect(t('fr', 'bank.ofx_missing_element', statementErrorParams(ofx))).toBe('Il manque au fichier OFX des éléments obligatoires (ligne 21 <STMTRS>) : missing <CURDEF>');
    expect(t('nl', 'bank.coda_truncated', statementErrorParams(new StatementError('bank.coda_truncated', 'line 16')))).toBe('Het CODA-bestand is onvolledig (regel 16).');
    expect(t('en', 'bank.coda_truncated', statementErrorParams(new StatementError('bank.coda_truncated', 'line 16')))).toBe('The CODA file is cut short (line 16).');
    expect(t('fr', 'bank.xml_malformed', { where: placeOf('line 3 column 7'), detail: '' })).toContain('(ligne 3 colonne 7)');
    expect(t('nl', 'bank.xml_malformed', { where: placeOf('line 3 column 7'), detail: '' })).toContain('(regel 3 kolom 7)');
    expect(placeOf('Document/BkToCstmrStmt/Stmt[1]')).toBe('Document/BkToCstmrStmt/Stmt[1]'); // a path has no words to translate
    expect(t('nl', 'bank.xml_hostile', { where: placeOf('Document/BkToCstmrStmt/Stmt/Id, line 2 column 5') })).toContain('(Document/BkToCstmrStmt/Stmt/Id, regel 2 kolom 5)');
    expect(statementErrorParams(new StatementError('bank.not_camt', null)).where).toBe('-');
  });

  it('names the CSV profile’s doubts as a treasurer knows them, not by their internal names', () => {
    const needed = new StatementError('bank.csv_profile_needed', null, 'amount, dateFormat');
    const fr = t('fr', 'bank.csv_profile_needed', statementErrorParams(needed));
    expect(fr).toContain('(colonne du montant, ordre du jour et du mois dans les dates)');
    expect(t('nl', 'bank.csv_profile_needed', { detail: fieldList('decimal') })).toContain('(decimaalteken)');
    expect(t('en', 'bank.csv_profile_needed', { detail: fieldList('somethingNew') })).toContain('(somethingNew)');
  });
});
