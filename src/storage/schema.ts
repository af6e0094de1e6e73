import type { AccountRolesTable, AccountsTable, ApiTokensTable, SessionsTable } from '../modules/accounts/accounts.table.js';
import type { BankAccountsTable, BankCsvProfilesTable, BankImportsTable, BankStatementsTable, BankTransactionsTable } from '../modules/bank/bank.table.js';
import type { AllocationsTable, CategoryRulesTable, PersonIbansTable } from '../modules/dues/dues.table.js';
import type { AuditLogTable } from '../modules/audit/audit.table.js';
import type { OidcClientsTable, OidcKeysTable, OidcPayloadsTable } from '../modules/oidc/oidc.table.js';
import type { MembershipsTable } from '../modules/memberships/memberships.table.js';
import type { PeopleTable, PersonContactsTable, PersonEmailsTable, PersonTagsTable } from '../modules/people/people.table.js';
import type { SettingsTable, UploadsTable } from '../modules/settings/settings.table.js';

/** Every table of Ruche's database, as Kysely sees it. */
export interface Database {
  people: PeopleTable;
  person_emails: PersonEmailsTable;
  person_tags: PersonTagsTable;
  person_contacts: PersonContactsTable;
  memberships: MembershipsTable;
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  uploads: UploadsTable;
  bank_accounts: BankAccountsTable;
  bank_imports: BankImportsTable;
  bank_statements: BankStatementsTable;
  bank_transactions: BankTransactionsTable;
  bank_csv_profiles: BankCsvProfilesTable;
  allocations: AllocationsTable;
  person_ibans: PersonIbansTable;
  category_rules: CategoryRulesTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
  oidc_clients: OidcClientsTable;
}
