// The words of a statement error that the parsers write in English for everyone (a place such as "line 21 <STMTRS>",
// the CSV profile's field names, a detail marker of parsers/details.ts), turned into nested messages that pages, the
// API and the CLI translate when shown.
import { isMessageKey, type Params } from '../../i18n/index.js';
import { DETAIL_PREFIX } from './parsers/details.js';
import type { StatementError } from './parsers/types.js';

type Param = Params[string];

/** The params of a StatementError's message: its place and detail, with their words in the reader's language. */
export function statementErrorParams(error: StatementError): Params {
  const detail = error.detail ?? '';
  return { where: error.where ? placeOf(error.where) : '-', detail: error.key === 'bank.csv_profile_needed' ? fieldList(detail) : detailOf(detail) };
}

/** A parser's detail: a marker (`parse_detail.key {json params}`, see parsers/details.ts) as a translated message; others as they are. */
export function detailOf(detail: string): Param {
  if (!detail.startsWith(DETAIL_PREFIX)) return detail;
  const space = detail.indexOf(' ');
  const key = space < 0 ? detail : detail.slice(0, space);
  if (!isMessageKey(key)) return detail;
  if (space < 0) return { key };
  try {
    const params = JSON.parse(detail.slice(space + 1)) as Record<string, unknown>;
    return { key, params: Object.fromEntries(Object.entries(params).map(([name, value]) => [name, detailParam(value)])) };
  } catch {
    return detail;
  }
}

function detailParam(value: unknown): Param {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return listOf(value.map(detailParam));
  if (value && typeof value === 'object') {
    const { key, field } = value as { key?: unknown; field?: unknown };
    if (typeof key === 'string' && isMessageKey(key)) return { key };
    if (typeof field === 'string') return fieldName(field);
  }
  return String(value);
}

/** A parser's place ("line 16", "line 3 column 7", "line 21 <STMTRS>", "Document/Stmt, line 2") as a translated message; others as they are. */
export function placeOf(where: string): Param {
  const match = /^(.*?)\bline (\d+)(?: column (\d+))?(.*)$/s.exec(where);
  if (!match) return where;
  const [, before, line, column, rest] = match;
  return column === undefined ? { key: 'dues_cli.place_line', params: { before, line, rest } } : { key: 'dues_cli.place_line_column', params: { before, line, column, rest } };
}

/** "dateFormat, decimal" (the CSV guesser's doubts, internal names) as the names a treasurer knows. */
export function fieldList(names: string): Param {
  const fields = names.split(',').map((name) => name.trim()).filter(Boolean).map(fieldName);
  return fields.length ? listOf(fields) : names;
}

/** Items shown as one list, "a, b, c" (each item may itself be a message to translate); none: ''. */
export function listOf(items: Param[]): Param {
  if (!items.length) return '';
  return items.reduceRight((rest, first) => ({ key: 'dues_cli.list', params: { first, rest } }));
}

/** A name quoted the way the reader's language quotes ("x", « x »). */
export function quoted(name: string): Param {
  return { key: 'dues_cli.quoted', params: { name } };
}

function fieldName(name: string): Param {
  const key = `dues_cli.field.${name}`;
  return isMessageKey(key) ? { key } : name;
}
