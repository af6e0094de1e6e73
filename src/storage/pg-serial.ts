import type Pg from 'pg';

/**
 * A pooled pg client whose work runs one call after the other, in call order. A transaction's queries and its bulk
 * COPY streams share one connection and may be started before the previous one is done (an import writes a batch
 * while it reads the next); pg 8 queues them itself but warns, and pg 9 drops that queue.
 */
export class SerialClient {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly raw: Pg.PoolClient) {}

  /** Runs work on the connection once every earlier call on it is done. */
  run<T>(work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => work(this.raw));
    this.tail = result.catch(() => {});
    return result;
  }

  /** A query, as Kysely's PostgreSQL driver sends it. */
  query(text: string, values?: unknown[]): Promise<Pg.QueryResult> {
    return this.run((client) => client.query(text, values));
  }

  /** Gives the connection back to the pool. */
  release(error?: Error | boolean): void {
    this.raw.release(error);
  }
}

const SERIAL = new WeakMap<Pg.PoolClient, SerialClient>();

/** The serial client of a connection (the same one each time, so that its order carries on). */
export function serialClientOf(raw: Pg.PoolClient): SerialClient {
  let client = SERIAL.get(raw);
  if (!client) SERIAL.set(raw, (client = new SerialClient(raw)));
  return client;
}

/** A pool that lends serial clients, for Kysely's PostgreSQL dialect. */
export function serialPool(pool: Pg.Pool): { connect(): Promise<SerialClient>; end(): Promise<void> } {
  return { connect: async () => serialClientOf(await pool.connect()), end: () => pool.end() };
}
