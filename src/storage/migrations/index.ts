import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Every migration, in order; a new one is appended, an old one is never edited. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
};
