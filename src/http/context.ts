import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { Storage } from '../storage/database.js';
import type { Database } from '../storage/schema.js';

/** What every front needs: the open storage, the configuration and the instance secret. */
export interface AppContext {
  storage: Storage;
  db: Kysely<Database>;
  config: Config;
  secret: string;
}
