import type { AccountMailTokensTable } from '../modules/account-mail/account-mail.table.js';
import type { AccountRolesTable, AccountsTable, ApiTokensTable, SessionsTable } from '../modules/accounts/accounts.table.js';
import type { BankAccountsTable, BankCsvProfilesTable, BankImportsTable, BankStatementsTable, BankTransactionsTable } from '../modules/bank/bank.table.js';
import type { AllocationsTable, CategoryRulesTable, PersonIbansTable } from '../modules/dues/dues.table.js';
import type { InvitationsTable } from '../modules/invitations/invitations.table.js';
import type { RegistrationRequestsTable } from '../modules/registrations/registrations.table.js';
import type { AuditLogTable } from '../modules/audit/audit.table.js';
import type { GroupMembersTable, GroupsTable } from '../modules/groups/groups.table.js';
import type { MembershipsTable } from '../modules/memberships/memberships.table.js';
import type { PeopleTable, PersonContactsTable, PersonEmailsTable, PersonTagsTable } from '../modules/people/people.table.js';
import type { LoginThrottleTable } from '../modules/security/security.table.js';
import type { SettingsTable, UploadsTable } from '../modules/settings/settings.table.js';
import type { AccountTotpTable, LoginChallengesTable, RecoveryCodesTable } from '../modules/two-factor/two-factor.table.js';

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
  login_throttle: LoginThrottleTable;
  account_totp: AccountTotpTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  invitations: InvitationsTable;
  registration_requests: RegistrationRequestsTable;
  account_mail_tokens: AccountMailTokensTable;
}
