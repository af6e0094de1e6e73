// Imports a member list: every row validated like the person form, nothing written unless all rows are valid,
// one transaction, and re-importing the same file adds nobody (same name and e-mails = already present).
// IBAN columns are validated with the row and recorded for the person (also for one already present, when new).
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.js';
import { ValidationError } from '../../core/errors.js';
import { fold } from '../../core/text.js';
import { validate } from '../../core/validate.js';
import type { MessageKey, Params, Translate } from '../../i18n/index.js';
import { type Db, inTransaction } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import { addPersonIban, ibanOf, ibansOfPeople } from '../dues/person-payments.service.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { personCreateInput, type PersonData } from '../people/people.schema.js';
import { createPerson, listPeople } from '../people/people.service.js';
import type { ImportField } from './exchange.schema.js';
import { checkMapping } from './import.mapping.js';
import { PREVIEW_ROWS, type ReadImport, readImport, type ReadOptions } from './import.read.js';
import type { MappedRow } from './import.values.js';

/** An error or warning about one row: the file's line, the column and field, a message key with its parameters. */
export interface ImportIssue {
  line: number;
  column: string | null;
  field: string | null;
  key: MessageKey;
  params: Params;
  value?: string;
}

export type RowStatus = 'new' | 'unchanged' | 'invalid';

/** One row of the preview: its line, what it would become, and the values as mapped. */
export interface PreviewRow {
  line: number;
  status: RowStatus;
  values: Record<string, unknown>;
}

/** What an import (or a dry run) found and did. */
export interface ImportResult {
  dry_run: boolean;
  encoding: string;
  delimiter: string;
  headers: string[];
  fields: ImportField[];
  total: number;
  created: number;
  unchanged: number;
  /** IBANs recorded (or, in a dry run, to record) for new people and for people already present. */
  ibans_added: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  preview: PreviewRow[];
}

/** Reading options plus the dry-run flag and a progress callback `(done, total)`. */
export interface ImportOptions extends ReadOptions {
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

interface Checked {
  row: MappedRow;
  status: RowStatus;
  data?: PersonData;
  /** Valid IBANs of the row, normalised; once settled, only those the person does not have yet. */
  ibans: string[];
  /** The live person an "already present" row is, to add its new IBANs to. */
  personId?: number;
}

interface Register {
  /** Identity -> id of the (first) live person having it. */
  keys: Map<string, number>;
  emails: Map<string, string>;
}

/** Thrown inside the transaction to roll it back when a row is refused while writing. */
class RowRefused extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super('row refused');
  }
}

/** Checks a member list against the schema and the register, then (unless a dry run) creates the new people in one transaction. */
export async function importPeople(db: Kysely<Database>, actor: Actor, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  const read = readImport(bytes, options);
  checkMapping(read.fields);
  if (options.dryRun) {
    const { result, checked } = plan(read, await loadRegister(db), true);
    result.ibans_added = await settleIbans(db, checked);
    options.onProgress?.(result.total, result.total);
    return result;
  }
  let planned: ImportResult | undefined;
  try {
    return await inTransaction(db, async (trx) => {
      const { result, checked } = plan(read, await loadRegister(trx), false);
      planned = result;
      if (result.errors.length) return { ...result, created: 0 };
      result.ibans_added = await settleIbans(trx, checked);
      await write(trx, actor, checked, options.onProgress);
      return result;
    });
  } catch (error) {
    if (!(error instanceof RowRefused) || !planned) throw error;
    return { ...planned, created: 0, ibans_added: 0, errors: error.issues };
  }
}

