import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_people_search.js';
import * as m0003 from './0003_bank.js';
import * as m0004 from './0004_dues.js';
import * as m0009 from './0009_oidc.js';

/** Every migration, in order; a new one is appended, an old one is never edited. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_people_search': m0002,
  '0003_bank': m0003,
  '0004_dues': m0004,
  '0009_oidc': m0009,
};
