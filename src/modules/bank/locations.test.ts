import { describe, expect, it } from 'vitest';
import { t } from '../../i18n/index.js';
import { StatementError } from './parsers/types.js';
import { detailOf, fieldList, placeOf, statementErrorParams } from './locations.js';
import { inWords, saxesDetail } from './parsers/details.js';

describe('the places and field names of statement errors', () => {
  it('puts the words of a place in the reader’s language, keeping what follows', () => {
    const ofx = new StatementError('bank.ofx_missing_element', 'line 21 <STMTRS>', inWords('parse_detail.missing_elements', { names: ['<CURDEF>'] }));
    expect(t('fr', 'bank.ofx_missing_element', statementErrorParams(ofx))).toBe('Il manque au fichier OFX des éléments obligatoires (ligne 21 <STMTRS>) : <CURDEF>');
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

  it('translates a parser’s detail in words, keeping names, values and numbers as written', () => {
    const length = new StatementError('bank.coda_bad_record', 'line 5', inWords('parse_detail.coda_record_length', { length: 120, expected: 128 }));
    expect(t('en', 'bank.coda_bad_record', statementErrorParams(length))).toBe('Unexpected CODA record (line 5). The record has 120 characters instead of 128');
    expect(t('fr', 'bank.coda_bad_record', statementErrorParams(length))).toBe('Enregistrement CODA inattendu (ligne 5). L’enregistrement compte 120 caractères au lieu de 128');
    const field = new StatementError('bank.coda_bad_field', 'line 2', inWords('parse_detail.coda_bad_field', { field: { key: 'parse_detail.coda_field.creation_date' }, value: '310299' }));
    expect(t('nl', 'bank.coda_bad_field', statementErrorParams(field))).toBe('Een CODA-veld is onleesbaar (regel 2). Aanmaakdatum: "310299"');
    const column = new StatementError('bank.csv_missing_column', null, inWords('parse_detail.csv_column_not_found', { field: { field: 'debit' }, name: 'Débit' }));
    expect(t('fr', 'bank.csv_missing_column', statementErrorParams(column))).toBe('Une colonne du profil manque dans le fichier (-). Colonne des débits : aucune colonne « Débit »');
  });

  it('translates the XML parser’s common complaints, naming the element; an unknown one stays as the parser wrote it', () => {
    const detail = (message: string, locale: 'en' | 'fr' | 'nl') => t(locale, 'bank.xml_malformed', statementErrorParams(new StatementError('bank.xml_malformed', 'line 3 column 7', saxesDetail(message))));
    expect(detail('unclosed tag: Stmt', 'fr')).toBe('Le fichier XML est mal formé (ligne 3 colonne 7). L’élément <Stmt> n’est jamais fermé');
    expect(detail('unmatched closing tag: Ntry.', 'nl')).toBe('Het XML-bestand is misvormd (regel 3 kolom 7). De sluittag </Ntry> hoort bij geen open element');
    expect(detail('unexpected end.', 'en')).toBe('The XML file is malformed (line 3 column 7). The file ends too early');
    expect(detail('text data outside of root node.', 'fr')).toContain('Du texte hors de l’élément racine');
    expect(detail('disallowed character.', 'nl')).toContain('Een teken dat XML verbiedt');
    expect(detail('disallowed character in tag name.', 'fr')).toContain('Un caractère interdit dans un nom XML');
    expect(detail('something saxes says one day.', 'fr')).toBe('Le fichier XML est mal formé (ligne 3 colonne 7). something saxes says one day.');
  });

  it('shows a detail that only looks like one in words as it is', () => {
    expect(detailOf('parse_detail.no_such_thing {"a":1}')).toBe('parse_detail.no_such_thing {"a":1}');
    expect(detailOf('parse_detail.unexpected_text {broken')).toBe('parse_detail.unexpected_text {broken');
    expect(detailOf('20240231')).toBe('20240231');
  });
});
