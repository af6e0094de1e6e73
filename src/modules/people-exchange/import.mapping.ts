// Guesses which person field each column of a member list fills, from header names in English, French, Dutch,
// Galette and Paheko, and applies the user's `col=field` overrides.
import { AppError } from '../../core/errors.js';
import { fold } from '../../core/text.js';
import { LOCALES } from '../../i18n/define.js';
import { peopleMessages } from '../people/people.i18n.js';
import { exchangeMessages } from './exchange.i18n.js';
import type { ImportField } from './exchange.schema.js';

/** Lower-case, accent-free header with punctuation turned into single spaces: `Adresse E-Mail` -> `adresse e mail`. */
export function normalizeHeader(header: string): string {
  return fold(header).replace(/[^a-z0-9]+/g, ' ').trim();
}

const SYNONYMS: Partial<Record<ImportField, string[]>> = {
  display_name: [
    'display name', 'full name', 'nom prenom', 'nom et prenom', 'prenom nom', 'prenom et nom', 'nom complet', 'nom affiche',
    'identite', 'denomination', 'raison sociale', 'volledige naam', 'weergavenaam', 'naam en voornaam', 'voornaam en naam',
    'voornaam naam', 'naam voornaam',
  ],
  first_name: ['first name', 'firstname', 'given name', 'forename', 'prenom', 'prenom adh', 'voornaam', 'roepnaam'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'nom de famille', 'nom adh', 'achternaam', 'familienaam', 'famillienaam'],
  sort_name: ['sort name', 'sort as', 'nom de tri', 'sorteernaam'],
  kind: ['kind', 'type', 'person type', 'type de personne', 'type de membre', 'soort', 'type persoon', 'soort persoon'],
  postal_code: ['postal code', 'postcode', 'post code', 'zip', 'zip code', 'zipcode', 'code postal', 'cp', 'cp adh', 'npa'],
  city: ['city', 'town', 'ville', 'ville adh', 'localite', 'commune', 'gemeente', 'stad', 'woonplaats', 'plaats'],
  country: ['country', 'pays', 'pays adh', 'land'],
  language: ['language', 'lang', 'langue', 'langue preferee', 'pref lang', 'pref lang adh', 'taal', 'voorkeurstaal', 'voorkeurtaal'],
  tags: ['tags', 'tag', 'labels', 'label', 'etiquettes', 'etiquette', 'mots cles', 'categorie', 'category', 'categorieen', 'trefwoorden'],
  notes: [
    'notes', 'note', 'remarks', 'remark', 'comments', 'comment', 'remarques', 'remarque', 'commentaire', 'commentaires',
    'info adh', 'informations', 'autres informations', 'autres informations admin', 'opmerkingen', 'opmerking', 'notities', 'notitie',
  ],
  joined_on: [
    'joined', 'joined on', 'date joined', 'member since', 'membership date', 'date d inscription', 'date inscription', 'inscription',
    'date de creation', 'date crea adh', 'date d adhesion', 'date adhesion', 'adhesion', 'date d arrivee', 'lid sinds',
    'datum inschrijving', 'inschrijvingsdatum', 'datum van inschrijving', 'datum lidmaatschap', 'datum van aansluiting',
  ],
  left_on: ['left', 'left on', 'date left', 'date de depart', 'date depart', 'date de sortie', 'datum vertrek', 'datum van vertrek', 'uitschrijvingsdatum'],
  left_reason: ['reason', 'left reason', 'reason left', 'motif', 'motif du depart', 'motif de depart', 'reden', 'reden vertrek', 'reden van vertrek'],
  iban: [
    'compte', 'comptes', 'compte bancaire', 'comptes bancaires', 'numero de compte', 'n de compte', 'no de compte', 'num compte',
    'rekening', 'rekeningen', 'rekeningnummer', 'rekeningnummers', 'rekening nummer', 'bankrekening', 'bankrekeningnummer',
    'account', 'accounts', 'bank account', 'bank accounts', 'account number', 'bank account number',
  ],
  ignore: [
    'id', 'id adh', 'numero', 'numero de membre', 'number', 'nummer', 'lidnummer', 'member number',
    'reference', 'payment reference', 'reference de paiement', 'communication', 'communication structuree', 'mededeling',
    'gestructureerde mededeling', 'betalingsreferentie',
  ],
};

