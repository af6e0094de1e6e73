import { z } from 'zod';
import { isCalendarDate } from '../../core/clock.js';
import { LOCALES } from '../../i18n/define.js';

/** Splits a list typed in one box (lines, commas, semicolons) into trimmed, non-empty items. */
function listOf(item: z.ZodType<string>, separators: RegExp) {
  return z.preprocess((value) => {
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value.map(String) : String(value).split(separators);
    return items.map((s) => s.trim()).filter(Boolean);
  }, z.array(item).max(50));
}

const text = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v ?? null), z.string().max(max).nullable());

const date = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || null : v ?? null),
  z.string().refine(isCalendarDate, { error: 'validation.date' }).nullable(),
);

const email = z.string().toLowerCase().pipe(z.email({ error: 'validation.email' }));
const tag = z.string().toLowerCase().max(60);

export const PERSON_KINDS = ['individual', 'organisation'] as const;

const contact = z.object({ contact_id: z.coerce.number().int().positive(), role: text(100) });

/** Every editable field of a person; create and update share it. */
const personFields = {
  kind: z.enum(PERSON_KINDS, { error: 'validation.choice' }),
  display_name: z.string().trim().min(1, { error: 'validation.required' }).max(200),
  sort_name: text(200),
  emails: listOf(email, /[\s,;]+/),
  street: text(300),
  postal_code: text(20),
  city: text(100),
  country: text(100),
  phone: text(50),
  language: z.preprocess((v) => (v === '' ? null : v ?? null), z.enum(LOCALES, { error: 'validation.choice' }).nullable()),
  tags: listOf(tag, /[,;\n]+/),
  notes: text(10_000),
  joined_on: date,
  left_on: date,
  left_reason: text(500),
  contacts: z.array(contact).max(50),
};

/** Input to create a person (pages, API, CLI and the CSV import). */
export const personCreateInput = z.object({ ...personFields, kind: personFields.kind.default('individual'), contacts: personFields.contacts.default([]) });
export type PersonCreateInput = z.input<typeof personCreateInput>;
export type PersonData = z.infer<typeof personCreateInput>;

/** Input to change some fields of a person. */
export const personPatchInput = z.object(personFields).partial();

/** Input to add a contact person to an organisation. */
export const contactInput = contact;

/** Query of the people list (search box, filters, paging). */
export const peopleQuery = z.object({
  q: z.string().trim().max(200).optional().default(''),
  status: z.enum(['pending', 'member', 'lapsed', 'resigned', 'excluded', 'none']).optional().catch(undefined),
  year: z.coerce.number().int().min(1900).max(3000).optional().catch(undefined),
  tag: z.string().trim().toLowerCase().max(60).optional().transform((v) => v || undefined),
  kind: z.enum(PERSON_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
  per_page: z.coerce.number().int().min(1).max(500).default(50).catch(50),
});
export type PeopleQuery = z.infer<typeof peopleQuery>;
