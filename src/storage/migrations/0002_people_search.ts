// Frozen in time: this migration must never import application code.
// Fast people search and lists at 50,000 people: a trigram index for substring search, and an index on deleted
// rows only, so the live list is read in order from the partial index `people_live_sort`.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

type Db = Kysely<any>;

// The trigram index holds live people only (deleted ones are searched by LIKE in the trash), so that counting
// the matches of a search reads the index alone.
async function sqliteUp(db: Db): Promise<void> {
  await sql`create virtual table people_search using fts5(search_text, content='people', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`insert into people_search(rowid, search_text) select id, search_text from people where deleted_at is null`.execute(db);
  await sql`create trigger people_search_insert after insert on people when new.deleted_at is null begin
    insert into people_search(rowid, search_text) values (new.id, new.search_text); end`.execute(db);
  await sql`create trigger people_search_delete after delete on people when old.deleted_at is null begin
    insert into people_search(people_search, rowid, search_text) values ('delete', old.id, old.search_text); end`.execute(db);
  await sql`create trigger people_search_update after update of search_text, deleted_at on people begin
    insert into people_search(people_search, rowid, search_text) select 'delete', old.id, old.search_text where old.deleted_at is null;
    insert into people_search(rowid, search_text) select new.id, new.search_text where new.deleted_at is null; end`.execute(db);
}

// pg_trgm makes `like '%word%'` use an index; a database user who may not create extensions still gets a working
// (slower) search, so a refusal is rolled back to a savepoint instead of failing the migration.
async function postgresUp(db: Db): Promise<void> {
  await sql`savepoint people_search_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`create index people_search_trgm on people using gin (search_text public.gin_trgm_ops)`.execute(db);
    await sql`release savepoint people_search_trgm`.execute(db);
  } catch (error) {
    await sql`rollback to savepoint people_search_trgm`.execute(db);
    console.warn(`pg_trgm unavailable, people search will scan the table: ${(error as Error).message}`);
  }
}

export async function up(db: Db): Promise<void> {
  await db.schema.dropIndex('people_deleted').execute();
  await db.schema.createIndex('people_deleted').on('people').column('deleted_at').where(sql.ref('deleted_at'), 'is not', null).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresUp(db);
  else await sqliteUp(db);
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists people_search_trgm`.execute(db);
  } else {
    for (const trigger of ['people_search_insert', 'people_search_delete', 'people_search_update']) await sql.raw(`drop trigger ${trigger}`).execute(db);
    await sql`drop table people_search`.execute(db);
  }
  await db.schema.dropIndex('people_deleted').execute();
  await db.schema.createIndex('people_deleted').on('people').column('deleted_at').execute();
}