/** Plain "name" headers: the full name, unless the file also has a first-name column (then it is the last name). */
const AMBIGUOUS_NAMES = new Set(['name', 'nom', 'naam', 'nom adh']);

/** Headers recognised by a word they contain (several e-mail, phone or address columns are common). */
const CONTAINS: [RegExp, ImportField][] = [
  [/\b(iban\w*|bankrekening\w*|rekeningnummer\w*)\b/, 'iban'],
  [/\b(e ?mail\w*|courriel|mail)\b/, 'emails'],
  [/\b(tel|telephone|phone|gsm|mobile|portable|telefoon\w*|mobiel|gsm adh|tel adh)\b/, 'phone'],
  [/\b(adresse?\d*|address\w*|street|straat|rue|adres)\b/, 'street'],
];

/** The person form's own labels (people.*) in every language, so re-importing an export maps itself. */
const LABEL_FIELDS: [string, ImportField][] = [
  ['people.display_name', 'display_name'], ['people.sort_name', 'sort_name'], ['people.kind', 'kind'], ['people.emails', 'emails'],
  ['people.phone', 'phone'], ['people.street', 'street'], ['people.postal_code', 'postal_code'], ['people.city', 'city'],
  ['people.country', 'country'], ['people.language', 'language'], ['people.tags', 'tags'], ['people.notes', 'notes'],
  ['people.joined_on', 'joined_on'], ['people.left_on', 'left_on'], ['people.left_reason', 'left_reason'],
];

/** The export's own extra columns: its IBANs come back as IBANs, its payment reference (derived from the id) is skipped. */
const EXPORT_FIELDS: [string, ImportField][] = [['exchange.col.ibans', 'iban'], ['exchange.col.reference', 'ignore'], ['exchange.col.reference_rf', 'ignore']];

const EXACT: Map<string, ImportField> = buildExact();

function buildExact(): Map<string, ImportField> {
  const exact = new Map<string, ImportField>();
  for (const [key, field] of LABEL_FIELDS) {
    for (const locale of LOCALES) exact.set(normalizeHeader(peopleMessages[locale][key as keyof (typeof peopleMessages)['en']]), field);
  }
  for (const [key, field] of EXPORT_FIELDS) {
    for (const locale of LOCALES) exact.set(normalizeHeader(exchangeMessages[locale][key as keyof (typeof exchangeMessages)['en']]), field);
  }
  for (const [field, names] of Object.entries(SYNONYMS)) for (const name of names) exact.set(name, field as ImportField);
  return exact;
}

function guess(header: string): ImportField {
  const name = normalizeHeader(header);
  if (AMBIGUOUS_NAMES.has(name)) return 'display_name';
  const exact = EXACT.get(name);
  if (exact) return exact;
  return CONTAINS.find(([pattern]) => pattern.test(name))?.[1] ?? 'ignore';
}

/** One field per column, guessed from the header names (unknown columns are ignored). */
export function autoMapping(headers: string[]): ImportField[] {
  const fields = headers.map(guess);
  if (!fields.includes('first_name')) return fields;
  return fields.map((field, i) => (field === 'display_name' && AMBIGUOUS_NAMES.has(normalizeHeader(headers[i])) ? 'last_name' : field));
}

/** Applies `column=field` overrides; a column is named by its header (case and accents ignored) or its 1-based number. */
export function applyOverrides(headers: string[], fields: ImportField[], overrides: Record<string, ImportField>): ImportField[] {
  const result = [...fields];
  for (const [column, field] of Object.entries(overrides)) {
    const wanted = normalizeHeader(column);
    let indexes = headers.flatMap((header, i) => (normalizeHeader(header) === wanted ? [i] : []));
    if (!indexes.length && /^\d+$/.test(column) && Number(column) >= 1 && Number(column) <= headers.length) indexes = [Number(column) - 1];
    if (!indexes.length) throw new AppError(422, 'import_mapping', 'exchange.map_unknown_column', { column });
    for (const i of indexes) result[i] = field;
  }
  return result;
}

/** Refuses a mapping that gives no name, since every person needs one. */
export function checkMapping(fields: ImportField[]): void {
  if (!fields.some((f) => f === 'display_name' || f === 'first_name' || f === 'last_name')) {
    throw new AppError(422, 'import_mapping', 'exchange.no_name_column');
  }
}
