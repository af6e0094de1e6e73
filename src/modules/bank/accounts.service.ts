// The collective's bank accounts as the treasurer adds them: files that do not name their account (QIF, most CSV)
// are imported into one of these.
import type { Selectable } from 'kysely';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError, notFound } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { bankAccountInput, bankAccountLabelInput } from './accounts.schema.js';
import * as repo from './bank.repository.js';
import type { BankAccountsTable } from './bank.table.js';

/** A bank account as pages, the API and the CLI show it: the row as stored. */
export type BankAccount = Selectable<BankAccountsTable>;

/** The collective's bank accounts, oldest first. */
export async function bankAccounts(db: Db): Promise<BankAccount[]> {
  return repo.selectBankAccounts(db);
}

/** How an account is named to people: its IBAN, else its number, else its label. */
export function accountName(account: Pick<BankAccount, 'id' | 'iban' | 'number'> & { label?: string | null }): string {
  return account.iban ?? account.number ?? account.label ?? String(account.id);
}

/** Adds a bank account (validated, IBAN in electronic form); refuses one that exists with the same IBAN or number and currency. */
export async function addBankAccount(db: Db, actor: Actor, input: unknown): Promise<BankAccount> {
  const v = validate(bankAccountInput, input);
  const iban = v.iban ?? null;
  const number = iban ? null : (v.number ?? null);
  const known = await repo.selectAccountByIdentifiers(db, iban, number, v.currency);
  if (known) throw new AppError(409, 'bank_account_exists', 'bank_accounts.exists', { account: accountName(known), currency: known.currency, id: known.id });
  const row = { iban, number, bic: v.bic ?? null, holder: v.holder ?? null, currency: v.currency, label: v.label ?? null, created_at: nowIso() };
  const id = await repo.insertBankAccount(db, row);
  await recordChange(db, actor, { action: 'bank.account_add', entityType: 'bank_account', entityId: id, after: row });
  return { id, ...row };
}

/** Sets or clears the label of a bank account (the name treasurers know it by). */
export async function relabelBankAccount(db: Db, actor: Actor, id: number, input: unknown): Promise<BankAccount> {
  const { label = null } = validate(bankAccountLabelInput, input);
  const account = await repo.selectBankAccount(db, id);
  if (!account) throw notFound();
  await repo.updateBankAccountLabel(db, id, label);
  await recordChange(db, actor, { action: 'bank.account_label', entityType: 'bank_account', entityId: id, before: { label: account.label }, after: { label } });
  return { ...account, label };
}

/** The refusal of an account chosen for an import that does not exist (before anything is written). */
export function unknownAccount(id: number): AppError {
  return new AppError(422, 'bank_account_unknown', 'bank_accounts.unknown', { id });
}
