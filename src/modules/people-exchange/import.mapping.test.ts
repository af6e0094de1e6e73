import { describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { importOptionsInput } from './exchange.schema.js';
import { applyOverrides, autoMapping, checkMapping } from './import.mapping.js';
import { readImport } from './import.read.js';
import { isoDate, kindCode, languageCode, mapRow } from './import.values.js';

describe('autoMapping', () => {
  it('maps Galette database names, with nom_adh as the last name next to prenom_adh', () => {
    const headers = ['id_adh', 'nom_adh', 'prenom_adh', 'adresse_adh', 'adresse2_adh', 'cp_adh', 'ville_adh', 'pays_adh', 'tel_adh', 'gsm_adh', 'email_adh', 'info_adh', 'date_crea_adh', 'pseudo_adh'];
    expect(autoMapping(headers)).toEqual(['ignore', 'last_name', 'first_name', 'street', 'street', 'postal_code', 'city', 'country', 'phone', 'phone', 'emails', 'notes', 'joined_on', 'ignore']);
  });

  it('maps Galette display labels and Paheko headers, ignoring case and accents', () => {
    expect(autoMapping(['NOM', 'Prénom', 'Adresse e-mail', 'Adresse', 'Code postal', 'Ville', 'Pays', 'Téléphone', 'GSM', 'Date de création']))
      .toEqual(['last_name', 'first_name', 'emails', 'street', 'postal_code', 'city', 'country', 'phone', 'phone', 'joined_on']);
    expect(autoMapping(['Numéro', 'Nom & prénom', 'Adresse E-Mail', 'Adresse postale', 'Code postal', 'Ville', 'Pays', 'Numéro de téléphone', "Date d'inscription"]))
      .toEqual(['ignore', 'display_name', 'emails', 'street', 'postal_code', 'city', 'country', 'phone', 'joined_on']);
  });

  it('maps English and Dutch headers, and Ruche\'s own export labels in every language', () => {
    expect(autoMapping(['Naam', 'E-mailadres', 'Straat', 'Postcode', 'Gemeente', 'Taal', 'Lid sinds', 'Opmerkingen']))
      .toEqual(['display_name', 'emails', 'street', 'postal_code', 'city', 'language', 'joined_on', 'notes']);
    expect(autoMapping(['First name', 'Last name', 'E-mail', 'Mobile phone', 'Tags'])).toEqual(['first_name', 'last_name', 'emails', 'phone', 'tags']);
    expect(autoMapping(['ID', 'Nom de tri', "Date d'arrivée", 'Motif du départ', 'Adhésion 2026'])).toEqual(['ignore', 'sort_name', 'joined_on', 'left_reason', 'ignore']);
  });

  it('applies overrides by header name or column number, and refuses unknown columns', () => {
    const headers = ['Qui', 'Courriel', 'Divers'];
    expect(applyOverrides(headers, autoMapping(headers), { qui: 'display_name', '3': 'notes' })).toEqual(['display_name', 'emails', 'notes']);
    expect(() => applyOverrides(headers, autoMapping(headers), { Nope: 'notes' })).toThrow(AppError);
    expect(() => checkMapping(['emails', 'ignore'])).toThrow(AppError);
  });

  it('parses col=field pairs and refuses unknown fields', () => {
    expect(validate(importOptionsInput, { map: ['Qui=display_name', 'a=b=notes'], delimiter: 'tab', encoding: 'CP1252' }))
      .toMatchObject({ map: { Qui: 'display_name', 'a=b': 'notes' }, delimiter: '\t', encoding: 'windows-1252', dry_run: false });
    expect(() => validate(importOptionsInput, { map: 'Qui=nickname' })).toThrow(ValidationError);
  });
});

describe('cell values', () => {
  it('converts day-first dates and leaves anything else for validation to refuse', () => {
    expect(['2024-3-5', '05/03/2024', '5-3-2024', '05.03.2024', '2024-03-05 10:22:00', '05/03/2024 10:22'].map(isoDate)).toEqual(Array(6).fill('2024-03-05'));
    expect(isoDate('March 5th')).toBe('March 5th');
    expect(isoDate('31/02/2024')).toBe('2024-02-31');
  });

  it('reads languages and kinds in any of the three languages', () => {
    expect(['français', 'French', 'Nederlands', 'nl_BE', 'fr-BE', 'Engels', 'EN'].map(languageCode)).toEqual(['fr', 'fr', 'nl', 'nl', 'fr', 'en', 'en']);
    expect(languageCode('Deutsch')).toBe('Deutsch');
    expect(['Organisation', 'personne morale', 'Natuurlijk persoon', 'ASBL'].map(kindCode)).toEqual(['organisation', 'organisation', 'individual', 'organisation']);
  });

  it('combines first and last names, joins addresses and e-mail columns, takes the first phone', () => {
    const headers = ['Prénom', 'Nom', 'E-mail', 'E-mail 2', 'Tél', 'GSM', 'Adresse', 'Adresse 2'];
    const row = mapRow(4, ['Hélène', 'Dupont', 'a@x.org; b@x.org', 'c@x.org', '', '0470', 'Rue 1', 'Boîte 3'], headers, autoMapping(headers));
    expect(row.input).toEqual({ display_name: 'Hélène Dupont', sort_name: 'Dupont, Hélène', emails: 'a@x.org; b@x.org c@x.org', phone: '0470', street: 'Rue 1, Boîte 3' });
    expect(row.columns.display_name).toBe('Prénom');
    expect(row.columns.phone).toBe('GSM');
  });
});

describe('readImport', () => {
  it('maps a whole file and keeps sample values per column', () => {
    const read = readImport(Buffer.from('nom;prénom;courriel\r\nDupont;Hélène;h@x.org\r\n'));
    expect(read).toMatchObject({ delimiter: ';', encoding: 'utf-8', fields: ['last_name', 'first_name', 'emails'], samples: [['Dupont'], ['Hélène'], ['h@x.org']] });
    expect(read.rows[0]).toMatchObject({ line: 2, input: { display_name: 'Hélène Dupont', emails: 'h@x.org' } });
  });

  it('turns an unreadable file into a 422 naming the line', () => {
    try {
      readImport(Buffer.from('a;b\n1;"2\n3;4\n'));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 422, code: 'import_unreadable', key: 'import.bad_quotes', params: { line: 2 } });
    }
  });
});