async function write(trx: Db, actor: Actor, checked: Checked[], onProgress?: (done: number, total: number) => void): Promise<void> {
  let done = 0;
  for (const { row, status, data, ibans, personId } of checked) {
    try {
      if (status === 'new' && data) {
        const person = await createPerson(trx, actor, data);
        for (const iban of ibans) await addPersonIban(trx, actor, person.id, iban, 'import');
      } else if (status === 'unchanged' && personId !== undefined) {
        for (const iban of ibans) await addPersonIban(trx, actor, personId, iban, 'import');
      }
    } catch (error) {
      if (error instanceof ValidationError) throw new RowRefused(issuesOf(row, error));
      throw error;
    }
    onProgress?.(++done, checked.length);
  }
}

// Keeps, for rows already present, only the IBANs their person does not have yet (one query per 500 people),
// so a re-import adds nothing; returns how many IBANs the import records.
async function settleIbans(db: Db, checked: Checked[]): Promise<number> {
  const present = checked.filter((c) => c.status === 'unchanged' && c.personId !== undefined && c.ibans.length);
  const known = await ibansOfPeople(db, present.map((c) => c.personId!));
  for (const c of present) {
    const have = new Set(known.get(c.personId!));
    c.ibans = c.ibans.filter((iban) => !have.has(iban));
    known.set(c.personId!, [...have, ...c.ibans]);
  }
  return checked.reduce((sum, c) => sum + c.ibans.length, 0);
}

const IBAN_START = /^[A-Z]{2}\d{2}/i;

