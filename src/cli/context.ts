import { type Config, ensureSecret } from '../config/config.js';
import type { AppContext } from '../http/context.js';
import { openStorage, pendingMigrations } from '../storage/database.js';

/** Opens the storage for a command; refuses a database with pending migrations unless told to migrate. */
export async function openContext(config: Config, options: { allowPending?: boolean } = {}): Promise<AppContext> {
  const storage = openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (!options.allowPending) {
    const pending = await pendingMigrations(storage.db);
    if (pending.length) {
      await storage.close();
      throw new Error(`The database has ${pending.length} pending migration(s) (${pending.join(', ')}). Run \`ruche migrate\` first (or \`ruche serve --migrate\`).`);
    }
  }
  return { storage, db: storage.db, config, secret: ensureSecret(config) };
}
