import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { ValidationError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { formatBelgianReference, rfReferenceFor } from '../bank/references.js';
import { getLivePerson } from '../people/people.service.js';
import * as repo from './dues.repository.js';
import { personReference } from './matcher.js';

/** A person's payment reference as members type it: Belgian structured communication and its RF equivalent. */
export function referencesOf(personId: number): { belgian: string; rf: string; digits: string } {
  const digits = personReference(personId);
  return { digits, belgian: formatBelgianReference(digits), rf: rfReferenceFor(digits) };
}

/** What a person's payments page shows: references, known IBANs and every allocation to them. */
export async function personPayments(db: Db, personId: number) {
  const person = await getLivePerson(db, personId);
  const [ibans, allocations] = await Promise.all([repo.selectIbansOfPerson(db, personId), repo.selectAllocationsOfPerson(db, personId)]);
  return { person: { id: person.id, display_name: person.display_name }, references: referencesOf(personId), ibans, allocations };
}

/** Known IBANs of many people at once (exports), queried 500 ids at a time: person id -> IBANs (none: absent). */
export async function ibansOfPeople(db: Db, personIds: number[]): Promise<Map<number, string[]>> {
  const ibans = new Map<number, string[]>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await repo.selectIbansOfPeople(db, ids.slice(i, i + 500))) {
      const list = ibans.get(row.person_id);
      if (list) list.push(row.iban);
      else ibans.set(row.person_id, [row.iban]);
    }
  }
  return ibans;
}

/** Normalises and validates an IBAN typed by someone (spaces, lower case); a ValidationError when it is not one. */
export function ibanOf(input: unknown): string {
  const iban = typeof input === 'string' ? electronicFormatIBAN(input) : null;
  if (!iban || !isValidIBAN(iban)) throw new ValidationError({ iban: 'dues.iban_invalid' });
  return iban;
}

/** Records an IBAN that pays for a person, so their transfers are matched automatically. */
export async function addPersonIban(db: Db, actor: Actor, personId: number, input: unknown, source: 'manual' | 'import' = 'manual'): Promise<void> {
  await getLivePerson(db, personId);
  const iban = ibanOf(input);
  await repo.insertPersonIban(db, { person_id: personId, iban, source, created_at: nowIso() });
  await recordChange(db, actor, { action: 'person.iban_add', entityType: 'person', entityId: personId, after: { iban } });
}

/** Forgets an IBAN of a person. */
export async function removePersonIban(db: Db, actor: Actor, personId: number, iban: string): Promise<void> {
  await repo.deletePersonIban(db, personId, iban);
  await recordChange(db, actor, { action: 'person.iban_remove', entityType: 'person', entityId: personId, before: { iban } });
}