function isIban(text: string): boolean {
  try {
    ibanOf(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The IBANs written in one cell, separated by `,`, `;` or spaces, each possibly typed in groups ("BE68 5390 0754 7034"):
 * a group starting like an IBAN (`NL91...`) begins another one once the IBAN before it is complete (or it is one on its own).
 */
export function ibansInCell(cell: string): string[] {
  const found: string[] = [];
  for (const part of cell.split(/[,;]/)) {
    let current = '';
    for (const token of part.split(/\s+/).filter(Boolean)) {
      if (current && IBAN_START.test(token) && (isIban(current) || isIban(token))) {
        found.push(current);
        current = token;
      } else {
        current = current ? `${current} ${token}` : token;
      }
    }
    if (current) found.push(current);
  }
  return found;
}

// Every IBAN of the row's IBAN columns, normalised; an invalid one is an error naming its own column.
function checkIbans(row: MappedRow): { ibans: string[]; issues: ImportIssue[] } {
  const ibans = new Set<string>();
  const issues: ImportIssue[] = [];
  for (const { column, value } of row.ibanCells ?? []) {
    for (const text of ibansInCell(value)) {
      try {
        ibans.add(ibanOf(text));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push({ line: row.line, column, field: 'iban', key: error.fields.iban ?? 'dues.iban_invalid', params: {}, value: text });
      }
    }
  }
  return { ibans: [...ibans], issues };
}

/** Identity of a person for re-imports: folded display name and the set of e-mails. */
function identity(displayName: string, emails: string[]): string {
  return `${fold(displayName)}\u0000${[...new Set(emails.map((e) => e.toLowerCase()))].sort().join(',')}`;
}

// The live people's identities and e-mails, page by page through the people service.
async function loadRegister(db: Db): Promise<Register> {
  const register: Register = { keys: new Map(), emails: new Map() };
  const currentYear = await currentFiscalYear(db);
  for (let page = 1; ; page++) {
    const { items, total } = await listPeople(db, { page, per_page: 500 }, { currentYear });
    for (const person of items) {
      const key = identity(person.display_name, person.emails);
      if (!register.keys.has(key)) register.keys.set(key, person.id);
      for (const email of person.emails) if (!register.emails.has(email)) register.emails.set(email, person.display_name);
    }
    if (page * 500 >= total || !items.length) return register;
  }
}

function plan(read: ReadImport, register: Register, dryRun: boolean): { result: ImportResult; checked: Checked[] } {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const firstOf = new Map<string, Checked>();
  const emailLines = new Map<string, number>();
  const checked = read.rows.map((row): Checked => {
    const { data, issues } = checkRow(row);
    const { ibans, issues: ibanIssues } = checkIbans(row);
    errors.push(...issues, ...ibanIssues);
    if (!data || ibanIssues.length) return { row, status: 'invalid', ibans: [] };
    const key = identity(data.display_name, data.emails);
    const personId = register.keys.get(key);
    if (personId !== undefined) return { row, status: 'unchanged', data, ibans, personId };
    const earlier = firstOf.get(key);
    if (earlier !== undefined) {
      warnings.push(issue(row, 'display_name', 'exchange.duplicate_row', { line: earlier.row.line }));
      earlier.ibans = [...new Set([...earlier.ibans, ...ibans])];
      return { row, status: 'unchanged', data, ibans: [] };
    }
    warnings.push(...emailWarnings(row, data, register, emailLines));
    const created: Checked = { row, status: 'new', data, ibans };
    firstOf.set(key, created);
    return created;
  });
  const count = (status: RowStatus) => checked.filter((c) => c.status === status).length;
  const result: ImportResult = {
    dry_run: dryRun, encoding: read.encoding, delimiter: read.delimiter, headers: read.headers, fields: read.fields,
    total: checked.length, created: count('new'), unchanged: count('unchanged'), ibans_added: 0, errors, warnings,
    preview: checked.slice(0, PREVIEW_ROWS).map((c) => ({ line: c.row.line, status: c.status, values: c.row.input })),
  };
  return { result, checked };
}

// Shared addresses (families, an association's secretariat) are allowed, but worth a look.
function emailWarnings(row: MappedRow, data: PersonData, register: Register, emailLines: Map<string, number>): ImportIssue[] {
  const warnings: ImportIssue[] = [];
  for (const email of new Set(data.emails)) {
    const owner = register.emails.get(email);
    if (owner !== undefined) warnings.push(issue(row, 'emails', 'exchange.email_exists', { email, name: owner }));
    const line = emailLines.get(email);
    if (line !== undefined) warnings.push(issue(row, 'emails', 'exchange.email_in_file', { email, line }));
    else emailLines.set(email, row.line);
  }
  return warnings;
}

function checkRow(row: MappedRow): { data?: PersonData; issues: ImportIssue[] } {
  try {
    const data = validate(personCreateInput, row.input);
    if (data.left_on && data.joined_on && data.left_on < data.joined_on) {
      return { issues: [issue(row, 'left_on', 'validation.left_before_joined')] };
    }
    return { data, issues: [] };
  } catch (error) {
    if (error instanceof ValidationError) return { issues: issuesOf(row, error) };
    throw error;
  }
}

function issuesOf(row: MappedRow, error: ValidationError): ImportIssue[] {
  const entries = Object.entries(error.fields);
  if (!entries.length) return [issue(row, null, error.key, error.params)];
  return entries.map(([field, key]) => issue(row, field, key));
}

function issue(row: MappedRow, field: string | null, key: MessageKey, params: Params = {}): ImportIssue {
  const value = field ? row.input[field] : undefined;
  return {
    line: row.line, column: (field && row.columns[field]) || null, field, key, params,
    ...(typeof value === 'string' ? { value } : {}),
  };
}

/** The result as stable JSON for the API and the CLI, with each issue's message in the caller's language. */
export function importReport(result: ImportResult, t: Translate) {
  const describe = (i: ImportIssue) => ({
    line: i.line, column: i.column, field: i.field, code: i.key, message: t(i.key, i.params), ...(i.value !== undefined ? { value: i.value } : {}),
  });
  return {
    dry_run: result.dry_run, encoding: result.encoding, delimiter: result.delimiter,
    columns: result.headers.map((header, i) => ({ header, field: result.fields[i] })),
    total: result.total, created: result.created, unchanged: result.unchanged,
    errors: result.errors.map(describe), warnings: result.warnings.map(describe), preview: result.preview,
    ...(result.ibans_added ? { ibans_added: result.ibans_added } : {}),
  };
}
