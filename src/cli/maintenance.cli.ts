import { describeConfig } from '../config/config.js';
import { buildServer } from '../http/server.js';
import { runHousekeeping, startScheduler } from '../jobs/scheduler.js';
import { issueSetupToken } from '../modules/setup/setup.service.js';
import { migrateToLatest } from '../storage/database.js';
import { type Command, println } from './command.js';

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => resolve(signal);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

const serve: Command = {
  words: ['serve'],
  summary: 'Start the web server (pages, API). With --migrate, apply pending migrations first.',
  usage: '[--migrate]',
  options: { migrate: { type: 'boolean' } },
  permission: null,
  async run({ ctx, values, out }) {
    if (values.migrate) {
      const applied = await migrateToLatest(ctx.db);
      if (applied.length) println(out, `Applied migrations: ${applied.join(', ')}`);
    }
    const app = await buildServer(ctx, { logger: { level: ctx.config.logLevel } });
    const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
    // With PORT=0 (any free port) and no public URL configured, the address really listened on is the one to show.
    const url = ctx.config.sources.RUCHE_PUBLIC_URL === 'default' ? address : ctx.config.publicUrl;
    const token = await issueSetupToken(ctx.db);
    const setup = token ? `\n\nNo account exists yet. Open this one-time link to create the first administrator:\n\n  ${url}/setup/${token}\n` : '';
    println(out, `Ruche is running on ${url} (${ctx.storage.dialect}${ctx.storage.sqlitePath ? `: ${ctx.storage.sqlitePath}` : ''}).${setup}`);
    const stop = startScheduler(ctx, app.log);
    const signal = await untilSignal();
    println(out, `Received ${signal}, stopping.`);
    stop();
    await app.close();
    return 0;
  },
};

const migrate: Command = {
  words: ['migrate'],
  summary: 'Apply pending database migrations.',
  usage: '',
  options: {},
  permission: null,
  async run({ ctx, out }) {
    const applied = await migrateToLatest(ctx.db);
    println(out, applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  },
};

const config: Command = {
  words: ['config'],
  summary: 'Print the effective configuration, secrets redacted.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: null,
  needsDatabase: false,
  async run({ ctx, values, out }) {
    const rows = describeConfig(ctx.config);
    if (values.json) println(out, JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.value])), null, 2));
    else for (const r of rows) println(out, `${r.name.padEnd(18)} ${r.value === '' ? '(empty)' : r.value}   [${r.source}] ${r.doc}`);
    return 0;
  },
};

const backup: Command = {
  words: ['backup'],
  summary: 'Write a consistent copy of the SQLite database, also while the server runs.',
  usage: '--output FILE',
  options: { output: { type: 'string', short: 'o' } },
  permission: null,
  async run({ ctx, values, out }) {
    if (typeof values.output !== 'string') throw new Error('--output FILE is required');
    if (!ctx.storage.sqlite) throw new Error('backup copies the embedded SQLite database; for PostgreSQL use pg_dump.');
    await ctx.storage.sqlite.backup(values.output);
    println(out, `Backup written to ${values.output}`);
    return 0;
  },
};

const purge: Command = {
  words: ['purge'],
  summary: 'Remove for good the people deleted more than 30 days ago (the server also does it hourly).',
  usage: '',
  options: {},
  permission: 'people:delete',
  async run({ ctx, out }) {
    const { purged } = await runHousekeeping(ctx);
    println(out, `Purged ${purged} person(s).`);
    return 0;
  },
};

/** Commands to run, migrate, configure and back up Ruche. */
export const maintenanceCommands = [serve, migrate, config, backup, purge];
