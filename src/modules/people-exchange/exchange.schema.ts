import { z } from 'zod';

/** The fields a column of an imported member list can fill (`iban`: IBANs paying for the person; `ignore` skips the column). */
export const IMPORT_FIELDS = [
  'display_name', 'first_name', 'last_name', 'sort_name', 'kind', 'emails', 'phone', 'street', 'postal_code', 'city',
  'country', 'language', 'tags', 'notes', 'joined_on', 'left_on', 'left_reason', 'iban', 'ignore',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The spreadsheet formats of the people export. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'ods'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The delimiters a user may force (the reader detects them otherwise). */
export const DELIMITERS = [';', ',', '\t', '|'] as const;

const isField = (value: string): value is ImportField => (IMPORT_FIELDS as readonly string[]).includes(value);

const blankIsAuto = (v: unknown) => (v === undefined || v === null || v === '' || v === 'auto' ? undefined : v);

const delimiter = z.preprocess(
  (v) => {
    const value = blankIsAuto(v);
    return value === 'tab' || value === '\\t' ? '\t' : value;
  },
  z.enum(DELIMITERS, { error: 'validation.choice' }).optional(),
);

const encoding = z.preprocess(
  (v) => {
    const value = blankIsAuto(v);
    if (typeof value !== 'string') return value;
    const name = value.trim().toLowerCase();
    if (name === 'utf8') return 'utf-8';
    return ['cp1252', 'windows1252', 'latin1', 'latin-1', 'iso-8859-1', 'iso-8859-15'].includes(name) ? 'windows-1252' : name;
  },
  z.enum(['utf-8', 'windows-1252'], { error: 'validation.choice' }).optional(),
);

/** `col=field` pairs (CLI `--map`, API `map=`), parsed into column -> field. */
const mapPairs = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string()).max(200).transform((pairs, ctx) => {
    const map: Record<string, ImportField> = {};
    for (const pair of pairs) {
      const at = pair.lastIndexOf('=');
      const column = pair.slice(0, at).trim();
      const field = pair.slice(at + 1).trim().toLowerCase();
      if (at <= 0 || column === '' || !isField(field)) {
        ctx.addIssue({ code: 'custom', message: 'exchange.map_bad' });
        return z.NEVER;
      }
      map[column] = field;
    }
    return map;
  }),
);

const yes = z.preprocess((v) => v === true || v === 'true' || v === '1' || v === 'on' || v === 'yes', z.boolean());

/** Options of an import as the API and CLI send them: delimiter, encoding, `col=field` overrides, dry run. */
export const importOptionsInput = z.object({ delimiter, encoding, map: mapPairs, dry_run: yes });
export type ImportOptionsInput = z.infer<typeof importOptionsInput>;

/** Reading options of an upload (web form). */
export const readOptionsInput = z.object({ delimiter, encoding });

/** The column choices of the web form, one field per column (`map_0`, `map_1`, ...). */
export const columnFieldsInput = z.array(z.enum(IMPORT_FIELDS, { error: 'validation.choice' })).max(500);

/** The export format asked for. */
export const exportFormatInput = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v ?? 'csv'),
  z.enum(EXPORT_FORMATS, { error: 'validation.choice' }),
);

/** The web form's action on an uploaded file. */
export const importActionInput = z.enum(['dry_run', 'import'], { error: 'validation.choice' }).catch('dry_run');
