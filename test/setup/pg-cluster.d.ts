// Types of pg-cluster.js (plain JavaScript so that the bench can run it with node).

/** A running throwaway cluster: its folder, loopback port, URL of the `postgres` database and server version. */
export interface Cluster {
  dir: string;
  bin: string;
  asPostgres: boolean;
  port: number;
  url: string;
  version: string;
  stopped: boolean;
}

/** The newest PostgreSQL server binaries installed by Debian, or '' when there are none. */
export function findPostgresBin(): string;

/** Starts a cluster from `bin` (user postgres, trust authentication); refuses with the server log's tail. */
export function startCluster(bin: string): Promise<Cluster>;

/** Stops the cluster and removes its folder (safe to call twice). */
export function stopCluster(cluster: Cluster | null | undefined): void;
