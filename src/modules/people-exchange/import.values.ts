// Turns one row of cells into the input of a person (the same input the form and the API send), column by mapped field.
import { fold } from '../../core/text.js';
import { LOCALES } from '../../i18n/define.js';
import { peopleMessages } from '../people/people.i18n.js';
import type { ImportField } from './exchange.schema.js';

/** A row mapped to person input, with the header of the column each field came from (for error messages). */
export interface MappedRow {
  line: number;
  input: Record<string, unknown>;
  columns: Partial<Record<string, string>>;
  /** The non-empty cells of `iban` columns with their headers (each may hold several IBANs), checked apart from the person. */
  ibanCells?: { column: string; value: string }[];
}

const LANGUAGE_NAMES: Record<string, 'fr' | 'nl' | 'en'> = {
  fr: 'fr', fra: 'fr', fre: 'fr', francais: 'fr', french: 'fr', frans: 'fr', franzosisch: 'fr',
  nl: 'nl', nld: 'nl', dut: 'nl', nederlands: 'nl', dutch: 'nl', neerlandais: 'nl', flamand: 'nl', vlaams: 'nl', flemish: 'nl',
  en: 'en', eng: 'en', english: 'en', anglais: 'en', engels: 'en',
};

const KIND_NAMES: Record<string, 'individual' | 'organisation'> = {
  individual: 'individual', person: 'individual', personne: 'individual', persoon: 'individual', particulier: 'individual',
  'personne physique': 'individual', 'natuurlijk persoon': 'individual', individu: 'individual', physique: 'individual',
  organisation: 'organisation', organization: 'organisation', organisatie: 'organisation', association: 'organisation',
  'personne morale': 'organisation', 'rechtspersoon': 'organisation', company: 'organisation', entreprise: 'organisation',
  societe: 'organisation', vereniging: 'organisation', bedrijf: 'organisation', asbl: 'organisation', vzw: 'organisation',
};
for (const locale of LOCALES) {
  KIND_NAMES[fold(peopleMessages[locale]['people.kind.individual'])] = 'individual';
  KIND_NAMES[fold(peopleMessages[locale]['people.kind.organisation'])] = 'organisation';
}

/** A date written YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY (day first, a time after it ignored) as YYYY-MM-DD; anything else unchanged, for validation to refuse. */
export function isoDate(value: string): string {
  const text = value.trim();
  const pad = (n: string) => n.padStart(2, '0');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text);
  if (iso) return `${iso[1]}-${pad(iso[2])}-${pad(iso[3])}`;
  const dayFirst = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (dayFirst) return `${dayFirst[4]}-${pad(dayFirst[3])}-${pad(dayFirst[1])}`;
  return text;
}

/** A language code from a code or a name in any language ("français", "Nederlands", "fr-BE"); unknown ones unchanged. */
export function languageCode(value: string): string {
  const name = fold(value).replace(/[^a-z]+/g, ' ').trim();
  return LANGUAGE_NAMES[name] ?? LANGUAGE_NAMES[name.split(' ')[0]] ?? value.trim();
}

/** A person kind from its code or its name in any language; unknown ones unchanged. */
export function kindCode(value: string): string {
  return KIND_NAMES[fold(value)] ?? value.trim();
}

// Exports (ours and others') write '=..., '+32... so spreadsheets do not run formulas: the apostrophe is not data.
function unguard(cell: string): string {
  return cell.replace(/^'(?=[=+\-@])/, '');
}

/** Reads the cells of one row through the mapping into person input; empty cells are left out. */
export function mapRow(line: number, cells: string[], headers: string[], fields: ImportField[]): MappedRow {
  const values = new Map<ImportField, string[]>();
  const columns: Partial<Record<string, string>> = {};
  const ibanCells: { column: string; value: string }[] = [];
  fields.forEach((field, i) => {
    columns[field] ??= headers[i];
    const cell = unguard((cells[i] ?? '').trim());
    if (field === 'ignore' || cell === '') return;
    if (!values.has(field)) columns[field] = headers[i];
    values.set(field, [...(values.get(field) ?? []), cell]);
    if (field === 'iban') ibanCells.push({ column: headers[i], value: cell });
  });
  const first = (field: ImportField) => values.get(field)?.[0];
  const input: Record<string, unknown> = {};
  const set = (field: string, value: string | undefined) => {
    if (value !== undefined && value !== '') input[field] = value;
  };
  names(values, columns, set);
  set('kind', first('kind') && kindCode(first('kind')!));
  set('emails', values.get('emails')?.join(' '));
  set('phone', first('phone'));
  set('street', values.get('street')?.join(', '));
  for (const field of ['postal_code', 'city', 'country', 'left_reason'] as const) set(field, first(field));
  set('language', first('language') && languageCode(first('language')!));
  set('tags', values.get('tags')?.join(','));
  set('notes', values.get('notes')?.join('\n'));
  for (const field of ['joined_on', 'left_on'] as const) set(field, first(field) && isoDate(first(field)!));
  set('iban', values.get('iban')?.join(' '));
  return { line, input, columns, ...(ibanCells.length ? { ibanCells } : {}) };
}

// "First Last" for display, "Last, First" for sorting, unless the file has its own display or sort name.
function names(values: Map<ImportField, string[]>, columns: Partial<Record<string, string>>, set: (f: string, v: string | undefined) => void): void {
  const firstName = values.get('first_name')?.join(' ');
  const lastName = values.get('last_name')?.join(' ');
  const display = values.get('display_name')?.[0];
  set('display_name', display ?? [firstName, lastName].filter(Boolean).join(' '));
  if (!display) columns.display_name = columns[firstName ? 'first_name' : 'last_name'] ?? columns.display_name;
  const sort = values.get('sort_name')?.[0] ?? (firstName && lastName ? `${lastName}, ${firstName}` : undefined);
  set('sort_name', sort);
}
