// Frozen in time: this migration must never import application code.
// Static groups edited by admins (their name is what the single sign-on's clients see) and their members (people).
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.createTable('groups')
    .addColumn('id', serial, id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', notNull)
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .execute();

  await db.schema.createTable('group_members')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('added_by', 'text', notNull)
    .addColumn('added_at', 'text', notNull)
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'person_id'])
    .execute();
  await db.schema.createIndex('group_members_person').on('group_members').column('person_id').execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['group_members', 'groups']) await db.schema.dropTable(table).execute();
}
