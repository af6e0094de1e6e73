// Vitest globalSetup: gives the tests a PostgreSQL database, a throwaway local cluster when none is configured.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type Cluster, findPostgresBin, startCluster, stopCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL database for tests, '' when there is none. */
    testDatabaseUrl: string;
    /** Why there is no PostgreSQL for tests, '' when there is one. */
    postgresUnavailable: string;
  }
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query('CREATE DATABASE ruche_test');
  } finally {
    await client.end();
  }
}

// Extensions are per database, not per schema: created once here, so the parallel test schemas' migrations find it.
async function prepareDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  } catch (error) {
    console.log(`PostgreSQL for tests: pg_trgm unavailable (${(error as Error).message}); search runs without its index`);
  } finally {
    await client.end();
  }
}

/** Starts a throwaway PostgreSQL cluster unless TEST_DATABASE_URL is set; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.TEST_DATABASE_URL ?? '';
  const provide = (url: string, why: string) => {
    project.provide('testDatabaseUrl', url);
    project.provide('postgresUnavailable', why);
  };
  if (given) {
    console.log(`PostgreSQL for tests: TEST_DATABASE_URL (${given.replace(/\/\/[^@/]*@/, '//***@')})`);
    await prepareDatabase(given);
    provide(given, '');
    return () => {};
  }
  const bin = findPostgresBin();
  if (!bin) {
    const why = 'no TEST_DATABASE_URL and no PostgreSQL server in /usr/lib/postgresql/*/bin';
    console.log(`PostgreSQL for tests: none (${why})`);
    provide('', why);
    return () => {};
  }
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster(bin);
    await createDatabase(cluster.port);
  } catch (error) {
    stopCluster(cluster);
    const why = `could not start a throwaway PostgreSQL from ${bin}: ${(error as Error).message}`;
    console.log(`PostgreSQL for tests: none (${why})`);
    provide('', why);
    return () => {};
  }
  const url = `postgres://postgres@127.0.0.1:${cluster.port}/ruche_test`;
  await prepareDatabase(url);
  process.env.TEST_DATABASE_URL = url;
  provide(url, '');
  console.log(`PostgreSQL for tests: throwaway ${cluster.version} on 127.0.0.1:${cluster.port} in ${cluster.dir}`);
  const started = cluster;
  const onExit = () => stopCluster(started);
  process.once('exit', onExit);
  return () => {
    process.off('exit', onExit);
    stopCluster(started);
  };
}
