import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_people_search.js';
import * as m0003 from './0003_bank.js';
import * as m0004 from './0004_dues.js';
import * as m0005 from './0005_groups.js';
import * as m0006 from './0006_account_mail.js';
import * as m0007 from './0007_two_factor.js';
import * as m0008 from './0008_invitations.js';
import * as m0009 from './0009_oidc.js';
import * as m0010 from './0010_login_security.js';
import * as m0011 from './0011_oidc_client_quota.js';
import * as m0012 from './0012_bank_statement_key.js';
import * as m0013 from './0013_bank_iban_index.js';
import * as m0014 from './0014_allocations_review_index.js';

/** Every migration, in order; a new one is appended, an old one is never edited. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_people_search': m0002,
  '0003_bank': m0003,
  '0004_dues': m0004,
  '0005_groups': m0005,
  '0006_account_mail': m0006,
  '0007_two_factor': m0007,
  '0008_invitations': m0008,
  '0009_oidc': m0009,
  '0010_login_security': m0010,
  '0011_oidc_client_quota': m0011,
  '0012_bank_statement_key': m0012,
  '0013_bank_iban_index': m0013,
  '0014_allocations_review_index': m0014,
};
