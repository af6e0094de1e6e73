import type { Insertable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { AccountMailTokensTable, MailTokenKind } from './account-mail.table.js';

/** Stores a mailed link's token hash. */
export async function insertMailToken(db: Db, row: Insertable<AccountMailTokensTable>): Promise<void> {
  await db.insertInto('account_mail_tokens').values(row).execute();
}

/** How many links of a kind were issued since a time, for an account or to an address (rate limits). */
export async function countTokensSince(db: Db, kind: MailTokenKind, since: string, by: { accountId?: number; email?: string }): Promise<number> {
  let query = db.selectFrom('account_mail_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).where('created_at', '>', since);
  if (by.accountId !== undefined) query = query.where('account_id', '=', by.accountId);
  if (by.email !== undefined) query = query.where('email', '=', by.email);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** An unused, unexpired link of a kind by its token's hash, with its (enabled) account. */
export async function selectLiveToken(db: Db, kind: MailTokenKind, tokenHash: string, now: string) {
  return db
    .selectFrom('account_mail_tokens')
    .innerJoin('accounts', 'accounts.id', 'account_mail_tokens.account_id')
    .select(['account_mail_tokens.id', 'account_mail_tokens.email', 'accounts.id as account_id', 'accounts.username', 'accounts.person_id'])
    .where('account_mail_tokens.kind', '=', kind)
    .where('account_mail_tokens.token_hash', '=', tokenHash)
    .where('account_mail_tokens.used_at', 'is', null)
    .where('account_mail_tokens.expires_at', '>', now)
    .where('accounts.disabled', '=', 0)
    .executeTakeFirst();
}

/** Marks a link used, only if it still is unused and unexpired; 1 when this call used it, 0 when another did first. */
export async function useToken(db: Db, id: number, now: string): Promise<number> {
  const result = await db.updateTable('account_mail_tokens').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Retires every outstanding link of a kind for an account (after a reset, older reset links stop working). */
export async function retireTokens(db: Db, accountId: number, kind: MailTokenKind, now: string): Promise<void> {
  await db.updateTable('account_mail_tokens').set({ used_at: now })
    .where('account_id', '=', accountId).where('kind', '=', kind).where('used_at', 'is', null).execute();
}

/** Removes links that expired over a day ago (scheduled clean-up). */
export async function deleteStaleTokens(db: Db, before: string): Promise<void> {
  await db.deleteFrom('account_mail_tokens').where('expires_at', '<', before).execute();
}

/** What a mail to an account needs: its username and language, its live person's name and language. */
export async function selectRecipient(db: Db, accountId: number) {
  return db
    .selectFrom('accounts')
    .leftJoin('people', (join) => join.onRef('people.id', '=', 'accounts.person_id').on('people.deleted_at', 'is', null))
    .select(['accounts.id', 'accounts.username', 'accounts.locale', 'accounts.disabled', 'people.id as person_id', 'people.display_name', 'people.language'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
}

/** The enabled account with this username, if any. */
export async function selectEnabledAccountId(db: Db, username: string): Promise<number | undefined> {
  const row = await db.selectFrom('accounts').select('id').where('username', '=', username).where('disabled', '=', 0).executeTakeFirst();
  return row?.id;
}

/** Enabled accounts whose live person has this address (a family may share one). */
export async function selectEnabledAccountIdsByEmail(db: Db, email: string): Promise<number[]> {
  const rows = await db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .innerJoin('person_emails', 'person_emails.person_id', 'people.id')
    .select('accounts.id')
    .distinct()
    .where('person_emails.email', '=', email)
    .where('people.deleted_at', 'is', null)
    .where('accounts.disabled', '=', 0)
    .orderBy('accounts.id')
    .limit(5)
    .execute();
  return rows.map((r) => r.id);
}

/** A live person's addresses in order, with their verification dates. */
export async function selectEmailsOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('person_emails')
    .innerJoin('people', 'people.id', 'person_emails.person_id')
    .select(['person_emails.email', 'person_emails.verified_at'])
    .where('person_emails.person_id', '=', personId)
    .where('people.deleted_at', 'is', null)
    .orderBy('person_emails.position')
    .execute();
}

/** Records that a person's address was verified; 0 when the address is no longer theirs. */
export async function markEmailVerified(db: Db, personId: number, email: string, at: string): Promise<number> {
  const result = await db.updateTable('person_emails').set({ verified_at: at })
    .where('person_id', '=', personId).where('email', '=', email).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
