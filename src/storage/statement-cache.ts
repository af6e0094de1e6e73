import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqlite } from 'kysely';

/** Distinct SQL texts kept prepared (a query with a list of N parameters is one text per N). */
const MAX_STATEMENTS = 500;

/**
 * The SQLite handle as Kysely's driver sees it, with prepared statements reused: Kysely prepares every query
 * anew, which cost a tenth of the server's time on a login flow. A statement still being iterated (a streamed
 * export) is never handed out twice: a fresh one is prepared instead.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqlite {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
    close: () => {
      cache.clear();
      sqlite.close();
    },
  };
}
